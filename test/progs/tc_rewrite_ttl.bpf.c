// tc: decrement the IPv4 TTL and fix the checksum with skb helpers
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <stddef.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define IP_OFF (sizeof(struct ethhdr))
#define TTL_OFF (IP_OFF + offsetof(struct iphdr, ttl))
#define CSUM_OFF (IP_OFF + offsetof(struct iphdr, check))

SEC("tc")
int tc_rewrite_ttl(struct __sk_buff *skb)
{
	__u8 ttl, new_ttl;
	__u16 old, new;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, TTL_OFF, &ttl, 1))
		return TC_ACT_SHOT;
	if (ttl <= 1)
		return TC_ACT_SHOT;
	new_ttl = ttl - 1;
	old = bpf_htons((__u16)ttl << 8);
	new = bpf_htons((__u16)new_ttl << 8);
	bpf_l3_csum_replace(skb, CSUM_OFF, old, new, 2);
	bpf_skb_store_bytes(skb, TTL_OFF, &new_ttl, 1, 0);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
