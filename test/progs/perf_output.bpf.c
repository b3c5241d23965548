// socket filter: report each packet's length through a PERF_EVENT_ARRAY
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} pkt_events SEC(".maps");

SEC("socket")
int perf_output(struct __sk_buff *skb)
{
	__u32 len = skb->len;

	bpf_perf_event_output(skb, &pkt_events, BPF_F_CURRENT_CPU, &len, sizeof(len));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
