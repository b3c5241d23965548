// xdp: a PROG_ARRAY initialised statically, and a tail call through it
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int seen = 0;

SEC("xdp")
int tail_drop(struct xdp_md *ctx)
{
	seen = 2;
	return XDP_DROP;
}

SEC("xdp")
int tail_pass(struct xdp_md *ctx)
{
	seen = 1;
	return XDP_PASS;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = {
		[0] = (void *)&tail_pass,
		[1] = (void *)&tail_drop,
	},
};

SEC("xdp")
int tail_entry(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	bpf_tail_call(ctx, &jump_table, len > 100 ? 1 : 0);
	return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";
