# A staircase of 16 forward jumps, each spanning the next one plus 114 bytes: a jump can
# only shrink to 8 bits after the next one has, one per pass, so the JIT needs about
# 16 passes (from the 16th pass on, it pads shrinking jumps with nops instead).
.section socket
call bpf_get_prandom_u32
r6 = r0
r1 = 0
if r6 == 1 goto l1
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
if r6 == 2 goto l2
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l1:
if r6 == 3 goto l3
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l2:
if r6 == 4 goto l4
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l3:
if r6 == 5 goto l5
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l4:
if r6 == 6 goto l6
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l5:
if r6 == 7 goto l7
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l6:
if r6 == 8 goto l8
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l7:
if r6 == 9 goto l9
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l8:
if r6 == 10 goto l10
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l9:
if r6 == 11 goto l11
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l10:
if r6 == 12 goto l12
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l11:
if r6 == 13 goto l13
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l12:
if r6 == 14 goto l14
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l13:
if r6 == 15 goto l15
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l14:
if r6 == 16 goto l16
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l15:
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1
r1 += 2
l16:
r0 = r1
exit
