/**
 * Raw BPF instructions and their decoded meaning.
 *
 * A program is an array of 8-byte slots exactly as the kernel's `struct bpf_insn[]`:
 * a 64-bit immediate load (`lddw`) takes two consecutive slots, and program counters,
 * jump offsets and log indices all count slots. The raw fields are canonical (so that
 * every encoding round-trips and can be printed byte-exact); `decodeInsn` derives the
 * meaning as a tagged union.
 *
 *   byte 0: code | byte 1: src_reg << 4 | dst_reg | bytes 2-3: off (s16 LE) | bytes 4-7: imm (s32 LE)
 */
import {
  ALU_OPS, BPF_ABS, BPF_ADDR_PERCPU, BPF_ADDR_SPACE_CAST, BPF_ALU, BPF_ALU64, BPF_ATOMIC,
  BPF_CMPXCHG, BPF_DW, BPF_END, BPF_FETCH, BPF_IMM, BPF_IND,
  BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX, BPF_LOAD_ACQ, BPF_MEM, BPF_MEMSX,
  BPF_NEG, BPF_NOSPEC, BPF_PSEUDO_CALL, BPF_PSEUDO_KFUNC_CALL, BPF_ST, BPF_STORE_REL, BPF_STX,
  BPF_TO_BE, BPF_X, BPF_XCHG, JMP_OPS, opClass, opMode, opOp, opSize, opSrc, SIZE_BYTES,
  type AluOpName, type JmpOpName,
} from './opcodes';

/** One 8-byte instruction slot, fields as the kernel stores them (off: s16, imm: s32). */
export interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

export const insn = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });

/** Is this slot the first half of a 16-byte `lddw` (BPF_LD | BPF_IMM | BPF_DW)? */
export const isLdImm64 = (i: Insn): boolean => i.code === (BPF_LD | BPF_IMM | BPF_DW);

// ---------------------------------------------------------------------------------------
// Bytes and hex

/** Decodes one slot from 8 bytes at `offset` (little-endian, as on x86-64 and in ELF `bpfel`). */
export function insnFromBytes(bytes: Uint8Array, offset = 0): Insn {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const regs = dv.getUint8(1);
  return { code: dv.getUint8(0), dst: regs & 0x0f, src: regs >> 4, off: dv.getInt16(2, true), imm: dv.getInt32(4, true) };
}

export function insnToBytes(i: Insn, out = new Uint8Array(8), offset = 0): Uint8Array {
  const dv = new DataView(out.buffer, out.byteOffset + offset, 8);
  dv.setUint8(0, i.code & 0xff);
  dv.setUint8(1, ((i.src & 0x0f) << 4) | (i.dst & 0x0f));
  dv.setInt16(2, i.off, true);
  dv.setInt32(4, i.imm | 0, true);
  return out;
}

/** Decodes a whole program from bytes. The length must be a multiple of 8. */
export function programFromBytes(bytes: Uint8Array): Insn[] {
  if (bytes.length % 8 !== 0) {
    throw new InsnError(`program is ${bytes.length} bytes, not a multiple of 8 (truncated instruction at byte ${bytes.length - (bytes.length % 8)})`, Math.floor(bytes.length / 8));
  }
  const out: Insn[] = [];
  for (let o = 0; o < bytes.length; o += 8) out.push(insnFromBytes(bytes, o));
  return out;
}

export function programToBytes(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * 8);
  insns.forEach((i, k) => insnToBytes(i, out, k * 8));
  return out;
}

const HEX16 = /^[0-9a-fA-F]{16}$/;

/** Parses the corpus / CLI JSON form: 16 hex digits per slot, bytes in memory order. */
export function insnFromHex(hex: string, index = 0): Insn {
  if (!HEX16.test(hex)) throw new InsnError(`instruction ${index}: expected 16 hex digits, got ${JSON.stringify(hex)}`, index);
  const b = new Uint8Array(8);
  for (let k = 0; k < 8; k++) b[k] = parseInt(hex.slice(2 * k, 2 * k + 2), 16);
  return insnFromBytes(b);
}

export function insnToHex(i: Insn): string {
  return Array.from(insnToBytes(i), (b) => b.toString(16).padStart(2, '0')).join('');
}

export const programFromHex = (hexes: readonly string[]): Insn[] => hexes.map((h, k) => insnFromHex(h, k));
export const programToHex = (insns: readonly Insn[]): string[] => insns.map(insnToHex);

/** The 64-bit constant of an `lddw` at `pc` (unsigned), joining both slots' imm. */
export function ldImm64Value(insns: readonly Insn[], pc: number): bigint {
  const lo = BigInt(insns[pc].imm >>> 0);
  const hi = BigInt((insns[pc + 1]?.imm ?? 0) >>> 0);
  return (hi << 32n) | lo;
}

/** Slot count of the instruction at `pc`: 2 for `lddw`, else 1. */
export const insnWidth = (insns: readonly Insn[], pc: number): 1 | 2 => (isLdImm64(insns[pc]) ? 2 : 1);

/** The slot indices where instructions start (skipping `lddw` second halves). */
export function insnStarts(insns: readonly Insn[]): number[] {
  const out: number[] = [];
  for (let pc = 0; pc < insns.length; pc += insnWidth(insns, pc)) out.push(pc);
  return out;
}

// ---------------------------------------------------------------------------------------
// Errors

/** A malformed instruction: names the slot index and, where it applies, the field. */
export class InsnError extends Error {
  constructor(message: string, readonly index: number, readonly field?: keyof Insn | 'second slot') {
    super(message);
    this.name = 'InsnError';
  }
}

// ---------------------------------------------------------------------------------------
// Decoded meaning

export type AluOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'sdiv' | 'mod' | 'smod' | 'or' | 'and' | 'lsh' | 'rsh'
  | 'arsh' | 'xor' | 'mov' | 'movsx';
export type CondOp = 'jeq' | 'jgt' | 'jge' | 'jset' | 'jne' | 'jsgt' | 'jsge' | 'jlt' | 'jle' | 'jslt' | 'jsle';
export type AtomicOp = 'add' | 'or' | 'and' | 'xor' | 'xchg' | 'cmpxchg' | 'load_acquire' | 'store_release';
export type CallKind = 'helper' | 'subprog' | 'kfunc' | 'callx';

/** The meaning of an instruction. `width` is its slot count. */
export type Decoded =
  /** dst = dst OP src|imm. For movsx, `extBits` is 8/16/32. `srcIsReg` selects src vs imm. */
  | { kind: 'alu'; is64: boolean; op: AluOp; srcIsReg: boolean; dst: number; src: number; imm: number; extBits?: number }
  | { kind: 'neg'; is64: boolean; dst: number }
  /** Byte swap: `le`/`be` (class ALU; a no-op or swap depending on host order) or unconditional `bswap` (ALU64). */
  | { kind: 'end'; swap: 'le' | 'be' | 'bswap'; bits: number; dst: number }
  /** Arena address-space cast (`r1 = addr_space_cast(r2, 0, 1)`). */
  | { kind: 'addr_space_cast'; dst: number; src: number; fromAs: number; toAs: number }
  /** Kernel-internal per-CPU address move (only in xlated code). */
  | { kind: 'mov_percpu_addr'; dst: number; src: number }
  | { kind: 'ld_imm64'; dst: number; pseudo: number; imm: number; imm2: number; value: bigint }
  | { kind: 'ld_abs'; size: number; imm: number }
  | { kind: 'ld_ind'; size: number; src: number; imm: number }
  /** dst = *(size *)(src + off); `signed` for MEMSX (ldsx). */
  | { kind: 'ldx'; size: number; signed: boolean; dst: number; src: number; off: number }
  | { kind: 'st'; size: number; dst: number; off: number; imm: number }
  | { kind: 'stx'; size: number; dst: number; src: number; off: number }
  | { kind: 'atomic'; size: number; op: AtomicOp; fetch: boolean; dst: number; src: number; off: number }
  | { kind: 'nospec' }
  /** Unconditional jump: `goto` (off, JMP) or `gotol` (imm, JMP32). `target` is pc-relative. */
  | { kind: 'ja'; long: boolean; offset: number }
  | { kind: 'jcond'; is64: boolean; op: CondOp; srcIsReg: boolean; dst: number; src: number; imm: number; offset: number }
  | { kind: 'may_goto'; offset: number }
  | { kind: 'call'; call: CallKind; imm: number; dst: number; off: number }
  | { kind: 'exit' }
  /** Not an instruction of the ISA: `why` says which field makes it so. */
  | { kind: 'invalid'; why: string; field: keyof Insn };

export type DecodedKind = Decoded['kind'];

const ALU_OP_BY_NAME: Record<Exclude<AluOpName, 'neg' | 'end'>, AluOp> = {
  add: 'add', sub: 'sub', mul: 'mul', div: 'div', or: 'or', and: 'and', lsh: 'lsh', rsh: 'rsh',
  mod: 'mod', xor: 'xor', mov: 'mov', arsh: 'arsh',
};

const ATOMIC_BY_IMM = new Map<number, { op: AtomicOp; fetch: boolean }>([
  [0x00, { op: 'add', fetch: false }],
  [0x40, { op: 'or', fetch: false }],
  [0x50, { op: 'and', fetch: false }],
  [0xa0, { op: 'xor', fetch: false }],
  [0x00 | BPF_FETCH, { op: 'add', fetch: true }],
  [0x40 | BPF_FETCH, { op: 'or', fetch: true }],
  [0x50 | BPF_FETCH, { op: 'and', fetch: true }],
  [0xa0 | BPF_FETCH, { op: 'xor', fetch: true }],
  [BPF_XCHG, { op: 'xchg', fetch: true }],
  [BPF_CMPXCHG, { op: 'cmpxchg', fetch: true }],
  [BPF_LOAD_ACQ, { op: 'load_acquire', fetch: false }],
  [BPF_STORE_REL, { op: 'store_release', fetch: false }],
]);

/** The imm of an atomic instruction for an operation (inverse of decoding). */
export function atomicImm(op: AtomicOp, fetch: boolean): number {
  for (const [imm, v] of ATOMIC_BY_IMM) if (v.op === op && v.fetch === fetch) return imm;
  throw new RangeError(`no atomic operation ${op}${fetch ? ' with fetch' : ''}`);
}

const invalid = (why: string, field: keyof Insn): Decoded => ({ kind: 'invalid', why, field });

/**
 * Decodes the instruction at `pc`. Like the kernel's printer, this reads only the fields
 * that carry meaning; reserved fields are checked separately by `checkReservedFields`.
 */
export function decodeInsn(insns: readonly Insn[], pc: number): Decoded {
  const i = insns[pc];
  const cls = opClass(i.code);
  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64:
      return decodeAlu(i, cls === BPF_ALU64);
    case BPF_JMP:
    case BPF_JMP32:
      return decodeJmp(i, cls === BPF_JMP);
    case BPF_LD:
      return decodeLd(insns, pc);
    case BPF_LDX: {
      const mode = opMode(i.code);
      if (mode === BPF_MEM) return { kind: 'ldx', size: SIZE_BYTES[opSize(i.code) >> 3], signed: false, dst: i.dst, src: i.src, off: i.off };
      if (mode === BPF_MEMSX) {
        if (opSize(i.code) === BPF_DW) return invalid('sign-extending load of 8 bytes does not exist', 'code');
        return { kind: 'ldx', size: SIZE_BYTES[opSize(i.code) >> 3], signed: true, dst: i.dst, src: i.src, off: i.off };
      }
      return invalid(`LDX mode 0x${mode.toString(16)} is not MEM or MEMSX`, 'code');
    }
    case BPF_ST: {
      const mode = opMode(i.code);
      if (mode === BPF_MEM) return { kind: 'st', size: SIZE_BYTES[opSize(i.code) >> 3], dst: i.dst, off: i.off, imm: i.imm };
      if (mode === BPF_NOSPEC && opSize(i.code) === 0) return { kind: 'nospec' };
      return invalid(`ST mode 0x${mode.toString(16)} is not MEM`, 'code');
    }
    case BPF_STX: {
      const mode = opMode(i.code);
      const size = SIZE_BYTES[opSize(i.code) >> 3];
      if (mode === BPF_MEM) return { kind: 'stx', size, dst: i.dst, src: i.src, off: i.off };
      if (mode === BPF_ATOMIC) {
        const a = ATOMIC_BY_IMM.get(i.imm);
        if (!a) return invalid(`unknown atomic operation imm=0x${(i.imm >>> 0).toString(16)}`, 'imm');
        const rmw = a.op !== 'load_acquire' && a.op !== 'store_release';
        if (rmw && size !== 4 && size !== 8) return invalid(`atomic ${a.op} of ${size} bytes does not exist`, 'code');
        return { kind: 'atomic', size, op: a.op, fetch: a.fetch, dst: i.dst, src: i.src, off: i.off };
      }
      return invalid(`STX mode 0x${mode.toString(16)} is not MEM or ATOMIC`, 'code');
    }
  }
  return invalid('unreachable class', 'code');
}

function decodeAlu(i: Insn, is64: boolean): Decoded {
  const name = ALU_OPS[opOp(i.code) >> 4];
  const srcIsReg = opSrc(i.code) === BPF_X;
  if (name === undefined) return invalid(`ALU operation 0x${opOp(i.code).toString(16)} does not exist`, 'code');
  if (name === 'neg') return { kind: 'neg', is64, dst: i.dst };
  if (name === 'end') {
    const swap = is64 ? 'bswap' : opSrc(i.code) === BPF_TO_BE ? 'be' : 'le';
    if (is64 && srcIsReg) return invalid('64-bit byte swap with the BE bit set does not exist', 'code');
    return { kind: 'end', swap, bits: i.imm, dst: i.dst };
  }
  const base = { kind: 'alu' as const, is64, srcIsReg, dst: i.dst, src: i.src, imm: i.imm };
  if ((name === 'div' || name === 'mod') && i.off === 1) return { ...base, op: name === 'div' ? 'sdiv' : 'smod' };
  if (name === 'mov' && srcIsReg) {
    if (is64 && i.off === BPF_ADDR_SPACE_CAST) {
      // imm = (destination address space << 16) | source address space
      return { kind: 'addr_space_cast', dst: i.dst, src: i.src, fromAs: i.imm & 0xffff, toAs: (i.imm >>> 16) & 0xffff };
    }
    if (is64 && i.off === BPF_ADDR_PERCPU) return { kind: 'mov_percpu_addr', dst: i.dst, src: i.src };
    if (i.off === 8 || i.off === 16 || (i.off === 32 && is64)) return { ...base, op: 'movsx', extBits: i.off };
  }
  return { ...base, op: ALU_OP_BY_NAME[name] };
}

function decodeJmp(i: Insn, is64: boolean): Decoded {
  const name: JmpOpName | undefined = JMP_OPS[opOp(i.code) >> 4];
  const srcIsReg = opSrc(i.code) === BPF_X;
  if (name === undefined) return invalid(`jump operation 0x${opOp(i.code).toString(16)} does not exist`, 'code');
  switch (name) {
    case 'ja':
      return { kind: 'ja', long: !is64, offset: is64 ? i.off : i.imm };
    case 'call': {
      if (srcIsReg) return { kind: 'call', call: 'callx', imm: i.imm, dst: i.dst, off: i.off };
      const call: CallKind = i.src === BPF_PSEUDO_CALL ? 'subprog' : i.src === BPF_PSEUDO_KFUNC_CALL ? 'kfunc' : 'helper';
      return { kind: 'call', call, imm: i.imm, dst: i.dst, off: i.off };
    }
    case 'exit':
      return { kind: 'exit' };
    case 'jcond':
      return { kind: 'may_goto', offset: i.off };
    default:
      return { kind: 'jcond', is64, op: name, srcIsReg, dst: i.dst, src: i.src, imm: i.imm, offset: i.off };
  }
}

function decodeLd(insns: readonly Insn[], pc: number): Decoded {
  const i = insns[pc];
  const mode = opMode(i.code);
  const size = SIZE_BYTES[opSize(i.code) >> 3];
  if (mode === BPF_IMM) {
    if (opSize(i.code) !== BPF_DW) return invalid('LD IMM of fewer than 8 bytes does not exist', 'code');
    const imm2 = insns[pc + 1]?.imm ?? 0;
    return { kind: 'ld_imm64', dst: i.dst, pseudo: i.src, imm: i.imm, imm2, value: ldImm64Value(insns, pc) };
  }
  if (mode === BPF_ABS) return { kind: 'ld_abs', size, imm: i.imm };
  if (mode === BPF_IND) return { kind: 'ld_ind', size, src: i.src, imm: i.imm };
  return invalid(`LD mode 0x${mode.toString(16)} is not IMM, ABS or IND`, 'code');
}

// ---------------------------------------------------------------------------------------
// Validity: reserved fields and register numbers

/** A field that RFC 9669 / the kernel require to hold a particular value. */
export interface FieldProblem {
  field: keyof Insn | 'second slot';
  message: string;
}

const must0 = (i: Insn, ...fields: (keyof Insn)[]): FieldProblem | null => {
  for (const f of fields) if (i[f] !== 0) return { field: f, message: `${f} must be 0, is ${i[f]}` };
  return null;
};

/**
 * Checks the fields the ISA reserves for the decoded instruction: unused fields must be
 * zero, and the ones with a closed set of values (END widths, movsx widths, pseudo
 * sources) must hold one of them. Register numbers are checked by `checkInsn`.
 */
export function checkReservedFields(insns: readonly Insn[], pc: number, d = decodeInsn(insns, pc)): FieldProblem | null {
  const i = insns[pc];
  switch (d.kind) {
    case 'invalid':
      return { field: d.field, message: d.why };
    case 'alu': {
      if (d.srcIsReg) {
        const p = must0(i, 'imm');
        if (p) return p;
        const okOff = d.op === 'sdiv' || d.op === 'smod' || d.op === 'movsx';
        if (!okOff && i.off !== 0) return { field: 'off', message: `off must be 0, is ${i.off}` };
        return null;
      }
      const p = must0(i, 'src');
      if (p) return p;
      if (d.op !== 'sdiv' && d.op !== 'smod' && i.off !== 0) return { field: 'off', message: `off must be 0, is ${i.off}` };
      return null;
    }
    case 'neg':
      if (opSrc(i.code) !== 0) return { field: 'code', message: 'NEG has no register-source form' };
      return must0(i, 'src', 'off', 'imm');
    case 'end':
      if (i.imm !== 16 && i.imm !== 32 && i.imm !== 64) return { field: 'imm', message: `byte-swap width must be 16, 32 or 64, is ${i.imm}` };
      return must0(i, 'src', 'off');
    case 'addr_space_cast':
      if (i.imm !== 1 && i.imm !== 1 << 16) return { field: 'imm', message: 'addr_space_cast converts only between address spaces 0 and 1' };
      return null;
    case 'mov_percpu_addr':
      return must0(i, 'imm');
    case 'ld_imm64': {
      const hi = insns[pc + 1];
      if (!hi) return { field: 'second slot', message: 'lddw is missing its second 8-byte slot' };
      if (hi.code !== 0 || hi.dst !== 0 || hi.src !== 0 || hi.off !== 0) {
        return { field: 'second slot', message: 'the second slot of lddw must have code, registers and off all 0' };
      }
      if (i.src > 6) return { field: 'src', message: `lddw pseudo source must be 0-6, is ${i.src}` };
      return must0(i, 'off');
    }
    case 'ld_abs':
      if (opSize(i.code) === BPF_DW) return { field: 'code', message: 'LD_ABS of 8 bytes does not exist' };
      return must0(i, 'dst', 'src', 'off');
    case 'ld_ind':
      if (opSize(i.code) === BPF_DW) return { field: 'code', message: 'LD_IND of 8 bytes does not exist' };
      return must0(i, 'dst', 'off');
    case 'ldx':
      return must0(i, 'imm');
    case 'st':
      return must0(i, 'src');
    case 'stx':
      return must0(i, 'imm');
    case 'atomic':
    case 'nospec':
      return null;
    case 'ja':
      return d.long ? must0(i, 'dst', 'src', 'off') : must0(i, 'dst', 'src', 'imm');
    case 'jcond':
      return d.srcIsReg ? must0(i, 'imm') : must0(i, 'src');
    case 'may_goto':
      if (opClass(i.code) !== BPF_JMP) return { field: 'code', message: 'may_goto exists only in class JMP' };
      return must0(i, 'dst', 'src', 'imm');
    case 'call':
      if (opClass(i.code) === BPF_JMP32) return { field: 'code', message: 'call exists only in class JMP' };
      if (d.call === 'callx') return must0(i, 'src', 'off', 'imm');
      if (i.src > BPF_PSEUDO_KFUNC_CALL) return { field: 'src', message: `call source must be 0 (helper), 1 (subprogram) or 2 (kfunc), is ${i.src}` };
      return d.call === 'kfunc' ? must0(i, 'dst') : must0(i, 'dst', 'off');
    case 'exit':
      if (opClass(i.code) !== BPF_JMP) return { field: 'code', message: 'exit exists only in class JMP' };
      if (opSrc(i.code) !== 0) return { field: 'code', message: 'exit has no register-source form' };
      return must0(i, 'dst', 'src', 'off', 'imm');
  }
}

/** Registers an instruction names, for the range check (r0-r10). */
function usedRegs(d: Decoded): { dst?: number; src?: number } {
  switch (d.kind) {
    case 'alu': return d.srcIsReg ? { dst: d.dst, src: d.src } : { dst: d.dst };
    case 'neg': case 'end': case 'ld_imm64': return { dst: d.dst };
    case 'addr_space_cast': case 'mov_percpu_addr': case 'ldx': case 'stx': case 'atomic': return { dst: d.dst, src: d.src };
    case 'ld_ind': return { src: d.src };
    case 'st': return { dst: d.dst };
    case 'jcond': return d.srcIsReg ? { dst: d.dst, src: d.src } : { dst: d.dst };
    case 'call': return d.call === 'callx' ? { dst: d.dst } : {};
    default: return {};
  }
}

/**
 * Full structural check of one instruction: a valid opcode, reserved fields as the ISA
 * requires, and register numbers 0-10. Throws `InsnError` naming the index and field.
 */
export function checkInsn(insns: readonly Insn[], pc: number): Decoded {
  const d = decodeInsn(insns, pc);
  const p = checkReservedFields(insns, pc, d);
  const code = insns[pc].code.toString(16).padStart(2, '0');
  if (p) throw new InsnError(`instruction ${pc} (opcode 0x${code}): ${p.message}`, pc, p.field);
  const { dst, src } = usedRegs(d);
  if (dst !== undefined && dst > 10) throw new InsnError(`instruction ${pc} (opcode 0x${code}): invalid destination register r${dst}`, pc, 'dst');
  if (src !== undefined && src > 10) throw new InsnError(`instruction ${pc} (opcode 0x${code}): invalid source register r${src}`, pc, 'src');
  return d;
}

/** Checks every instruction of a program (see `checkInsn`); returns the decoded forms by slot. */
export function checkProgram(insns: readonly Insn[]): (Decoded | undefined)[] {
  const out: (Decoded | undefined)[] = new Array(insns.length);
  for (let pc = 0; pc < insns.length; pc += insnWidth(insns, pc)) out[pc] = checkInsn(insns, pc);
  return out;
}

// ---------------------------------------------------------------------------------------
// Opcode table

/** Every opcode byte the ISA defines (any valid field values), with a short mnemonic. */
export const OPCODES: ReadonlyMap<number, string> = buildOpcodeTable();

function buildOpcodeTable(): Map<number, string> {
  const t = new Map<number, string>();
  for (const [cls, sfx] of [[BPF_ALU, '32'], [BPF_ALU64, '']] as const) {
    ALU_OPS.forEach((name, k) => {
      if (!name) return;
      if (name === 'neg') { t.set(cls | BPF_NEG, `neg${sfx}`); return; }
      if (name === 'end') {
        if (cls === BPF_ALU) { t.set(cls | BPF_END, 'le'); t.set(cls | BPF_END | BPF_TO_BE, 'be'); } else t.set(cls | BPF_END, 'bswap');
        return;
      }
      t.set(cls | (k << 4), `${name}${sfx}`);
      t.set(cls | (k << 4) | BPF_X, `${name}${sfx}`);
    });
  }
  for (const [cls, sfx] of [[BPF_JMP, ''], [BPF_JMP32, '32']] as const) {
    JMP_OPS.forEach((name, k) => {
      if (!name) return;
      const op = k << 4;
      if (name === 'ja') { t.set(cls | op, cls === BPF_JMP ? 'ja' : 'gotol'); return; }
      if (name === 'call' || name === 'exit' || name === 'jcond') {
        if (cls !== BPF_JMP) return;
        t.set(cls | op, name === 'jcond' ? 'may_goto' : name);
        if (name === 'call') t.set(cls | op | BPF_X, 'callx');
        return;
      }
      t.set(cls | op, `${name}${sfx}`);
      t.set(cls | op | BPF_X, `${name}${sfx}`);
    });
  }
  t.set(BPF_LD | BPF_IMM | BPF_DW, 'lddw');
  for (const size of [0x00, 0x08, 0x10]) {
    t.set(BPF_LD | BPF_ABS | size, 'ldabs');
    t.set(BPF_LD | BPF_IND | size, 'ldind');
    t.set(BPF_LDX | BPF_MEMSX | size, 'ldxs');
  }
  for (const size of [0x00, 0x08, 0x10, 0x18]) {
    t.set(BPF_LDX | BPF_MEM | size, 'ldx');
    t.set(BPF_ST | BPF_MEM | size, 'st');
    t.set(BPF_STX | BPF_MEM | size, 'stx');
    t.set(BPF_STX | BPF_ATOMIC | size, 'atomic');
  }
  return t;
}

/** Does the ISA define this opcode byte? (Not: is the whole instruction valid.) */
export const isKnownOpcode = (code: number): boolean => OPCODES.has(code);

