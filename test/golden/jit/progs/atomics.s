# Atomic operations of both sizes on a map value: add/or/and/xor, their fetch forms
# (xadd; and/or/xor fetch become a cmpxchg loop through r10/r11), xchg, cmpxchg (r0 is
# the comparand), with r0 as source or destination, and load-acquire / store-release.
.section socket
.map v array key=4 value=256 entries=1
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = v ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r6 = r0
r1 = 1
r2 = 2
r7 = 7
lock *(u64 *)(r6 +0) += r1
lock *(u32 *)(r6 +8) += r2
lock *(u64 *)(r6 +0) |= r1
lock *(u32 *)(r6 +8) |= r7
lock *(u64 *)(r6 +16) &= r1
lock *(u32 *)(r6 +8) &= r2
lock *(u64 *)(r6 +0) ^= r7
lock *(u32 *)(r6 +200) ^= r1
r1 = atomic_fetch_add((u64 *)(r6 +0), r1)
w2 = atomic_fetch_add((u32 *)(r6 +8), w2)
r1 = atomic_fetch_or((u64 *)(r6 +0), r1)
w7 = atomic_fetch_and((u32 *)(r6 +8), w7)
r2 = atomic_fetch_xor((u64 *)(r6 +16), r2)
r1 = xchg_64(r6 +24, r1)
w2 = xchg32_32(r6 +32, w2)
r0 = 5
r0 = cmpxchg_64(r6 +24, r0, r7)
w0 = cmpxchg32_32(r6 +32, w0, w1)
r0 = r6
r3 = 3
r3 = atomic_fetch_and((u64 *)(r0 +0), r3)
r0 = atomic_fetch_or((u64 *)(r6 +40), r0)
r1 = load_acquire((u64 *)(r6 +0))
w1 = load_acquire((u32 *)(r6 +8))
w1 = load_acquire((u16 *)(r6 +8))
w1 = load_acquire((u8 *)(r6 +8))
store_release((u64 *)(r6 +0), r1)
store_release((u32 *)(r6 +8), w1)
store_release((u16 *)(r6 +8), w1)
store_release((u8 *)(r6 +8), w1)
out:
r0 = 0
exit
