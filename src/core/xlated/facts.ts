/**
 * What the kernel's rewrites need to know from verification ("insn aux data"), and a
 * small analysis that works it out for common programs until the verifier provides it.
 *
 * The kernel decides its rewrites from `struct bpf_insn_aux_data` and the subprogram
 * info the verifier filled in; `VerifierFacts` is that interface, per instruction slot
 * of the program as loaded (`LoadedProgram.insns`). The verifier (src/core/verifier)
 * can fill it exactly; `analyzeFacts` derives it with a flow analysis over simple
 * abstract values (context pointer, stack pointer, map, map value, constant), which
 * follows copies, spills and constant arithmetic but not value ranges.
 */
import { insnStarts, isLdImm64, ldImm64Value, type Insn } from '../isa/insn';
import type { LoadedObject, LoadedProgram } from '../elf/loaded-object';

/** Per-instruction facts (the fields of the kernel's insn_aux_data the rewrites read). */
export interface InsnAux {
  /** The instruction was reached (`aux->seen`); unreached code is removed. */
  seen: boolean;
  /** A load or store through the context pointer (`aux->ptr_type == PTR_TO_CTX`). */
  ctxAccess?: boolean;
  /** A load through a BTF pointer (`PTR_TO_BTF_ID`: becomes PROBE_MEM for the JIT). */
  probeMem?: boolean;
  /** A helper call with a map argument: the map (`aux->map_ptr_state`), an index in `LoadedObject.maps`. */
  map?: number;
  /** A tail call whose key is the same in-range constant on every path (`aux->map_key_state`). */
  tailCallKey?: number;
  /** A bpf_loop call the verifier found fit for inlining: the callback's function index. */
  bpfLoopCallback?: number;
}

export interface VerifierFacts {
  aux: InsnAux[];
  /** Stack depth of each function (`subprog_info[i].stack_depth`), before the rewrites add to it. */
  stackDepths: number[];
  /** Slot where each function starts (`subprog_info[i].start`). */
  funcStarts: number[];
}

// ---------------------------------------------------------------------------------------
// The analysis

type Val =
  | { k: 'ctx' }
  | { k: 'stack'; frame: number; off: number }
  | { k: 'map'; map: number }
  | { k: 'mapvalue'; map: number; off: number }
  | { k: 'func'; func: number }
  | { k: 'const'; v: bigint }
  | { k: 'unknown' };

const UNKNOWN: Val = { k: 'unknown' };
const same = (a: Val, b: Val): boolean => JSON.stringify(a, (_, v) => (typeof v === 'bigint' ? v.toString() : v)) === JSON.stringify(b, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
const joinVal = (a: Val, b: Val): Val => (same(a, b) ? a : UNKNOWN);

interface State {
  regs: Val[];
  /** 8-byte spills by stack offset. */
  spills: Map<number, Val>;
}

const cloneState = (s: State): State => ({ regs: [...s.regs], spills: new Map(s.spills) });

function joinState(a: State, b: State): State {
  const regs = a.regs.map((v, k) => joinVal(v, b.regs[k]));
  const spills = new Map<number, Val>();
  for (const [off, v] of a.spills) {
    const w = b.spills.get(off);
    if (w && same(v, w)) spills.set(off, v);
  }
  return { regs, spills };
}

const stateEq = (a: State, b: State): boolean =>
  a.regs.every((v, k) => same(v, b.regs[k])) && a.spills.size === b.spills.size && [...a.spills].every(([o, v]) => b.spills.has(o) && same(v, b.spills.get(o)!));

const HELPER_MAP_LOOKUP = 1;
const HELPER_TAIL_CALL = 12;
const HELPER_LOOP = 181;
/** Helpers whose first argument is a map (`ARG_CONST_MAP_PTR` in arg1). */
const MAP_ARG1_HELPERS = new Set([1, 2, 3, 25, 27, 51, 52, 69, 87, 88, 89, 130, 131, 164, 195]);

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const U32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const S64 = (v: bigint): bigint => BigInt.asIntN(64, v);

function aluConst(op: number, a: bigint, b: bigint, is64: boolean): bigint | undefined {
  const w = (x: bigint): bigint => (is64 ? U64(x) : U32(x));
  const sh = is64 ? 63n : 31n;
  switch (op) {
    case 0x00: return w(a + b);
    case 0x10: return w(a - b);
    case 0x20: return w(a * b);
    case 0x40: return w(a | b);
    case 0x50: return w(a & b);
    case 0x60: return w(a << (b & sh));
    case 0x70: return w(w(a) >> (b & sh));
    case 0xa0: return w(a ^ b);
    case 0xb0: return w(b);
    default: return undefined;
  }
}

/** Whether a conditional jump with known operands is taken; undefined if it cannot be decided. */
function branchTaken(op: number, a: Val, b: Val, is64: boolean, isImm: boolean, imm: number): boolean | undefined {
  const bw = is64 ? 64 : 32;
  // Decidable whatever the register holds.
  if (isImm) {
    const k = is64 ? U64(BigInt(imm)) : U32(BigInt(imm));
    if (op === 0x40 && k === 0n) return false; // jset 0
    if (op === 0x30 && k === 0n) return true; // >= 0 (unsigned)
    if (op === 0xa0 && k === 0n) return false; // < 0 (unsigned)
  }
  if (a.k !== 'const' || b.k !== 'const') return undefined;
  const x = BigInt.asUintN(bw, a.v);
  const y = BigInt.asUintN(bw, b.v);
  const sx = BigInt.asIntN(bw, a.v);
  const sy = BigInt.asIntN(bw, b.v);
  switch (op) {
    case 0x10: return x === y;
    case 0x50: return x !== y;
    case 0x20: return x > y;
    case 0x30: return x >= y;
    case 0xa0: return x < y;
    case 0xb0: return x <= y;
    case 0x40: return (x & y) !== 0n;
    case 0x60: return sx > sy;
    case 0x70: return sx >= sy;
    case 0xc0: return sx < sy;
    case 0xd0: return sx <= sy;
  }
  return undefined;
}

/** Function starts: 0 plus the targets of bpf-to-bpf calls and callback loads (pre-verifier form). */
export function loadedFuncStarts(p: LoadedProgram): number[] {
  const starts = new Set([0, ...p.funcInfo.map((f) => f.insnOff)]);
  for (const pc of insnStarts(p.insns)) {
    const i = p.insns[pc];
    if (i.code === 0x85 && i.src === 1) starts.add(pc + i.imm + 1);
    if (isLdImm64(i) && i.src === 4) starts.add(pc + i.imm + 1);
  }
  return [...starts].filter((s) => s >= 0 && s < p.insns.length).sort((a, b) => a - b);
}

/**
 * Derives the facts with a flow analysis. Conditional jumps whose outcome follows from
 * constants (or that are decided whatever the value: `& 0`, `>= 0`, `< 0` unsigned) take
 * one direction only, so code behind them counts as unreached, as the verifier finds.
 */
export function analyzeFacts(obj: LoadedObject, p: LoadedProgram): VerifierFacts {
  const insns = p.insns;
  const n = insns.length;
  const funcStarts = loadedFuncStarts(p);
  const funcOf = (slot: number): number => {
    let f = 0;
    while (f + 1 < funcStarts.length && funcStarts[f + 1] <= slot) f++;
    return f;
  };
  const aux: InsnAux[] = insns.map(() => ({ seen: false }));
  const depth = funcStarts.map(() => 0);
  const touchStack = (v: Val, extra: number): void => {
    if (v.k !== 'stack') return;
    const off = v.off + extra;
    // The verifier keeps stack depths in whole 8-byte slots.
    if (off < 0) depth[v.frame] = Math.max(depth[v.frame], (-off + 7) & ~7);
  };
  const entry = new Map<number, State>();
  const states = new Map<number, State>();
  const work: number[] = [];
  const push = (pc: number, s: State): void => {
    if (pc < 0 || pc >= n) return;
    const old = states.get(pc);
    const next = old ? joinState(old, s) : s;
    if (old && stateEq(old, next)) return;
    states.set(pc, next);
    work.push(pc);
  };
  const enterFunc = (f: number, s: State): void => {
    const start = funcStarts[f];
    const old = entry.get(start);
    const next = old ? joinState(old, s) : s;
    if (old && stateEq(old, next)) return;
    entry.set(start, next);
    push(start, next);
  };
  const initial: State = { regs: Array.from({ length: 11 }, () => UNKNOWN), spills: new Map() };
  initial.regs[1] = { k: 'ctx' };
  enterFunc(0, initial);

  let guard = 0;
  while (work.length) {
    if (++guard > 200000) break; // bound the analysis on pathological inputs
    const pc = work.pop()!;
    const s = cloneState(states.get(pc)!);
    const i = insns[pc];
    const a = aux[pc];
    a.seen = true;
    if (isLdImm64(i) && aux[pc + 1]) aux[pc + 1].seen = true; // sanitize_mark_insn_seen
    const frame = funcOf(pc);
    s.regs[10] = { k: 'stack', frame, off: 0 };
    const cls = i.code & 7;
    const op = i.code & 0xf0;
    const next = pc + (isLdImm64(i) ? 2 : 1);
    const setReg = (r: number, v: Val): void => { if (r < 10) s.regs[r] = v; };
    const memBase = (reg: number): Val => s.regs[reg] ?? UNKNOWN;

    if (cls === 4 || cls === 7) {
      const is64 = cls === 7;
      const d = s.regs[i.dst];
      const srcVal: Val = i.code & 8 ? s.regs[i.src] : { k: 'const', v: BigInt(i.imm) };
      if (op === 0xb0 && i.off === 0) {
        if (is64) setReg(i.dst, srcVal);
        else setReg(i.dst, srcVal.k === 'const' ? { k: 'const', v: U32(srcVal.v) } : UNKNOWN);
      } else if ((op === 0x00 || op === 0x10) && is64 && srcVal.k === 'const' && (d.k === 'stack' || d.k === 'mapvalue')) {
        const delta = Number(S64(srcVal.v)) * (op === 0x10 ? -1 : 1);
        setReg(i.dst, { ...d, off: d.off + delta });
      } else if (d.k === 'const' && srcVal.k === 'const' && i.off === 0) {
        const v = aluConst(op, d.v, srcVal.v, is64);
        setReg(i.dst, v === undefined ? UNKNOWN : { k: 'const', v });
      } else setReg(i.dst, UNKNOWN);
      push(next, s);
      continue;
    }
    if (cls === 0) {
      if (isLdImm64(i)) {
        if (i.src === 1) setReg(i.dst, { k: 'map', map: i.imm });
        else if (i.src === 2) setReg(i.dst, { k: 'mapvalue', map: i.imm, off: insns[pc + 1]?.imm ?? 0 });
        else if (i.src === 4) setReg(i.dst, { k: 'func', func: funcOf(pc + i.imm + 1) });
        else if (i.src === 0) setReg(i.dst, { k: 'const', v: ldImm64Value(insns, pc) });
        else setReg(i.dst, UNKNOWN);
      } else {
        setReg(0, UNKNOWN); // ld_abs / ld_ind
        for (let r = 1; r <= 5; r++) setReg(r, UNKNOWN);
      }
      push(next, s);
      continue;
    }
    if (cls === 1) {
      const base = memBase(i.src);
      if (base.k === 'ctx') a.ctxAccess = true;
      touchStack(base, i.off);
      let v: Val = UNKNOWN;
      if (base.k === 'stack' && (i.code & 0x18) === 0x18) v = s.spills.get(base.off + i.off) ?? UNKNOWN;
      if (base.k === 'mapvalue') v = readFrozen(obj, base.map, base.off + i.off, i.code) ?? UNKNOWN;
      setReg(i.dst, v);
      push(next, s);
      continue;
    }
    if (cls === 2 || cls === 3) {
      const base = memBase(i.dst);
      if (base.k === 'ctx') a.ctxAccess = true;
      touchStack(base, i.off);
      if (base.k === 'stack') {
        const at = base.off + i.off;
        const size = [4, 2, 1, 8][(i.code >> 3) & 3];
        for (const o of [...s.spills.keys()]) if (o < at + size && at < o + 8) s.spills.delete(o);
        if (cls === 3 && (i.code & 0xe0) === 0x60 && size === 8) s.spills.set(at, s.regs[i.src]);
      }
      if (cls === 3 && (i.code & 0xe0) === 0xc0) {
        if (i.imm & 1) setReg(i.imm === 0xf1 ? 0 : i.src, UNKNOWN); // fetch forms write a register
        if (i.imm === 0x100) setReg(i.dst, UNKNOWN); // load-acquire
      }
      push(next, s);
      continue;
    }
    // Jumps and calls.
    if (op === 0x90) continue; // exit
    if (op === 0x80) {
      if (i.src === 1) {
        const callee = funcOf(pc + i.imm + 1);
        enterFunc(callee, { regs: s.regs.map((v, r) => (r >= 1 && r <= 5 ? v : UNKNOWN)), spills: new Map() });
      } else if (i.src === 0) {
        const r1 = s.regs[1];
        if (MAP_ARG1_HELPERS.has(i.imm) && r1.k === 'map') a.map = r1.map;
        for (const r of [1, 2, 3, 4, 5]) touchStack(s.regs[r], 0);
        if (i.imm === HELPER_TAIL_CALL) {
          const r2 = s.regs[2];
          const r3 = s.regs[3];
          if (r2.k === 'map') a.map = r2.map;
          const max = r2.k === 'map' ? obj.maps[r2.map]?.maxEntries ?? 0 : 0;
          if (r3.k === 'const' && U64(r3.v) < BigInt(max)) a.tailCallKey = Number(r3.v);
        }
        if (i.imm === HELPER_LOOP) {
          const r2 = s.regs[2];
          const r4 = s.regs[4];
          if (r2.k === 'func' && r4.k === 'const' && r4.v === 0n) {
            a.bpfLoopCallback = r2.func;
            enterFunc(r2.func, { regs: [UNKNOWN, UNKNOWN, s.regs[3], UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN], spills: new Map() });
          }
        }
      }
      for (let r = 0; r <= 5; r++) setReg(r, UNKNOWN);
      // A lookup in a map of maps returns the inner map (as the verifier types it).
      const inner = i.src === 0 && i.imm === HELPER_MAP_LOOKUP && a.map !== undefined ? obj.maps[a.map]?.innerMap : undefined;
      if (inner !== undefined) setReg(0, { k: 'map', map: inner });
      push(next, s);
      continue;
    }
    if (op === 0x00) {
      push(pc + (i.code === 0x06 ? i.imm : i.off) + 1, s);
      continue;
    }
    if (op === 0xe0) { // may_goto: both ways
      push(next, s);
      push(pc + i.off + 1, s);
      continue;
    }
    const is64 = cls === 5;
    const isImm = (i.code & 8) === 0;
    const taken = branchTaken(op, s.regs[i.dst], isImm ? { k: 'const', v: BigInt(i.imm) } : s.regs[i.src], is64, isImm, i.imm);
    if (taken !== false) push(pc + i.off + 1, cloneState(s));
    if (taken !== true) push(next, s);
  }
  return { aux, stackDepths: depth, funcStarts };
}

/** A constant from a frozen (read-only) global-data map's initial bytes. */
function readFrozen(obj: LoadedObject, map: number, off: number, code: number): Val | undefined {
  const m = obj.maps[map];
  if (!m || !m.initial || !(m.frozen || m.kind === 'rodata')) return undefined;
  const size = [4, 2, 1, 8][(code >> 3) & 3];
  if ((code & 0xe0) !== 0x60 || off < 0 || off + size > m.initial.length) return undefined;
  let v = 0n;
  for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(m.initial[off + k]);
  return { k: 'const', v };
}
