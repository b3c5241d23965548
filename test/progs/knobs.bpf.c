// socket filter: const volatile knobs in .rodata set before load, a static one, a
// hidden global, .bss and .data counters, and __kconfig externs libbpf fills in
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 min_len = 60;
const volatile __u8 verbose = 0;
static const volatile __u16 port = 53;
const volatile char tag[8] = "pkt";
__attribute__((visibility("hidden"))) __u64 hidden_total = 0;
__u64 total;
__u32 ratio = 3;

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern int CONFIG_HZ __kconfig __weak;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;

SEC("socket")
int knobs(struct __sk_buff *skb)
{
	if (skb->len < min_len)
		return 0;
	total += skb->len;
	hidden_total += ratio;
	if (verbose && tag[0])
		bpf_printk("len %u port %u", skb->len, port);
	if (LINUX_KERNEL_VERSION < 0x060000 || !CONFIG_BPF_SYSCALL || CONFIG_DEFAULT_HOSTNAME[0] == '!')
		return 1;
	return CONFIG_HZ;
}

char LICENSE[] SEC("license") = "GPL";
