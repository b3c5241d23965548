#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "inc.h"

SEC("xdp")
int prog(struct xdp_md *ctx)
{
	int unused;
	char big[600];
	__builtin_memset(big, 1, sizeof(big));
	return undeclared_var + (int)big[ctx->data & 7] + helper_in_h(1, 2);
}
