// REJECTED: an array value indexed without a bound (value range too wide for the access)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64[8]);
	__uint(max_entries, 1);
} table SEC(".maps");

SEC("socket")
int reject_map_oob(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *row = bpf_map_lookup_elem(&table, &k);

	if (!row)
		return 0;
	return row[skb->len];
}

char LICENSE[] SEC("license") = "GPL";
