/**
 * Registers of the x86-64 JIT: how BPF registers map to x86-64 registers, and the
 * JIT-internal ones (`reg2hex` / `is_ereg` / `is_ereg_8l` in the kernel's
 * arch/x86/net/bpf_jit_comp.c).
 *
 *   BPF  r0  r1  r2  r3  r4  r5  r6  r7  r8  r9  r10(fp)  AX   AUX  (r9)  (r12)
 *   x86  rax rdi rsi rdx rcx r8  rbx r13 r14 r15 rbp      r10  r11  r9    r12
 *
 * r12 is avoided for BPF registers: as a base register it always needs a SIB byte.
 */

/** The verifier's scratch register in rewritten code (`BPF_REG_AX`, printed `r11`). */
export const BPF_REG_AX = 11;
/** JIT-internal temporary (x86 r11), e.g. a divisor or a shift count's displaced rcx. */
export const AUX_REG = 13;
/** x86 r9: the private-stack frame pointer. */
export const X86_REG_R9 = 14;
/** x86 r12: the arena base (unused by programs we JIT). */
export const X86_REG_R12 = 15;

/** Low three bits of each register's x86 number, indexed by (JIT) register. */
const REG2HEX: readonly number[] = [0, 7, 6, 2, 1, 0, 3, 5, 6, 7, 5, 2, -1, 3, 1, 4];
/** Registers that are x86 r8..r15 and need a REX bit. */
const EREGS = new Set([5, 7, 8, 9, BPF_REG_AX, AUX_REG, X86_REG_R9, X86_REG_R12]);

export function reg2hex(reg: number): number {
  const h = REG2HEX[reg];
  if (h === undefined || h < 0) throw new RangeError(`no x86 register for BPF register ${reg}`);
  return h;
}

/** True when the register is one of x86 r8..r15 (REX.B / REX.R needed). */
export const isEreg = (reg: number): boolean => EREGS.has(reg);

/** True when the low byte of the register needs a REX prefix (dil, sil, bpl, r8b..r15b). */
export const isEreg8l = (reg: number): boolean => isEreg(reg) || reg === 1 || reg === 2 || reg === 10;

export const isAxReg = (reg: number): boolean => reg === 0;

/** REX-style modifier for one register in the r/m (or opcode) field. */
export const add1mod = (byte: number, reg: number): number => (isEreg(reg) ? byte | 1 : byte);

/** Modifier for r/m = r1 and reg = r2. */
export const add2mod = (byte: number, r1: number, r2: number): number => byte | (isEreg(r1) ? 1 : 0) | (isEreg(r2) ? 4 : 0);

/** Modifier for base r1, reg r2 and SIB index. */
export const add3mod = (byte: number, r1: number, r2: number, index: number): number =>
  byte | (isEreg(r1) ? 1 : 0) | (isEreg(index) ? 2 : 0) | (isEreg(r2) ? 4 : 0);

/** Encodes a register into the low three bits of an opcode or ModRM byte. */
export const add1reg = (byte: number, reg: number): number => (byte + reg2hex(reg)) & 0xff;

/** ModRM with r/m = dst and reg = src. */
export const add2reg = (byte: number, dst: number, src: number): number => (byte + reg2hex(dst) + (reg2hex(src) << 3)) & 0xff;

/** x86 names of the BPF registers, for listings and explanations. */
export const X86_NAME_OF_BPF_REG: readonly string[] = ['rax', 'rdi', 'rsi', 'rdx', 'rcx', 'r8', 'rbx', 'r13', 'r14', 'r15', 'rbp', 'r10'];
