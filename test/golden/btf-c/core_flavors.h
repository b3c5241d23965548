#ifndef __VMLINUX_H__
#define __VMLINUX_H__

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)
#endif

struct mm_struct;

struct task_struct {
	unsigned int flags;
	int pid;
	int tgid;
	unsigned int sched_reset_on_fork: 1;
	unsigned int sched_contributes_to_load: 1;
	struct task_struct *real_parent;
	struct mm_struct *mm;
	char comm[16];
};

struct mm_struct {
	unsigned long total_vm;
};

struct task_struct___old {
	long state;
	int pid;
};

struct bpfplay_no_such_type {
	int x;
};

enum pid_type___local {
	PIDTYPE_SID = 7,
	PIDTYPE_TGID = 8,
	PIDTYPE_GONE = 9,
};

struct net_device;

struct sk_buff {
	unsigned int len;
	struct net_device *dev;
};

typedef unsigned long long __u64;

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* __VMLINUX_H__ */
