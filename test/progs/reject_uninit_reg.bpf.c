// REJECTED: reads a register that was never written (r2), in inline assembly
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
__attribute__((naked)) int reject_uninit_reg(void)
{
	asm volatile("r0 = r2; exit;");
}

char LICENSE[] SEC("license") = "GPL";
