/* bpfplay: <stdarg.h> (BPF programs rarely need it; provided for completeness). */
#ifndef __BPFPLAY_STDARG_H
#define __BPFPLAY_STDARG_H
typedef __builtin_va_list va_list;
#define va_start(ap, param) __builtin_va_start(ap, param)
#define va_end(ap) __builtin_va_end(ap)
#define va_arg(ap, type) __builtin_va_arg(ap, type)
#endif
