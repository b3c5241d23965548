// cgroup_skb: allow egress, counting bytes in a global
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 egress_bytes = 0;

SEC("cgroup_skb/egress")
int cgroup_skb_egress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&egress_bytes, skb->len);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
