/* bpfplay: the context of perf_event programs (<linux/bpf_perf_event.h>). */
#ifndef __BPFPLAY_LINUX_BPF_PERF_EVENT_H
#define __BPFPLAY_LINUX_BPF_PERF_EVENT_H
#include <linux/types.h>
#include <asm/bpf_perf_event.h>

struct bpf_perf_event_data {
	bpf_user_pt_regs_t regs;
	__u64 sample_period;
	__u64 addr;
};
#endif
