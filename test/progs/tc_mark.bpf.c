// tc classifier: mark IPv4 packets, count them, let everything through
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__u64 ipv4_seen = 0;

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		skb->mark = 0x42;
		__sync_fetch_and_add(&ipv4_seen, 1);
	}
	skb->priority = skb->len > 512 ? 1 : 0;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
