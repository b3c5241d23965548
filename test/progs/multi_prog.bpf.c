// several programs sharing .text subprograms: each program gets its own copy of the
// functions it calls, appended in order of first call, depth first; a callback passed
// to bpf_loop; a hidden global (libbpf marks its BTF static); a program in "?tc"
// (libbpf does not load it unless asked); .rodata strings used by two programs
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

int counter = 0;

static __noinline __u32 leaf(__u32 x)
{
	return x ^ 0x5a;
}

static __noinline __u32 first(__u32 x)
{
	return leaf(x) + 1;
}

static __noinline __u32 second(__u32 x)
{
	return leaf(x + 2) * 3;
}

__attribute__((visibility("hidden"))) __noinline int hidden_global(int v)
{
	return v > 10 ? v : 10;
}

static long step(__u32 i, void *ctx)
{
	counter += i;
	return 0;
}

SEC("socket")
int prog_a(struct __sk_buff *skb)
{
	__u32 v = first(skb->len) + second(skb->len);

	bpf_printk("a %u", v);
	return hidden_global(v);
}

SEC("socket")
int prog_b(struct __sk_buff *skb)
{
	__u32 v = second(skb->protocol) - first(skb->len);

	bpf_loop(4, step, 0, 0);
	bpf_printk("b %u", v);
	return v;
}

SEC("tc")
int prog_c(struct __sk_buff *skb)
{
	return leaf(skb->mark) ? TC_ACT_OK : TC_ACT_SHOT;
}

SEC("?tc")
int prog_off(struct __sk_buff *skb)
{
	return first(skb->mark);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
