// kprobe that prints the calling pid and the first argument with bpf_printk.
#include "testbpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/do_sys_openat2")
int trace_openat2(struct pt_regs *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	int dfd = (int)ctx->di;

	if (pid == 0)
		return 0;
	bpf_printk("openat2 pid=%u dfd=%d", pid, dfd);
	return 0;
}
