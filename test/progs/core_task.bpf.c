// raw tracepoint: CO-RE reads of task_struct fields through a generated vmlinux.h
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

__u32 last_ppid = 0;
__u32 has_loginuid = 0;

SEC("raw_tp/sched_process_fork")
int core_task(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	last_ppid = BPF_CORE_READ(task, real_parent, tgid);
	has_loginuid = bpf_core_field_exists(task->loginuid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
