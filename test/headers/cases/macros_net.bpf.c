// Header macros and constants of networking programs, compiled with both header sets.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jumps SEC(".maps");

char buf[64];

SEC("tc")
int net_macros(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip6 + 1);

	if ((void *)(tcp + 1) > end)
		return TC_ACT_OK;
	if (eth->h_proto == bpf_htons(ETH_P_IPV6) && ip6->nexthdr == IPPROTO_TCP && tcp->syn && !tcp->ack) {
		BPF_SNPRINTF(buf, sizeof(buf), "syn to %d from %d window %d", bpf_ntohs(tcp->dest), bpf_ntohs(tcp->source), tcp->window);
		bpf_tail_call_static(skb, &jumps, 2);
	}
	bpf_skb_store_bytes(skb, 0, buf, 2, BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH);
	return bpf_redirect(skb->ifindex, BPF_F_INGRESS) == TC_ACT_REDIRECT ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
