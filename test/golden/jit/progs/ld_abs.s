# Legacy packet loads (socket filter ld_abs / ld_ind of every size): the verifier
# rewrites them into calls of the kernel's skb load helpers.
.section socket
r6 = r1
r0 = *(u8 *)skb[12]
r7 = r0
r0 = *(u16 *)skb[12]
r7 += r0
r0 = *(u32 *)skb[14]
r7 += r0
r8 = 2
r0 = *(u8 *)skb[r8 + 20]
r7 += r0
r0 = *(u16 *)skb[r8 + 20]
r7 += r0
r0 = *(u32 *)skb[r8 + 0]
r0 += r7
exit
