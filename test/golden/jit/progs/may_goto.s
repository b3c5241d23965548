# An open-coded loop bounded by may_goto: the verifier gives it a counter slot on the
# stack and rewrites may_goto into a load, test, decrement and store of that counter.
.section socket
r1 = 0
r2 = 0
loop:
may_goto out
r1 += 1
r2 += r1
goto loop
out:
r0 = r2
exit
