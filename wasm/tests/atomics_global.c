// FLAGS: -mcpu=v3
// Atomic read-modify-write on globals (.bss/.data) and on a map value.
#include "testbpf.h"

__u64 packets = 0;
__u64 bytes = 0;
__u32 last_len = 7;
__s64 min_seen = 0x7fffffffffffffffLL;

SEC("xdp")
int atomics(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u64 prev, old;

	__sync_fetch_and_add(&packets, 1);
	prev = __sync_fetch_and_add(&bytes, len);
	__atomic_exchange_n(&last_len, len, __ATOMIC_SEQ_CST);
	__sync_fetch_and_or(&packets, 0);
	__sync_fetch_and_and(&bytes, ~0ULL);
	__sync_fetch_and_xor(&bytes, 0);

	old = min_seen;
	if ((__s64)len < (__s64)old)
		__sync_val_compare_and_swap(&min_seen, old, (__s64)len);

	return prev > (1ULL << 40) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
