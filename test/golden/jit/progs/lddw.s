# 64-bit constants: zero, small, u32 with the top bit set, negative s32, full 64-bit,
# into ordinary and extended registers; map pointers and a map-value address.
.section socket
.map m array key=4 value=16 entries=1
r0 = 0 ll
r1 = 1 ll
r2 = 0x80000000 ll
r3 = 0xffffffff ll
r4 = -1 ll
r5 = -0x80000000 ll
r6 = 0x123456789 ll
r7 = 0x7fffffff ll
r8 = 0x8000000000000000 ll
r9 = 0 ll
r1 = m ll
r2 = map[id:0][0]+8
r0 = 0
exit
