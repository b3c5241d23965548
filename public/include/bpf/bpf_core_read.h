/*
 * bpfplay: <bpf/bpf_core_read.h>, CO-RE ("compile once, run everywhere") reads. Field
 * accesses are wrapped in clang's __builtin_preserve_*_info builtins, which record a
 * relocation in .BTF.ext that the loader resolves against the target kernel's BTF.
 * Same names and meaning as libbpf's header.
 */
#ifndef __BPFPLAY_BPF_CORE_READ_H
#define __BPFPLAY_BPF_CORE_READ_H

#include "bpf_helpers.h"

/* What __builtin_preserve_field_info() computes. */
enum bpf_field_info_kind {
	BPF_FIELD_BYTE_OFFSET = 0,
	BPF_FIELD_BYTE_SIZE = 1,
	BPF_FIELD_EXISTS = 2,
	BPF_FIELD_SIGNED = 3,
	BPF_FIELD_LSHIFT_U64 = 4,
	BPF_FIELD_RSHIFT_U64 = 5,
};

/* What __builtin_btf_type_id() computes. */
enum bpf_type_id_kind {
	BPF_TYPE_ID_LOCAL = 0,
	BPF_TYPE_ID_TARGET = 1,
};

/* What __builtin_preserve_type_info() computes. */
enum bpf_type_info_kind {
	BPF_TYPE_EXISTS = 0,
	BPF_TYPE_SIZE = 1,
	BPF_TYPE_MATCHES = 2,
};

/* What __builtin_preserve_enum_value() computes. */
enum bpf_enum_value_kind {
	BPF_ENUMVAL_EXISTS = 0,
	BPF_ENUMVAL_VALUE = 1,
};

#define __CORE_RELO(src, field, info) __builtin_preserve_field_info((src)->field, BPF_FIELD_##info)

/* A field named as `p->f` or as `(type, f)`. */
#define ___bpf_field_ref1(field) (field)
#define ___bpf_field_ref2(type, field) (((typeof(type) *)0)->field)
#define ___bpf_field_ref(args...) ___bpf_apply(___bpf_field_ref, ___bpf_narg(args))(args)

#define bpf_core_field_exists(field...) __builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_EXISTS)
#define bpf_core_field_size(field...) __builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_BYTE_SIZE)
#define bpf_core_field_offset(field...) __builtin_preserve_field_info(___bpf_field_ref(field), BPF_FIELD_BYTE_OFFSET)

#define bpf_core_type_id_local(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_LOCAL)
#define bpf_core_type_id_kernel(type) __builtin_btf_type_id(*(typeof(type) *)0, BPF_TYPE_ID_TARGET)
#define bpf_core_type_exists(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_EXISTS)
#define bpf_core_type_matches(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_MATCHES)
#define bpf_core_type_size(type) __builtin_preserve_type_info(*(typeof(type) *)0, BPF_TYPE_SIZE)
#define bpf_core_enum_value_exists(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_EXISTS)
#define bpf_core_enum_value(enum_type, enum_value) \
	__builtin_preserve_enum_value(*(typeof(enum_type) *)enum_value, BPF_ENUMVAL_VALUE)

/*
 * Bitfields: read the bytes that hold the field into the low-order bytes of a u64 (the
 * target is little-endian), then shift left and right as the relocated shifts say.
 */
#define BPF_CORE_READ_BITFIELD_PROBED(s, field) ({ \
	unsigned long long val = 0; \
	bpf_probe_read_kernel((void *)&val, __CORE_RELO(s, field, BYTE_SIZE), \
			      (const void *)s + __CORE_RELO(s, field, BYTE_OFFSET)); \
	val <<= __CORE_RELO(s, field, LSHIFT_U64); \
	if (__CORE_RELO(s, field, SIGNED)) \
		val = ((long long)val) >> __CORE_RELO(s, field, RSHIFT_U64); \
	else \
		val = val >> __CORE_RELO(s, field, RSHIFT_U64); \
	val; \
})

#define BPF_CORE_READ_BITFIELD(s, field) ({ \
	const void *p = (const void *)s + __CORE_RELO(s, field, BYTE_OFFSET); \
	unsigned long long val; \
	asm volatile("" : "=r"(p) : "0"(p)); \
	switch (__CORE_RELO(s, field, BYTE_SIZE)) { \
	case 1: val = *(const unsigned char *)p; break; \
	case 2: val = *(const unsigned short *)p; break; \
	case 4: val = *(const unsigned int *)p; break; \
	case 8: val = *(const unsigned long long *)p; break; \
	default: val = 0; break; \
	} \
	val <<= __CORE_RELO(s, field, LSHIFT_U64); \
	if (__CORE_RELO(s, field, SIGNED)) \
		val = ((long long)val) >> __CORE_RELO(s, field, RSHIFT_U64); \
	else \
		val = val >> __CORE_RELO(s, field, RSHIFT_U64); \
	val; \
})

/* One relocatable read of `sz` bytes at `src` (a field address) into `dst`. */
#define bpf_core_read(dst, sz, src) \
	bpf_probe_read_kernel(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user(dst, sz, src) \
	bpf_probe_read_user(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_str(dst, sz, src) \
	bpf_probe_read_kernel_str(dst, sz, (const void *)__builtin_preserve_access_index(src))
#define bpf_core_read_user_str(dst, sz, src) \
	bpf_probe_read_user_str(dst, sz, (const void *)__builtin_preserve_access_index(src))

/*
 * Chained reads: BPF_CORE_READ_INTO(&dst, p, a, b, c) reads p->a, then ->b of that, then
 * ->c into dst; every step is one relocatable read. `___cr_tN` names the type of the
 * pointer after N steps; the intermediate pointers go through the local `__t`.
 */
#define ___cr_t1(s, a) typeof((s)->a)
#define ___cr_t2(s, a, b) typeof((s)->a->b)
#define ___cr_t3(s, a, b, c) typeof((s)->a->b->c)
#define ___cr_t4(s, a, b, c, d) typeof((s)->a->b->c->d)
#define ___cr_t5(s, a, b, c, d, e) typeof((s)->a->b->c->d->e)
#define ___cr_t6(s, a, b, c, d, e, f) typeof((s)->a->b->c->d->e->f)
#define ___cr_t7(s, a, b, c, d, e, f, g) typeof((s)->a->b->c->d->e->f->g)
#define ___cr_t8(s, a, b, c, d, e, f, g, h) typeof((s)->a->b->c->d->e->f->g->h)
#define ___cr_type(s, args...) ___bpf_apply(___cr_t, ___bpf_narg(args))(s, args)

#define ___cr_step(fn, dst, ptype, p, acc) fn((void *)(dst), sizeof(*(dst)), &((ptype)(p))->acc)

#define ___cr_into1(fn, dst, s, a) \
	___cr_step(fn, dst, typeof(s), s, a)
#define ___cr_into2(fn, dst, s, a, b) \
	___cr_step(fn, &__t, typeof(s), s, a); \
	___cr_step(fn, dst, ___cr_t1(s, a), __t, b)
#define ___cr_into3(fn, dst, s, a, b, c) \
	___cr_into2(fn, &__t, s, a, b); \
	___cr_step(fn, dst, ___cr_t2(s, a, b), __t, c)
#define ___cr_into4(fn, dst, s, a, b, c, d) \
	___cr_into3(fn, &__t, s, a, b, c); \
	___cr_step(fn, dst, ___cr_t3(s, a, b, c), __t, d)
#define ___cr_into5(fn, dst, s, a, b, c, d, e) \
	___cr_into4(fn, &__t, s, a, b, c, d); \
	___cr_step(fn, dst, ___cr_t4(s, a, b, c, d), __t, e)
#define ___cr_into6(fn, dst, s, a, b, c, d, e, f) \
	___cr_into5(fn, &__t, s, a, b, c, d, e); \
	___cr_step(fn, dst, ___cr_t5(s, a, b, c, d, e), __t, f)
#define ___cr_into7(fn, dst, s, a, b, c, d, e, f, g) \
	___cr_into6(fn, &__t, s, a, b, c, d, e, f); \
	___cr_step(fn, dst, ___cr_t6(s, a, b, c, d, e, f), __t, g)
#define ___cr_into8(fn, dst, s, a, b, c, d, e, f, g, h) \
	___cr_into7(fn, &__t, s, a, b, c, d, e, f, g); \
	___cr_step(fn, dst, ___cr_t7(s, a, b, c, d, e, f, g), __t, h)

#define ___cr_into(fn, dst, s, args...) ({ \
	const void *__t; \
	___bpf_apply(___cr_into, ___bpf_narg(args))(fn, dst, s, args); \
})

#define BPF_CORE_READ_INTO(dst, src, a, ...) ___cr_into(bpf_core_read, dst, (src), a, ##__VA_ARGS__)
#define BPF_CORE_READ_USER_INTO(dst, src, a, ...) ___cr_into(bpf_core_read_user, dst, (src), a, ##__VA_ARGS__)
#define BPF_PROBE_READ_INTO(dst, src, a, ...) ___cr_into(bpf_probe_read_kernel, dst, (src), a, ##__VA_ARGS__)
#define BPF_PROBE_READ_USER_INTO(dst, src, a, ...) ___cr_into(bpf_probe_read_user, dst, (src), a, ##__VA_ARGS__)

/* Chained reads that return the value. */
#define BPF_CORE_READ(src, a, ...) ({ \
	___cr_type((src), a, ##__VA_ARGS__) __r; \
	BPF_CORE_READ_INTO(&__r, (src), a, ##__VA_ARGS__); \
	__r; \
})
#define BPF_CORE_READ_USER(src, a, ...) ({ \
	___cr_type((src), a, ##__VA_ARGS__) __r; \
	BPF_CORE_READ_USER_INTO(&__r, (src), a, ##__VA_ARGS__); \
	__r; \
})
#define BPF_PROBE_READ(src, a, ...) ({ \
	___cr_type((src), a, ##__VA_ARGS__) __r; \
	BPF_PROBE_READ_INTO(&__r, (src), a, ##__VA_ARGS__); \
	__r; \
})
#define BPF_PROBE_READ_USER(src, a, ...) ({ \
	___cr_type((src), a, ##__VA_ARGS__) __r; \
	BPF_PROBE_READ_USER_INTO(&__r, (src), a, ##__VA_ARGS__); \
	__r; \
})

#endif
