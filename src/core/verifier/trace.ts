/**
 * The verifier's structured trace for the debugger: every processed instruction (and
 * every pruning hit) as a step, with the full abstract state after it, the branches it
 * queued, the path switches, and which explored state a pruned path matched.
 *
 * Storage is compact so that a 1,000,000-instruction verification fits in a browser
 * tab: registers and stack slots are kept as interned strings in the kernel's own
 * notation (`scalar(smin=...)`, `mmmm????`), each step stores only the slots whose
 * text changed (a delta), and a full snapshot is taken every SNAPSHOT_EVERY steps, so
 * materialising any step applies at most that many deltas.
 */
import type { Change, TraceCursor } from '../trace/cursor';
import { formatRegState, formatStackSlot, snum, type MapInfo } from './log';
import { tnumIsConst } from './tnum';
import { SCALAR_VALUE } from './reg-state';
import { RegState } from './reg-state';
import { BPF_REG_SIZE, MAX_CALL_FRAMES, StackSlot, type VerifierState } from './state';

/** One call frame as the debugger shows it. */
export interface VerifierFrameView {
  frameno: number;
  /** Call instruction that entered this frame (-1 for the main program). */
  callsite: number;
  /** Registers R0..R10 in log notation; null = not initialised. */
  regs: (string | null)[];
  /** Used stack slots, highest first: offset below the frame pointer (-8, -16, ...) and contents. */
  stack: { off: number; text: string }[];
}

/** The verifier's state after a step. The last frame is the current one. */
export interface VerifierStepState {
  frames: VerifierFrameView[];
  speculative: boolean;
}

/**
 * - `insn`: the instruction was checked and its effect is in the state;
 * - `exit`: the instruction ended a path (program or callback exit);
 * - `error`: the instruction was rejected (the last step of a failed verification);
 * - `pruned`: the path reached an instruction with an equivalent explored state and
 *   stopped there without executing it.
 */
export type VerifierStepKind = 'insn' | 'exit' | 'error' | 'pruned';

const KIND_CODES: readonly VerifierStepKind[] = ['insn', 'exit', 'error', 'pruned'];

/** Slot keys: per frame, 11 registers, the frame's callsite, then 64 stack slots. */
const FRAME_STRIDE = 128;
const KEY_CALLSITE = 11;
const KEY_STACK0 = 16;
const MAX_SLOTS = 64;
const KEY_SPECULATIVE = MAX_CALL_FRAMES * FRAME_STRIDE;
const NKEYS = KEY_SPECULATIVE + 1;
const SNAPSHOT_EVERY = 256;

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(cap = 1024) {
    this.data = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const n = new Int32Array(this.data.length * 2);
      n.set(this.data);
      this.data = n;
    }
    this.data[this.length++] = v;
  }
  get(i: number): number {
    return this.data[i];
  }
  /** Trim spare capacity once recording is over. */
  seal(): void {
    this.data = this.data.slice(0, this.length);
  }
}

/** A growable BigInt64Array (known scalar values, kept out of the string table). */
class BigList {
  data = new BigInt64Array(256);
  length = 0;
  push(v: bigint): number {
    if (this.length === this.data.length) {
      const n = new BigInt64Array(this.data.length * 2);
      n.set(this.data);
      this.data = n;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  seal(): void {
    this.data = this.data.slice(0, this.length);
  }
}

export interface PruneInfo {
  /** The explored state this path was found equivalent to (as it was compared, after liveness cleaning). */
  matched: VerifierStepState;
  /** The step just before the matched state was saved, if it was saved during this trace. */
  checkpointStep: number | undefined;
}

/** The trace as the debugger reads it. */
export interface VerifierTrace extends TraceCursor<VerifierStepState> {
  kind(step: number): VerifierStepKind;
  /** The state before the step executed (differs from `state(step - 1)` where a new path starts). */
  stateBefore(step: number): VerifierStepState;
  /** Branch targets the step queued for later exploration. */
  pushed(step: number): readonly number[];
  /** For the first step of a path popped from the queue: the step that queued it; else undefined. */
  pathParent(step: number): number | undefined;
  /** True if the step starts a path (the program's start or a popped branch). */
  startsPath(step: number): boolean;
  /** The steps from the program's entry that led to `step` (its path through the DFS). */
  pathTo(step: number): number[];
  /** For `pruned` steps: the state it matched. */
  prune(step: number): PruneInfo | undefined;
  /** The failing step, if verification failed at an instruction. */
  readonly errorStep: number | undefined;
  /** Number of distinct strings interned (a size indicator). */
  readonly internedCount: number;
}

/** Records the trace during verification; `finish()` hands out the read-only cursor. */
export class TraceRecorder {
  private readonly strings: string[] = [''];
  private readonly consts = new BigList();
  private readonly ids = new Map<string, number>();
  private readonly pcs = new IntList();
  private readonly meta = new IntList(); // frame | kind << 8
  private readonly deltaStart = new IntList();
  private readonly changeStart = new IntList();
  private readonly dKeys = new IntList(4096);
  private readonly dVals = new IntList(4096);
  private readonly snapPos: number[] = [];
  private readonly snaps: Int32Array[] = [];
  private readonly pushes = new Map<number, number[]>();
  private readonly parents = new Map<number, number>();
  private readonly prunes = new Map<number, { matched: Int32Array; checkpointStep: number | undefined }>();
  private readonly queuedBy = new WeakMap<VerifierState, number>();
  private readonly savedAt = new WeakMap<VerifierState, number>();
  private readonly prunedViews = new WeakMap<VerifierState, { cleaned: boolean; view: Int32Array }>();
  /** The current view: value id per key, and what produced it (to skip unchanged slots cheaply). */
  private readonly view = new Int32Array(NKEYS);
  private readonly regCache: RegState[] = Array.from({ length: MAX_CALL_FRAMES * 11 }, () => new RegState());
  private readonly slotCache: (StackSlot | null)[] = new Array(MAX_CALL_FRAMES * MAX_SLOTS).fill(null);
  private readonly frameCount = { value: 0 };
  private pendingParent: number | undefined;
  private pendingStart = true;
  private errorStep: number | undefined;

  constructor(private readonly maps: readonly MapInfo[]) {
    this.deltaStart.push(0);
  }

  get length(): number {
    return this.pcs.length;
  }

  private intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  private set(key: number, id: number): void {
    if (this.view[key] === id) return;
    this.view[key] = id;
    this.dKeys.push(key);
    this.dVals.push(id);
  }

  /**
   * Value id of a register: interned text, or (for the common case of a known scalar,
   * e.g. a loop counter with a new value every step) a negative index into `consts`.
   */
  private regValue(reg: RegState, frameno: number): number {
    if (reg.type === 0) return 0;
    if (reg.type === SCALAR_VALUE && !reg.precise && tnumIsConst(reg.varOff)) return -1 - this.consts.push(reg.varOff.value);
    return this.intern(formatRegState(reg, frameno, this.maps));
  }

  /** Emit deltas bringing the current view up to `st`. */
  private diff(st: VerifierState): void {
    const nframes = st.curframe + 1;
    for (let f = 0; f < nframes; f++) {
      const fr = st.frames[f];
      const base = f * FRAME_STRIDE;
      this.set(base + KEY_CALLSITE, this.intern(String(fr.callsite)));
      for (let r = 0; r < 11; r++) {
        const reg = fr.regs[r];
        const cache = this.regCache[f * 11 + r];
        if (this.view[base + r] !== 0 || reg.type !== 0) {
          if (!sameReg(cache, reg) || this.view[base + r] === 0) {
            cache.copyFrom(reg);
            this.set(base + r, this.regValue(reg, fr.frameno));
          }
        }
      }
      const nslots = Math.min(fr.stack.length, MAX_SLOTS);
      for (let i = 0; i < MAX_SLOTS; i++) {
        const key = base + KEY_STACK0 + i;
        const ci = f * MAX_SLOTS + i;
        if (i >= nslots) {
          if (this.view[key] !== 0) this.set(key, 0);
          this.slotCache[ci] = null;
          continue;
        }
        const slot = fr.stack[i];
        const c = this.slotCache[ci];
        if (c && sameSlot(c, slot)) continue;
        this.slotCache[ci] = slot.clone();
        const text = formatStackSlot(slot, fr.frameno, this.maps);
        this.set(key, text === null ? 0 : this.intern(text));
      }
    }
    for (let f = nframes; f < this.frameCount.value; f++) this.clearFrame(f);
    this.frameCount.value = nframes;
    this.set(KEY_SPECULATIVE, st.speculative ? 1 : 0);
  }

  private clearFrame(f: number): void {
    const base = f * FRAME_STRIDE;
    for (let k = 0; k < FRAME_STRIDE; k++) if (this.view[base + k] !== 0) this.set(base + k, 0);
    for (let r = 0; r < 11; r++) this.regCache[f * 11 + r] = new RegState();
    for (let i = 0; i < MAX_SLOTS; i++) this.slotCache[f * MAX_SLOTS + i] = null;
  }

  private beginStep(): void {
    // deltaStart for this step was pushed when the previous step ended
    this.changeStart.push(this.dKeys.length);
  }

  private endStep(pc: number, frame: number, kind: number): void {
    const step = this.pcs.length;
    this.pcs.push(pc);
    this.meta.push(frame | (kind << 8));
    if (this.pendingStart) {
      this.parents.set(step, this.pendingParent ?? -1);
      this.pendingStart = false;
    }
    this.deltaStart.push(this.dKeys.length);
    if ((step + 1) % SNAPSHOT_EVERY === 0) {
      this.snapPos.push(this.dKeys.length);
      this.snaps.push(sparse(this.view));
    }
  }

  /** Verification (of the main program or a global function) starts from `st`. */
  start(st: VerifierState): void {
    this.pendingStart = true;
    this.pendingParent = undefined;
    this.diff(st);
  }

  /** An instruction was checked; `st` is the state after it. */
  step(pc: number, st: VerifierState, error = false, exit = false): void {
    this.beginStep();
    this.diff(st);
    if (error) this.errorStep = this.pcs.length;
    this.endStep(pc, st.curframe, error ? 2 : exit ? 1 : 0);
  }

  /** The current instruction queued a branch to `insnIdx`. */
  pushed(insnIdx: number, _prevInsnIdx: number, st: VerifierState): void {
    const step = this.pcs.length;
    let l = this.pushes.get(step);
    if (!l) this.pushes.set(step, (l = []));
    l.push(insnIdx);
    this.queuedBy.set(st, step);
  }

  /** A queued branch became the current path; `st` is the state it was queued with. */
  popped(queued: VerifierState, cur: VerifierState): void {
    this.pendingStart = true;
    this.pendingParent = this.queuedBy.get(queued);
    // the path switch is part of the next step's deltas but not of its "changes"
    this.diff(cur);
  }

  /** An explored state was saved (a checkpoint) before the next step. */
  checkpoint(_insnIdx: number, saved: VerifierState): void {
    this.savedAt.set(saved, this.pcs.length - 1);
  }

  /** The path stopped at `insnIdx`: its state is equivalent to `matched`. */
  pruned(insnIdx: number, matched: VerifierState, cur: VerifierState): void {
    this.beginStep();
    this.diff(cur);
    let pv = this.prunedViews.get(matched);
    if (!pv || pv.cleaned !== matched.cleaned) {
      pv = { cleaned: matched.cleaned, view: this.viewOf(matched) };
      this.prunedViews.set(matched, pv);
    }
    const step = this.pcs.length;
    this.prunes.set(step, { matched: pv.view, checkpointStep: this.savedAt.get(matched) });
    this.endStep(insnIdx, cur.curframe, 3);
  }

  /** A sparse view of a whole state, formatted afresh. */
  private viewOf(st: VerifierState): Int32Array {
    const out: number[] = [];
    for (let f = 0; f <= st.curframe; f++) {
      const fr = st.frames[f];
      const base = f * FRAME_STRIDE;
      out.push(base + KEY_CALLSITE, this.intern(String(fr.callsite)));
      for (let r = 0; r < 11; r++) {
        if (fr.regs[r].type !== 0) out.push(base + r, this.regValue(fr.regs[r], fr.frameno));
      }
      for (let i = 0; i < Math.min(fr.stack.length, MAX_SLOTS); i++) {
        const t = formatStackSlot(fr.stack[i], fr.frameno, this.maps);
        if (t !== null) out.push(base + KEY_STACK0 + i, this.intern(t));
      }
    }
    if (st.speculative) out.push(KEY_SPECULATIVE, 1);
    return Int32Array.from(out);
  }

  finish(): VerifierTrace {
    for (const l of [this.pcs, this.meta, this.deltaStart, this.changeStart, this.dKeys, this.dVals]) l.seal();
    this.consts.seal();
    return new RecordedTrace(this.strings, this.consts.data, this.pcs.data, this.meta.data, this.deltaStart.data, this.changeStart.data,
      this.dKeys.data, this.dVals.data, this.snapPos, this.snaps, this.pushes, this.parents, this.prunes, this.errorStep);
  }
}

function sparse(view: Int32Array): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < view.length; k++) if (view[k] !== 0) out.push(k, view[k]);
  return Int32Array.from(out);
}

function sameReg(a: RegState, b: RegState): boolean {
  return a.type === b.type && a.off === b.off && a.range === b.range && a.map === b.map && a.memSize === b.memSize &&
    a.varOff.value === b.varOff.value && a.varOff.mask === b.varOff.mask && a.smin === b.smin && a.smax === b.smax &&
    a.umin === b.umin && a.umax === b.umax && a.s32min === b.s32min && a.s32max === b.s32max && a.u32min === b.u32min &&
    a.u32max === b.u32max && a.id === b.id && a.refObjId === b.refObjId && a.frameno === b.frameno &&
    a.precise === b.precise && a.btfName === b.btfName && a.subprogno === b.subprogno;
}

function sameSlot(a: StackSlot, b: StackSlot): boolean {
  for (let j = 0; j < BPF_REG_SIZE; j++) if (a.slotType[j] !== b.slotType[j]) return false;
  return sameReg(a.spilled, b.spilled);
}

class RecordedTrace implements VerifierTrace {
  constructor(
    private readonly strings: readonly string[],
    private readonly consts: BigInt64Array,
    private readonly pcs: Int32Array,
    private readonly meta: Int32Array,
    private readonly deltaStart: Int32Array,
    private readonly changeStart: Int32Array,
    private readonly dKeys: Int32Array,
    private readonly dVals: Int32Array,
    private readonly snapPos: readonly number[],
    private readonly snaps: readonly Int32Array[],
    private readonly pushes: ReadonlyMap<number, number[]>,
    private readonly parents: ReadonlyMap<number, number>,
    private readonly prunes: ReadonlyMap<number, { matched: Int32Array; checkpointStep: number | undefined }>,
    readonly errorStep: number | undefined,
  ) {}

  get length(): number {
    return this.pcs.length;
  }

  get internedCount(): number {
    return this.strings.length;
  }

  private check(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step >= this.pcs.length) throw new RangeError(`step ${step} out of range 0..${this.pcs.length - 1}`);
  }

  pc(step: number): number {
    this.check(step);
    return this.pcs[step];
  }

  frame(step: number): number {
    this.check(step);
    return this.meta[step] & 0xff;
  }

  kind(step: number): VerifierStepKind {
    this.check(step);
    return KIND_CODES[this.meta[step] >> 8];
  }

  /** The view after applying deltas [0, pos). */
  private viewAt(pos: number): Int32Array {
    const view = new Int32Array(NKEYS);
    let from = 0;
    let lo = 0;
    let hi = this.snapPos.length - 1;
    let best = -1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (this.snapPos[m] <= pos) {
        best = m;
        lo = m + 1;
      } else hi = m - 1;
    }
    if (best >= 0) {
      const s = this.snaps[best];
      for (let k = 0; k < s.length; k += 2) view[s[k]] = s[k + 1];
      from = this.snapPos[best];
    }
    for (let d = from; d < pos; d++) view[this.dKeys[d]] = this.dVals[d];
    return view;
  }

  private text(v: number): string | null {
    if (v === 0) return null;
    return v < 0 ? snum(this.consts[-1 - v]) : this.strings[v];
  }

  private render(view: Int32Array): VerifierStepState {
    const frames: VerifierFrameView[] = [];
    for (let f = 0; f < MAX_CALL_FRAMES; f++) {
      const base = f * FRAME_STRIDE;
      if (!view[base + KEY_CALLSITE]) break;
      const regs: (string | null)[] = [];
      for (let r = 0; r < 11; r++) regs.push(this.text(view[base + r]));
      const stack: { off: number; text: string }[] = [];
      for (let i = 0; i < MAX_SLOTS; i++) {
        const v = view[base + KEY_STACK0 + i];
        if (v) stack.push({ off: -(i + 1) * BPF_REG_SIZE, text: this.strings[v] });
      }
      frames.push({ frameno: f, callsite: Number(this.strings[view[base + KEY_CALLSITE]]), regs, stack });
    }
    return { frames, speculative: view[KEY_SPECULATIVE] !== 0 };
  }

  state(step: number): VerifierStepState {
    this.check(step);
    return this.render(this.viewAt(this.deltaStart[step + 1]));
  }

  stateBefore(step: number): VerifierStepState {
    this.check(step);
    return this.render(this.viewAt(this.changeStart[step]));
  }

  changes(step: number): readonly Change[] {
    this.check(step);
    const out: Change[] = [];
    for (let d = this.changeStart[step]; d < this.deltaStart[step + 1]; d++) {
      const key = this.dKeys[d];
      if (key >= KEY_SPECULATIVE) continue;
      const frame = Math.floor(key / FRAME_STRIDE);
      const k = key % FRAME_STRIDE;
      if (k < 11) out.push({ kind: 'reg', frame, reg: k });
      else if (k >= KEY_STACK0) out.push({ kind: 'stack', frame, off: -(k - KEY_STACK0 + 1) * BPF_REG_SIZE, size: BPF_REG_SIZE });
    }
    return out;
  }

  pushed(step: number): readonly number[] {
    this.check(step);
    return this.pushes.get(step) ?? [];
  }

  pathParent(step: number): number | undefined {
    this.check(step);
    const p = this.parents.get(step);
    return p === undefined || p < 0 ? undefined : p;
  }

  startsPath(step: number): boolean {
    this.check(step);
    return this.parents.has(step);
  }

  pathTo(step: number): number[] {
    this.check(step);
    const out: number[] = [];
    let s: number | undefined = step;
    while (s !== undefined && s >= 0) {
      out.push(s);
      if (this.parents.has(s)) s = this.pathParent(s);
      else s = s - 1;
    }
    return out.reverse();
  }

  prune(step: number): PruneInfo | undefined {
    this.check(step);
    const p = this.prunes.get(step);
    if (!p) return undefined;
    const view = new Int32Array(NKEYS);
    for (let k = 0; k < p.matched.length; k += 2) view[p.matched[k]] = p.matched[k + 1];
    return { matched: this.render(view), checkpointStep: p.checkpointStep };
  }
}
