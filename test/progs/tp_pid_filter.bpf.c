// tracepoint: like libbpf-bootstrap's minimal, a global pid filter set before load
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile int target_pid = 0;
int hits = 0;

SEC("tp/syscalls/sys_enter_write")
int tp_pid_filter(void *ctx)
{
	int pid = bpf_get_current_pid_tgid() >> 32;

	if (target_pid && pid != target_pid)
		return 0;
	hits++;
	bpf_printk("write from pid %d", pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
