// FLAGS: -mcpu=v4
// Instructions only cpu v4 has: sign-extending loads and moves, signed
// division and modulo, byte swaps, and (with a long body) jumps.
#include "testbpf.h"

__s8 small = -3;
__s16 medium = -300;
__s32 large = -70000;
__s64 out_ld, out_q, out_r, out_sx8, out_sx16, out_sx32;
__u64 out_swap16, out_swap32, out_swap64;

SEC("xdp")
int v4_ops(struct xdp_md *ctx)
{
	__s64 len = (__s64)(ctx->data_end - ctx->data) - 1000;
	__s64 sum = small + medium + large;
	__s32 r32 = (__s32)len;

	out_ld = *(volatile __s8 *)&small + *(volatile __s16 *)&medium;
	out_q = sum / (len | 1);
	out_r = sum % (len | 3);
	out_sx8 = (__s8)len;
	out_sx16 = (__s16)len;
	out_sx32 = (__s32)len;
	out_swap16 = __builtin_bswap16((__u16)len);
	out_swap32 = __builtin_bswap32((__u32)len);
	out_swap64 = __builtin_bswap64((__u64)len);
	return (r32 / -7) & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
