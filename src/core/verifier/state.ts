/**
 * Verifier states: per-frame registers and stack, and the whole path state with
 * references, locks and the jump history used by precision backtracking
 * (the kernel's `bpf_func_state` / `bpf_verifier_state`, include/linux/bpf_verifier.h).
 */
import { markRegNotInit, markRegKnownZero, PTR_TO_STACK, RegState, SCALAR_VALUE } from './reg-state';

export const BPF_REG_SIZE = 8;
export const MAX_BPF_STACK = 512;
export const MAX_CALL_FRAMES = 8;
export const BPF_MAIN_FUNC = -1;

/** Stack byte types (enum bpf_stack_slot_type). */
export const STACK_INVALID = 0;
export const STACK_SPILL = 1;
export const STACK_MISC = 2;
export const STACK_ZERO = 3;
export const STACK_DYNPTR = 4;
export const STACK_ITER = 5;
export const STACK_IRQ_FLAG = 6;
export const SLOT_TYPE_CHAR = ['?', 'r', 'm', '0', 'd', 'i', 'f'];

/** One 8-byte stack slot: a type per byte (index 0 = highest address) and a spilled register. */
export class StackSlot {
  slotType = new Uint8Array(BPF_REG_SIZE);
  spilled = new RegState();

  clone(): StackSlot {
    const s = new StackSlot();
    s.slotType.set(this.slotType);
    s.spilled.copyFrom(this.spilled);
    return s;
  }
}

export const isSpilledReg = (s: StackSlot): boolean => s.slotType[BPF_REG_SIZE - 1] === STACK_SPILL;
export const isSpilledScalarReg = (s: StackSlot): boolean => isSpilledReg(s) && s.spilled.type === SCALAR_VALUE;
export const isSpilledScalarReg64 = (s: StackSlot): boolean => s.slotType[0] === STACK_SPILL && s.spilled.type === SCALAR_VALUE;

export function isStackSlotSpecial(s: StackSlot): boolean {
  const t = s.slotType[BPF_REG_SIZE - 1];
  return t === STACK_SPILL || t === STACK_DYNPTR || t === STACK_ITER || t === STACK_IRQ_FLAG;
}

export interface RetvalRange {
  min: number;
  max: number;
}

export class FuncState {
  regs: RegState[] = Array.from({ length: 11 }, () => new RegState());
  stack: StackSlot[] = [];
  /** Call instruction that created this frame (-1 for the main function). */
  callsite = BPF_MAIN_FUNC;
  frameno = 0;
  subprogno = 0;
  callbackRetRange: RetvalRange = { min: 0, max: 0 };
  inCallbackFn = false;
  inAsyncCallbackFn = false;
  inExceptionCallbackFn = false;
  callbackDepth = 0;
  asyncEntryCnt = 0;

  get allocatedStack(): number {
    return this.stack.length * BPF_REG_SIZE;
  }

  clone(): FuncState {
    const f = new FuncState();
    for (let i = 0; i < 11; i++) f.regs[i].copyFrom(this.regs[i]);
    f.stack = this.stack.map((s) => s.clone());
    f.callsite = this.callsite;
    f.frameno = this.frameno;
    f.subprogno = this.subprogno;
    f.callbackRetRange = this.callbackRetRange;
    f.inCallbackFn = this.inCallbackFn;
    f.inAsyncCallbackFn = this.inAsyncCallbackFn;
    f.inExceptionCallbackFn = this.inExceptionCallbackFn;
    f.callbackDepth = this.callbackDepth;
    f.asyncEntryCnt = this.asyncEntryCnt;
    return f;
  }

  /** Makes this frame a copy of `src`, reusing this frame's register and slot objects. */
  assign(src: FuncState): void {
    for (let i = 0; i < 11; i++) this.regs[i].copyFrom(src.regs[i]);
    const n = src.stack.length;
    if (this.stack.length > n) this.stack.length = n;
    for (let i = 0; i < n; i++) {
      const d = this.stack[i];
      const s = src.stack[i];
      if (d) {
        d.slotType.set(s.slotType);
        d.spilled.copyFrom(s.spilled);
      } else {
        this.stack.push(s.clone());
      }
    }
    this.callsite = src.callsite;
    this.frameno = src.frameno;
    this.subprogno = src.subprogno;
    this.callbackRetRange = src.callbackRetRange;
    this.inCallbackFn = src.inCallbackFn;
    this.inAsyncCallbackFn = src.inAsyncCallbackFn;
    this.inExceptionCallbackFn = src.inExceptionCallbackFn;
    this.callbackDepth = src.callbackDepth;
    this.asyncEntryCnt = src.asyncEntryCnt;
  }

  /** `grow_stack_state`: make room for `size` bytes (rounded up to slots). */
  growStack(size: number): void {
    const n = Math.ceil(size / BPF_REG_SIZE);
    while (this.stack.length < n) this.stack.push(new StackSlot());
  }
}

/** `init_func_state` + `init_reg_state`. */
export function initFuncState(f: FuncState, callsite: number, frameno: number, subprogno: number, bpfCapable: boolean): void {
  f.callsite = callsite;
  f.frameno = frameno;
  f.subprogno = subprogno;
  f.callbackRetRange = { min: 0, max: 0 };
  for (let i = 0; i < 11; i++) {
    markRegNotInit(f.regs[i], bpfCapable);
    f.regs[i].subregDef = 0;
  }
  const fp = f.regs[10];
  fp.type = PTR_TO_STACK;
  markRegKnownZero(fp);
  fp.frameno = frameno;
}

export const REF_TYPE_PTR = 1;
export const REF_TYPE_IRQ = 2;
export const REF_TYPE_LOCK = 4;
export const REF_TYPE_RES_LOCK = 8;
export const REF_TYPE_RES_LOCK_IRQ = 16;
export const REF_TYPE_LOCK_MASK = REF_TYPE_LOCK | REF_TYPE_RES_LOCK | REF_TYPE_RES_LOCK_IRQ;

export interface RefState {
  type: number;
  id: number;
  insnIdx: number;
  /** Lock references: the locked object (map index or -1). */
  ptr: number;
}

/** Flags of jump-history entries (INSN_F_*). */
export const INSN_F_FRAMENO_MASK = 0x7;
export const INSN_F_SPI_MASK = 0x3f;
export const INSN_F_SPI_SHIFT = 3;
export const INSN_F_STACK_ACCESS = 1 << 9;
export const INSN_F_DST_REG_STACK = 1 << 10;
export const INSN_F_SRC_REG_STACK = 1 << 11;

export interface JmpHistEntry {
  idx: number;
  prevIdx: number;
  flags: number;
  /** Linked registers packed as the kernel does (see linked_regs_pack); 0n: none. */
  linkedRegs: bigint;
}

let nextStateSerial = 1;

export class VerifierState {
  frames: FuncState[] = [];
  curframe = 0;
  refs: RefState[] = [];
  activeLocks = 0;
  activeLockId = 0;
  activeLockPtr = -1;
  activeRcuLock = false;
  activePreemptLocks = 0;
  activeIrqId = 0;
  speculative = false;
  inSleepable = false;
  cleaned = false;
  /** Number of paths still being explored from this (checkpointed) state. */
  branches = 0;
  parent: VerifierState | null = null;
  equalState: VerifierState | null = null;
  firstInsnIdx = 0;
  lastInsnIdx = -1;
  insnIdx = 0;
  dfsDepth = 0;
  callbackUnrollDepth = 0;
  mayGotoDepth = 0;
  jmpHistory: JmpHistEntry[] = [];
  /** Identity for the debugger trace (which checkpoint a pruning hit matched). */
  serial = nextStateSerial++;
  /** For checkpointed (explored) states: their entry in the explored-states list. */
  listEntry: { inFreeList: boolean; missCnt: number; hitCnt: number; state: VerifierState } | null = null;

  get cur(): FuncState {
    return this.frames[this.curframe];
  }

  /** `copy_verifier_state`. */
  copyFrom(src: VerifierState): void {
    this.jmpHistory = src.jmpHistory.slice();
    // reuse this state's frame objects where it has them (copy_verifier_state reuses memory)
    const frames = this.frames;
    if (frames.length > src.curframe + 1) frames.length = src.curframe + 1;
    for (let i = 0; i <= src.curframe; i++) {
      if (frames[i]) frames[i].assign(src.frames[i]);
      else frames[i] = src.frames[i].clone();
    }
    this.refs = src.refs.map((r) => ({ ...r }));
    this.activeLocks = src.activeLocks;
    this.activeLockId = src.activeLockId;
    this.activeLockPtr = src.activeLockPtr;
    this.activeRcuLock = src.activeRcuLock;
    this.activePreemptLocks = src.activePreemptLocks;
    this.activeIrqId = src.activeIrqId;
    this.speculative = src.speculative;
    this.inSleepable = src.inSleepable;
    this.cleaned = src.cleaned;
    this.curframe = src.curframe;
    this.branches = src.branches;
    this.parent = src.parent;
    this.firstInsnIdx = src.firstInsnIdx;
    this.lastInsnIdx = src.lastInsnIdx;
    this.dfsDepth = src.dfsDepth;
    this.callbackUnrollDepth = src.callbackUnrollDepth;
    this.mayGotoDepth = src.mayGotoDepth;
    this.equalState = src.equalState;
  }

  clone(): VerifierState {
    const s = new VerifierState();
    s.copyFrom(this);
    s.insnIdx = this.insnIdx;
    return s;
  }
}

/** `frame_insn_idx`: where frame `frame` of `st` is (its current insn, or the call it made). */
export const frameInsnIdx = (st: VerifierState, frame: number): number => (frame === st.curframe ? st.insnIdx : st.frames[frame + 1].callsite);

/** Calls `fn` for every register and spilled register of every frame (`bpf_for_each_reg_in_vstate`). */
export function forEachRegInState(st: VerifierState, fn: (reg: RegState, frame: FuncState) => void): void {
  for (let i = 0; i <= st.curframe; i++) {
    const f = st.frames[i];
    for (let r = 0; r < 11; r++) fn(f.regs[r], f);
    for (const slot of f.stack) if (isSpilledReg(slot)) fn(slot.spilled, f);
  }
}
