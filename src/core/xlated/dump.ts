/**
 * `bpftool prog dump xlated` output for an xlated program: plain text (with `opcodes` or
 * `linum`) and the -j JSON (tools/bpf/bpftool/xlated_dumper.c), using the kernel's own
 * instruction printer (format-kernel.ts) with bpftool's names for calls and map loads:
 *
 *   call <kernel function>#<imm>           a helper, resolved to its implementation
 *   call pc+N#bpf_prog_<tag>_<name>        a bpf-to-bpf call
 *   r1 = map[id:N] / map[id:N][0]+OFF      map pointer / map value address
 *
 * Map ids are placeholders (`XlatedProgram.mapIds`), as the kernel assigns real ones at
 * load time. The instruction text is the 6.18 kernel printer's; Debian's bpftool 7.1
 * carries an older printer that prints ISA v4 instructions differently (documented).
 */
import { formatKernelInsn, type KernelResolvers } from '../asm/format-kernel';
import { ltrim } from '../btf/source-lines';
import type { LineInfo } from '../elf/loaded-object';
import { insnToBytes, insnWidth, type Insn } from '../isa/insn';
import type { XlatedProgram } from './xlate';
import { kernelFuncOfImm } from './calls';

export interface XlatedDumpOptions {
  opcodes?: boolean;
  linum?: boolean;
  /**
   * `kernel` (default): the 6.18 kernel's instruction printer. `bpftool-7.1`: the printer
   * Debian's bpftool 7.1 carries (Linux 6.1's), which predates ISA v4 and prints its
   * instructions as `BUG_...` or without the sign-extension / per-CPU marks.
   */
  printer?: 'kernel' | 'bpftool-7.1';
}

const ALU_STRING = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'endian'];

/** The text Linux 6.1's printer (bpftool 7.1) gives where it differs from 6.18's. */
function legacyText(insns: readonly Insn[], pc: number): string | undefined {
  const i = insns[pc];
  const cls = i.code & 7;
  const op = i.code & 0xf0;
  const hex = i.code.toString(16).padStart(2, '0');
  if (cls === 4 || cls === 7) {
    if (op === 0xd0 && cls === 7) return `BUG_alu64_${hex}`;
    if (op === 0xd0 || op === 0x80) return undefined;
    if (i.off === 0) return undefined;
    const w = cls === 4 ? 'w' : 'r';
    // sdiv/smod, movsx, per-CPU and address-space moves: the off field was unknown to 6.1.
    return (i.code & 8) ? `(${hex}) ${w}${i.dst} ${ALU_STRING[op >> 4]} ${w}${i.src}` : `(${hex}) ${w}${i.dst} ${ALU_STRING[op >> 4]} ${i.imm}`;
  }
  if (cls === 1 && (i.code & 0xe0) !== 0x60) return `BUG_ldx_${hex}`;
  if (cls === 3 && (i.code & 0xe0) === 0xc0) {
    const known = [0x00, 0x40, 0x50, 0xa0, 0x01, 0x41, 0x51, 0xa1, 0xe1, 0xf1];
    if (!known.includes(i.imm) || (i.code & 0x18) === 0x10 || (i.code & 0x18) === 0x08) return `BUG_${hex}`;
  }
  return undefined;
}

export function instructionText(insns: readonly Insn[], pc: number, r: KernelResolvers, opts: XlatedDumpOptions): string {
  return (opts.printer === 'bpftool-7.1' ? legacyText(insns, pc) : undefined) ?? formatKernelInsn(insns, pc, r);
}

/** The BTF prototype of each function, for the `int f(...):` lines ('' for none). */
export type FunctionProtos = readonly string[];

const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);

/** bpftool's resolvers (print_call, print_imm) for an xlated program. */
export function bpftoolResolvers(x: XlatedProgram, withFuncSymbols = true): KernelResolvers {
  return {
    call: (insn) => {
      // Without the functions' kernel symbols (the `visual` path) only the offset shows.
      if (insn.src === 1) return withFuncSymbols ? `${signed(insn.off)}#${x.funcSymbols[insn.imm] ?? `0x${insn.imm.toString(16)}`}` : signed(insn.off);
      if (insn.src === 0) return kernelFuncOfImm(insn.imm);
      return undefined;
    },
    imm64: (insns, pc, value) => {
      const i = insns[pc];
      if (i.src === 1) return `map[id:${i.imm >>> 0}]`;
      if (i.src === 2) return `map[id:${i.imm >>> 0}][0]+${insns[pc + 1].imm >>> 0}`;
      if (i.src === 6) return `map[idx:${i.imm >>> 0}]+${insns[pc + 1].imm >>> 0}`;
      if (i.src === 4) return `subprog[${signed(i.imm)}]`;
      return `0x${value.toString(16)}`;
    },
  };
}

/** libbpf's bpf_prog_linfo__lfind as bpftool drives it (see btf/source-lines.ts). */
function lfind(lines: readonly LineInfo[], insn: number, skip: number): LineInfo | undefined {
  if (skip >= lines.length || insn < lines[skip].insnOff) return undefined;
  let k = skip;
  while (k < lines.length && insn >= lines[k].insnOff) k++;
  return lines[k - 1];
}

const hexBytes = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

function slotBytes(insns: readonly Insn[], pc: number, count: number): Uint8Array {
  const out = new Uint8Array(8 * count);
  for (let k = 0; k < count; k++) if (insns[pc + k]) insnToBytes(insns[pc + k], out, 8 * k);
  return out;
}

export function formatXlated(x: XlatedProgram, protos: FunctionProtos = [], opts: XlatedDumpOptions = {}): string {
  const r = bpftoolResolvers(x);
  const out: string[] = [];
  let skip = 0;
  for (let pc = 0; pc < x.insns.length; pc += insnWidth(x.insns, pc)) {
    const f = x.funcStarts.indexOf(pc);
    if (f >= 0 && protos[f]) out.push(`${protos[f]}:`);
    const li = lfind(x.lineInfo, pc, skip);
    if (li) {
      skip++;
      const text = ltrim(li.text);
      out.push(opts.linum ? `; ${text} [file:${li.file} line_num:${li.line} line_col:${li.col}]` : `; ${text}`);
    }
    out.push(`${String(pc).padStart(4)}: ${instructionText(x.insns, pc, r, opts)}`);
    if (opts.opcodes) {
      const w = insnWidth(x.insns, pc);
      out.push(`       ${hexBytes(slotBytes(x.insns, pc, 1))}${w === 2 && pc < x.insns.length - 1 ? ` ${hexBytes(slotBytes(x.insns, pc + 1, 1))}` : ''}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export interface XlatedInsnJson {
  proto?: string;
  src?: string;
  file?: string;
  line_num?: number;
  line_col?: number;
  disasm: string;
  opcodes?: { code: string; src_reg: string; dst_reg: string; off: string[]; imm: string[] };
}

const hx = (n: number, pad = 2): string => `0x${n.toString(16).padStart(pad, '0')}`;

/** `bpftool -j prog dump xlated` (with `opcodes` / `linum`). */
export function xlatedJson(x: XlatedProgram, protos: FunctionProtos = [], opts: XlatedDumpOptions = {}): XlatedInsnJson[] {
  const r = bpftoolResolvers(x);
  const out: XlatedInsnJson[] = [];
  let skip = 0;
  for (let pc = 0; pc < x.insns.length; pc += insnWidth(x.insns, pc)) {
    const o = {} as XlatedInsnJson;
    const f = x.funcStarts.indexOf(pc);
    if (f >= 0 && protos[f]) o.proto = protos[f];
    const li = lfind(x.lineInfo, pc, skip);
    if (li) {
      skip++;
      o.src = ltrim(li.text);
      if (opts.linum) {
        o.file = li.file;
        if (li.line) o.line_num = li.line;
        if (li.col) o.line_col = li.col;
      }
    }
    o.disasm = instructionText(x.insns, pc, r, opts);
    if (opts.opcodes) {
      const i = x.insns[pc];
      const bytes = slotBytes(x.insns, pc, insnWidth(x.insns, pc) === 2 && pc < x.insns.length - 1 ? 2 : 1);
      o.opcodes = {
        code: hx(i.code),
        src_reg: `0x${i.src.toString(16)}`,
        dst_reg: `0x${i.dst.toString(16)}`,
        off: Array.from(bytes.subarray(2, 4), (b) => hx(b)),
        imm: Array.from(bytes.subarray(4, bytes.length === 16 ? 16 : 8), (b) => hx(b)),
      };
    }
    out.push(o);
  }
  return out;
}
