// raw tracepoint: CO-RE against local type definitions that differ from the kernel's:
// fields at other offsets and of other sizes, a ___flavour of task_struct with a field
// the kernel no longer has (guarded by bpf_core_field_exists, so its read is poisoned
// but dead), bitfields, enum values by name, type existence/size/ids/matching, and a
// member reached through the kernel's anonymous unions in sk_buff
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define __pai __attribute__((preserve_access_index))

struct mm_struct {
	unsigned long total_vm;
} __pai;

struct task_struct {
	unsigned int flags;
	int pid;
	int tgid;
	unsigned int sched_reset_on_fork: 1;
	unsigned int sched_contributes_to_load: 1;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	char comm[16];
} __pai;

struct task_struct___old {
	long state;
	int pid;
} __pai;

struct net_device {
	int ifindex;
} __pai;

struct sk_buff {
	unsigned int len;
	struct net_device *dev;
} __pai;

enum pid_type___local {
	PIDTYPE_SID = 7,
	PIDTYPE_TGID = 8,
	PIDTYPE_GONE = 9,
};

struct bpfplay_no_such_type {
	int x;
} __pai;

__u64 out[24];

SEC("raw_tp/sched_process_fork")
int core_flavors(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_struct___old *old = (void *)t;
	struct sk_buff *skb = (void *)ctx;

	out[0] = BPF_CORE_READ(t, real_parent, tgid);
	out[1] = BPF_CORE_READ(t, pid);
	out[2] = BPF_CORE_READ(t, mm, total_vm);
	{
		/* BPF_CORE_READ_BITFIELD_PROBED, spelled out */
		unsigned long long v = 0;

		bpf_probe_read_kernel(&v, __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_BYTE_SIZE),
				      (void *)t + __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_BYTE_OFFSET));
		v <<= __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_LSHIFT_U64);
		v >>= __builtin_preserve_field_info(t->sched_reset_on_fork, BPF_FIELD_RSHIFT_U64);
		out[3] = v;
	}
	out[4] = bpf_core_field_size(t->comm);
	out[5] = bpf_core_field_offset(t->tgid);
	out[6] = bpf_core_field_exists(old->state);
	if (bpf_core_field_exists(old->state))
		out[7] = BPF_CORE_READ(old, state);
	out[8] = bpf_core_type_exists(struct bpfplay_no_such_type);
	out[9] = bpf_core_type_size(struct task_struct);
	out[10] = bpf_core_type_id_kernel(struct task_struct);
	out[11] = bpf_core_type_id_local(struct mm_struct);
	out[12] = bpf_core_type_matches(struct mm_struct);
	out[13] = bpf_core_enum_value(enum pid_type___local, PIDTYPE_SID);
	out[14] = bpf_core_enum_value(enum pid_type___local, PIDTYPE_TGID);
	out[15] = bpf_core_enum_value_exists(enum pid_type___local, PIDTYPE_GONE);
	out[16] = __builtin_preserve_field_info(t->pid, BPF_FIELD_SIGNED);
	out[17] = __builtin_preserve_field_info(t->sched_contributes_to_load, BPF_FIELD_LSHIFT_U64);
	out[18] = __builtin_preserve_field_info(t->sched_contributes_to_load, BPF_FIELD_RSHIFT_U64);
	out[19] = bpf_core_field_offset(skb->dev);
	out[20] = bpf_core_field_exists(t->comm[3]);
	out[21] = bpf_core_type_exists(struct task_struct___old);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
