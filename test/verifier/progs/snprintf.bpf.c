// socket: bpf_snprintf with a constant format string, written to the stack
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char out[32];

SEC("socket")
int snprintf_prog(struct __sk_buff *skb)
{
	static const char fmt[] = "len=%u proto=%u";
	__u64 args[2] = { skb->len, skb->protocol };

	bpf_snprintf(out, sizeof(out), fmt, args, sizeof(args));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
