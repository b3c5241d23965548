/* bpfplay: <linux/ptrace.h> for BPF programs: the x86-64 struct pt_regs. */
#ifndef __BPFPLAY_LINUX_PTRACE_H
#define __BPFPLAY_LINUX_PTRACE_H
#include <linux/types.h>
#include <asm/ptrace.h>
#endif
