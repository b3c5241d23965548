# Helper calls and bpf-to-bpf calls: subprograms with their own stack frames and
# callee-saved registers (r6..r9 -> rbx, r13, r14, r15, pushed only when used), a
# subprogram calling another one, and results passed back in r0.
.section socket
r6 = r1
call bpf_get_prandom_u32
r7 = r0
r1 = r7
r2 = 3
call sub_a
r8 = r0
r1 = r8
call sub_b
r0 += r7
r0 += r8
exit
sub_a:
r9 = r1
r9 *= r2
*(u64 *)(r10 -16) = r9
call bpf_ktime_get_ns
r0 = *(u64 *)(r10 -16)
r0 += r9
exit
sub_b:
*(u64 *)(r10 -8) = r1
r1 = 5
call sub_c
r1 = *(u64 *)(r10 -8)
r0 += r1
exit
sub_c:
r0 = r1
r0 <<= 2
exit
