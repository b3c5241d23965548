// socket filter: ARRAY_OF_MAPS with an inner ARRAY template and a static slot
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} inner0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = {
	.values = { [0] = &inner0 },
};

SEC("socket")
int map_in_map(struct __sk_buff *skb)
{
	__u32 slot = 0, k = 1;
	__u64 *v;
	void *m = bpf_map_lookup_elem(&outer, &slot);

	if (!m)
		return 0;
	v = bpf_map_lookup_elem(m, &k);
	if (!v)
		return 0;
	*v += 1;
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
