# Conditional jumps of every kind (64- and 32-bit, register and immediate operands, imm
# 0 -> test, imm8, imm32), short and long forward jumps, a jump over nothing (removed by
# the JIT), and bounded backward loops with short and long bodies.
.section socket
call bpf_get_prandom_u32
r6 = r0
r7 = r0
r7 >>= 3
r1 = 0
r2 = 0
if r6 == 0 goto l1
r1 += 1
l1:
if w6 == 0 goto l2
r1 += 2
l2:
if r6 == 5 goto l3
r1 += 1
l3:
if w6 == 5 goto l4
r1 += 2
l4:
if r6 == -100 goto l5
r1 += 1
l5:
if w6 == -100 goto l6
r1 += 2
l6:
if r6 == 100000 goto l7
r1 += 1
l7:
if w6 == 100000 goto l8
r1 += 2
l8:
if r6 == r7 goto l9
r1 += 1
l9:
if w6 == w7 goto l10
r1 += 2
l10:
if r6 != 0 goto l11
r1 += 1
l11:
if w6 != 0 goto l12
r1 += 2
l12:
if r6 != 5 goto l13
r1 += 1
l13:
if w6 != 5 goto l14
r1 += 2
l14:
if r6 != -100 goto l15
r1 += 1
l15:
if w6 != -100 goto l16
r1 += 2
l16:
if r6 != 100000 goto l17
r1 += 1
l17:
if w6 != 100000 goto l18
r1 += 2
l18:
if r6 != r7 goto l19
r1 += 1
l19:
if w6 != w7 goto l20
r1 += 2
l20:
if r6 > 0 goto l21
r1 += 1
l21:
if w6 > 0 goto l22
r1 += 2
l22:
if r6 > 5 goto l23
r1 += 1
l23:
if w6 > 5 goto l24
r1 += 2
l24:
if r6 > -100 goto l25
r1 += 1
l25:
if w6 > -100 goto l26
r1 += 2
l26:
if r6 > 100000 goto l27
r1 += 1
l27:
if w6 > 100000 goto l28
r1 += 2
l28:
if r6 > r7 goto l29
r1 += 1
l29:
if w6 > w7 goto l30
r1 += 2
l30:
if r6 >= 0 goto l31
r1 += 1
l31:
if w6 >= 0 goto l32
r1 += 2
l32:
if r6 >= 5 goto l33
r1 += 1
l33:
if w6 >= 5 goto l34
r1 += 2
l34:
if r6 >= -100 goto l35
r1 += 1
l35:
if w6 >= -100 goto l36
r1 += 2
l36:
if r6 >= 100000 goto l37
r1 += 1
l37:
if w6 >= 100000 goto l38
r1 += 2
l38:
if r6 >= r7 goto l39
r1 += 1
l39:
if w6 >= w7 goto l40
r1 += 2
l40:
if r6 < 0 goto l41
r1 += 1
l41:
if w6 < 0 goto l42
r1 += 2
l42:
if r6 < 5 goto l43
r1 += 1
l43:
if w6 < 5 goto l44
r1 += 2
l44:
if r6 < -100 goto l45
r1 += 1
l45:
if w6 < -100 goto l46
r1 += 2
l46:
if r6 < 100000 goto l47
r1 += 1
l47:
if w6 < 100000 goto l48
r1 += 2
l48:
if r6 < r7 goto l49
r1 += 1
l49:
if w6 < w7 goto l50
r1 += 2
l50:
if r6 <= 0 goto l51
r1 += 1
l51:
if w6 <= 0 goto l52
r1 += 2
l52:
if r6 <= 5 goto l53
r1 += 1
l53:
if w6 <= 5 goto l54
r1 += 2
l54:
if r6 <= -100 goto l55
r1 += 1
l55:
if w6 <= -100 goto l56
r1 += 2
l56:
if r6 <= 100000 goto l57
r1 += 1
l57:
if w6 <= 100000 goto l58
r1 += 2
l58:
if r6 <= r7 goto l59
r1 += 1
l59:
if w6 <= w7 goto l60
r1 += 2
l60:
if r6 s> 0 goto l61
r1 += 1
l61:
if w6 s> 0 goto l62
r1 += 2
l62:
if r6 s> 5 goto l63
r1 += 1
l63:
if w6 s> 5 goto l64
r1 += 2
l64:
if r6 s> -100 goto l65
r1 += 1
l65:
if w6 s> -100 goto l66
r1 += 2
l66:
if r6 s> 100000 goto l67
r1 += 1
l67:
if w6 s> 100000 goto l68
r1 += 2
l68:
if r6 s> r7 goto l69
r1 += 1
l69:
if w6 s> w7 goto l70
r1 += 2
l70:
if r6 s>= 0 goto l71
r1 += 1
l71:
if w6 s>= 0 goto l72
r1 += 2
l72:
if r6 s>= 5 goto l73
r1 += 1
l73:
if w6 s>= 5 goto l74
r1 += 2
l74:
if r6 s>= -100 goto l75
r1 += 1
l75:
if w6 s>= -100 goto l76
r1 += 2
l76:
if r6 s>= 100000 goto l77
r1 += 1
l77:
if w6 s>= 100000 goto l78
r1 += 2
l78:
if r6 s>= r7 goto l79
r1 += 1
l79:
if w6 s>= w7 goto l80
r1 += 2
l80:
if r6 s< 0 goto l81
r1 += 1
l81:
if w6 s< 0 goto l82
r1 += 2
l82:
if r6 s< 5 goto l83
r1 += 1
l83:
if w6 s< 5 goto l84
r1 += 2
l84:
if r6 s< -100 goto l85
r1 += 1
l85:
if w6 s< -100 goto l86
r1 += 2
l86:
if r6 s< 100000 goto l87
r1 += 1
l87:
if w6 s< 100000 goto l88
r1 += 2
l88:
if r6 s< r7 goto l89
r1 += 1
l89:
if w6 s< w7 goto l90
r1 += 2
l90:
if r6 s<= 0 goto l91
r1 += 1
l91:
if w6 s<= 0 goto l92
r1 += 2
l92:
if r6 s<= 5 goto l93
r1 += 1
l93:
if w6 s<= 5 goto l94
r1 += 2
l94:
if r6 s<= -100 goto l95
r1 += 1
l95:
if w6 s<= -100 goto l96
r1 += 2
l96:
if r6 s<= 100000 goto l97
r1 += 1
l97:
if w6 s<= 100000 goto l98
r1 += 2
l98:
if r6 s<= r7 goto l99
r1 += 1
l99:
if w6 s<= w7 goto l100
r1 += 2
l100:
if r6 & 0 goto l101
r1 += 1
l101:
if w6 & 0 goto l102
r1 += 2
l102:
if r6 & 5 goto l103
r1 += 1
l103:
if w6 & 5 goto l104
r1 += 2
l104:
if r6 & -100 goto l105
r1 += 1
l105:
if w6 & -100 goto l106
r1 += 2
l106:
if r6 & 100000 goto l107
r1 += 1
l107:
if w6 & 100000 goto l108
r1 += 2
l108:
if r6 & r7 goto l109
r1 += 1
l109:
if w6 & w7 goto l110
r1 += 2
l110:
if r6 > 7 goto far1
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
far1:
if w6 s< w7 goto far2
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
r1 += 1000
far2:
goto near0
near0:
if r6 > 5 goto longj
goto far3
longj:
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
far3:
r3 = 0
loop1:
r3 += 1
r1 += r3
if r3 < 10 goto loop1
r3 = 0
loop2:
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r2 += 1000
r3 += 1
if w3 != 4 goto loop2
r0 = r1
exit
