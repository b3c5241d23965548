/*
 * bpfplay: <bpf/bpf_tracing.h> for x86-64 (the architecture bpfplay emulates): reading
 * probe arguments from struct pt_regs, and the BPF_KPROBE / BPF_KRETPROBE / BPF_PROG /
 * BPF_KSYSCALL wrappers that give programs named, typed arguments. Same names and
 * meaning as libbpf's header.
 */
#ifndef __BPFPLAY_BPF_TRACING_H
#define __BPFPLAY_BPF_TRACING_H

#include "bpf_helpers.h"

#if !defined(__TARGET_ARCH_x86) && (defined(__TARGET_ARCH_arm64) || defined(__TARGET_ARCH_s390) || \
	defined(__TARGET_ARCH_arm) || defined(__TARGET_ARCH_mips) || defined(__TARGET_ARCH_powerpc) || \
	defined(__TARGET_ARCH_sparc) || defined(__TARGET_ARCH_riscv) || defined(__TARGET_ARCH_loongarch))
#error "bpfplay emulates x86-64 only: build with -D__TARGET_ARCH_x86 (the default)"
#endif
#define bpf_target_x86
#define bpf_target_defined

/*
 * Register names: vmlinux.h (and the kernel) call them di, si, ...; the UAPI
 * <asm/ptrace.h> calls them rdi, rsi, ...
 */
#if defined(__KERNEL__) || defined(__VMLINUX_H__)
#define __PT_PARM1_REG di
#define __PT_PARM2_REG si
#define __PT_PARM3_REG dx
#define __PT_PARM4_REG cx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_PARM4_SYSCALL_REG r10
#define __PT_RET_REG sp
#define __PT_FP_REG bp
#define __PT_RC_REG ax
#define __PT_SP_REG sp
#define __PT_IP_REG ip
#else
#define __PT_PARM1_REG rdi
#define __PT_PARM2_REG rsi
#define __PT_PARM3_REG rdx
#define __PT_PARM4_REG rcx
#define __PT_PARM5_REG r8
#define __PT_PARM6_REG r9
#define __PT_PARM4_SYSCALL_REG r10
#define __PT_RET_REG rsp
#define __PT_FP_REG rbp
#define __PT_RC_REG rax
#define __PT_SP_REG rsp
#define __PT_IP_REG rip
#endif

struct pt_regs;
#define __PT_REGS_CAST(x) (x)

#define PT_REGS_PARM1(x) (__PT_REGS_CAST(x)->__PT_PARM1_REG)
#define PT_REGS_PARM2(x) (__PT_REGS_CAST(x)->__PT_PARM2_REG)
#define PT_REGS_PARM3(x) (__PT_REGS_CAST(x)->__PT_PARM3_REG)
#define PT_REGS_PARM4(x) (__PT_REGS_CAST(x)->__PT_PARM4_REG)
#define PT_REGS_PARM5(x) (__PT_REGS_CAST(x)->__PT_PARM5_REG)
#define PT_REGS_PARM6(x) (__PT_REGS_CAST(x)->__PT_PARM6_REG)
#define PT_REGS_RET(x) (__PT_REGS_CAST(x)->__PT_RET_REG)
#define PT_REGS_FP(x) (__PT_REGS_CAST(x)->__PT_FP_REG)
#define PT_REGS_RC(x) (__PT_REGS_CAST(x)->__PT_RC_REG)
#define PT_REGS_SP(x) (__PT_REGS_CAST(x)->__PT_SP_REG)
#define PT_REGS_IP(x) (__PT_REGS_CAST(x)->__PT_IP_REG)

#define PT_REGS_PARM1_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM1_REG)
#define PT_REGS_PARM2_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM2_REG)
#define PT_REGS_PARM3_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM3_REG)
#define PT_REGS_PARM4_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM4_REG)
#define PT_REGS_PARM5_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM5_REG)
#define PT_REGS_PARM6_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM6_REG)
#define PT_REGS_RC_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_RC_REG)
#define PT_REGS_IP_CORE(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_IP_REG)

/* Syscall arguments: the 4th is in r10 (the syscall ABI), the rest as for functions. */
#define PT_REGS_PARM1_SYSCALL(x) PT_REGS_PARM1(x)
#define PT_REGS_PARM2_SYSCALL(x) PT_REGS_PARM2(x)
#define PT_REGS_PARM3_SYSCALL(x) PT_REGS_PARM3(x)
#define PT_REGS_PARM4_SYSCALL(x) (__PT_REGS_CAST(x)->__PT_PARM4_SYSCALL_REG)
#define PT_REGS_PARM5_SYSCALL(x) PT_REGS_PARM5(x)
#define PT_REGS_PARM6_SYSCALL(x) PT_REGS_PARM6(x)
#define PT_REGS_PARM1_CORE_SYSCALL(x) PT_REGS_PARM1_CORE(x)
#define PT_REGS_PARM2_CORE_SYSCALL(x) PT_REGS_PARM2_CORE(x)
#define PT_REGS_PARM3_CORE_SYSCALL(x) PT_REGS_PARM3_CORE(x)
#define PT_REGS_PARM4_CORE_SYSCALL(x) BPF_CORE_READ(__PT_REGS_CAST(x), __PT_PARM4_SYSCALL_REG)
#define PT_REGS_PARM5_CORE_SYSCALL(x) PT_REGS_PARM5_CORE(x)
#define PT_REGS_PARM6_CORE_SYSCALL(x) PT_REGS_PARM6_CORE(x)

/* Syscall wrappers on x86-64 receive the user registers as their one argument. */
#define PT_REGS_SYSCALL_REGS(ctx) ((struct pt_regs *)PT_REGS_PARM1(ctx))

/* Where a function returns to, for kprobes placed on entry. */
#define BPF_KPROBE_READ_RET_IP(ip, ctx) ({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)PT_REGS_RET(ctx)); })
#define BPF_KRETPROBE_READ_RET_IP(ip, ctx) ({ bpf_probe_read_kernel(&(ip), sizeof(ip), (void *)(PT_REGS_FP(ctx) + sizeof(ip))); })

/* Argument lists: ___bpf_ctxN(ctx, args) expands to the N register reads, casted. */
#define ___bpf_kp_args0() ctx
#define ___bpf_kp_args1(x) ___bpf_kp_args0(), (void *)PT_REGS_PARM1(ctx)
#define ___bpf_kp_args2(x, args...) ___bpf_kp_args1(args), (void *)PT_REGS_PARM2(ctx)
#define ___bpf_kp_args3(x, args...) ___bpf_kp_args2(args), (void *)PT_REGS_PARM3(ctx)
#define ___bpf_kp_args4(x, args...) ___bpf_kp_args3(args), (void *)PT_REGS_PARM4(ctx)
#define ___bpf_kp_args5(x, args...) ___bpf_kp_args4(args), (void *)PT_REGS_PARM5(ctx)
#define ___bpf_kp_args6(x, args...) ___bpf_kp_args5(args), (void *)PT_REGS_PARM6(ctx)
#define ___bpf_kprobe_args(args...) ___bpf_apply(___bpf_kp_args, ___bpf_narg(args))(args)

/*
 * SEC("kprobe/f") int BPF_KPROBE(name, int a, char *b) { ... } defines `name(struct
 * pt_regs *ctx)` that reads the arguments from the registers and calls the body with them.
 */
#define BPF_KPROBE(name, args...) \
name(struct pt_regs *ctx); \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args); \
typeof(name(0)) name(struct pt_regs *ctx) \
{ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	return ____##name(___bpf_kprobe_args(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args)

#define ___bpf_kretprobe_args0() ctx
#define ___bpf_kretprobe_args1(x) ___bpf_kretprobe_args0(), (void *)PT_REGS_RC(ctx)
#define ___bpf_kretprobe_args(args...) ___bpf_apply(___bpf_kretprobe_args, ___bpf_narg(args))(args)

/* SEC("kretprobe/f") int BPF_KRETPROBE(name, int ret) { ... } */
#define BPF_KRETPROBE(name, args...) \
name(struct pt_regs *ctx); \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args); \
typeof(name(0)) name(struct pt_regs *ctx) \
{ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	return ____##name(___bpf_kretprobe_args(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args)

#define BPF_UPROBE(name, args...) BPF_KPROBE(name, ##args)
#define BPF_URETPROBE(name, args...) BPF_KRETPROBE(name, ##args)

/*
 * Syscall arguments. With syscall wrappers (CONFIG_ARCH_HAS_SYSCALL_WRAPPER, x86-64's
 * case) the probed function receives a pointer to the user registers, which must be
 * read with CO-RE; without them the registers are the probe's own.
 */
#define ___bpf_sc_args0() ctx
#define ___bpf_sc_args1(x) ___bpf_sc_args0(), (void *)PT_REGS_PARM1_SYSCALL(regs)
#define ___bpf_sc_args2(x, args...) ___bpf_sc_args1(args), (void *)PT_REGS_PARM2_SYSCALL(regs)
#define ___bpf_sc_args3(x, args...) ___bpf_sc_args2(args), (void *)PT_REGS_PARM3_SYSCALL(regs)
#define ___bpf_sc_args4(x, args...) ___bpf_sc_args3(args), (void *)PT_REGS_PARM4_SYSCALL(regs)
#define ___bpf_sc_args5(x, args...) ___bpf_sc_args4(args), (void *)PT_REGS_PARM5_SYSCALL(regs)
#define ___bpf_syscall_args(args...) ___bpf_apply(___bpf_sc_args, ___bpf_narg(args))(args)

#define ___bpf_sw_args0() ctx
#define ___bpf_sw_args1(x) ___bpf_sw_args0(), (void *)PT_REGS_PARM1_CORE_SYSCALL(regs)
#define ___bpf_sw_args2(x, args...) ___bpf_sw_args1(args), (void *)PT_REGS_PARM2_CORE_SYSCALL(regs)
#define ___bpf_sw_args3(x, args...) ___bpf_sw_args2(args), (void *)PT_REGS_PARM3_CORE_SYSCALL(regs)
#define ___bpf_sw_args4(x, args...) ___bpf_sw_args3(args), (void *)PT_REGS_PARM4_CORE_SYSCALL(regs)
#define ___bpf_sw_args5(x, args...) ___bpf_sw_args4(args), (void *)PT_REGS_PARM5_CORE_SYSCALL(regs)
#define ___bpf_syswrap_args(args...) ___bpf_apply(___bpf_sw_args, ___bpf_narg(args))(args)

/* SEC("ksyscall/openat") int BPF_KSYSCALL(name, int dfd, const char *path) { ... } */
#define BPF_KSYSCALL(name, args...) \
name(struct pt_regs *ctx); \
extern _Bool LINUX_HAS_SYSCALL_WRAPPER __kconfig; \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args); \
typeof(name(0)) name(struct pt_regs *ctx) \
{ \
	struct pt_regs *regs = LINUX_HAS_SYSCALL_WRAPPER ? (struct pt_regs *)PT_REGS_PARM1(ctx) : ctx; \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	if (LINUX_HAS_SYSCALL_WRAPPER) \
		return ____##name(___bpf_syswrap_args(args)); \
	else \
		return ____##name(___bpf_syscall_args(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(struct pt_regs *ctx, ##args)
#define BPF_KPROBE_SYSCALL BPF_KSYSCALL

/* BTF-typed programs (tp_btf, fentry, fexit, lsm): arguments are u64s in the context. */
#define ___bpf_ctx_args0() ctx
#define ___bpf_ctx_args1(x) ___bpf_ctx_args0(), (void *)ctx[0]
#define ___bpf_ctx_args2(x, args...) ___bpf_ctx_args1(args), (void *)ctx[1]
#define ___bpf_ctx_args3(x, args...) ___bpf_ctx_args2(args), (void *)ctx[2]
#define ___bpf_ctx_args4(x, args...) ___bpf_ctx_args3(args), (void *)ctx[3]
#define ___bpf_ctx_args5(x, args...) ___bpf_ctx_args4(args), (void *)ctx[4]
#define ___bpf_ctx_args6(x, args...) ___bpf_ctx_args5(args), (void *)ctx[5]
#define ___bpf_ctx_args7(x, args...) ___bpf_ctx_args6(args), (void *)ctx[6]
#define ___bpf_ctx_args8(x, args...) ___bpf_ctx_args7(args), (void *)ctx[7]
#define ___bpf_ctx_args9(x, args...) ___bpf_ctx_args8(args), (void *)ctx[8]
#define ___bpf_ctx_args10(x, args...) ___bpf_ctx_args9(args), (void *)ctx[9]
#define ___bpf_ctx_args11(x, args...) ___bpf_ctx_args10(args), (void *)ctx[10]
#define ___bpf_ctx_args12(x, args...) ___bpf_ctx_args11(args), (void *)ctx[11]
#define ___bpf_ctx_args(args...) ___bpf_apply(___bpf_ctx_args, ___bpf_narg(args))(args)

/* SEC("fentry/f") int BPF_PROG(name, int a, struct sk_buff *skb) { ... } */
#define BPF_PROG(name, args...) \
name(unsigned long long *ctx); \
static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args); \
typeof(name(0)) name(unsigned long long *ctx) \
{ \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	return ____##name(___bpf_ctx_args(args)); \
	_Pragma("GCC diagnostic pop") \
} \
static __always_inline typeof(name(0)) ____##name(unsigned long long *ctx, ##args)

#endif
