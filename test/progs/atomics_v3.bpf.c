// socket filter, -mcpu=v3: fetch-and-op, exchange and compare-exchange on globals
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 total = 0;
__u32 flags32 = 0;
__u64 owner = 0;

SEC("socket")
int atomics_v3(struct __sk_buff *skb)
{
	__u64 before = __sync_fetch_and_add(&total, skb->len);
	__u32 old = __sync_fetch_and_or(&flags32, 1u << (skb->len & 31));
	__u64 prev = __sync_val_compare_and_swap(&owner, 0, 42);

	__sync_fetch_and_xor(&flags32, 2);
	__atomic_exchange_n(&owner, before, __ATOMIC_SEQ_CST);
	return (int)(old + prev);
}

char LICENSE[] SEC("license") = "GPL";
