/**
 * An x86-64 disassembler for what the BPF JIT emits, printing AT&T syntax exactly as GNU
 * objdump (binutils 2.40, `objdump -D -b binary -m i386:x86-64`) does, so a jited listing
 * reads like `bpftool prog dump jited` built with libbfd. Anything outside the JIT's
 * repertoire decodes as a one-byte `(bad)`.
 *
 * Covered: legacy prefixes 66 / f0 (lock) / 65 (gs), REX, the VEX-encoded BMI2 shifts,
 * ModRM/SIB memory operands, and the one- and two-byte opcodes of the JIT (ALU, moves
 * and extensions, multiply/divide, shifts and rotates, jumps and calls, push/pop,
 * byte swaps, atomics, nops, lfence).
 */

export interface X86Insn {
  /** Offset of the instruction in the buffer. */
  offset: number;
  length: number;
  /** objdump's text: mnemonic padded to 6, a space, the operands. */
  text: string;
  mnemonic: string;
  /** Branch or call target (buffer base + offset, 64-bit), for jumps and calls. */
  target?: bigint;
}

const REG64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const REG32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const REG16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const REG8_REX = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const REG8_LEGACY = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];

const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
const GRP1 = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
const GRP2 = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', undefined, 'sar'];
const ALU_RM_REG = new Map<number, string>([[0x01, 'add'], [0x09, 'or'], [0x21, 'and'], [0x29, 'sub'], [0x31, 'xor'], [0x39, 'cmp'], [0x85, 'test'], [0x87, 'xchg'], [0x89, 'mov'], [0x88, 'mov']]);
const ALU_REG_RM = new Map<number, string>([[0x03, 'add'], [0x0b, 'or'], [0x23, 'and'], [0x2b, 'sub'], [0x33, 'xor'], [0x3b, 'cmp'], [0x8b, 'mov']]);
const ALU_EAX_IMM = new Map<number, string>([[0x05, 'add'], [0x0d, 'or'], [0x25, 'and'], [0x2d, 'sub'], [0x35, 'xor'], [0x3d, 'cmp'], [0xa9, 'test']]);
const SIZE_SUFFIX: Record<number, string> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };

const hex = (v: bigint): string => `0x${v.toString(16)}`;
const u = (v: bigint, bits: number): bigint => BigInt.asUintN(bits, v);

interface Operand {
  text: string;
  isMem: boolean;
}

class Bad extends Error {}

class Reader {
  pos: number;
  constructor(readonly bytes: Uint8Array, readonly start: number) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.bytes.length) throw new Bad();
    return this.bytes[this.pos++];
  }
  s8(): number {
    return (this.u8() << 24) >> 24;
  }
  s32(): number {
    if (this.pos + 4 > this.bytes.length) throw new Bad();
    const b = this.bytes;
    const v = b[this.pos] | (b[this.pos + 1] << 8) | (b[this.pos + 2] << 16) | (b[this.pos + 3] << 24);
    this.pos += 4;
    return v;
  }
  s16(): number {
    const v = this.u8() | (this.u8() << 8);
    return (v << 16) >> 16;
  }
  u64(): bigint {
    const lo = BigInt(this.s32() >>> 0);
    const hi = BigInt(this.s32() >>> 0);
    return (hi << 32n) | lo;
  }
}

interface Prefixes {
  opsize: boolean;
  lock: boolean;
  gs: boolean;
  rex: number;
  hasRex: boolean;
}

function regName(n: number, size: number, p: Prefixes): string {
  switch (size) {
    case 64: return REG64[n];
    case 32: return REG32[n];
    case 16: return REG16[n];
    default: return p.hasRex ? REG8_REX[n] : REG8_LEGACY[n] ?? REG8_REX[n];
  }
}

const signedHex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);

/** Decodes a ModRM (+SIB, +displacement): the reg field number and the r/m operand. */
function modrm(r: Reader, p: Prefixes, size: number): { reg: number; rm: Operand; rmReg?: number; modrmByte: number } {
  const m = r.u8();
  const mod = m >> 6;
  const reg = ((m >> 3) & 7) | (p.rex & 4 ? 8 : 0);
  let rm = m & 7;
  if (mod === 3) {
    const n = rm | (p.rex & 1 ? 8 : 0);
    return { reg, rm: { text: `%${regName(n, size, p)}`, isMem: false }, rmReg: n, modrmByte: m };
  }
  let base: number | undefined;
  let index: number | undefined;
  let scale = 1;
  let disp = 0;
  let hasDisp = mod !== 0;
  if (rm === 4) {
    const sib = r.u8();
    scale = 1 << (sib >> 6);
    const idx = ((sib >> 3) & 7) | (p.rex & 2 ? 8 : 0);
    if (idx !== 4) index = idx;
    const b = sib & 7;
    if (b === 5 && mod === 0) {
      base = undefined;
      hasDisp = true;
      disp = r.s32();
    } else base = b | (p.rex & 1 ? 8 : 0);
  } else if (rm === 5 && mod === 0) {
    throw new Bad(); // RIP-relative: the JIT never emits it
  } else {
    base = rm | (p.rex & 1 ? 8 : 0);
  }
  if (mod === 1) disp = r.s8();
  else if (mod === 2) disp = r.s32();
  const seg = p.gs ? '%gs:' : '';
  let text: string;
  if (base === undefined && index === undefined) text = `${seg}${hex(u(BigInt(disp), 64))}`;
  else {
    const inner = index === undefined ? `%${REG64[base!]}` : `${base === undefined ? '' : `%${REG64[base]}`},%${REG64[index]},${scale}`;
    text = `${seg}${hasDisp ? signedHex(disp) : ''}(${inner})`;
  }
  return { reg, rm: { text, isMem: true }, modrmByte: m };
}

const imm = (v: number | bigint, bits: number): string => `$${hex(u(BigInt(v), bits))}`;

function opSize(p: Prefixes): number {
  return p.rex & 8 ? 64 : p.opsize ? 16 : 32;
}

/** Decodes one instruction at `offset`; `base` is the buffer's address for branch targets. */
export function decodeX86(bytes: Uint8Array, offset: number, base = 0n): X86Insn {
  const r = new Reader(bytes, offset);
  try {
    return decode(r, base);
  } catch (e) {
    if (!(e instanceof Bad)) throw e;
    return { offset, length: 1, text: '(bad)', mnemonic: '(bad)' };
  }
}

function decode(r: Reader, base: bigint): X86Insn {
  const offset = r.start;
  const p: Prefixes = { opsize: false, lock: false, gs: false, rex: 0, hasRex: false };
  let b = r.u8();
  for (;;) {
    if (b === 0x66) p.opsize = true;
    else if (b === 0xf0) p.lock = true;
    else if (b === 0x65) p.gs = true;
    else break;
    b = r.u8();
  }
  if (b >= 0x40 && b <= 0x4f) {
    p.rex = b & 0xf;
    p.hasRex = true;
    b = r.u8();
  }
  const size = opSize(p);
  const done = (mnemonic: string, operands: string[] = [], target?: bigint): X86Insn => {
    const name = p.lock ? `lock ${mnemonic}` : mnemonic;
    const ops = operands.join(',');
    return { offset, length: r.pos - offset, mnemonic: name, text: ops ? `${name.padEnd(6)} ${ops}` : name, target };
  };
  const rel = (disp: number): bigint => u(base + BigInt(r.pos) + BigInt(disp), 64);
  const withSuffix = (m: string, rm: Operand, sz: number): string => (rm.isMem ? m + SIZE_SUFFIX[sz] : m);

  if (b === 0xc4) return decodeVex(r, p, done);

  if (b === 0x0f) return decode0f(r, p, size, done, rel);

  if (ALU_RM_REG.has(b)) {
    const sz = b === 0x88 ? 8 : size;
    const { reg, rm } = modrm(r, p, sz);
    return done(ALU_RM_REG.get(b)!, [`%${regName(reg, sz, p)}`, rm.text]);
  }
  if (ALU_REG_RM.has(b)) {
    const { reg, rm } = modrm(r, p, size);
    return done(ALU_REG_RM.get(b)!, [rm.text, `%${regName(reg, size, p)}`]);
  }
  if (ALU_EAX_IMM.has(b)) {
    const v = size === 16 ? r.s16() : r.s32();
    return done(ALU_EAX_IMM.get(b)!, [imm(v, size), `%${regName(0, size, p)}`]);
  }
  if (b >= 0x50 && b <= 0x5f) {
    const n = (b & 7) | (p.rex & 1 ? 8 : 0);
    return done(b < 0x58 ? 'push' : 'pop', [`%${p.opsize ? REG16[n] : REG64[n]}`]);
  }
  if (b >= 0x70 && b <= 0x7f) {
    const d = r.s8();
    const t = rel(d);
    return done(`j${CC[b & 0xf]}`, [hex(t)], t);
  }
  if (b >= 0xb8 && b <= 0xbf) {
    const n = (b & 7) | (p.rex & 1 ? 8 : 0);
    if (size === 64) return done('movabs', [imm(r.u64(), 64), `%${REG64[n]}`]);
    const v = size === 16 ? r.s16() : r.s32();
    return done('mov', [imm(v, size), `%${regName(n, size, p)}`]);
  }
  switch (b) {
    case 0x63: {
      const { reg, rm } = modrm(r, p, 32);
      return done(size === 64 ? 'movslq' : 'movsxd', [rm.text, `%${regName(reg, size, p)}`]);
    }
    case 0x69: case 0x6b: {
      const { reg, rm } = modrm(r, p, size);
      const v = b === 0x6b ? r.s8() : size === 16 ? r.s16() : r.s32();
      return done('imul', [imm(v, size), rm.text, `%${regName(reg, size, p)}`]);
    }
    case 0x81: case 0x83: {
      const { reg, rm } = modrm(r, p, size);
      const v = b === 0x83 ? r.s8() : size === 16 ? r.s16() : r.s32();
      return done(withSuffix(GRP1[reg & 7], rm, size), [imm(v, size), rm.text]);
    }
    case 0x90:
      if (p.rex & 1) break;
      return p.opsize ? done('xchg', ['%ax', '%ax']) : done('nop');
    case 0x99:
      return done(size === 64 ? 'cqto' : size === 16 ? 'cwtd' : 'cltd');
    case 0xc1: case 0xd1: case 0xd3: {
      const { reg, rm } = modrm(r, p, size);
      const name = GRP2[reg & 7];
      if (!name) throw new Bad();
      const m = withSuffix(name, rm, size);
      if (b === 0xc1) return done(m, [imm(r.u8(), 8), rm.text]);
      if (b === 0xd3) return done(m, ['%cl', rm.text]);
      return done(m, [rm.text]);
    }
    case 0xc3: return done('ret');
    case 0xc6: case 0xc7: {
      const sz = b === 0xc6 ? 8 : size;
      const { reg, rm } = modrm(r, p, sz);
      if ((reg & 7) !== 0) throw new Bad();
      const v = sz === 8 ? r.u8() : sz === 16 ? r.s16() : r.s32();
      return done(withSuffix('mov', rm, sz), [imm(v, sz), rm.text]);
    }
    case 0xc9: return done('leave');
    case 0xcc: return done('int3');
    case 0xe8: case 0xe9: {
      const d = r.s32();
      const t = rel(d);
      return done(b === 0xe8 ? 'call' : 'jmp', [hex(t)], t);
    }
    case 0xeb: {
      const d = r.s8();
      const t = rel(d);
      return done('jmp', [hex(t)], t);
    }
    case 0xf7: {
      const { reg, rm } = modrm(r, p, size);
      switch (reg & 7) {
        case 0: {
          const v = size === 16 ? r.s16() : r.s32();
          return done(withSuffix('test', rm, size), [imm(v, size), rm.text]);
        }
        case 2: return done(withSuffix('not', rm, size), [rm.text]);
        case 3: return done(withSuffix('neg', rm, size), [rm.text]);
        case 4: return done(withSuffix('mul', rm, size), [rm.text]);
        case 6: return done(withSuffix('div', rm, size), [rm.text]);
        case 7: return done(withSuffix('idiv', rm, size), [rm.text]);
      }
      break;
    }
    case 0xff: {
      const { reg, rm } = modrm(r, p, 64);
      if ((reg & 7) === 4) return done('jmp', [`*${rm.text}`]);
      if ((reg & 7) === 2) return done('call', [`*${rm.text}`]);
      break;
    }
  }
  throw new Bad();
}

type Done = (mnemonic: string, operands?: string[], target?: bigint) => X86Insn;

function decode0f(r: Reader, p: Prefixes, size: number, done: Done, rel: (d: number) => bigint): X86Insn {
  const b = r.u8();
  if (b >= 0x80 && b <= 0x8f) {
    const d = r.s32();
    const t = rel(d);
    return done(`j${CC[b & 0xf]}`, [hex(t)], t);
  }
  if (b >= 0xc8 && b <= 0xcf) {
    const n = (b & 7) | (p.rex & 1 ? 8 : 0);
    return done('bswap', [`%${regName(n, size === 16 ? 32 : size, p)}`]);
  }
  if (b >= 0x40 && b <= 0x4f) {
    const { reg, rm } = modrm(r, p, size);
    return done(`cmov${CC[b & 0xf]}`, [rm.text, `%${regName(reg, size, p)}`]);
  }
  switch (b) {
    case 0x1f: {
      const { reg, rm } = modrm(r, p, size);
      if ((reg & 7) !== 0) throw new Bad();
      return done(rm.isMem ? `nop${SIZE_SUFFIX[size]}` : 'nop', [rm.text]);
    }
    case 0xae: {
      const m = r.u8();
      if (m === 0xe8) return done('lfence');
      if (m === 0xf0) return done('mfence');
      throw new Bad();
    }
    case 0xaf: {
      const { reg, rm } = modrm(r, p, size);
      return done('imul', [rm.text, `%${regName(reg, size, p)}`]);
    }
    case 0xb1: case 0xc1: {
      const { reg, rm } = modrm(r, p, size);
      return done(b === 0xb1 ? 'cmpxchg' : 'xadd', [`%${regName(reg, size, p)}`, rm.text]);
    }
    case 0xb6: case 0xb7: case 0xbe: case 0xbf: {
      const from = b & 1 ? 16 : 8;
      const { reg, rm } = modrm(r, p, from);
      const m = `mov${b >= 0xbe ? 's' : 'z'}${SIZE_SUFFIX[from]}${SIZE_SUFFIX[size]}`;
      return done(m, [rm.text, `%${regName(reg, size, p)}`]);
    }
  }
  throw new Bad();
}

/** The BMI2 shifts: VEX.0F38 F7 with pp selecting shlx (66), sarx (F3), shrx (F2). */
function decodeVex(r: Reader, p: Prefixes, done: Done): X86Insn {
  const b1 = r.u8();
  const b2 = r.u8();
  if ((b1 & 0x1f) !== 2 || (b2 & 4)) throw new Bad();
  const op = r.u8();
  if (op !== 0xf7) throw new Bad();
  const name = [undefined, 'shlx', 'sarx', 'shrx'][b2 & 3];
  if (!name) throw new Bad();
  const vp: Prefixes = { ...p, rex: (b2 & 0x80 ? 8 : 0) | (b1 & 0x80 ? 0 : 4) | (b1 & 0x40 ? 0 : 2) | (b1 & 0x20 ? 0 : 1), hasRex: true };
  const size = b2 & 0x80 ? 64 : 32;
  const { reg, rm } = modrm(r, vp, size);
  const vvvv = (~b2 >> 3) & 0xf;
  return done(name, [`%${regName(vvvv, size, vp)}`, rm.text, `%${regName(reg, size, vp)}`]);
}

/** Decodes a whole buffer. */
export function disassembleX86(bytes: Uint8Array, base = 0n, start = 0, end = bytes.length): X86Insn[] {
  const out: X86Insn[] = [];
  for (let o = start; o < end;) {
    const i = decodeX86(bytes.subarray(0, end), o, base);
    out.push(i);
    o += i.length;
  }
  return out;
}

/**
 * The instruction lines of `objdump -D -b binary -m i386:x86-64` for the buffer:
 * `addr:\tbytes (7 per line, padded)\ttext`, with continuation lines for longer ones.
 */
export function formatObjdumpLines(bytes: Uint8Array, insns: readonly X86Insn[]): string {
  const lines: string[] = [];
  const addrWidth = objdumpAddressWidth(bytes.length);
  for (const i of insns) {
    const bs = Array.from(bytes.subarray(i.offset, i.offset + i.length), (b) => b.toString(16).padStart(2, '0'));
    for (let k = 0; k < bs.length; k += 7) {
      const addr = (i.offset + k).toString(16).padStart(addrWidth);
      const chunk = `${bs.slice(k, k + 7).join(' ')} `;
      lines.push(k === 0 ? `${addr}:\t${chunk.padEnd(21)}\t${i.text}` : `${addr}:\t${chunk}`);
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/**
 * objdump's address column: the end address's 16 hex digits without their leading
 * zeros, rounded so that one zero is kept and the width is a multiple of 4 digits
 * (4 below 0x1000, 8 from there).
 */
export function objdumpAddressWidth(end: number): number {
  const digits = end.toString(16).padStart(16, '0');
  let zeros = 0;
  while (zeros < digits.length && digits[zeros] === '0') zeros++;
  if (zeros === 0) return 16;
  return 16 - ((zeros - 1) & ~3);
}
