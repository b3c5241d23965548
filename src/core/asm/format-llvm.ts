/**
 * Instructions in LLVM's BPF assembly syntax, exactly as `llvm-objdump-19 -d` prints them:
 * `r0 = 0x0`, `w1 += w2`, `r1 = *(u32 *)(r2 + 0x8)`, `if r1 > r2 goto +0x10 <LBB0_3>`.
 *
 * LLVM's decoder is generated from instruction patterns: each pattern fixes some fields
 * and leaves the rest "don't care". So some reserved fields are ignored (`exit` with a
 * source register still prints `exit`) and others make the slot `<unknown>`. Which is
 * which is recorded per form in `FORMS` below; `test/golden/llvm-insn-text` checks it
 * against llvm-objdump itself. Forms that need the ALU32 feature (`--mcpu=v3` and up)
 * are tried only when `alu32` is set.
 */
import type { Insn } from '../isa/insn';

export interface LlvmFormatOptions {
  /** Decode as with `--mcpu=v3`/`v4` (ALU32 register forms), not the default CPU. */
  alu32?: boolean;
  /**
   * Names a branch target for the ` <sym+0x..>` suffix llvm-objdump appends: gets the
   * target's byte address within the section, returns the text inside `<>` or undefined.
   */
  symbolize?: (byteAddr: bigint) => string | undefined;
  /** Byte address of slot 0 (the section offset of the first instruction). Default 0. */
  baseAddr?: bigint;
}

/** printf-style hex of a signed value: `0x1f`, `-0x1`. */
export const llvmHex = (v: number | bigint): string => {
  const b = BigInt(v);
  return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
};
const signedHex = (v: number): string => (v < 0 ? `-0x${(-v).toString(16)}` : `+0x${v.toString(16)}`);
const addr = (reg: number, off: number): string => (off < 0 ? `r${reg} - 0x${(-off).toString(16)}` : `r${reg} + 0x${off.toString(16)}`);
const mem = (reg: number, off: number): string => (off < 0 ? `(r${reg} - 0x${(-off).toString(16)})` : `(r${reg} + 0x${off.toString(16)})`);

type Field = 'dst' | 'src' | 'off' | 'imm';
interface Form {
  /** Fields this pattern fixes, and their values. */
  fixed?: Partial<Record<Field, number>>;
  /** Fixed bits of imm: [mask, value]. */
  immBits?: [number, number];
  /** Needs the ALU32 feature. */
  alu32?: boolean;
  /** Only without the ALU32 feature (a pattern ALU32 replaces). */
  noAlu32?: boolean;
  text(i: Insn, ctx: Ctx): string;
}
interface Ctx {
  pc: number;
  insns: readonly Insn[];
  target(offset: number): string;
}

const SIZE_T = { 0x00: 'u32', 0x08: 'u16', 0x10: 'u8', 0x18: 'u64' } as Record<number, string>;
const SSIZE_T = { 0x00: 's32', 0x08: 's16', 0x10: 's8' } as Record<number, string>;

type DecodedForm = Form & { regs: ('dst' | 'src')[] };
const FORMS = new Map<number, DecodedForm[]>();

/**
 * The register fields a form decodes are the ones it prints; LLVM's register class has
 * r0-r11, so a larger number there is no match. Found by printing a probe instruction.
 */
function printedRegs(f: Form): ('dst' | 'src')[] {
  const read = new Set<'dst' | 'src'>();
  const probe = new Proxy({ code: 0, dst: 0, src: 0, off: 0, imm: 0 } as Insn, {
    get(t, k) {
      if (k === 'dst' || k === 'src') read.add(k);
      return t[k as keyof Insn];
    },
  });
  f.text(probe, { pc: 0, insns: [probe, probe], target: () => '' });
  return [...read];
}
const add = (code: number, ...forms: Form[]) =>
  FORMS.set(code, [...(FORMS.get(code) ?? []), ...forms.map((f) => ({ ...f, regs: printedRegs(f) }))]);

// ALU and ALU64: K form fixes off (0, or 1 for signed div/mod); X form fixes off too.
const ALU_SYM: [number, string][] = [
  [0x00, '+='], [0x10, '-='], [0x20, '*='], [0x30, '/='], [0x40, '|='], [0x50, '&='], [0x60, '<<='],
  [0x70, '>>='], [0x90, '%='], [0xa0, '^='], [0xb0, '='], [0xc0, 's>>='],
];
for (const [cls, w] of [[0x07, 'r'], [0x04, 'w']] as const) {
  for (const [op, sym] of ALU_SYM) {
    add(cls | op, { fixed: { off: 0 }, text: (i) => `${w}${i.dst} ${sym} ${llvmHex(i.imm)}` });
    add(cls | op | 0x08, { fixed: { off: 0 }, text: (i) => `${w}${i.dst} ${sym} ${w}${i.src}` });
    if (op === 0x30 || op === 0x90) {
      const ssym = `s${sym}`;
      add(cls | op, { fixed: { off: 1 }, text: (i) => `${w}${i.dst} ${ssym} ${llvmHex(i.imm)}` });
      add(cls | op | 0x08, { fixed: { off: 1 }, text: (i) => `${w}${i.dst} ${ssym} ${w}${i.src}` });
    }
  }
  for (const [bits, cast] of cls === 0x07 ? [[8, '(s8)'], [16, '(s16)'], [32, '(s32)']] as const : [[8, '(s8)'], [16, '(s16)']] as const) {
    add(cls | 0xb8, { fixed: { off: bits }, text: (i) => `${w}${i.dst} = ${cast}${w}${i.src}` });
  }
  add(cls | 0x80, { text: (i) => `${w}${i.dst} = -${w}${i.dst}` });
  if (cls === 0x07) {
    add(0xbf, { fixed: { off: 1 }, text: (i) => `r${i.dst} = addr_space_cast(r${i.src}, ${llvmHex(i.imm >>> 16)}, ${llvmHex(i.imm & 0xffff)})` });
  }
}
// Byte swaps: width fixed in imm.
for (const [code, name] of [[0xd4, 'le'], [0xdc, 'be'], [0xd7, 'bswap']] as const) {
  for (const bits of [16, 32, 64]) add(code, { fixed: { imm: bits }, text: (i) => `r${i.dst} = ${name}${bits} r${i.dst}` });
}

// 64-bit immediate load. A non-zero src makes it LLVM's generic `ld_pseudo`.
add(0x18,
  { fixed: { src: 0, off: 0 }, text: (i, c) => `r${i.dst} = ${llvmHex(BigInt.asIntN(64, (BigInt((c.insns[c.pc + 1]?.imm ?? 0) >>> 0) << 32n) | BigInt(i.imm >>> 0)))} ll` },
  { fixed: { off: 0 }, text: (i) => `ld_pseudo\tr${i.dst}, ${llvmHex(i.src)}, ${llvmHex(i.imm >>> 0)}` });

// Legacy packet loads.
for (const [size, t] of [[0x00, 'u32'], [0x08, 'u16'], [0x10, 'u8']] as const) {
  add(0x20 | size, { text: (i) => `r0 = *(${t} *)skb[${llvmHex(i.imm)}]` });
  add(0x40 | size, { text: (i) => `r0 = *(${t} *)skb[r${i.src}]` });
}

// Memory loads and stores. With ALU32, sub-64-bit loads and stores name `w` registers.
for (const size of [0x00, 0x08, 0x10, 0x18]) {
  const t = SIZE_T[size];
  const narrow = size !== 0x18;
  if (narrow) {
    add(0x61 | size, { alu32: true, text: (i) => `w${i.dst} = *(${t} *)${mem(i.src, i.off)}` });
    add(0x63 | size, { alu32: true, text: (i) => `*(${t} *)${mem(i.dst, i.off)} = w${i.src}` });
  }
  add(0x61 | size, { text: (i) => `r${i.dst} = *(${t} *)${mem(i.src, i.off)}` });
  add(0x63 | size, { text: (i) => `*(${t} *)${mem(i.dst, i.off)} = r${i.src}` });
  add(0x62 | size, { text: (i) => `*(${t} *)${mem(i.dst, i.off)} = ${llvmHex(i.imm)}` });
  if (narrow) add(0x81 | size, { text: (i) => `r${i.dst} = *(${SSIZE_T[size]} *)${mem(i.src, i.off)}` });
}

// Atomics: imm selects the operation (bits 7-4) and fetch (bit 0).
const ATOMIC_ALU: [number, string, string][] = [[0x00, '+=', 'add'], [0x40, '|=', 'or'], [0x50, '&=', 'and'], [0xa0, '^=', 'xor']];
for (const [size, t, x] of [[0x18, 'u64', 'r'], [0x00, 'u32', 'w']] as const) {
  const code = 0xc3 | size;
  if (size === 0x18) {
    for (const [op, sym, name] of ATOMIC_ALU) {
      add(code, { immBits: [0xff, op | 1], text: (i) => `r${i.src} = atomic_fetch_${name}((${t} *)${mem(i.dst, i.off)}, r${i.src})` });
      add(code, { immBits: [0xf0, op], text: (i) => `lock *(${t} *)${mem(i.dst, i.off)} ${sym} r${i.src}` });
    }
    add(code, { immBits: [0xff, 0xe1], text: (i) => `r${i.src} = xchg_64(${addr(i.dst, i.off)}, r${i.src})` });
    add(code, { immBits: [0xff, 0xf1], text: (i) => `r0 = cmpxchg_64(${addr(i.dst, i.off)}, r0, r${i.src})` });
  } else {
    for (const [op, sym, name] of ATOMIC_ALU) {
      add(code, { alu32: true, immBits: [0xff, op | 1], text: (i) => `w${i.src} = atomic_fetch_${name}((${t} *)${mem(i.dst, i.off)}, w${i.src})` });
      add(code, { alu32: true, immBits: [0xf0, op], text: (i) => `lock *(${t} *)${mem(i.dst, i.off)} ${sym} w${i.src}` });
    }
    add(code, { alu32: true, immBits: [0xff, 0xe1], text: (i) => `w${i.src} = xchg32_32(${addr(i.dst, i.off)}, w${i.src})` });
    add(code, { alu32: true, immBits: [0xff, 0xf1], text: (i) => `w0 = cmpxchg32_32(${addr(i.dst, i.off)}, w0, w${i.src})` });
    // Without ALU32 only the old XADDW exists, which fixes just imm bits 7-4 (add).
    add(code, { noAlu32: true, immBits: [0xf0, 0x00], text: (i) => `lock *(${t} *)${mem(i.dst, i.off)} += r${i.src}` });
  }
}

// Jumps.
const JMP_SYM: [number, string][] = [
  [0x10, '=='], [0x20, '>'], [0x30, '>='], [0x40, '&'], [0x50, '!='], [0x60, 's>'], [0x70, 's>='],
  [0xa0, '<'], [0xb0, '<='], [0xc0, 's<'], [0xd0, 's<='],
];
for (const [cls, w] of [[0x05, 'r'], [0x06, 'w']] as const) {
  for (const [op, sym] of JMP_SYM) {
    add(cls | op, { text: (i, c) => `if ${w}${i.dst} ${sym} ${llvmHex(i.imm)} goto ${c.target(i.off)}` });
    add(cls | op | 0x08, { text: (i, c) => `if ${w}${i.dst} ${sym} ${w}${i.src} goto ${c.target(i.off)}` });
  }
}
add(0x05, { text: (i, c) => `goto ${c.target(i.off)}` });
add(0x06, { text: (i, c) => `gotol ${c.target(i.imm)}` });
add(0x85, { text: (i) => `call ${llvmHex(i.imm)}` });
add(0x8d, { text: (i) => `callx r${i.dst}` });
add(0x95, { fixed: { imm: 0 }, text: () => 'exit' });
add(0xe5, { text: (i, c) => `may_goto ${c.target(i.off)}` });

function matches(f: DecodedForm, i: Insn, alu32: boolean): boolean {
  if (f.alu32 && !alu32) return false;
  for (const r of f.regs) if (i[r] > 11) return false;
  if (f.noAlu32 && alu32) return false;
  if (f.fixed) for (const k in f.fixed) if (i[k as Field] !== f.fixed[k as Field]) return false;
  if (f.immBits && (i.imm & f.immBits[0]) !== f.immBits[1]) return false;
  return true;
}

/**
 * The text llvm-objdump prints for the slot at `pc` (without address or raw bytes), or
 * `<unknown>` where its decoder finds no instruction.
 */
export function formatLlvmInsn(insns: readonly Insn[], pc: number, opts: LlvmFormatOptions = {}): string {
  const i = insns[pc];
  const forms = FORMS.get(i.code);
  const form = forms?.find((f) => matches(f, i, !!opts.alu32));
  if (!form) return '<unknown>';
  const base = opts.baseAddr ?? 0n;
  const ctx: Ctx = {
    pc,
    insns,
    target: (offset) => {
      const addr = BigInt.asUintN(64, base + BigInt(pc + 1 + offset) * 8n);
      const sym = opts.symbolize?.(addr);
      return `${signedHex(offset)}${sym !== undefined ? ` <${sym}>` : ''}`;
    },
  };
  return form.text(i, ctx);
}

/** Symbolizer for one section: the nearest symbol at or below the address, as `name` or `name+0x10`. */
export function nearestSymbolizer(symbols: ReadonlyArray<{ name: string; addr: bigint }>): (addr: bigint) => string | undefined {
  const sorted = [...symbols].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
  return (addr) => {
    let best: { name: string; addr: bigint } | undefined;
    for (const s of sorted) if (s.addr <= addr) best = s; else break;
    if (!best) return undefined;
    return best.addr === addr ? best.name : `${best.name}+0x${(addr - best.addr).toString(16)}`;
  };
}
