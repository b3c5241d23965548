# Context reads of a socket filter: every readable __sk_buff field the verifier allows
# here, and narrow (1- and 2-byte) loads of 4-byte fields, which the kernel turns into a
# full load, a shift and a mask.
.section socket
r6 = r1
r0 = *(u32 *)(r6 +0)
r0 = *(u32 *)(r6 +4)
r0 = *(u32 *)(r6 +8)
r0 = *(u32 *)(r6 +12)
r0 = *(u32 *)(r6 +16)
r0 = *(u32 *)(r6 +20)
r0 = *(u32 *)(r6 +24)
r0 = *(u32 *)(r6 +28)
r0 = *(u32 *)(r6 +32)
r0 = *(u32 *)(r6 +36)
r0 = *(u32 *)(r6 +40)
r0 = *(u32 *)(r6 +44)
r0 = *(u32 *)(r6 +48)
r0 = *(u32 *)(r6 +64)
r0 = *(u32 *)(r6 +68)
r0 = *(u32 *)(r6 +84)
r0 = *(u8 *)(r6 +0)
r0 = *(u8 *)(r6 +1)
r0 = *(u16 *)(r6 +2)
r0 = *(u16 *)(r6 +8)
r0 = *(u8 *)(r6 +11)
*(u32 *)(r6 +48) = r0
*(u32 *)(r6 +52) = 7
r0 = 0
exit
