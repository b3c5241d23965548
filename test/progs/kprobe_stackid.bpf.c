// kprobe: collect kernel stack ids in a STACK_TRACE map and count them in a HASH
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
	__uint(max_entries, 1024);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __s32);
	__type(value, __u64);
	__uint(max_entries, 1024);
} counts SEC(".maps");

SEC("kprobe/vfs_read")
int kprobe_stackid(struct pt_regs *ctx)
{
	__s32 id = bpf_get_stackid(ctx, &stacks, 0);
	__u64 one = 1, *c;

	if (id < 0)
		return 0;
	c = bpf_map_lookup_elem(&counts, &id);
	if (c)
		__sync_fetch_and_add(c, 1);
	else
		bpf_map_update_elem(&counts, &id, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
