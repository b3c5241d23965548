// xdp: a bounded loop over the first 64 packet bytes (verifier bounded-loop support)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = (void *)(long)ctx->data;
	__u32 sum = 0;

#pragma clang loop unroll(disable)
	for (int i = 0; i < 64; i++) {
		if ((void *)(p + i + 1) > data_end)
			break;
		sum += p[i];
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
