# Callee-saved register patterns: the main program uses r6 and r9 only, each
# subprogram a different subset (r7 alone, r8 alone, all four, none).
.section socket
r6 = 1
r9 = 2
r1 = 3
call uses_r7
r6 += r0
call uses_r8
r6 += r0
call uses_all
r6 += r0
call uses_none
r0 += r6
r0 += r9
exit
uses_r7:
r7 = r1
r0 = r7
exit
uses_r8:
r8 = 4
r0 = r8
exit
uses_all:
r6 = 1
r7 = 2
r8 = 3
r9 = 4
r0 = r6
r0 += r7
r0 += r8
r0 += r9
exit
uses_none:
r0 = 7
exit
