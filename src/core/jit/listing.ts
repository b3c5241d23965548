/**
 * `bpftool prog dump jited` listings of a JIT image: per function an optional BTF
 * prototype line and the kernel symbol name, then one line per x86 instruction as
 * `%4x:\t<text>` (pc relative to the function), source lines (`; ...`) before the
 * instruction their BPF instruction starts at, and a blank line after each function.
 *
 * bpftool prints x86 through libbfd; the text here is what GNU objdump prints for the
 * same bytes at the function's address, so jump and call targets are absolute kernel
 * addresses, as in bpftool (with placeholder addresses unless real ones were given).
 * `opcodes` adds the raw bytes on a second line; the JSON form follows bpftool's -j.
 */
import { disassembleX86, type X86Insn } from './x86/disasm';
import type { JitResult } from './x86/compile';

export interface JitedFunctionName {
  /** The kernel symbol, `bpf_prog_<tag>_<name>`. */
  name?: string;
  /** The BTF prototype, e.g. `int xdp_count(struct xdp_md * ctx)`. */
  proto?: string;
}

/** A line-info record in xlated slot coordinates, with its source text. */
export interface JitedLineInfo {
  insnOff: number;
  file: string;
  line: number;
  col: number;
  text: string;
}

export interface JitedListingInput {
  result: JitResult;
  functions?: readonly JitedFunctionName[];
  lineInfo?: readonly JitedLineInfo[];
}

export interface JitedListingOptions {
  opcodes?: boolean;
  linum?: boolean;
}

export interface JitedInsnJson {
  src?: string;
  file?: string;
  line_num?: number;
  line_col?: number;
  pc: string;
  operation: string;
  operands: string[] | null;
  opcodes?: string[];
}

export interface JitedFunctionJson {
  proto?: string;
  name: string;
  insns: JitedInsnJson[];
}

interface FunctionLines {
  name: string;
  proto?: string;
  insns: X86Insn[];
  /** The function's bytes. */
  bytes: Uint8Array;
  /** Line info of this function with its jited offset (relative to the function), in order. */
  lines: { at: number; info: JitedLineInfo }[];
}

function functionsOf(input: JitedListingInput): FunctionLines[] {
  const { result } = input;
  return result.functions.map((fn, k) => {
    const bytes = result.image.subarray(fn.offset, fn.offset + fn.length);
    const next = result.functions[k + 1]?.firstSlot ?? result.insnRanges.length;
    // Where the kernel's jited_line_info puts each record: the function's start for its
    // first instruction, else the start of the instruction's code.
    const lines = (input.lineInfo ?? [])
      .filter((li) => li.insnOff >= fn.firstSlot && li.insnOff < next)
      .map((info) => ({ at: info.insnOff === fn.firstSlot ? 0 : result.insnRanges[info.insnOff][0] - fn.offset, info }));
    const names = input.functions?.[k];
    return {
      name: names?.name ?? `0x${fn.address.toString(16).padStart(16, '0')}`,
      proto: names?.proto,
      insns: disassembleX86(bytes, fn.address),
      bytes,
      lines,
    };
  });
}

/**
 * libbpf's bpf_prog_linfo__lfind_addr_func as bpftool drives it: after `printed`
 * records, the last record at or before `pc` if the next unprinted one is at or before
 * it (records sharing an address collapse to the last; one may print twice).
 */
function lineAt(lines: FunctionLines['lines'], pc: number, printed: number): JitedLineInfo | undefined {
  if (printed >= lines.length || pc < lines[printed].at) return undefined;
  let k = printed;
  while (k < lines.length && pc >= lines[k].at) k++;
  return lines[k - 1].info;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

function sourceLine(li: JitedLineInfo, linum: boolean): string {
  const text = li.text.replace(/^\s+/, '');
  return linum ? `; ${text} [file:${li.file} line_num:${li.line} line_col:${li.col}]` : `; ${text}`;
}

export function formatJitedListing(input: JitedListingInput, opts: JitedListingOptions = {}): string {
  const out: string[] = [];
  for (const f of functionsOf(input)) {
    if (f.proto) out.push(`${f.proto}:`);
    out.push(`${f.name}:`);
    let printed = 0;
    for (const i of f.insns) {
      const li = lineAt(f.lines, i.offset, printed);
      if (li) {
        printed++;
        out.push(sourceLine(li, !!opts.linum));
      }
      let line = `${i.offset.toString(16).padStart(4)}:\t${i.text}`;
      if (opts.opcodes) line += `\n\t${Array.from(f.bytes.subarray(i.offset, i.offset + i.length), (b) => `${hex2(b)} `).join('')}`;
      out.push(line);
    }
    out.push('');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** Operands as libbfd hands them to bpftool's JSON printer: split at top-level commas. */
function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out;
}

export function jitedListingJson(input: JitedListingInput, opts: JitedListingOptions = {}): JitedFunctionJson[] {
  return functionsOf(input).map((f) => {
    let printed = 0;
    const insns = f.insns.map((i): JitedInsnJson => {
      // bpftool writes the line-info fields first, then pc, operation, operands, opcodes.
      const o = {} as JitedInsnJson;
      const li = lineAt(f.lines, i.offset, printed);
      if (li) {
        printed++;
        o.src = li.text.replace(/^\s+/, '');
        if (opts.linum) {
          o.file = li.file;
          if (li.line) o.line_num = li.line;
          if (li.col) o.line_col = li.col;
        }
      }
      o.pc = `0x${i.offset.toString(16)}`;
      o.operation = i.mnemonic;
      const ops = i.text.slice(i.mnemonic.length).trim();
      o.operands = ops ? splitOperands(ops) : null;
      if (opts.opcodes) o.opcodes = Array.from(f.bytes.subarray(i.offset, i.offset + i.length), (b) => `0x${hex2(b)}`);
      return o;
    });
    return { ...(f.proto ? { proto: f.proto } : {}), name: f.name, insns };
  });
}
