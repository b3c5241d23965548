/* bpfplay: the register set perf_event programs see (x86-64). */
#ifndef __BPFPLAY_ASM_BPF_PERF_EVENT_H
#define __BPFPLAY_ASM_BPF_PERF_EVENT_H
#include <asm/ptrace.h>
typedef struct pt_regs bpf_user_pt_regs_t;
#endif
