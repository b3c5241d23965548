// Header macros, compiled with bpfplay's and with Debian's headers: the instructions must agree.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

__u64 out[16];

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(five_args, int dfd, const char *name, void *how, long a4, long a5)
{
	out[0] = dfd + a4 + a5;
	bpf_printk("five %d %ld %ld %p %p", dfd, a4, a5, name, how);
	bpf_printk("none");
	return 0;
}

SEC("kretprobe/do_sys_openat2")
int BPF_KRETPROBE(ret_probe, long ret)
{
	out[1] = ret;
	return 0;
}

SEC("fentry/do_unlinkat")
int BPF_PROG(fentry_prog, int dfd, struct filename *name)
{
	out[2] = dfd;
	return 0;
}

SEC("ksyscall/openat")
int BPF_KSYSCALL(sys_openat, int dfd, const char *path, int flags, int mode)
{
	out[3] = dfd + flags + mode;
	return 0;
}

SEC("raw_tp/sched_process_fork")
int core_reads(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	char comm[16];

	out[4] = BPF_CORE_READ(t, real_parent, real_parent, mm, mmap_base);
	out[5] = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	out[6] = bpf_core_field_exists(struct task_struct, loginuid);
	out[7] = bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_ARENA);
	out[8] = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_ARENA);
	out[9] = bpf_core_type_matches(struct task_struct);
	BPF_CORE_READ_INTO(&out[10], t, mm, total_vm);
	bpf_core_read_str(comm, sizeof(comm), &t->comm);
	out[11] = comm[0] + PT_REGS_PARM1_CORE((struct pt_regs *)ctx);
	out[12] = bpf_ntohl((__u32)out[11]) + bpf_htons((__u16)out[10]) + bpf_cpu_to_be64(out[9]);
	out[13] = bpf_htonl(0x01020304) + bpf_ntohs(0x0102);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
