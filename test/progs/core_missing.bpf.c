// raw tracepoint: a CO-RE read of a field the kernel does not have, not guarded: libbpf
// poisons the load (call 0xbad2310) and the verifier rejects the program there
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct {
	long state;
	int pid;
} __attribute__((preserve_access_index));

__u64 last_state;

SEC("raw_tp/sched_process_exit")
int core_missing(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();

	last_state = BPF_CORE_READ(t, state);
	return BPF_CORE_READ(t, pid);
}

char LICENSE[] SEC("license") = "GPL";
