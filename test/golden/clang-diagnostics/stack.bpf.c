#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp")
int prog(struct xdp_md *ctx)
{
	volatile char big[600];
	big[ctx->data & 511] = 1;
	return big[3];
}
