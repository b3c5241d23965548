// A kprobe program with a large stack frame and a subprogram: tracing programs whose
// frames reach 64 bytes run on a per-CPU private stack (r10 maps to r9, set up in the
// prologue; r9 is saved around calls).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __noinline int fill(volatile char *buf, int n)
{
	for (int i = 0; i < n; i++)
		buf[i] = i;
	return buf[n - 1];
}

SEC("kprobe/do_nanosleep")
int priv_stack(void *ctx)
{
	volatile char buf[96];

	return fill(buf, 96) + bpf_get_prandom_u32();
}

char LICENSE[] SEC("license") = "GPL";
