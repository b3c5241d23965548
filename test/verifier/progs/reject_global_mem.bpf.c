// tc: a global function reads past the single byte its `const unsigned char *` argument
// promises (BTF sizes the memory by the pointee); spin lock and strtol around it
// value, bpf_strtol on a stack string
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	struct bpf_spin_lock lock;
	__u32 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct val);
} counters SEC(".maps");

__noinline int sum_bytes(const unsigned char *p, int n)
{
	int s = 0;

	if (!p)
		return 0;
	for (int i = 0; i < 8 && i < n; i++)
		s += p[i];
	return s;
}

__noinline int pkt_len(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("tc")
int reject_global_mem(struct __sk_buff *skb)
{
	unsigned char buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	char num[4] = "42";
	long parsed = 0;
	__u32 key = 0;
	struct val *v;
	int s = sum_bytes(buf, 8) + pkt_len(skb);

	bpf_strtol(num, sizeof(num), 10, &parsed);
	v = bpf_map_lookup_elem(&counters, &key);
	if (v) {
		bpf_spin_lock(&v->lock);
		v->count += s + parsed;
		bpf_spin_unlock(&v->lock);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
