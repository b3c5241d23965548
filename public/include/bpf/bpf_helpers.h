/*
 * bpfplay: <bpf/bpf_helpers.h>, the everyday vocabulary of BPF C programs, with the
 * same names and meaning as libbpf's header: SEC(), BTF-defined map macros, inlining
 * attributes, bpf_printk() and the helper declarations.
 */
#ifndef __BPFPLAY_BPF_HELPERS_H
#define __BPFPLAY_BPF_HELPERS_H

#include "bpf_helper_defs.h"

/* BTF-defined maps: `__uint(max_entries, 16)` is encoded as `int (*max_entries)[16]`. */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define __ulong(name, val) enum { ___bpf_concat(__unique_value, __COUNTER__) = val } name

/* Put a program or variable in an ELF section; `used` keeps it even if unreferenced. */
#define SEC(name) \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wignored-attributes\"") \
	__attribute__((section(name), used)) \
	_Pragma("GCC diagnostic pop")

#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#define __hidden __attribute__((visibility("hidden")))

/* Externs the loader resolves: kernel symbols and kconfig values. */
#define __kconfig __attribute__((section(".kconfig")))
#define __ksym __attribute__((section(".ksyms")))

/* Type tags the verifier reads from BTF. */
#define __kptr_untrusted __attribute__((btf_type_tag("kptr_untrusted")))
#define __kptr __attribute__((btf_type_tag("kptr")))
#define __percpu_kptr __attribute__((btf_type_tag("percpu_kptr")))
#define __uptr __attribute__((btf_type_tag("uptr")))

/* Argument tags of global functions. */
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))
#define __arg_nullable __attribute__((btf_decl_tag("arg:nullable")))
#define __arg_trusted __attribute__((btf_decl_tag("arg:trusted")))
#define __arg_arena __attribute__((btf_decl_tag("arg:arena")))

#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef offsetof
#define offsetof(type, member) ((unsigned long)&((type *)0)->member)
#endif
#ifndef container_of
#define container_of(ptr, type, member) \
	({ void *__mptr = (void *)(ptr); ((type *)(__mptr - offsetof(type, member))); })
#endif

/* Compiler barriers. */
#ifndef barrier
#define barrier() asm volatile("" ::: "memory")
#endif
#ifndef barrier_var
#define barrier_var(var) asm volatile("" : "+r"(var))
#endif
#ifndef __bpf_unreachable
#define __bpf_unreachable() __builtin_trap()
#endif
#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Map pinning (the `pinning` attribute of BTF-defined maps). */
enum libbpf_pin_type {
	LIBBPF_PIN_NONE,
	LIBBPF_PIN_BY_NAME,
};

/* The kernel version as LINUX_KERNEL_VERSION encodes it. */
#define KERNEL_VERSION(a, b, c) (((a) << 16) + ((b) << 8) + ((c) > 255 ? 255 : (c)))

enum libbpf_tristate {
	TRI_NO = 0,
	TRI_YES = 1,
	TRI_MODULE = 2,
};

/* Argument counting and pasting, used by the macros of this family of headers. */
#define ___bpf_concat(a, b) a ## b
#define ___bpf_apply(fn, n) ___bpf_concat(fn, n)
#define ___bpf_nth(_, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, N, ...) N
#define ___bpf_narg(...) ___bpf_nth(_, ##__VA_ARGS__, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)

/* Stores each argument into an array of u64, for the vprintk-style helpers. */
#define ___bpf_fill0(arr, p, x) do {} while (0)
#define ___bpf_fill1(arr, p, x) arr[p] = x
#define ___bpf_fill2(arr, p, x, args...) arr[p] = x; ___bpf_fill1(arr, p + 1, args)
#define ___bpf_fill3(arr, p, x, args...) arr[p] = x; ___bpf_fill2(arr, p + 1, args)
#define ___bpf_fill4(arr, p, x, args...) arr[p] = x; ___bpf_fill3(arr, p + 1, args)
#define ___bpf_fill5(arr, p, x, args...) arr[p] = x; ___bpf_fill4(arr, p + 1, args)
#define ___bpf_fill6(arr, p, x, args...) arr[p] = x; ___bpf_fill5(arr, p + 1, args)
#define ___bpf_fill7(arr, p, x, args...) arr[p] = x; ___bpf_fill6(arr, p + 1, args)
#define ___bpf_fill8(arr, p, x, args...) arr[p] = x; ___bpf_fill7(arr, p + 1, args)
#define ___bpf_fill9(arr, p, x, args...) arr[p] = x; ___bpf_fill8(arr, p + 1, args)
#define ___bpf_fill10(arr, p, x, args...) arr[p] = x; ___bpf_fill9(arr, p + 1, args)
#define ___bpf_fill11(arr, p, x, args...) arr[p] = x; ___bpf_fill10(arr, p + 1, args)
#define ___bpf_fill12(arr, p, x, args...) arr[p] = x; ___bpf_fill11(arr, p + 1, args)
#define ___bpf_fill(arr, args...) ___bpf_apply(___bpf_fill, ___bpf_narg(args))(arr, 0, args)

/* The format string lives in .rodata unless the program opts out of global data. */
#ifdef BPF_NO_GLOBAL_DATA
#define BPF_PRINTK_FMT_MOD
#else
#define BPF_PRINTK_FMT_MOD static const
#endif

/* Up to three arguments: bpf_trace_printk(). */
#define __bpf_printk(fmt, ...) \
({ \
	BPF_PRINTK_FMT_MOD char ____fmt[] = fmt; \
	bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__); \
})

/* More than three: bpf_trace_vprintk() with the arguments in an array. */
#define __bpf_vprintk(fmt, args...) \
({ \
	static const char ___fmt[] = fmt; \
	unsigned long long ___param[___bpf_narg(args)]; \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	___bpf_fill(___param, args); \
	_Pragma("GCC diagnostic pop") \
	bpf_trace_vprintk(___fmt, sizeof(___fmt), ___param, sizeof(___param)); \
})

#define ___bpf_pick_printk(...) \
	___bpf_nth(_, ##__VA_ARGS__, __bpf_vprintk, __bpf_vprintk, __bpf_vprintk, \
		   __bpf_vprintk, __bpf_vprintk, __bpf_vprintk, __bpf_vprintk, \
		   __bpf_vprintk, __bpf_vprintk, __bpf_printk /*3*/, __bpf_printk /*2*/, \
		   __bpf_printk /*1*/, __bpf_printk /*0*/)

/* Like printf into /sys/kernel/debug/tracing/trace_pipe (bpfplay shows it under Output). */
#define bpf_printk(fmt, args...) ___bpf_pick_printk(args)(fmt, ##args)

/* bpf_snprintf() with the arguments packed for it. */
#define BPF_SNPRINTF(out, out_size, fmt, args...) \
({ \
	static const char ___fmt[] = fmt; \
	unsigned long long ___param[___bpf_narg(args)]; \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	___bpf_fill(___param, args); \
	_Pragma("GCC diagnostic pop") \
	bpf_snprintf(out, out_size, ___fmt, ___param, sizeof(___param)); \
})

/* bpf_seq_printf() for iterator programs. */
#define BPF_SEQ_PRINTF(seq, fmt, args...) \
({ \
	static const char ___fmt[] = fmt; \
	unsigned long long ___param[___bpf_narg(args)]; \
	_Pragma("GCC diagnostic push") \
	_Pragma("GCC diagnostic ignored \"-Wint-conversion\"") \
	___bpf_fill(___param, args); \
	_Pragma("GCC diagnostic pop") \
	bpf_seq_printf(seq, ___fmt, sizeof(___fmt), ___param, sizeof(___param)); \
})

/* A tail call whose slot is a compile-time constant (the JIT can patch it directly). */
static __always_inline void
bpf_tail_call_static(void *ctx, const void *map, const __u32 slot)
{
	if (!__builtin_constant_p(slot))
		__bpf_unreachable();
	asm volatile("r1 = %[ctx]\n\t"
		     "r2 = %[map]\n\t"
		     "r3 = %[slot]\n\t"
		     "call 12"
		     :: [ctx]"r"(ctx), [map]"r"(map), [slot]"i"(slot)
		     : "r0", "r1", "r2", "r3", "r4", "r5");
}

/* Whether a weak kernel symbol (extern ... __ksym __weak) resolved. */
#define bpf_ksym_exists(sym) ({ _Static_assert(!__builtin_constant_p(!!sym), #sym " should be marked as __weak"); !!sym; })

#endif
