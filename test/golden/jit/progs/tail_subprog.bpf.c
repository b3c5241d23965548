// A tail call from a subprogram (needs BTF func info, hence C): the main program and
// the subprogram are tail_call_reachable, so the main program keeps the tail-call
// counter on its stack and loads its address into rax before every bpf-to-bpf call.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} jt SEC(".maps");

static __noinline int try_tail(struct __sk_buff *skb, __u32 slot)
{
	volatile __u64 spill = slot;

	bpf_tail_call(skb, &jt, slot);
	return spill + 1;
}

static __noinline int plain(int x)
{
	return x * 3;
}

SEC("socket")
int tail_subprog(struct __sk_buff *skb)
{
	int a = try_tail(skb, skb->len & 3);

	return plain(a) + try_tail(skb, 2);
}

char LICENSE[] SEC("license") = "GPL";
