// Bounded loops: one the compiler may unroll, one it must keep as a loop.
#include "testbpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} sums SEC(".maps");

static __always_inline __u32 fold(__u64 v)
{
	return (__u32)(v ^ (v >> 32));
}

SEC("xdp")
int checksum_prefix(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u64 sum = 0;
	__u32 key;
	int i;

#pragma clang loop unroll(disable)
	for (i = 0; i < 64; i++) {
		if (data + i + 1 > data_end)
			break;
		sum += data[i] * (i + 1);
	}

	for (i = 0; i < 4; i++)
		sum = (sum << 1) ^ (sum >> 7);

	key = fold(sum) & 1023;
	bpf_map_update_elem(&sums, &key, &sum, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
