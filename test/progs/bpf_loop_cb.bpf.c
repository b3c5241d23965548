// socket filter: bpf_loop with a callback accumulating into a context struct
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct acc {
	__u64 sum;
	__u32 limit;
};

static long add_one(__u32 index, void *data)
{
	struct acc *a = data;

	a->sum += index;
	return a->sum > a->limit ? 1 : 0;
}

SEC("socket")
int bpf_loop_cb(struct __sk_buff *skb)
{
	struct acc a = { .sum = 0, .limit = 1000 };

	bpf_loop(100, add_one, &a, 0);
	return (int)a.sum;
}

char LICENSE[] SEC("license") = "GPL";
