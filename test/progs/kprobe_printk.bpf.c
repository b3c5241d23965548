// kprobe: hello world with bpf_printk and the BPF_KPROBE argument macro
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(kprobe_printk, int dfd, void *name)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;

	bpf_printk("do_unlinkat pid=%d dfd=%d", pid, dfd);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
