// xdp: bpf_for_each_map_elem over an array with a callback, bpf_loop with a context struct
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} vals SEC(".maps");

struct bpf_map;

struct acc {
	__u64 sum;
};

static long add_one(struct bpf_map *map, __u32 *key, __u64 *val, struct acc *a)
{
	a->sum += *val;
	return *key >= 6;
}

static long step(__u32 i, struct acc *a)
{
	a->sum += i;
	return 0;
}

SEC("xdp")
int for_each(struct xdp_md *ctx)
{
	struct acc a = {};

	bpf_for_each_map_elem(&vals, add_one, &a, 0);
	bpf_loop(16, step, &a, 0);
	return a.sum & 1 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
