// socket filter: QUEUE and STACK maps (push, pop, peek)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 8);
} fifo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(value_size, sizeof(__u32));
	__uint(max_entries, 8);
} lifo SEC(".maps");

SEC("socket")
int queue_stack(struct __sk_buff *skb)
{
	__u32 v = skb->len, out = 0, top = 0;

	bpf_map_push_elem(&fifo, &v, BPF_ANY);
	bpf_map_push_elem(&lifo, &v, BPF_ANY);
	v += 1;
	bpf_map_push_elem(&lifo, &v, BPF_ANY);
	bpf_map_peek_elem(&lifo, &top);
	bpf_map_pop_elem(&fifo, &out);
	return out + top;
}

char LICENSE[] SEC("license") = "GPL";
