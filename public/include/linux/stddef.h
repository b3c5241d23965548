/* bpfplay: <linux/stddef.h> helpers used by UAPI headers. */
#ifndef __BPFPLAY_LINUX_STDDEF_H
#define __BPFPLAY_LINUX_STDDEF_H
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __struct_group(TAG, NAME, ATTRS, MEMBERS...) \
	union { struct { MEMBERS } ATTRS; struct TAG { MEMBERS } ATTRS NAME; }
#define __DECLARE_FLEX_ARRAY(TYPE, NAME) \
	struct { struct { } __empty_ ## NAME; TYPE NAME[]; }
#endif
