// socket filter: .data, .bss, .rodata and a custom .data.stats section
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 min_len = 64;
const char greeting[] = "hello";
__u64 packets = 0;
__u64 long_packets = 7;
__u32 stats[4] SEC(".data.stats") = { 1, 2, 3, 4 };

SEC("socket")
int globals(struct __sk_buff *skb)
{
	packets++;
	if (skb->len >= min_len)
		long_packets++;
	stats[skb->len & 3] += greeting[1];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
