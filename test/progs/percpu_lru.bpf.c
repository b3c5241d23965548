// xdp: PERCPU_ARRAY and LRU_HASH maps
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} pkts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 16);
} last_len SEC(".maps");

SEC("xdp")
int percpu_lru(struct xdp_md *ctx)
{
	__u32 zero = 0, len = ctx->data_end - ctx->data;
	__u64 *p = bpf_map_lookup_elem(&pkts, &zero);

	if (p)
		*p += 1;
	bpf_map_update_elem(&last_len, &len, &len, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
