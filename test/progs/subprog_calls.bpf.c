// tc: static and global non-inlined functions (bpf-to-bpf calls)
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

static __noinline __u32 square(__u32 x)
{
	return x * x;
}

__noinline int clamp_len(int len)
{
	if (len > 1500)
		return 1500;
	return len;
}

static __noinline __u32 mix(__u32 a, __u32 b)
{
	return square(a) + square(b) + 1;
}

SEC("tc")
int subprog_calls(struct __sk_buff *skb)
{
	__u32 v = mix(skb->len & 0xff, skb->protocol & 0xf);

	skb->mark = v;
	return clamp_len(skb->len) > 100 ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
