# Loads and stores of every size: stack slots near r10 (disp8) and far (disp32), a map
# value at small and large offsets, stores of immediates, byte stores from registers that
# need a REX prefix (sil/dil/bpl) or an extended register, and sign-extending loads.
.section socket
.map big array key=4 value=4096 entries=1
r6 = 0x1122334455667788 ll
*(u64 *)(r10 -8) = r6
*(u32 *)(r10 -12) = r6
*(u16 *)(r10 -14) = r6
*(u8 *)(r10 -15) = r6
*(u8 *)(r10 -16) = 1
*(u16 *)(r10 -18) = 2
*(u32 *)(r10 -24) = 3
*(u64 *)(r10 -32) = -4
*(u64 *)(r10 -200) = 5
*(u32 *)(r10 -300) = 6
*(u16 *)(r10 -400) = 7
*(u8 *)(r10 -512) = 8
*(u64 *)(r10 -136) = r6
r1 = 9
r2 = 10
r7 = 11
r0 = 12
*(u8 *)(r10 -140) = r1
*(u8 *)(r10 -141) = r2
*(u8 *)(r10 -142) = r7
*(u8 *)(r10 -143) = r0
r0 = *(u64 *)(r10 -8)
r1 = *(u32 *)(r10 -12)
r2 = *(u16 *)(r10 -14)
r3 = *(u8 *)(r10 -15)
r7 = *(u64 *)(r10 -200)
r8 = *(u32 *)(r10 -300)
r9 = *(u16 *)(r10 -400)
r5 = *(u8 *)(r10 -512)
r4 = *(s8 *)(r10 -15)
r4 = *(s16 *)(r10 -14)
r4 = *(s32 *)(r10 -12)
r9 = *(s32 *)(r10 -300)
*(u32 *)(r10 -4) = 0
r2 = r10
r2 += -4
r1 = big ll
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = *(u64 *)(r0 +0)
r2 = *(u32 *)(r0 +2000)
r3 = *(u16 *)(r0 +4000)
r4 = *(u8 *)(r0 +127)
r5 = *(u8 *)(r0 +128)
*(u64 *)(r0 +3000) = r1
*(u32 *)(r0 +8) = r2
*(u16 *)(r0 +1000) = r3
*(u8 *)(r0 +4095) = r4
*(u64 *)(r0 +16) = 0x1234
*(u32 *)(r0 +2048) = -1
*(u16 *)(r0 +24) = 0x7fff
*(u8 *)(r0 +2049) = 0xff
r6 = r0
*(u8 *)(r6 +1) = r5
r8 = r6
*(u64 *)(r8 +512) = r9
r1 = *(s8 *)(r8 +2)
r1 = *(s16 *)(r8 +600)
out:
r0 = 0
exit
