// socket filter, -mcpu=v4: sign-extending loads and moves, bswap, signed division
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __s64);
	__uint(max_entries, 4);
} vals SEC(".maps");

SEC("socket")
int v4_features(struct __sk_buff *skb)
{
	__u32 k = 0;
	__s64 *v = bpf_map_lookup_elem(&vals, &k);
	signed char b;
	short h;
	long q;

	if (!v)
		return 0;
	b = *(signed char *)v;
	h = *((short *)v + 1);
	q = (long)b * h;
	q = q / -3 + q % 7;
	*v = __builtin_bswap64(q) ^ (int)skb->len;
	return (int)(q >> 1);
}

char LICENSE[] SEC("license") = "GPL";
