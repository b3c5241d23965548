; A loop the verifier walks to its end: 2000 iterations, 3 instructions each, so the
; level-2 log is several megabytes (the playground's log view must stay smooth with it).
.section socket
    r0 = 0
    r1 = 0
loop:
    r0 += r1
    r1 += 1
    if r1 < 2000 goto loop
    exit
