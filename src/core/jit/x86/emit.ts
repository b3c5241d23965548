/**
 * Byte emission for the x86-64 JIT and the small encoders the kernel's JIT builds its
 * instructions from (`emit_mov_imm32`, `emit_ldx`, `emit_stx`, ... in
 * arch/x86/net/bpf_jit_comp.c). Each encoder makes the same size and register choices as
 * the kernel's, since the listings must match the kernel's bytes.
 */
import { BPF_ADD, BPF_AND, BPF_ARSH, BPF_B, BPF_CMPXCHG, BPF_DW, BPF_FETCH, BPF_H, BPF_LSH, BPF_OR, BPF_RSH, BPF_SUB, BPF_W, BPF_XCHG, BPF_XOR } from '../../isa/opcodes';
import { add1mod, add1reg, add2mod, add2reg, isEreg, isEreg8l, reg2hex } from './regs';

/** What an address-dependent field of the image holds (the bytes a comparison masks). */
export type RelocationKind =
  /** rel32 of `call` to a helper or kfunc (`__bpf_call_base + imm`). */
  | 'helper_call'
  /** rel32 of `call` to another function of the program. */
  | 'subprog_call'
  /** rel32 of the `jmp` to the return thunk at an exit. */
  | 'return_thunk'
  /** rel32 of the `jmp` to the retpoline / ITS thunk of an indirect tail call. */
  | 'indirect_thunk'
  /** imm64 of a map pointer or map value address (`lddw` src 1 / 2). */
  | 'map_address'
  /** imm32 (sign-extended) of a function's address (`lddw` src 4, a callback). */
  | 'func_address'
  /** imm64 of the per-CPU private stack frame pointer. */
  | 'private_stack'
  /** disp32 of `this_cpu_off` in a %gs-relative add. */
  | 'this_cpu_off';

export interface Relocation {
  /** Byte offset of the field in the function's code. */
  offset: number;
  size: 4 | 8;
  kind: RelocationKind;
  /** The address the field refers to. */
  target: bigint;
}

export class JitError extends Error {
  constructor(message: string, readonly slot?: number) {
    super(message);
    this.name = 'JitError';
  }
}

export const isImm8 = (v: number): boolean => v <= 127 && v >= -128;
/** 8-bit jump offsets stop at 123, not 127, so that the passes converge (see compile.ts). */
export const isImm8JmpOffset = (v: number): boolean => v <= 123 && v >= -128;
export const isSimm32 = (v: bigint): boolean => v === BigInt.asIntN(32, v);
export const isUimm32 = (v: bigint): boolean => v === BigInt.asUintN(32, v);

/** The kernel's x86_nops table (arch/x86/include/asm/nops.h), by length. */
export const X86_NOPS: readonly (readonly number[])[] = [
  [],
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/** x86 condition codes of the short `jcc rel8`; the near form is 0x0f, cc + 0x10. */
export const X86_JB = 0x72;
export const X86_JAE = 0x73;
export const X86_JE = 0x74;
export const X86_JNE = 0x75;
export const X86_JBE = 0x76;
export const X86_JA = 0x77;
export const X86_JL = 0x7c;
export const X86_JGE = 0x7d;
export const X86_JLE = 0x7e;
export const X86_JG = 0x7f;

/** One-byte opcodes (or ModRM /digit bases for shifts) of the simple ALU operations. */
export const SIMPLE_ALU_OPCODES = new Map<number, number>([
  [BPF_ADD, 0x01], [BPF_SUB, 0x29], [BPF_AND, 0x21], [BPF_OR, 0x09], [BPF_XOR, 0x31],
  [BPF_LSH, 0xe0], [BPF_RSH, 0xe8], [BPF_ARSH, 0xf8],
]);

export const simpleAluOpcode = (op: number): number => {
  const b = SIMPLE_ALU_OPCODES.get(op);
  if (b === undefined) throw new JitError(`no simple x86 opcode for BPF ALU op 0x${op.toString(16)}`);
  return b;
};

/** A growable code buffer for one function, with the address-dependent fields noted. */
export class Code {
  bytes: number[] = [];
  relocations: Relocation[] = [];

  get length(): number {
    return this.bytes.length;
  }

  emit(...bytes: number[]): void {
    for (const b of bytes) this.bytes.push(b & 0xff);
  }

  /** `EMIT(value, len)`: the low `len` bytes of a 32-bit value, little-endian. */
  emitLe(value: number, len: number): void {
    for (let k = 0; k < len; k++) this.bytes.push((value >>> (8 * k)) & 0xff);
  }

  emitU32(value: number): void {
    this.emitLe(value | 0, 4);
  }

  emitU64(value: bigint): void {
    const v = BigInt.asUintN(64, value);
    for (let k = 0n; k < 8n; k++) this.bytes.push(Number((v >> (8n * k)) & 0xffn));
  }

  /** Marks the `size` bytes just emitted as an address-dependent field. */
  relocate(kind: RelocationKind, size: 4 | 8, target: bigint): void {
    this.relocations.push({ offset: this.bytes.length - size, size, kind, target });
  }

  emitNops(len: number): void {
    while (len > 0) {
      const n = Math.min(len, X86_NOPS.length - 1);
      this.emit(...X86_NOPS[n]);
      len -= n;
    }
  }

  /** `mov dst, src` (64-bit), omitted when they are the same register (`EMIT_mov`). */
  emitMov(dst: number, src: number): void {
    if (dst !== src) this.emit(add2mod(0x48, dst, src), 0x89, add2reg(0xc0, dst, src));
  }

  /** `emit_mov_imm32`: the shortest of `mov r64, simm32`, `xor r32, r32` and `mov r32, imm32`. */
  movImm32(signPropagate: boolean, dst: number, imm32: number): void {
    if (signPropagate && (imm32 | 0) < 0) {
      this.emit(add1mod(0x48, dst), 0xc7, add1reg(0xc0, dst));
      this.emitU32(imm32);
      return;
    }
    if ((imm32 | 0) === 0) {
      if (isEreg(dst)) this.emit(add2mod(0x40, dst, dst));
      this.emit(0x31, add2reg(0xc0, dst, dst));
      return;
    }
    if (isEreg(dst)) this.emit(add1mod(0x40, dst));
    this.emit(add1reg(0xb8, dst));
    this.emitU32(imm32);
  }

  /** `emit_mov_imm64`: a 32-bit form when the value allows it, else `movabs`. */
  movImm64(dst: number, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    const lo = Number(v & 0xffffffffn) | 0;
    if (isUimm32(v)) this.movImm32(false, dst, lo);
    else if (isSimm32(BigInt.asIntN(64, v))) this.movImm32(true, dst, lo);
    else {
      this.emit(add1mod(0x48, dst), add1reg(0xb8, dst));
      this.emitU64(v);
    }
  }

  /** Size in bytes `movImm64` takes for a value. */
  static movImm64Size(dst: number, value: bigint): number {
    const c = new Code();
    c.movImm64(dst, value);
    return c.length;
  }

  /** `emit_mov_reg`: a 64-bit move (omitted for the same register) or a 32-bit one (always: it zero-extends). */
  movReg(is64: boolean, dst: number, src: number): void {
    if (is64) {
      this.emitMov(dst, src);
      return;
    }
    if (isEreg(dst) || isEreg(src)) this.emit(add2mod(0x40, dst, src));
    this.emit(0x89, add2reg(0xc0, dst, src));
  }

  /** `emit_movsx_reg`: movsbq / movswq / movslq, or movsbl / movswl. */
  movsxReg(bits: number, is64: boolean, dst: number, src: number): void {
    if (is64) {
      if (bits === 8) this.emit(add2mod(0x48, src, dst), 0x0f, 0xbe, add2reg(0xc0, src, dst));
      else if (bits === 16) this.emit(add2mod(0x48, src, dst), 0x0f, 0xbf, add2reg(0xc0, src, dst));
      else if (bits === 32) this.emit(add2mod(0x48, src, dst), 0x63, add2reg(0xc0, src, dst));
      return;
    }
    if (bits === 8) {
      this.emit(add2mod(0x40, src, dst), 0x0f, 0xbe, add2reg(0xc0, src, dst));
    } else if (bits === 16) {
      if (isEreg(dst) || isEreg(src)) this.emit(add2mod(0x40, src, dst));
      this.emit(add2mod(0x0f, src, dst), 0xbf, add2reg(0xc0, src, dst));
    }
  }

  /** ModRM (+disp8 or disp32) for `[ptr + off]` with `val` in the reg field. disp8 even for 0. */
  insnSuffix(ptr: number, val: number, off: number): void {
    if (isImm8(off)) this.emit(add2reg(0x40, ptr, val), off);
    else {
      this.emit(add2reg(0x80, ptr, val));
      this.emitU32(off);
    }
  }

  /** REX prefix when needed: REX.W for 64-bit, REX.B/R for extended registers. */
  maybeEmitMod(dst: number, src: number, is64: boolean): void {
    if (is64) this.emit(add2mod(0x48, dst, src));
    else if (isEreg(dst) || isEreg(src)) this.emit(add2mod(0x40, dst, src));
  }

  maybeEmit1mod(reg: number, is64: boolean): void {
    if (is64) this.emit(add1mod(0x48, reg));
    else if (isEreg(reg)) this.emit(add1mod(0x40, reg));
  }

  /** `emit_ldx`: dst = *(size *)(src + off), zero-extending. */
  ldx(size: number, dst: number, src: number, off: number): void {
    switch (size) {
      case BPF_B: this.emit(add2mod(0x48, src, dst), 0x0f, 0xb6); break;
      case BPF_H: this.emit(add2mod(0x48, src, dst), 0x0f, 0xb7); break;
      case BPF_W:
        if (isEreg(dst) || isEreg(src)) this.emit(add2mod(0x40, src, dst), 0x8b);
        else this.emit(0x8b);
        break;
      case BPF_DW: this.emit(add2mod(0x48, src, dst), 0x8b); break;
    }
    this.insnSuffix(src, dst, off);
  }

  /** `emit_ldsx`: dst = *(signed size *)(src + off). */
  ldsx(size: number, dst: number, src: number, off: number): void {
    switch (size) {
      case BPF_B: this.emit(add2mod(0x48, src, dst), 0x0f, 0xbe); break;
      case BPF_H: this.emit(add2mod(0x48, src, dst), 0x0f, 0xbf); break;
      case BPF_W: this.emit(add2mod(0x48, src, dst), 0x63); break;
    }
    this.insnSuffix(src, dst, off);
  }

  /** `emit_stx`: *(size *)(dst + off) = src. */
  stx(size: number, dst: number, src: number, off: number): void {
    switch (size) {
      case BPF_B:
        // sil, dil and bpl exist only with a REX prefix.
        if (isEreg(dst) || isEreg8l(src)) this.emit(add2mod(0x40, dst, src), 0x88);
        else this.emit(0x88);
        break;
      case BPF_H:
        if (isEreg(dst) || isEreg(src)) this.emit(0x66, add2mod(0x40, dst, src), 0x89);
        else this.emit(0x66, 0x89);
        break;
      case BPF_W:
        if (isEreg(dst) || isEreg(src)) this.emit(add2mod(0x40, dst, src), 0x89);
        else this.emit(0x89);
        break;
      case BPF_DW: this.emit(add2mod(0x48, dst, src), 0x89); break;
    }
    this.insnSuffix(dst, src, off);
  }

  /** `emit_atomic_rmw`: lock-prefixed read-modify-write (add/and/or/xor, xadd, xchg, cmpxchg). */
  atomicRmw(op: number, dst: number, src: number, off: number, size: number): void {
    this.emit(0xf0);
    this.maybeEmitMod(dst, src, size === BPF_DW);
    switch (op) {
      case BPF_ADD: case BPF_AND: case BPF_OR: case BPF_XOR: this.emit(simpleAluOpcode(op)); break;
      case BPF_ADD | BPF_FETCH: this.emit(0x0f, 0xc1); break;
      case BPF_XCHG: this.emit(0x87); break;
      case BPF_CMPXCHG: this.emit(0x0f, 0xb1); break;
      default: throw new JitError(`unknown atomic opcode 0x${op.toString(16)}`);
    }
    this.insnSuffix(dst, src, off);
  }

  /** `emit_shiftx`: BMI2 shlx / shrx / sarx dst, dst, src (VEX prefix `pp` selects which). */
  shiftx(dst: number, src: number, is64: boolean, pp: number): void {
    const r = isEreg(dst);
    const vvvv = reg2hex(src) | (isEreg(src) ? 8 : 0);
    const b1 = ((r ? 0 : 1) << 7) | (1 << 6) | ((r ? 0 : 1) << 5) | 2; // ~R ~X ~B, map 0f38
    const b2 = ((is64 ? 1 : 0) << 7) | ((~vvvv & 0xf) << 3) | (pp & 3);
    this.emit(0xc4, b1, b2, 0xf7, add2reg(0xc0, dst, dst));
  }

  pushR9(): void { this.emit(0x41, 0x51); }
  popR9(): void { this.emit(0x41, 0x59); }

  /** The callee-saved registers a function uses: rbx, r13, r14, r15 for r6..r9. */
  pushCalleeRegs(used: readonly boolean[]): void {
    if (used[0]) this.emit(0x53);
    if (used[1]) this.emit(0x41, 0x55);
    if (used[2]) this.emit(0x41, 0x56);
    if (used[3]) this.emit(0x41, 0x57);
  }

  popCalleeRegs(used: readonly boolean[]): void {
    if (used[3]) this.emit(0x41, 0x5f);
    if (used[2]) this.emit(0x41, 0x5e);
    if (used[1]) this.emit(0x41, 0x5d);
    if (used[0]) this.emit(0x5b);
  }
}
