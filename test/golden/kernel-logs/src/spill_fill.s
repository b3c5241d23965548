; A pointer spilled to the stack and filled back, a scalar spilled next to it, and a
; branch on a bounded value: stack slots of several kinds in the states.
.section xdp
    r2 = *(u32 *)(r1 +0)
    r3 = *(u32 *)(r1 +4)
    *(u64 *)(r10 -8) = r2
    *(u64 *)(r10 -16) = r3
    r4 = 7
    *(u32 *)(r10 -20) = r4
    r5 = *(u64 *)(r10 -8)
    r6 = r5
    r6 += 14
    r7 = *(u64 *)(r10 -16)
    if r6 > r7 goto out
    r0 = *(u8 *)(r5 +12)
    if r0 > 5 goto out
    r0 = 1
    exit
out:
    r0 = 2
    exit
