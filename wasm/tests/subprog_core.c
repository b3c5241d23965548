// A non-inlined subprogram, read-only data, and CO-RE field relocations
// (exercises .BTF.ext func_info, line_info and core_relo records).
#include "testbpf.h"

struct task_struct {
	int pid;
	int tgid;
	struct task_struct *real_parent;
	char comm[16];
} __attribute__((preserve_access_index));

static __u64 (*bpf_get_current_task)(void) = (void *)35;

const char names[4][8] = { "zero", "one", "two", "three" };

static __noinline int classify(int pid)
{
	if (pid < 100)
		return 0;
	if (pid < 1000)
		return 1;
	return pid & 1 ? 2 : 3;
}

SEC("kprobe/wake_up_new_task")
int on_new_task(struct pt_regs *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct task_struct *parent;
	int ppid = 0;
	int kind;

	bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent);
	bpf_probe_read_kernel(&ppid, sizeof(ppid), &parent->tgid);
	kind = classify(ppid);
	bpf_printk("parent %d is %s", ppid, names[kind & 3]);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
