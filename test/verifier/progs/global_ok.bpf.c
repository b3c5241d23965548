// tc: global functions taking a struct pointer and the context, a spin lock in a map
// value, bpf_strtol on a stack string
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {
	int a;
	int b;
};

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

__noinline int add_pair(const struct pair *p)
{
	if (!p)
		return 0;
	return p->a + p->b;
}

__noinline int pkt_len(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("tc")
int global_ok(struct __sk_buff *skb)
{
	struct pair pr = { 3, 4 };
	char num[4] = "42";
	long parsed = 0;
	__u32 key = 0;
	struct val *v;
	int s = add_pair(&pr) + pkt_len(skb);

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
