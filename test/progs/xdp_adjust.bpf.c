// xdp: push 4 bytes in front of the packet, write a marker, trim 2 bytes at the tail
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_adjust(struct xdp_md *ctx)
{
	void *data, *data_end;
	__u32 *marker;

	if (bpf_xdp_adjust_head(ctx, -4))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	marker = data;
	if ((void *)(marker + 1) > data_end)
		return XDP_ABORTED;
	*marker = 0xfeedf00d;
	if (bpf_xdp_adjust_tail(ctx, -2))
		return XDP_ABORTED;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
