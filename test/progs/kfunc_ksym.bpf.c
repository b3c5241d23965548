// tp_btf: a kfunc pair (bpf_task_acquire / bpf_task_release), a weak kfunc the kernel
// does not have, and a typed per-CPU ksym; libbpf resolves them against the kernel BTF
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpfplay_no_such_kfunc(void) __ksym __weak;
extern const struct rq runqueues __ksym;

__u64 switches = 0;

SEC("tp_btf/sched_switch")
int BPF_PROG(kfunc_ksym, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *t = bpf_task_acquire(next);
	struct rq *rq = bpf_this_cpu_ptr(&runqueues);

	if (bpfplay_no_such_kfunc)
		bpfplay_no_such_kfunc();
	if (t) {
		switches += rq->nr_running;
		bpf_task_release(t);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
