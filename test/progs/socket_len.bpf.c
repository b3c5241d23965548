// socket filter: accept the first skb->len bytes (ctx access)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int socket_len(struct __sk_buff *skb)
{
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
