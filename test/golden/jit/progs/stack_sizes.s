# Frame sizes: a main program with an unaligned stack depth (rounded up to 8) and
# subprograms with 8, 496 and no bytes of stack.
.section socket
*(u8 *)(r10 -3) = 1
r0 = *(u8 *)(r10 -3)
call f8
call f496
call f0
exit
f8:
*(u64 *)(r10 -8) = 1
r0 = *(u64 *)(r10 -8)
exit
f496:
*(u64 *)(r10 -496) = 2
r0 = *(u64 *)(r10 -496)
exit
f0:
r0 = 0
exit
