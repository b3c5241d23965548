// socket filter: maps in the legacy "maps" section (struct bpf_map_def), as libbpf
// before 1.0 and bcc read them; libbpf 1.0+ refuses such objects
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 4,
};

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 64,
	.map_flags = BPF_F_NO_PREALLOC,
};

SEC("socket")
int legacy_maps(struct __sk_buff *skb)
{
	__u32 k = skb->len & 3, one = 1;
	__u64 *v = bpf_map_lookup_elem(&legacy_counts, &k);

	if (v)
		*v += 1;
	bpf_map_update_elem(&legacy_hash, &k, &one, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
