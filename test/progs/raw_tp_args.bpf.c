// raw tracepoint: read the raw u64 arguments
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 last_id = 0;

SEC("raw_tp/sys_enter")
int raw_tp_args(struct bpf_raw_tracepoint_args *ctx)
{
	last_id = ctx->args[1];
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
