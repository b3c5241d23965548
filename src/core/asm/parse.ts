/**
 * The BPF assembler. One parser reads three spellings of the same instructions:
 *
 *   kernel  (verifier log, bpftool):  `r0 = *(u32 *)(r1 +8)`, `if r1 > r2 goto pc+3`, `call bpf_map_lookup_elem#1`
 *   llvm    (llvm-objdump, clang -S): `r0 = *(u32 *)(r1 + 0x8)`, `if r1 > r2 goto +0x3 <LBB0_2>`, `r1 = 0x1 ll`
 *   mnemonic (uBPF / bpf_conformance): `ldxw %r0, [%r1+8]`, `jgt %r1, %r2, +3`, `lddw %r1, 0x1`
 *
 * Pasted listings work too: leading `12:` indices, `(b7)` opcodes, raw bytes and the
 * `; state` tails of verifier-log lines are skipped. Comments: `;`, `//`, and `#` at the
 * start of a word. Labels are `name:`; jumps and calls take a label, `pc+N` or `+N`.
 *
 * Directives for whole programs:
 *   .section xdp                          the libbpf section (sets the program type)
 *   .map NAME TYPE key=4 value=8 entries=1 [flags=N]
 *   .license "GPL"
 * and `r1 = NAME ll` / `r1 = map[NAME]` load a map (an `lddw` with a map relocation).
 *
 * Errors are `AsmError`s with line, column and what was expected.
 */
import { helperByName } from '../isa/helpers';
import { atomicImm, type AtomicOp, type Insn } from '../isa/insn';
import { MAP_TYPES } from '../isa/kernel-types';
import type { MapSpec } from '../elf/write-object';

export class AsmError extends Error {
  constructor(readonly line: number, readonly column: number, readonly detail: string) {
    super(`${line}:${column}: ${detail}`);
    this.name = 'AsmError';
  }
}

export interface AsmResult {
  insns: Insn[];
  /** Source line (1-based) of each slot; the second slot of an lddw repeats the first. */
  lines: number[];
  labels: Map<string, number>;
  maps: MapSpec[];
  /** lddw slots that load a map, with the map's index in `maps`. */
  mapRefs: [number, number][];
  section?: string;
  license?: string;
}

// ---------------------------------------------------------------------------------------
// Tokens

type TokKind = 'reg' | 'num' | 'ident' | 'op';
interface Tok {
  kind: TokKind;
  text: string;
  col: number;
  /** For registers: number and whether written `wN`. */
  reg?: number;
  w?: boolean;
  /** For numbers. */
  value?: bigint;
}

// Longest first, so `s>>=` wins over `s>`.
const OPS = [
  's>>=', '<<=', '>>=', 's>=', 's<=', 's/=', 's%=', '+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=',
  '==', '!=', '>=', '<=', 's>', 's<', '>', '<', '=', '+', '-', '*', '(', ')', '[', ']', ',', '&', '#', ':', '|',
];

function tokenize(text: string, lineNo: number, colBase: number): Tok[] {
  const out: Tok[] = [];
  let k = 0;
  while (k < text.length) {
    const c = text[k];
    if (c === ' ' || c === '\t') { k++; continue; }
    const col = colBase + k;
    const rest = text.slice(k);
    let m = /^%?([rw])(1[01]|[0-9])(?![\w])/.exec(rest);
    if (m) {
      out.push({ kind: 'reg', text: m[0], col, reg: Number(m[2]), w: m[1] === 'w' });
      k += m[0].length;
      continue;
    }
    m = /^(0x[0-9a-fA-F]+|[0-9]+)(?![\w])/.exec(rest);
    if (m) {
      out.push({ kind: 'num', text: m[0], col, value: BigInt(m[0]) });
      k += m[0].length;
      continue;
    }
    m = /^[A-Za-z_.$][\w.$]*/.exec(rest);
    if (m) {
      // `s>` / `s<` operators start with an s: only when followed by an operator character.
      if (m[0] === 's' && /^s[<>/%]/.test(rest)) { /* fall through to operators */ } else {
        out.push({ kind: 'ident', text: m[0], col });
        k += m[0].length;
        continue;
      }
    }
    const op = OPS.find((o) => rest.startsWith(o));
    if (op) {
      out.push({ kind: 'op', text: op, col });
      k += op.length;
      continue;
    }
    throw new AsmError(lineNo, col, `unexpected character ${JSON.stringify(c)}`);
  }
  return out;
}

/** Removes comments: `//`, `;` anywhere, `#` at the start of a word (not `name#12`). */
function stripComment(line: string): string {
  let cut = line.length;
  const sl = line.indexOf('//');
  if (sl >= 0) cut = Math.min(cut, sl);
  const sc = line.indexOf(';');
  if (sc >= 0) cut = Math.min(cut, sc);
  for (let k = 0; k < cut; k++) {
    if (line[k] === '#' && (k === 0 || line[k - 1] === ' ' || line[k - 1] === '\t')) { cut = k; break; }
  }
  return line.slice(0, cut);
}

// ---------------------------------------------------------------------------------------
// Parser state for one line

class Line {
  pos = 0;
  constructor(readonly toks: Tok[], readonly lineNo: number, readonly endCol: number) {}

  peek(o = 0): Tok | undefined { return this.toks[this.pos + o]; }
  atEnd(): boolean { return this.pos >= this.toks.length; }
  fail(expected: string, t = this.peek()): never {
    const found = t ? `'${t.text}'` : 'end of line';
    throw new AsmError(this.lineNo, t ? t.col : this.endCol, `expected ${expected}, found ${found}`);
  }
  isOp(text: string, o = 0): boolean { const t = this.peek(o); return t?.kind === 'op' && t.text === text; }
  isIdent(text?: string, o = 0): boolean { const t = this.peek(o); return t?.kind === 'ident' && (text === undefined || t.text === text); }
  op(text: string): Tok { const t = this.peek(); if (t?.kind !== 'op' || t.text !== text) this.fail(`'${text}'`); this.pos++; return t; }
  ident(text?: string): Tok {
    const t = this.peek();
    if (t?.kind !== 'ident' || (text !== undefined && t.text !== text)) this.fail(text ? `'${text}'` : 'a name');
    this.pos++;
    return t;
  }
  reg(what = 'a register'): Tok {
    const t = this.peek();
    if (t?.kind !== 'reg') this.fail(what);
    this.pos++;
    return t;
  }
  /** A number with optional sign. */
  num(what = 'a number'): { value: bigint; tok: Tok } {
    let neg = false;
    const first = this.peek();
    if (this.isOp('-')) { neg = true; this.pos++; } else if (this.isOp('+')) this.pos++;
    const t = this.peek();
    if (t?.kind !== 'num') this.fail(what, t ?? first);
    this.pos++;
    return { value: neg ? -t.value! : t.value!, tok: first ?? t };
  }
  isNumStart(): boolean { return this.peek()?.kind === 'num' || ((this.isOp('-') || this.isOp('+')) && this.peek(1)?.kind === 'num'); }
  end(): void { if (!this.atEnd()) this.fail('end of instruction'); }
}

const I32_MIN = -(2n ** 31n);
const U32_MAX = 2n ** 32n - 1n;

function imm32(l: Line, v: { value: bigint; tok: Tok }): number {
  if (v.value < I32_MIN || v.value > U32_MAX) throw new AsmError(l.lineNo, v.tok.col, `immediate ${v.value} does not fit in 32 bits`);
  return Number(BigInt.asIntN(32, v.value));
}
function off16(l: Line, v: { value: bigint; tok: Tok }): number {
  if (v.value < -32768n || v.value > 32767n) throw new AsmError(l.lineNo, v.tok.col, `offset ${v.value} does not fit in 16 bits`);
  return Number(v.value);
}

// ---------------------------------------------------------------------------------------
// Instruction tables (opcode bits)

const ALU_BY_SYM: Record<string, number> = {
  '+=': 0x00, '-=': 0x10, '*=': 0x20, '/=': 0x30, '|=': 0x40, '&=': 0x50, '<<=': 0x60, '>>=': 0x70,
  '%=': 0x90, '^=': 0xa0, '=': 0xb0, 's>>=': 0xc0, 's/=': 0x30, 's%=': 0x90,
};
const ALU_BY_NAME: Record<string, number> = {
  add: 0x00, sub: 0x10, mul: 0x20, div: 0x30, or: 0x40, and: 0x50, lsh: 0x60, rsh: 0x70,
  mod: 0x90, xor: 0xa0, mov: 0xb0, arsh: 0xc0, sdiv: 0x30, smod: 0x90,
};
const JMP_BY_SYM: Record<string, number> = {
  '==': 0x10, '>': 0x20, '>=': 0x30, '&': 0x40, '!=': 0x50, 's>': 0x60, 's>=': 0x70,
  '<': 0xa0, '<=': 0xb0, 's<': 0xc0, 's<=': 0xd0,
};
const JMP_BY_NAME: Record<string, number> = {
  jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40, jne: 0x50, jsgt: 0x60, jsge: 0x70,
  jlt: 0xa0, jle: 0xb0, jslt: 0xc0, jsle: 0xd0,
};
const SIZE_BY_TYPE: Record<string, number> = { u32: 0x00, u16: 0x08, u8: 0x10, u64: 0x18, s32: 0x00, s16: 0x08, s8: 0x10 };
const SIZE_BY_SUFFIX: Record<string, number> = { w: 0x00, h: 0x08, b: 0x10, dw: 0x18 };
const ATOMIC_ALU_SYM: Record<string, AtomicOp> = { '+=': 'add', '|=': 'or', '&=': 'and', '^=': 'xor' };

/** A pending jump/call target: resolved after all labels are known. */
interface Fixup {
  slot: number;
  label: string;
  field: 'off' | 'imm';
  line: number;
  col: number;
}

// ---------------------------------------------------------------------------------------

/** Assembles source text into instruction slots. */
export function assemble(source: string): AsmResult {
  const insns: Insn[] = [];
  const lines: number[] = [];
  const labels = new Map<string, number>();
  const fixups: Fixup[] = [];
  const maps: MapSpec[] = [];
  const mapRefs: [number, number][] = [];
  const pendingMapRefs: { slot: number; name: string; line: number; col: number }[] = [];
  let section: string | undefined;
  let license: string | undefined;

  const emit = (lineNo: number, code: number, dst = 0, src = 0, off = 0, imm = 0): number => {
    insns.push({ code, dst, src, off, imm });
    lines.push(lineNo);
    return insns.length - 1;
  };

  const srcLines = source.split(/\r?\n/);
  for (let n = 0; n < srcLines.length; n++) {
    const lineNo = n + 1;
    let text = srcLines[n];

    // Listing noise: objdump headers, verifier-log state lines.
    if (/^\s*(Disassembly of section|.*file format )/.test(text)) {
      const sec = /^\s*Disassembly of section (\S+):/.exec(text);
      if (sec && section === undefined) section = sec[1];
      continue;
    }
    const header = /^\s*[0-9a-f]{16} <([^>]+)>:\s*$/.exec(text);
    if (header) { labels.set(header[1], insns.length); continue; }
    if (/^\s*(from \d+ to \d+:|processed \d+ insns|func#\d+ @|Live regs|verification time|stack depth)/.test(text)) continue;

    text = stripComment(text);
    // Leading `12:` index, raw bytes, `(b7)` opcode.
    const idx = /^(\s*\d+:\s*)/.exec(text);
    if (idx) {
      if (/^\s*\d+:\s*R\d+/.test(text)) continue; // `0: R1=ctx() R10=fp0`
      text = ' '.repeat(idx[1].length) + text.slice(idx[1].length);
      const raw = /^(\s*(?:[0-9a-f]{2} ){7,15}[0-9a-f]{2}\s)/.exec(text);
      if (raw) text = ' '.repeat(raw[1].length) + text.slice(raw[1].length);
    }
    const opc = /^(\s*\(([0-9a-f]{2})\)\s)/.exec(text);
    const opcode = opc ? parseInt(opc[2], 16) : undefined;
    if (opc) text = ' '.repeat(opc[1].length) + text.slice(opc[1].length);
    if (!text.trim()) continue;

    // Directives.
    const trimmed = text.trim();
    if (trimmed.startsWith('.')) {
      const dir = /^\.(\w+)\s*(.*)$/.exec(trimmed);
      if (!dir) throw new AsmError(lineNo, text.indexOf('.') + 1, 'expected a directive name');
      const [, name, args] = dir;
      if (name === 'section') { section = args.replace(/^"|"$/g, '').split(',')[0].trim(); continue; }
      if (name === 'license') { license = args.replace(/^"|"$/g, ''); continue; }
      if (name === 'map') { maps.push(parseMapDirective(args, lineNo, text.indexOf(args) + 1)); continue; }
      if (['text', 'globl', 'global', 'type', 'size', 'p2align', 'align', 'file', 'addrsig', 'addrsig_sym', 'ident', 'loc', 'cfi_startproc', 'cfi_endproc'].includes(name)) continue;
      throw new AsmError(lineNo, text.indexOf('.') + 1, `unknown directive .${name} (known: .section, .map, .license)`);
    }

    const toks = tokenize(text, lineNo, 1);
    // Labels (possibly several, possibly followed by an instruction).
    let start = 0;
    while (toks[start]?.kind === 'ident' && toks[start + 1]?.kind === 'op' && toks[start + 1].text === ':') {
      const name = toks[start].text;
      if (labels.has(name)) throw new AsmError(lineNo, toks[start].col, `label ${name} is defined twice`);
      labels.set(name, insns.length);
      start += 2;
    }
    if (start >= toks.length) continue;
    const l = new Line(toks.slice(start), lineNo, text.length + 1);
    parseInsn(l, { insns, emit, fixups, pendingMapRefs, opcode });
    l.end();
  }

  for (const f of fixups) {
    let target = labels.get(f.label);
    // The conformance suites' assembler reads an undefined `exit` target as the program's first exit.
    if (target === undefined && f.label === 'exit') {
      const k = insns.findIndex((i) => i.code === 0x95);
      if (k >= 0) target = k;
    }
    if (target === undefined) throw new AsmError(f.line, f.col, `unknown label ${f.label}`);
    const rel = target - f.slot - 1;
    if (f.field === 'off') {
      if (rel < -32768 || rel > 32767) throw new AsmError(f.line, f.col, `jump to ${f.label} is too far for a 16-bit offset (${rel}); use gotol`);
      insns[f.slot].off = rel;
    } else insns[f.slot].imm = rel;
  }
  for (const r of pendingMapRefs) {
    const k = maps.findIndex((m) => m.name === r.name);
    if (k < 0) throw new AsmError(r.line, r.col, `unknown map ${r.name} (declare it with .map ${r.name} TYPE key=.. value=.. entries=..)`);
    mapRefs.push([r.slot, k]);
  }
  return { insns, lines, labels, maps, mapRefs, section, license };
}

function parseMapDirective(args: string, lineNo: number, col: number): MapSpec {
  const parts = args.trim().split(/\s+/);
  if (parts.length < 2) throw new AsmError(lineNo, col, 'expected .map NAME TYPE key=N value=N entries=N [flags=N]');
  const [name, type, ...kv] = parts;
  if (MAP_TYPES.value(type) === undefined) throw new AsmError(lineNo, col, `unknown map type ${type}`);
  const spec: MapSpec = { name, type, key_size: 0, value_size: 0, max_entries: 0 };
  for (const p of kv) {
    const m = /^(key|value|entries|max_entries|key_size|value_size|flags)=(0x[0-9a-f]+|\d+)$/i.exec(p);
    if (!m) throw new AsmError(lineNo, col + args.indexOf(p), `expected key=, value=, entries= or flags=, found ${p}`);
    const v = Number(m[2]);
    const k = m[1].toLowerCase();
    if (k === 'key' || k === 'key_size') spec.key_size = v;
    else if (k === 'value' || k === 'value_size') spec.value_size = v;
    else if (k === 'entries' || k === 'max_entries') spec.max_entries = v;
    else spec.map_flags = v;
  }
  return spec;
}

interface Emitter {
  insns: Insn[];
  emit(line: number, code: number, dst?: number, src?: number, off?: number, imm?: number): number;
  fixups: Fixup[];
  pendingMapRefs: { slot: number; name: string; line: number; col: number }[];
  /** The kernel `(xx)` opcode prefix of the line, if any: `(18) r1 = 0x5` is an lddw. */
  opcode?: number;
}

function parseInsn(l: Line, e: Emitter): void {
  const t = l.peek()!;
  if (t.kind === 'reg') return parseAssign(l, e);
  if (t.kind === 'op' && t.text === '*') return parseStore(l, e);
  if (t.kind !== 'ident') l.fail('an instruction');
  switch (t.text) {
    case 'if': return parseCondJump(l, e);
    case 'goto': case 'gotol': case 'may_goto': case 'ja': case 'ja32': return parseGoto(l, e);
    case 'call': case 'callx': return parseCall(l, e);
    case 'exit': l.pos++; e.emit(l.lineNo, 0x95); return;
    case 'nospec': l.pos++; e.emit(l.lineNo, 0xc2); return;
    case 'lock': return l.isOp('*', 1) ? parseLock(l, e) : parseMnemonicAtomic(l, e);
    case 'store_release': return parseStoreRelease(l, e);
    case 'ld_pseudo': {
      l.pos++;
      const d = l.reg(); l.op(',');
      const src = l.num('a pseudo source'); l.op(',');
      const imm = l.num('an immediate');
      e.emit(l.lineNo, 0x18, d.reg, Number(src.value), 0, imm32(l, imm));
      e.emit(l.lineNo, 0);
      return;
    }
  }
  return parseMnemonic(l, e);
}

/** `(r1 +8)`, `(r1 + 0x8)`, `(r10 -8)`, `(r1)`: base register and offset, parentheses included. */
function memOperand(l: Line): { reg: number; off: number } {
  l.op('(');
  const r = l.reg('a base register');
  let off = 0;
  if (l.isOp('+') || l.isOp('-')) off = off16(l, l.num('an offset'));
  l.op(')');
  return { reg: r.reg!, off };
}

/** `(u32 *)` or `(u64 *)`: returns the type name. */
function castType(l: Line): string {
  l.op('(');
  const t = l.ident();
  if (!(t.text in SIZE_BY_TYPE)) l.fail('u8, u16, u32, u64, s8, s16 or s32', t);
  l.op('*');
  l.op(')');
  return t.text;
}

/** `base + off` without parentheses (llvm's xchg/cmpxchg operands). */
function bareAddr(l: Line): { reg: number; off: number } {
  const r = l.reg('a base register');
  let off = 0;
  if (l.isOp('+') || l.isOp('-')) off = off16(l, l.num('an offset'));
  return { reg: r.reg!, off };
}

function parseTarget(l: Line, e: Emitter, slot: number, field: 'off' | 'imm'): number {
  // `pc+3`, `+3`, `-0x2 <LBB0_1>`, `label`.
  if (l.isIdent('pc')) l.pos++;
  if (l.isNumStart()) {
    const v = l.num('a jump offset');
    if (l.isOp('<')) { while (!l.atEnd() && !l.isOp('>')) l.pos++; l.op('>'); }
    return field === 'off' ? off16(l, v) : imm32(l, v);
  }
  const name = l.ident();
  e.fixups.push({ slot, label: name.text, field, line: l.lineNo, col: name.col });
  return 0;
}

function parseGoto(l: Line, e: Emitter): void {
  const kw = l.ident().text;
  const code = kw === 'gotol' || kw === 'ja32' ? 0x06 : kw === 'may_goto' ? 0xe5 : 0x05;
  const field = code === 0x06 ? 'imm' : 'off';
  const slot = e.emit(l.lineNo, code);
  (field === 'off' ? setOff : setImm)(e, slot, parseTarget(l, e, slot, field));
}

const setOff = (e: Emitter, slot: number, v: number) => { e.insns[slot].off = v; };
const setImm = (e: Emitter, slot: number, v: number) => { e.insns[slot].imm = v; };

function parseCondJump(l: Line, e: Emitter): void {
  l.ident('if');
  const d = l.reg();
  const opTok = l.peek();
  if (opTok?.kind !== 'op' || !(opTok.text in JMP_BY_SYM)) l.fail('a comparison (==, !=, >, >=, <, <=, s>, s>=, s<, s<=, &)');
  l.pos++;
  const cls = d.w ? 0x06 : 0x05;
  let code = cls | JMP_BY_SYM[opTok.text];
  let src = 0;
  let imm = 0;
  if (l.peek()?.kind === 'reg') { src = l.reg().reg!; code |= 0x08; } else imm = imm32(l, l.num('a register or number'));
  l.ident('goto');
  const slot = e.emit(l.lineNo, code, d.reg, src, 0, imm);
  setOff(e, slot, parseTarget(l, e, slot, 'off'));
}

function parseCall(l: Line, e: Emitter): void {
  const kw = l.ident().text;
  if (kw === 'callx' || l.peek()?.kind === 'reg') {
    const r = l.reg();
    e.emit(l.lineNo, 0x8d, r.reg);
    return;
  }
  // `call local label` (mnemonic dialect), `call pc+2`, `call pc-3#bpf_prog_..._F`.
  if (l.isIdent('local')) {
    l.pos++;
    const slot = e.emit(l.lineNo, 0x85, 0, 1);
    setImm(e, slot, parseTarget(l, e, slot, 'imm'));
    return;
  }
  if (l.isIdent('pc')) {
    l.pos++;
    const v = imm32(l, l.num('a call offset'));
    if (l.isOp('#')) { l.pos++; while (!l.atEnd()) l.pos++; }
    e.emit(l.lineNo, 0x85, 0, 1, 0, v);
    return;
  }
  if (l.isNumStart()) {
    e.emit(l.lineNo, 0x85, 0, 0, 0, imm32(l, l.num('a helper number')));
    return;
  }
  const name = l.ident();
  if (l.isOp('#')) {
    // Kernel form `name#id`: the id is authoritative (the name may be a kfunc or unknown).
    l.pos++;
    const id = imm32(l, l.num('a helper id'));
    e.emit(l.lineNo, 0x85, 0, name.text === 'kernel-function' ? 2 : 0, 0, id);
    return;
  }
  const helper = helperByName(name.text);
  if (helper) { e.emit(l.lineNo, 0x85, 0, 0, 0, helper.id); return; }
  // Otherwise a local function: a bpf-to-bpf call to a label.
  const slot = e.emit(l.lineNo, 0x85, 0, 1);
  e.fixups.push({ slot, label: name.text, field: 'imm', line: l.lineNo, col: name.col });
}

function parseStore(l: Line, e: Emitter): void {
  l.op('*');
  const type = castType(l);
  if (type.startsWith('s')) l.fail('an unsigned type for a store');
  const m = memOperand(l);
  l.op('=');
  const size = SIZE_BY_TYPE[type];
  if (l.peek()?.kind === 'reg') {
    const s = l.reg();
    e.emit(l.lineNo, 0x63 | size, m.reg, s.reg, m.off, 0);
  } else {
    e.emit(l.lineNo, 0x62 | size, m.reg, 0, m.off, imm32(l, l.num('a register or number')));
  }
}

function parseLock(l: Line, e: Emitter): void {
  l.ident('lock');
  l.op('*');
  const type = castType(l);
  const m = memOperand(l);
  const opTok = l.peek();
  if (opTok?.kind !== 'op' || !(opTok.text in ATOMIC_ALU_SYM)) l.fail('+=, |=, &= or ^=');
  l.pos++;
  const s = l.reg();
  e.emit(l.lineNo, 0xc3 | SIZE_BY_TYPE[type], m.reg, s.reg, m.off, atomicImm(ATOMIC_ALU_SYM[opTok.text], false));
}

function parseStoreRelease(l: Line, e: Emitter): void {
  l.ident('store_release');
  l.op('(');
  const type = castType(l);
  const m = memOperand(l);
  l.op(',');
  const s = l.reg();
  l.op(')');
  e.emit(l.lineNo, 0xc3 | SIZE_BY_TYPE[type], m.reg, s.reg, m.off, atomicImm('store_release', false));
}

/** Everything that starts with a register: `DST = ...` and `DST OP= ...`. */
function parseAssign(l: Line, e: Emitter): void {
  const d = l.reg();
  const cls = d.w ? 0x04 : 0x07;
  const opTok = l.peek();
  if (opTok?.kind !== 'op' || !(opTok.text in ALU_BY_SYM)) l.fail('an assignment operator (=, +=, -=, ...)');
  l.pos++;
  const op = ALU_BY_SYM[opTok.text];
  const signedOff = opTok.text === 's/=' || opTok.text === 's%=' ? 1 : 0;
  if (opTok.text !== '=') {
    if (l.peek()?.kind === 'reg') { const s = l.reg(); e.emit(l.lineNo, cls | op | 0x08, d.reg, s.reg, signedOff, 0); return; }
    e.emit(l.lineNo, cls | op, d.reg, 0, signedOff, imm32(l, l.num('a register or number')));
    return;
  }
  // dst = ...
  const t = l.peek();
  if (!t) l.fail('a value');
  if (t.kind === 'reg') { const s = l.reg(); e.emit(l.lineNo, cls | 0xb8, d.reg, s.reg, 0, 0); return; }
  if (t.kind === 'op' && t.text === '-' && l.peek(1)?.kind === 'reg') {
    l.pos++;
    const s = l.reg();
    if (s.reg !== d.reg) l.fail(`r${d.reg} (negation is in place)`, s);
    e.emit(l.lineNo, cls | 0x80, d.reg);
    return;
  }
  if (l.isNumStart()) {
    const v = l.num();
    if (l.isIdent('ll') || e.opcode === 0x18) {
      if (l.isIdent('ll')) l.pos++;
      emitLdImm64(l, e, d.reg!, v.value, v.tok);
      return;
    }
    if (!d.w && !fitsMovImm(v.value)) {
      // Kernel syntax prints lddw constants the same way; a constant that does not fit is one.
      emitLdImm64(l, e, d.reg!, v.value, v.tok);
      return;
    }
    e.emit(l.lineNo, cls | 0xb0, d.reg, 0, 0, imm32(l, v));
    return;
  }
  if (t.kind === 'op' && t.text === '(') {
    // (s8)r2 sign-extending move.
    l.op('(');
    const ty = l.ident();
    const bits = { s8: 8, s16: 16, s32: 32 }[ty.text];
    if (!bits) l.fail('s8, s16 or s32', ty);
    l.op(')');
    const s = l.reg();
    e.emit(l.lineNo, cls | 0xb8, d.reg, s.reg, bits, 0);
    return;
  }
  if (t.kind === 'op' && t.text === '*') {
    l.op('*');
    const type = castType(l);
    if (l.isIdent('skb')) {
      l.pos++;
      l.op('[');
      const size = SIZE_BY_TYPE[type];
      if (l.peek()?.kind === 'reg') {
        const s = l.reg();
        let imm = 0;
        if (l.isOp('+')) l.pos++;
        if (l.isNumStart()) imm = imm32(l, l.num('an offset'));
        l.op(']');
        e.emit(l.lineNo, 0x40 | size, 0, s.reg, 0, imm);
      } else {
        const imm = imm32(l, l.num('an offset'));
        l.op(']');
        e.emit(l.lineNo, 0x20 | size, 0, 0, 0, imm);
      }
      return;
    }
    const m = memOperand(l);
    const mode = type.startsWith('s') ? 0x81 : 0x61;
    e.emit(l.lineNo, mode | SIZE_BY_TYPE[type], d.reg, m.reg, m.off, 0);
    return;
  }
  if (t.kind !== 'ident') l.fail('a value');
  const name = t.text;
  const end = /^(le|be|bswap)(16|32|64)$/.exec(name);
  if (end) {
    l.pos++;
    const s = l.reg();
    if (s.reg !== d.reg) l.fail(`r${d.reg} (byte swaps are in place)`, s);
    const code = end[1] === 'bswap' ? 0xd7 : end[1] === 'be' ? 0xdc : 0xd4;
    e.emit(l.lineNo, code, d.reg, 0, 0, Number(end[2]));
    return;
  }
  const fetch = /^atomic(64)?_fetch_(add|and|or|xor)$/.exec(name);
  if (fetch) {
    l.pos++;
    l.op('(');
    l.op('(');
    const ty = l.ident().text;
    l.op('*'); l.op(')');
    const m = memOperand(l);
    l.op(',');
    const s = l.reg();
    l.op(')');
    e.emit(l.lineNo, 0xc3 | SIZE_BY_TYPE[ty], m.reg, s.reg, m.off, atomicImm(fetch[2] as AtomicOp, true));
    return;
  }
  if (name === 'xchg_64' || name === 'xchg32_32' || name === 'cmpxchg_64' || name === 'cmpxchg32_32') {
    l.pos++;
    l.op('(');
    const m = bareAddr(l);
    l.op(',');
    if (name.startsWith('cmp')) { l.reg(); l.op(','); }
    const s = l.reg();
    l.op(')');
    const size = name.endsWith('_64') ? 0x18 : 0x00;
    e.emit(l.lineNo, 0xc3 | size, m.reg, s.reg, m.off, atomicImm(name.startsWith('cmp') ? 'cmpxchg' : 'xchg', true));
    return;
  }
  const kx = /^atomic(64)?_(xchg|cmpxchg)$/.exec(name);
  if (kx) {
    l.pos++;
    l.op('(');
    l.op('(');
    const ty = l.ident().text;
    l.op('*'); l.op(')');
    const m = memOperand(l);
    l.op(',');
    if (kx[2] === 'cmpxchg') { l.reg(); l.op(','); }
    const s = l.reg();
    l.op(')');
    e.emit(l.lineNo, 0xc3 | SIZE_BY_TYPE[ty], m.reg, s.reg, m.off, atomicImm(kx[2] as AtomicOp, true));
    return;
  }
  if (name === 'load_acquire') {
    l.pos++;
    l.op('(');
    const type = castType(l);
    const m = memOperand(l);
    l.op(')');
    // load_acquire puts the loaded value in dst_reg and takes the address from src_reg.
    e.emit(l.lineNo, 0xc3 | SIZE_BY_TYPE[type], d.reg, m.reg, m.off, atomicImm('load_acquire', false));
    return;
  }
  if (name === 'addr_space_cast') {
    l.pos++;
    l.op('(');
    const s = l.reg();
    l.op(',');
    const to = l.num('an address space');
    l.op(',');
    const from = l.num('an address space');
    l.op(')');
    e.emit(l.lineNo, 0xbf, d.reg, s.reg, 1, Number((to.value << 16n) | (from.value & 0xffffn)));
    return;
  }
  if (name === 'map') {
    // bpftool forms: map[id:N], map[id:N][0]+off, map[idx:N], map[idx:N]+off, and map[NAME].
    l.pos++;
    l.op('[');
    const kind = l.ident();
    if (kind.text === 'id' || kind.text === 'idx') {
      l.op(':');
      const n = imm32(l, l.num('a map number'));
      l.op(']');
      let valueOff: number | undefined;
      if (kind.text === 'id' && l.isOp('[')) { l.op('['); l.num(); l.op(']'); }
      if (l.isOp('+')) { l.pos++; valueOff = imm32(l, l.num('a value offset')); }
      const src = kind.text === 'id' ? (valueOff === undefined ? 1 : 2) : valueOff === undefined ? 5 : 6;
      e.emit(l.lineNo, 0x18, d.reg, src, 0, n);
      e.emit(l.lineNo, 0, 0, 0, 0, valueOff ?? 0);
      return;
    }
    l.op(']');
    emitMapRef(l, e, d.reg!, kind);
    return;
  }
  // `r1 = counter ll`: a map by name.
  l.pos++;
  if (l.isIdent('ll')) l.pos++;
  emitMapRef(l, e, d.reg!, t);
}

const fitsMovImm = (v: bigint): boolean => v >= I32_MIN && v <= 2n ** 31n - 1n;

function emitLdImm64(l: Line, e: Emitter, dst: number, value: bigint, tok: Tok): void {
  if (value < -(2n ** 63n) || value > 2n ** 64n - 1n) throw new AsmError(l.lineNo, tok.col, `constant ${value} does not fit in 64 bits`);
  const u = BigInt.asUintN(64, value);
  e.emit(l.lineNo, 0x18, dst, 0, 0, Number(BigInt.asIntN(32, u & 0xffffffffn)));
  e.emit(l.lineNo, 0, 0, 0, 0, Number(BigInt.asIntN(32, u >> 32n)));
}

function emitMapRef(l: Line, e: Emitter, dst: number, name: Tok): void {
  const slot = e.emit(l.lineNo, 0x18, dst, 1, 0, 0);
  e.emit(l.lineNo, 0);
  e.pendingMapRefs.push({ slot, name: name.text, line: l.lineNo, col: name.col });
}

// ---------------------------------------------------------------------------------------
// The mnemonic dialect (uBPF / bpf_conformance)

/** `[%r1+8]`, `[%r10-8]`, `[%r1]`. */
function bracketMem(l: Line): { reg: number; off: number } {
  l.op('[');
  const r = l.reg('a base register');
  let off = 0;
  if (l.isOp('+') || l.isOp('-')) off = off16(l, l.num('an offset'));
  l.op(']');
  return { reg: r.reg!, off };
}

function parseMnemonicAtomic(l: Line, e: Emitter): void {
  l.ident('lock');
  let fetch = false;
  if (l.isIdent('fetch')) { l.pos++; fetch = true; }
  const opTok = l.ident();
  const m = /^(add|and|or|xor|xchg|cmpxchg)(32)?$/.exec(opTok.text);
  if (!m) l.fail('add, and, or, xor, xchg or cmpxchg', opTok);
  const op = m[1] as AtomicOp;
  const mem = bracketMem(l);
  l.op(',');
  const s = l.reg();
  const size = m[2] ? 0x00 : 0x18;
  const isFetch = fetch || op === 'xchg' || op === 'cmpxchg';
  e.emit(l.lineNo, 0xc3 | size, mem.reg, s.reg, mem.off, atomicImm(op, isFetch));
}

function parseMnemonic(l: Line, e: Emitter): void {
  const t = l.ident();
  const name = t.text.toLowerCase();
  let m: RegExpExecArray | null;

  if ((m = /^(add|sub|mul|div|or|and|lsh|rsh|mod|xor|mov|arsh|sdiv|smod)(32|64)?$/.exec(name))) {
    const cls = m[2] === '32' ? 0x04 : 0x07;
    const d = l.reg();
    l.op(',');
    const off = m[1] === 'sdiv' || m[1] === 'smod' ? 1 : 0;
    if (l.peek()?.kind === 'reg') { const s = l.reg(); e.emit(l.lineNo, cls | ALU_BY_NAME[m[1]] | 0x08, d.reg, s.reg, off, 0); return; }
    e.emit(l.lineNo, cls | ALU_BY_NAME[m[1]], d.reg, 0, off, imm32(l, l.num('a register or number')));
    return;
  }
  if ((m = /^neg(32|64)?$/.exec(name))) {
    const d = l.reg();
    e.emit(l.lineNo, (m[1] === '32' ? 0x04 : 0x07) | 0x80, d.reg);
    return;
  }
  if ((m = /^movsx(8|16|32)(32|64)$/.exec(name))) {
    const d = l.reg(); l.op(','); const s = l.reg();
    e.emit(l.lineNo, (m[2] === '32' ? 0x04 : 0x07) | 0xb8, d.reg, s.reg, Number(m[1]), 0);
    return;
  }
  if ((m = /^(le|be|bswap|swap)(16|32|64)$/.exec(name))) {
    const d = l.reg();
    const code = m[1] === 'le' ? 0xd4 : m[1] === 'be' ? 0xdc : 0xd7;
    e.emit(l.lineNo, code, d.reg, 0, 0, Number(m[2]));
    return;
  }
  if (name === 'lddw') {
    const d = l.reg(); l.op(',');
    if (l.isNumStart()) { const v = l.num(); emitLdImm64(l, e, d.reg!, v.value, v.tok); return; }
    emitMapRef(l, e, d.reg!, l.ident());
    return;
  }
  if ((m = /^ldx(s)?(b|h|w|dw)$/.exec(name))) {
    const d = l.reg(); l.op(',');
    const mem = bracketMem(l);
    e.emit(l.lineNo, (m[1] ? 0x81 : 0x61) | SIZE_BY_SUFFIX[m[2]], d.reg, mem.reg, mem.off, 0);
    return;
  }
  if ((m = /^st(x)?(b|h|w|dw)$/.exec(name))) {
    const mem = bracketMem(l); l.op(',');
    if (m[1]) { const s = l.reg(); e.emit(l.lineNo, 0x63 | SIZE_BY_SUFFIX[m[2]], mem.reg, s.reg, mem.off, 0); return; }
    e.emit(l.lineNo, 0x62 | SIZE_BY_SUFFIX[m[2]], mem.reg, 0, mem.off, imm32(l, l.num('a number')));
    return;
  }
  if ((m = /^ld(abs|ind)(b|h|w)$/.exec(name))) {
    if (m[1] === 'abs') { e.emit(l.lineNo, 0x20 | SIZE_BY_SUFFIX[m[2]], 0, 0, 0, imm32(l, l.num('an offset'))); return; }
    const s = l.reg(); l.op(',');
    e.emit(l.lineNo, 0x40 | SIZE_BY_SUFFIX[m[2]], 0, s.reg, 0, imm32(l, l.num('an offset')));
    return;
  }
  if ((m = /^(jeq|jgt|jge|jset|jne|jsgt|jsge|jlt|jle|jslt|jsle)(32)?$/.exec(name))) {
    const d = l.reg(); l.op(',');
    let code = (m[2] ? 0x06 : 0x05) | JMP_BY_NAME[m[1]];
    let src = 0;
    let imm = 0;
    if (l.peek()?.kind === 'reg') { src = l.reg().reg!; code |= 0x08; } else imm = imm32(l, l.num('a register or number'));
    l.op(',');
    const slot = e.emit(l.lineNo, code, d.reg, src, 0, imm);
    setOff(e, slot, parseTarget(l, e, slot, 'off'));
    return;
  }
  l.fail('an instruction', t);
}
