/**
 * The kernel's rewrites after verification, in the order bpf_check() applies them on
 * Linux 6.18 x86-64 (privileged loader, JIT on):
 *
 *   optimize_bpf_loop          bpf_loop calls with a known callback become an inline loop
 *   dead code                  branches never taken become `goto`, unreached code goes,
 *                              `goto +0` goes (opt_hard_wire_dead_code_branches,
 *                              opt_remove_dead_code, opt_remove_nops)
 *   convert_ctx_accesses       context fields become kernel struct accesses (ctx.ts);
 *                              loads through BTF pointers become PROBE_MEM
 *   do_misc_fixups             division guards, ld_abs, may_goto counters, tail calls,
 *                              map lookups inlined, helper calls resolved to functions
 *   jit_subprogs               calls name their function; per-function tags
 *
 * and then `bpf_insn_prepare_dump`: the form `bpftool prog dump xlated` shows, with map
 * ids, tail calls as `call 12`, PROBE_MEM loads as plain loads.
 */
import type { LineInfo, LoadedObject, LoadedProgram } from '../elf/loaded-object';
import { insnStarts, isLdImm64, type Insn } from '../isa/insn';
import { helperById } from '../isa/helpers';
import { MAP_TYPES, PROG_TYPES } from '../isa/kernel-types';
import { helperKernelFunc, kernelCallImm, kernelFuncOfImm, MAP_HELPER_OPS } from './calls';
import { ctxConverter } from './ctx';
import { analyzeFacts, type VerifierFacts } from './facts';
import { PatchableProgram, type SlotAux } from './patch';
import { progTag } from './tag';

export interface XlateOptions {
  /** What the verifier knows; default: `analyzeFacts`. */
  facts?: VerifierFacts;
  /** The map id to show for a map of the object (default: its index + 1). */
  mapId?: (mapIndex: number) => number;
}

export interface XlatedProgram {
  name: string;
  progType: number;
  /** The instructions as `bpftool prog dump xlated` sees them (xlated_prog_insns). */
  insns: Insn[];
  /** For each slot: the slot of the loaded program it was made from. */
  origin: number[];
  /** Line info, moved with the rewrites (insn offsets in `insns`). */
  lineInfo: LineInfo[];
  /** Where each function starts. */
  funcStarts: number[];
  /** Function names (BTF func info), '' when the object has none. */
  funcNames: string[];
  /** Stack depth of each function after the rewrites added their slots. */
  stackDepths: number[];
  /** The program's tag (of the instructions as loaded) and each function's tag. */
  tag: string;
  funcTags: string[];
  /** Kernel symbol of each function: bpf_prog_<tag>_<name>. */
  funcSymbols: string[];
  /** Kernel function called at each helper-call slot. */
  callTargets: Map<number, string>;
  /** Slots of tail calls the JIT emits as direct (patched) jumps. */
  directTailCalls: Set<number>;
  /** Slots of loads the JIT guards as PROBE_MEM. */
  probeMem: Set<number>;
  /** Placeholder map id of each map of the object. */
  mapIds: number[];
  /** Where bpfplay could not do what the kernel does (so the listing may differ from it). */
  notes: string[];
}

const BPF_FUNC = { map_lookup_elem: 1, tail_call: 12, skb_load_bytes: 26, jiffies64: 118, loop: 181, get_smp_processor_id: 8, kptr_xchg: 194 } as const;
const BPF_MAX_LOOPS = 8 * 1024 * 1024;
const BPF_MAX_TIMED_LOOPS = 0xffff;
const E2BIG = 7;
const REG_AX = 11;
/** MODULES_VADDR: where the kernel points callback addresses while it computes tags. */
const MODULES_VADDR = 0xffffffffc0000000n;
/** offsetof(struct bpf_array, value / pptrs) and offsetof(struct htab_elem, key) on 6.18 x86-64. */
const ARRAY_VALUE_OFF = 312;
const HTAB_ELEM_KEY_OFF = 48;
/** offsetof(struct htab_elem, lru_node) + offsetof(struct bpf_lru_node, ref). */
const HTAB_LRU_REF_OFF = 35;
const BPF_F_INNER_MAP = 0x1000;
/** Placeholder addresses for kernel data the xlated code embeds. */
const JIFFIES_ADDR = 0xffffffff82a05000n;
const CPU_NUMBER_PERCPU = 0x0002b0bc;

const mk = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });
const ldImm64 = (dst: number, v: bigint): Insn[] => {
  const u = BigInt.asUintN(64, v);
  return [mk(0x18, dst, 0, 0, Number(BigInt.asIntN(32, u & 0xffffffffn))), mk(0, 0, 0, 0, Number(BigInt.asIntN(32, u >> 32n)))];
};
const call = (func: string): Insn => mk(0x85, 0, 0, 0, kernelCallImm(func));
const roundUp8 = (n: number): number => (n + 7) & ~7;
/** Program types whose context the kernel reads as is (pt_regs, tracepoint records, raw arguments). */
const CTX_UNCONVERTED = new Set(['kprobe', 'tracepoint', 'raw_tracepoint', 'raw_tracepoint_writable', 'tracing', 'syscall'].map((t) => PROG_TYPES.value(t)));
const isCondJump = (code: number): boolean => {
  const cls = code & 7;
  const op = code & 0xf0;
  if (cls === 6) return op !== 0x00;
  if (cls !== 5) return false;
  return op !== 0x00 && op !== 0x90 && op !== 0x80;
};

/** Applies the kernel's rewrites to one program of an object. */
export function xlateProgram(obj: LoadedObject, p: LoadedProgram, opts: XlateOptions = {}): XlatedProgram {
  const facts = opts.facts ?? analyzeFacts(obj, p);
  const mapId = opts.mapId ?? ((k: number) => k + 1);
  const prog = new PatchableProgram(
    p.insns.map((i) => ({ ...i })),
    facts.aux.map((a, k): SlotAux => ({ ...a, origin: k })),
    p.lineInfo.map((l) => ({ ...l })),
    [...facts.funcStarts, p.insns.length],
  );
  const depths = [...facts.stackDepths];
  const stackExtra = depths.map(() => 0);

  const notes: string[] = [];
  optimizeBpfLoop(prog, depths);
  removeDeadCode(prog);
  convertCtxAccesses(prog, p.progType, notes);
  const direct = new Set<number>();
  doMiscFixups(prog, obj, p, depths, stackExtra, direct, notes);
  const callTargets = new Map<number, string>();
  prog.insns.forEach((i, k) => {
    const f = i.code === 0x85 && i.src === 0 ? kernelFuncOfImm(i.imm) : undefined;
    if (f) callTargets.set(k, f);
  });

  // jit_subprogs: function tags over the code the JIT gets, then the dump form.
  const starts = prog.funcStarts.slice(0, -1);
  const funcCount = starts.length;
  const funcOfSlot = (slot: number): number => {
    let f = 0;
    while (f + 1 < funcCount && starts[f + 1] <= slot) f++;
    return f;
  };
  const jitForm = prog.insns.map((i, k) => {
    const c = { ...i };
    if (c.code === 0x85 && c.src === 1) return { ...c, off: funcOfSlot(k + c.imm + 1), imm: 1 };
    return c;
  });
  for (const pc of insnStarts(prog.insns)) {
    const i = prog.insns[pc];
    if (isLdImm64(i) && i.src === 4) {
      jitForm[pc] = { ...i, off: funcOfSlot(pc + i.imm + 1), imm: Number(BigInt.asIntN(32, MODULES_VADDR & 0xffffffffn)) };
      jitForm[pc + 1] = { ...jitForm[pc + 1], imm: Number(BigInt.asIntN(32, MODULES_VADDR >> 32n)) };
    }
  }
  const funcTags = starts.map((s, f) => progTag(jitForm.slice(s, f + 1 < funcCount ? starts[f + 1] : jitForm.length)));
  const funcNames = starts.map((s) => p.funcInfo.find((fi) => fi.insnOff === prog.aux[s]?.origin)?.name ?? '');
  const funcSymbols = funcTags.map((t, f) => `bpf_prog_${t}_${funcNames[f] || (funcCount > 1 ? 'F' : p.name)}`);

  const probeMem = new Set<number>();
  const insns = prog.insns.map((i, k): Insn => {
    const d = { ...i };
    if (d.code === 0xf5) return mk(0x85, 0, 0, 0, BPF_FUNC.tail_call);
    if ((d.code & 7) === 1 && (d.code & 0xe0) === 0x20) {
      probeMem.add(k);
      d.code = (d.code & ~0xe0) | 0x60;
    }
    if (d.code === 0x85 && d.src === 1) return { ...d, off: d.imm, imm: funcOfSlot(k + d.imm + 1) };
    return d;
  });
  for (const pc of insnStarts(insns)) {
    const i = insns[pc];
    if (!isLdImm64(i)) continue;
    if (i.src === 1 || i.src === 2) {
      insns[pc] = { ...i, imm: mapId(i.imm) };
      if (i.src === 1) insns[pc + 1] = { ...insns[pc + 1], imm: 0 };
    } else if (i.src === 4) {
      insns[pc + 1] = { ...insns[pc + 1], imm: funcOfSlot(pc + i.imm + 1) };
    }
  }

  return {
    name: p.name,
    progType: p.progType,
    insns,
    origin: prog.aux.map((a) => a.origin),
    lineInfo: prog.lineInfo,
    funcStarts: starts,
    funcNames,
    stackDepths: depths,
    tag: progTag(p.insns),
    funcTags,
    funcSymbols,
    callTargets,
    directTailCalls: direct,
    probeMem,
    mapIds: obj.maps.map((_, k) => mapId(k)),
    notes: [...new Set(notes)],
  };
}

function optimizeBpfLoop(prog: PatchableProgram, depths: number[]): void {
  let cur = 0;
  let extra = 0;
  for (let i = 0; i < prog.length; i++) {
    const insn = prog.insns[i];
    const cb = prog.aux[i].bpfLoopCallback;
    if (insn.code === 0x85 && insn.src === 0 && insn.imm === BPF_FUNC.loop && cb !== undefined) {
      const depth = depths[cur];
      extra = 8 * 3 + (roundUp8(depth) - depth);
      const base = -(depth + extra);
      const patch: Insn[] = [
        mk(0xb5, 1, 0, 2, BPF_MAX_LOOPS), mk(0xb4, 0, 0, 0, -E2BIG), mk(0x05, 0, 0, 16),
        mk(0x7b, 10, 6, base), mk(0x7b, 10, 7, base + 8), mk(0x7b, 10, 8, base + 16),
        mk(0xbf, 6, 1), mk(0xb4, 7, 0, 0, 0), mk(0xbf, 8, 3),
        mk(0x3d, 7, 6, 5), mk(0xbf, 1, 7), mk(0xbf, 2, 8), mk(0x85, 0, 1, 0, 0),
        mk(0x07, 7, 0, 0, 1), mk(0x15, 0, 0, -6, 0), mk(0xbf, 0, 7),
        mk(0x79, 6, 10, base), mk(0x79, 7, 10, base + 8), mk(0x79, 8, 10, base + 16),
      ];
      prog.patch(i, patch);
      const callAt = i + 12;
      prog.insns[callAt].imm = prog.funcStarts[cb] - callAt - 1;
      i += patch.length - 1;
    }
    if (prog.funcStarts[cur + 1] === i + 1) {
      depths[cur] += extra;
      cur++;
      extra = 0;
    }
  }
}

function removeDeadCode(prog: PatchableProgram): void {
  // Branches whose one side was never reached become `goto` (or `goto +0`).
  for (let i = 0; i < prog.length; i++) {
    const insn = prog.insns[i];
    if (isLdImm64(insn)) { i++; continue; }
    if (!isCondJump(insn.code)) continue;
    let off: number;
    if (!prog.aux[i + 1]?.seen) off = insn.off;
    else if (!prog.aux[i + 1 + insn.off]?.seen) off = 0;
    else continue;
    prog.insns[i] = mk(0x05, 0, 0, off, 0);
  }
  for (let i = 0; i < prog.length; i++) {
    let j = 0;
    while (i + j < prog.length && !prog.aux[i + j].seen) j++;
    if (j) prog.remove(i, j);
  }
  for (let i = 0; i < prog.length; i++) {
    const insn = prog.insns[i];
    const isJa0 = insn.code === 0x05 && insn.dst === 0 && insn.src === 0 && insn.off === 0 && insn.imm === 0;
    const isMayGoto0 = insn.code === 0xe5 && insn.dst === 0 && insn.src === 0 && insn.off === 0 && insn.imm === 0;
    if (!isJa0 && !isMayGoto0) {
      if (isLdImm64(insn)) i++;
      continue;
    }
    prog.remove(i, 1);
    i -= isMayGoto0 && i > 0 ? 2 : 1;
  }
}

const SIZE_BYTES = [4, 2, 1, 8];
const SIZE_CODE_OF: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };

function convertCtxAccesses(prog: PatchableProgram, progType: number, notes: string[]): void {
  const conv = ctxConverter(progType);
  const typeName = PROG_TYPES.name(progType)?.toLowerCase();
  for (let i = 0; i < prog.length; i++) {
    const insn = prog.insns[i];
    if (isLdImm64(insn)) { i++; continue; }
    const cls = insn.code & 7;
    const mode = insn.code & 0xe0;
    const isLoad = cls === 1 && (mode === 0x60 || mode === 0x80);
    const isStore = (cls === 2 || cls === 3) && mode === 0x60;
    if (!isLoad && !isStore) continue;
    const aux = prog.aux[i];
    if (aux.probeMem && isLoad) {
      prog.insns[i] = { ...insn, code: 0x01 | (insn.code & 0x18) | (mode === 0x60 ? 0x20 : 0x40) };
      continue;
    }
    if (!aux.ctxAccess) continue;
    if (!conv) {
      if (!CTX_UNCONVERTED.has(progType)) notes.push(`context accesses of ${typeName} programs are not converted (the kernel rewrites them)`);
      continue;
    }
    const size = SIZE_BYTES[(insn.code >> 3) & 3];
    const fieldSize = conv.fieldSize(insn.off);
    const narrow = isLoad && size < fieldSize;
    const sizeDefault = fieldSize;
    const origOff = insn.off;
    let target = insn;
    if (narrow) target = { ...insn, off: insn.off & ~(sizeDefault - 1), code: 0x61 | SIZE_CODE_OF[fieldSize] };
    const c = conv.convert(target, isStore);
    if (!c) {
      notes.push(`context field at offset ${origOff} of ${typeName} programs is not converted (the kernel rewrites it)`);
      continue;
    }
    const out = [...c.insns];
    if (narrow && size < c.targetSize) {
      const shift = (origOff & (sizeDefault - 1)) * 8;
      if (shift) out.push(mk(fieldSize <= 4 ? 0x74 : 0x77, insn.dst, 0, 0, shift));
      out.push(mk(0x54, insn.dst, 0, 0, size === 4 ? -1 : (1 << (size * 8)) - 1));
    }
    if (mode === 0x80) out.push(mk(0xbf, insn.dst, insn.dst, size * 8, 0));
    prog.patch(i, out);
    i += out.length - 1;
  }
}

function divModGuard(insn: Insn): Insn[] | undefined {
  const cls = insn.code & 7;
  const op = insn.code & 0xf0;
  const is64 = cls === 7;
  const isX = (insn.code & 8) !== 0;
  if ((cls !== 4 && cls !== 7) || (op !== 0x30 && op !== 0x90)) return undefined;
  const alu = is64 ? 0x07 : 0x04;
  const jmp = is64 ? 0x05 : 0x06;
  const isDiv = op === 0x30;
  if (!isX) {
    if (insn.off === 1 && insn.imm === -1) return [isDiv ? mk(alu | 0x80, insn.dst) : mk(0xb4, insn.dst, 0, 0, 0)];
    return undefined;
  }
  const d = insn.dst;
  const s = insn.src;
  if (insn.off === 1 && isDiv) {
    return [mk(0xbf, REG_AX, s), mk(alu | 0x00, REG_AX, 0, 0, 1), mk(jmp | 0x20, REG_AX, 0, 4, 1), mk(jmp | 0x10, REG_AX, 0, 1, 0),
      mk(alu | 0xb0, d, 0, 0, 0), mk(alu | 0x80, d), mk(0x05, 0, 0, 1), { ...insn }];
  }
  if (insn.off === 1) {
    const out = [mk(0xbf, REG_AX, s), mk(alu | 0x00, REG_AX, 0, 0, 1), mk(jmp | 0x20, REG_AX, 0, 3, 1), mk(jmp | 0x10, REG_AX, 0, 3 + (is64 ? 0 : 1), 1),
      mk(0xb4, d, 0, 0, 0), mk(0x05, 0, 0, 1), { ...insn }];
    if (!is64) out.push(mk(0x05, 0, 0, 1), mk(0xbc, d, d));
    return out;
  }
  if (isDiv) return [mk(jmp | 0x50, s, 0, 2, 0), mk(0xac, d, d), mk(0x05, 0, 0, 1), { ...insn }];
  const out = [mk(jmp | 0x10, s, 0, 1 + (is64 ? 0 : 1), 0), { ...insn }];
  if (!is64) out.push(mk(0x05, 0, 0, 1), mk(0xbc, d, d));
  return out;
}

function genLdAbs(insn: Insn): Insn[] {
  const out: Insn[] = [];
  if ((insn.code & 0xe0) === 0x20) out.push(mk(0xb7, 2, 0, 0, insn.imm));
  else {
    out.push(mk(0xbf, 2, insn.src));
    if (insn.imm) out.push(mk(0x07, 2, 0, 0, insn.imm));
  }
  out.push(mk(0xbf, 1, 6));
  const size = SIZE_BYTES[(insn.code >> 3) & 3];
  out.push(call(`bpf_skb_load_helper_${size * 8}_no_cache`));
  out.push(mk(0x75, 0, 0, 2, 0), mk(0xac, 0, 0), mk(0x95));
  return out;
}

/** map_gen_lookup of the map types that inline bpf_map_lookup_elem. */
function mapGenLookup(obj: LoadedObject, mapIndex: number): Insn[] | undefined {
  const m = obj.maps[mapIndex];
  if (!m) return undefined;
  const type = MAP_TYPES.name(m.type)?.toLowerCase();
  const keyOff = HTAB_ELEM_KEY_OFF + roundUp8(m.keySize);
  const log2 = (n: number): number => 31 - Math.clz32(n);
  const pow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;
  switch (type) {
    case 'array': {
      if (m.flags & BPF_F_INNER_MAP) return undefined;
      const elem = roundUp8(m.valueSize);
      return [mk(0x07, 1, 0, 0, ARRAY_VALUE_OFF), mk(0x61, 0, 2, 0), mk(0x35, 0, 0, 3, m.maxEntries),
        pow2(elem) ? mk(0x67, 0, 0, 0, log2(elem)) : mk(0x27, 0, 0, 0, elem), mk(0x0f, 0, 1), mk(0x05, 0, 0, 1), mk(0xb7, 0, 0, 0, 0)];
    }
    case 'percpu_array':
      if (m.flags & BPF_F_INNER_MAP) return undefined;
      return [mk(0x07, 1, 0, 0, ARRAY_VALUE_OFF), mk(0x61, 0, 2, 0), mk(0x35, 0, 0, 5, m.maxEntries), mk(0x67, 0, 0, 0, 3),
        mk(0x0f, 0, 1), mk(0x79, 0, 0, 0), mk(0xbf, 0, 0, -1), mk(0x05, 0, 0, 1), mk(0xb7, 0, 0, 0, 0)];
    case 'array_of_maps':
      return [mk(0x07, 1, 0, 0, ARRAY_VALUE_OFF), mk(0x61, 0, 2, 0), mk(0x35, 0, 0, 5, m.maxEntries), mk(0x67, 0, 0, 0, 3),
        mk(0x0f, 0, 1), mk(0x79, 0, 0, 0), mk(0x15, 0, 0, 1, 0), mk(0x05, 0, 0, 1), mk(0xb7, 0, 0, 0, 0)];
    case 'hash':
      return [call('__htab_map_lookup_elem'), mk(0x15, 0, 0, 1, 0), mk(0x07, 0, 0, 0, keyOff)];
    case 'lru_hash':
      return [call('__htab_map_lookup_elem'), mk(0x15, 0, 0, 4, 0), mk(0x71, 1, 0, HTAB_LRU_REF_OFF), mk(0x55, 1, 0, 1, 0),
        mk(0x72, 0, 0, HTAB_LRU_REF_OFF, 1), mk(0x07, 0, 0, 0, keyOff)];
    case 'percpu_hash':
      return [call('__htab_map_lookup_elem'), mk(0x15, 0, 0, 2, 0), mk(0x07, 0, 0, 0, keyOff), mk(0x79, 0, 0, 0), mk(0xbf, 0, 0, -1)];
    case 'hash_of_maps':
      return [call('__htab_map_lookup_elem'), mk(0x15, 0, 0, 2, 0), mk(0x07, 0, 0, 0, keyOff), mk(0x79, 0, 0, 0)];
  }
  return undefined;
}

function doMiscFixups(prog: PatchableProgram, obj: LoadedObject, p: LoadedProgram, depths: number[], stackExtra: number[], direct: Set<number>, notes: string[]): void {
  let cur = 0;
  let extra = 0;
  let pokes = 0;
  const mapTypeOf = (k: number | undefined): number | undefined => (k === undefined ? undefined : obj.maps[k]?.type);
  for (let i = 0; i < prog.length; i++) {
    let insn = prog.insns[i];
    const aux = prog.aux[i];
    let patch: Insn[] | undefined;
    const width = isLdImm64(insn) ? 2 : 1;
    const cls = insn.code & 7;
    if ((patch = divModGuard(insn))) {
      // guards for division by zero and signed overflow
    } else if (cls === 0 && ((insn.code & 0xe0) === 0x20 || (insn.code & 0xe0) === 0x40)) {
      patch = genLdAbs(insn);
    } else if (insn.code === 0xe5) {
      // Timed may_goto: a count and a timestamp slot below the frame.
      const depth = depths[cur];
      const offCnt = -depth - 16;
      extra = 16;
      patch = [mk(0x79, REG_AX, 10, offCnt), mk(0x15, REG_AX, 0, insn.off >= 0 ? insn.off + 5 : insn.off - 1, 0), mk(0x17, REG_AX, 0, 0, 1),
        mk(0x55, REG_AX, 0, 2, 0), mk(0xb7, REG_AX, 0, 0, offCnt), call('arch_bpf_timed_may_goto'), mk(0x7b, 10, REG_AX, offCnt)];
    } else if (insn.code === 0x85 && insn.src === 0) {
      const id = insn.imm;
      if (id === BPF_FUNC.tail_call) {
        const key = aux.tailCallKey;
        insn = { ...insn, code: 0xf5, imm: key !== undefined ? ++pokes : 0 };
        prog.insns[i] = insn;
        if (key !== undefined) direct.add(i);
      } else if (MAP_HELPER_OPS.has(id)) {
        if (id === BPF_FUNC.map_lookup_elem && aux.map !== undefined) patch = mapGenLookup(obj, aux.map);
        if (!patch) {
          if (aux.map === undefined) notes.push(`the map of the ${helperById(id)?.name ?? id} call at ${aux.origin} is not known, so its kernel function is not either`);
          const func = helperKernelFunc(id, p.progType, mapTypeOf(aux.map)) ?? 'unknown';
          prog.insns[i] = { ...insn, imm: kernelCallImm(func) };
        }
      } else if (id === BPF_FUNC.jiffies64) {
        patch = [...ldImm64(0, JIFFIES_ADDR), mk(0x79, 0, 0, 0)];
      } else if (id === BPF_FUNC.get_smp_processor_id) {
        patch = [mk(0xb7, 0, 0, 0, CPU_NUMBER_PERCPU), mk(0xbf, 0, 0, -1), mk(0x61, 0, 0, 0)];
      } else if (id === BPF_FUNC.kptr_xchg) {
        patch = [mk(0xbf, 0, 2), mk(0xdb, 1, 0, 0, 0xe1)];
      } else {
        const func = helperKernelFunc(id, p.progType) ?? 'unknown';
        prog.insns[i] = { ...insn, imm: kernelCallImm(func) };
      }
    }
    if (patch) {
      prog.patch(i, patch);
      i += patch.length - 1;
    } else i += width - 1;
    if (prog.funcStarts[cur + 1] === i + 1) {
      depths[cur] += extra;
      stackExtra[cur] = extra;
      cur++;
      extra = 0;
    }
  }
  // Functions with may_goto counters initialise them at their start.
  for (let f = 0; f < depths.length; f++) {
    if (!stackExtra[f]) continue;
    const start = prog.funcStarts[f];
    const depth = depths[f];
    const init = [mk(0x7a, 10, 0, -depth, BPF_MAX_TIMED_LOOPS), mk(0x7a, 10, 0, -depth + 8, 0), { ...prog.insns[start] }];
    prog.patch(start, init);
    adjustJmpOff(prog, start, 2);
  }
}

/** adjust_jmp_off: jumps to `target` now go `delta` further (past inserted instructions). */
function adjustJmpOff(prog: PatchableProgram, target: number, delta: number): void {
  for (let i = 0; i < prog.length; i++) {
    const insn = prog.insns[i];
    if (target <= i && i < target + delta) continue;
    const cls = insn.code & 7;
    const op = insn.code & 0xf0;
    if ((cls !== 5 && cls !== 6) || op === 0x80 || op === 0x90) continue;
    if (insn.code === 0x06) {
      if (i + 1 + insn.imm === target) insn.imm += delta;
    } else if (i + 1 + insn.off === target) insn.off += delta;
  }
}
