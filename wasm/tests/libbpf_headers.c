// REQUIRES: /usr/include/bpf/bpf_helpers.h /usr/include/linux/bpf.h
// FLAGS: -I/usr/include/x86_64-linux-gnu
// The same program written against Debian's libbpf-dev and linux-libc-dev
// headers (skipped when they are absent): headers read through WASI.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

SEC("xdp")
int count_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key;
	__u64 *v;

	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	key = eth->h_proto == bpf_htons(ETH_P_IP);
	v = bpf_map_lookup_elem(&counters, &key);
	if (v)
		*v += 1;
	bpf_printk("proto %x", bpf_ntohs(eth->h_proto));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
