/* bpfplay: BPF targets are little-endian here (--target=bpf is bpfel on x86-64 hosts). */
#ifndef __BPFPLAY_ASM_BYTEORDER_H
#define __BPFPLAY_ASM_BYTEORDER_H
#ifndef __LITTLE_ENDIAN
#define __LITTLE_ENDIAN 1234
#endif
#ifndef __LITTLE_ENDIAN_BITFIELD
#define __LITTLE_ENDIAN_BITFIELD
#endif
#endif
