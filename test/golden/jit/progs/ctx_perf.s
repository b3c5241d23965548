# Context reads of a perf_event program: a pt_regs field, sample_period and addr.
.section perf_event
r2 = *(u64 *)(r1 +0)
r3 = *(u64 *)(r1 +128)
r4 = *(u64 *)(r1 +168)
r5 = *(u64 *)(r1 +176)
r0 = 0
exit
