// socket: a global function dereferences its pointer argument without a NULL check
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__noinline int first(const int *p)
{
	return *p;
}

SEC("socket")
int reject_global_null(struct __sk_buff *skb)
{
	int x = skb->len;

	return first(&x);
}

char LICENSE[] SEC("license") = "GPL";
