// socket filter: BTF-defined map attributes libbpf reads: key/value as types or sizes,
// map_flags, map_extra (bloom filter hash count), numa_node, pinning by name, a
// HASH_OF_MAPS with an inner template and a statically initialised slot, and a
// ring buffer whose size libbpf rounds up to a power-of-2 number of pages
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow { __u32 saddr, daddr; __u16 sport, dport; __u8 proto; };
struct stats { __u64 packets, bytes; };

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct flow);
	__type(value, struct stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 256);
	__uint(value_size, 4);
	__uint(map_extra, 3);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(map_flags, BPF_F_NUMA_NODE);
	__uint(numa_node, 0);
} per_node SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} bpfplay_pinned SEC(".maps");

struct inner_hash {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_hash);
} tables SEC(".maps") = {
	.values = { [1] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 5000);
} events SEC(".maps");

SEC("socket")
int maps_btf(struct __sk_buff *skb)
{
	struct flow f = { .saddr = skb->len, .daddr = skb->protocol, .proto = 6 };
	struct stats *s, zero = {};
	__u32 k = 0, one = 1, *hit;
	__u64 *v;
	void *inner;

	s = bpf_map_lookup_elem(&flows, &f);
	if (!s) {
		bpf_map_update_elem(&flows, &f, &zero, BPF_NOEXIST);
		return 0;
	}
	s->packets++;
	bpf_map_push_elem(&seen, &f.saddr, 0);
	v = bpf_map_lookup_elem(&per_node, &k);
	if (v)
		*v += skb->len;
	v = bpf_map_lookup_elem(&bpfplay_pinned, &k);
	if (v)
		*v += 1;
	inner = bpf_map_lookup_elem(&tables, &one);
	if (inner) {
		hit = bpf_map_lookup_elem(inner, &k);
		if (hit)
			*hit += 1;
	}
	bpf_ringbuf_output(&events, &f, sizeof(f), 0);
	return bpf_map_lookup_elem(&inner_a, &k) ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
