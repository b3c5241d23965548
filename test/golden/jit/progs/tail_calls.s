# Tail calls: a constant key (the verifier marks it direct: a patchable jump), a variable
# key (the indirect sequence through the prog array), with a stack frame and callee-saved
# registers to unwind. (Tail calls from subprograms need BTF: see tail_subprog.bpf.c.)
.section socket
.map jt prog_array key=4 value=4 entries=4
*(u64 *)(r10 -8) = r1
r6 = r1
r7 = 9
r2 = jt ll
r3 = 1
call bpf_tail_call
r1 = r6
r2 = jt ll
r3 = *(u32 *)(r6 +0)
call bpf_tail_call
r0 = r7
exit
