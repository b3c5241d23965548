# Context reads and writes of a tc classifier: packet pointers, ifindex (no NULL check
# for tc), tc_classid, and writes of mark, priority, tc_index and cb.
.section tc
r6 = r1
r2 = *(u32 *)(r6 +76)
r3 = *(u32 *)(r6 +80)
r4 = *(u32 *)(r6 +140)
r0 = *(u32 *)(r6 +40)
r0 = *(u32 *)(r6 +72)
r0 = *(u32 *)(r6 +0)
*(u32 *)(r6 +8) = r0
*(u32 *)(r6 +32) = r0
*(u32 *)(r6 +44) = r0
*(u32 *)(r6 +56) = r0
*(u32 *)(r6 +72) = r0
r0 = 0
exit
