/**
 * Path exploration (`do_check`): instruction by instruction from the entry, queueing the
 * other side of every undecided branch, and pruning a path when its state at a pruning
 * point is covered by an already verified state (`is_state_visited`, `states_equal`).
 */
import { tnumIn } from './tnum';
import { BPF_ADD_CONST, markRegNotInit, markRegUnknown, markRegUnknownImprecise, NOT_INIT, PTR_TO_BUF, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_STACK, PTR_TO_TP_BUFFER, RegState, SCALAR_VALUE, baseType, PTR_TO_ARENA } from './reg-state';
import { checkAluOp } from './check-alu';
import { checkCondJmpOp } from './check-jmp';
import { checkFuncCall, checkHelperCall, checkLdAbs, checkLdImm, checkResourceLeak, checkReturnCode, prepareFuncExit } from './check-call';
import { BPF_WRITE, checkAtomic, checkLoadMem, checkMemAccess, checkRegArg, checkStoreReg, saveAuxPtrType, SRC_OP } from './check-mem';
import { EAGAIN, EACCES, EFAULT, EINVAL, EPERM, type Env, type StateListEntry, VerifyAbort, E2BIG } from './env';
import { markAllScalarsImprecise, markAllScalarsPrecise, markChainPrecisionFrom } from './precision';
import { maybeFreeState, popStack, SccVisits, updatePeakStates, type SccVisit } from './paths';
import { BPF_REG_SIZE, frameInsnIdx, isSpilledReg, isSpilledScalarReg64, STACK_DYNPTR, STACK_INVALID, STACK_IRQ_FLAG, STACK_ITER, STACK_MISC, STACK_SPILL, STACK_ZERO, type FuncState, type StackSlot, VerifierState } from './state';
import { pushJmpHistory } from './check-mem';

const PROCESS_BPF_EXIT = 1;

// ---------------------------------------------------------------------------------------
// State equivalence

class IdMap {
  old: number[] = [];
  cur: number[] = [];
  tmpIdGen = 0;
  reset(idGen: number): void {
    this.old.length = 0;
    this.cur.length = 0;
    this.tmpIdGen = idGen;
  }
}

/** `check_ids`: ids must map one to one between the old and the current state. */
function checkIds(oldId: number, curId: number, m: IdMap): boolean {
  if (!!oldId !== !!curId) return false;
  if (oldId === 0) return true;
  for (let i = 0; i < m.old.length; i++) {
    if (m.old[i] === oldId) return m.cur[i] === curId;
    if (m.cur[i] === curId) return false;
  }
  m.old.push(oldId);
  m.cur.push(curId);
  return true;
}

function checkScalarIds(oldId: number, curId: number, m: IdMap): boolean {
  oldId = oldId || ++m.tmpIdGen;
  curId = curId || ++m.tmpIdGen;
  return checkIds(oldId, curId, m);
}

function rangeWithin(o: RegState, c: RegState): boolean {
  return o.umin <= c.umin && o.umax >= c.umax && o.smin <= c.smin && o.smax >= c.smax &&
    o.u32min <= c.u32min && o.u32max >= c.u32max && o.s32min <= c.s32min && o.s32max >= c.s32max;
}

/** memcmp of the fields before `var_off`: type, off and the raw union. */
function sameHead(o: RegState, c: RegState): boolean {
  return o.type === c.type && o.off === c.off && o.range === c.range && o.map === c.map && o.mapUid === c.mapUid &&
    o.memSize === c.memSize && o.subprogno === c.subprogno && o.btfName === c.btfName;
}

/** memcmp of the fields before `id`. */
function sameUpToId(o: RegState, c: RegState): boolean {
  return sameHead(o, c) && o.varOff.value === c.varOff.value && o.varOff.mask === c.varOff.mask &&
    o.smin === c.smin && o.smax === c.smax && o.umin === c.umin && o.umax === c.umax &&
    o.s32min === c.s32min && o.s32max === c.s32max && o.u32min === c.u32min && o.u32max === c.u32max;
}

function regsExact(o: RegState, c: RegState, m: IdMap): boolean {
  return sameUpToId(o, c) && checkIds(o.id, c.id, m) && checkIds(o.refObjId, c.refObjId, m);
}

const NOT_EXACT = 0;
const EXACT = 1;
const RANGE_WITHIN = 2;

/** `regsafe`: is `rold` at least as general as `rcur`. */
function regsafe(env: Env, o: RegState, c: RegState, m: IdMap, exact: number): boolean {
  if (exact === EXACT) return regsExact(o, c, m);
  if (o.type === NOT_INIT && (exact === NOT_EXACT || c.type === NOT_INIT)) return true;
  if (o.type !== c.type) return false;
  switch (baseType(o.type)) {
    case SCALAR_VALUE:
      if (env.exploreAluLimits) return sameUpToId(o, c) && checkScalarIds(o.id, c.id, m);
      if (!o.precise && exact === NOT_EXACT) return true;
      if ((o.id & BPF_ADD_CONST) !== (c.id & BPF_ADD_CONST)) return false;
      if (o.id & BPF_ADD_CONST && o.off !== c.off) return false;
      return rangeWithin(o, c) && tnumIn(o.varOff, c.varOff) && checkScalarIds(o.id, c.id, m);
    case PTR_TO_MAP_KEY: case PTR_TO_MAP_VALUE: case PTR_TO_MEM: case PTR_TO_BUF: case PTR_TO_TP_BUFFER:
      return sameHead(o, c) && rangeWithin(o, c) && tnumIn(o.varOff, c.varOff) && checkIds(o.id, c.id, m) && checkIds(o.refObjId, c.refObjId, m);
    case PTR_TO_PACKET_META: case PTR_TO_PACKET:
      if (o.range > c.range) return false;
      if (o.off !== c.off) return false;
      if (!checkIds(o.id, c.id, m)) return false;
      return rangeWithin(o, c) && tnumIn(o.varOff, c.varOff);
    case PTR_TO_STACK:
      return regsExact(o, c, m) && o.frameno === c.frameno;
    case PTR_TO_ARENA:
      return true;
    default:
      return regsExact(o, c, m);
  }
}

const UNBOUND_REG = (() => { const r = new RegState(); markRegUnknownImprecise(r); return r; })();

function isStackAllMisc(env: Env, s: StackSlot): boolean {
  for (let i = 0; i < BPF_REG_SIZE; i++) {
    if (s.slotType[i] === STACK_MISC || (s.slotType[i] === STACK_INVALID && env.allowUninitStack)) continue;
    return false;
  }
  return true;
}

function scalarRegForStack(env: Env, s: StackSlot): RegState | null {
  if (isSpilledScalarReg64(s)) return s.spilled;
  if (isStackAllMisc(env, s)) return UNBOUND_REG;
  return null;
}

/** `stacksafe`. */
function stacksafe(env: Env, old: FuncState, cur: FuncState, m: IdMap, exact: number): boolean {
  const oldAlloc = old.allocatedStack;
  const curAlloc = cur.allocatedStack;
  for (let i = 0; i < oldAlloc; i++) {
    const spi = Math.trunc(i / BPF_REG_SIZE);
    const j = i % BPF_REG_SIZE;
    const ot = old.stack[spi].slotType[j];
    if (exact !== NOT_EXACT && (i >= curAlloc || ot !== cur.stack[spi].slotType[j])) return false;
    if (ot === STACK_INVALID) continue;
    if (env.allowUninitStack && ot === STACK_MISC) continue;
    if (i >= curAlloc) return false;
    const oreg = scalarRegForStack(env, old.stack[spi]);
    const creg = scalarRegForStack(env, cur.stack[spi]);
    if (oreg && creg) {
      if (!regsafe(env, oreg, creg, m, exact)) return false;
      i += BPF_REG_SIZE - 1;
      continue;
    }
    const ct = cur.stack[spi].slotType[j];
    if (ot === STACK_MISC && ct === STACK_ZERO) continue;
    if (ot !== ct) return false;
    if (j !== BPF_REG_SIZE - 1) continue;
    switch (old.stack[spi].slotType[BPF_REG_SIZE - 1]) {
      case STACK_SPILL:
        if (!regsafe(env, old.stack[spi].spilled, cur.stack[spi].spilled, m, exact)) return false;
        break;
      case STACK_DYNPTR: case STACK_ITER: case STACK_IRQ_FLAG:
        if (!checkIds(old.stack[spi].spilled.refObjId, cur.stack[spi].spilled.refObjId, m)) return false;
        break;
      case STACK_MISC: case STACK_ZERO: case STACK_INVALID:
        continue;
      default:
        return false;
    }
  }
  return true;
}

/** `refsafe`. */
function refsafe(old: VerifierState, cur: VerifierState, m: IdMap): boolean {
  if (old.refs.length !== cur.refs.length) return false;
  if (old.activeLocks !== cur.activeLocks) return false;
  if (old.activePreemptLocks !== cur.activePreemptLocks) return false;
  if (old.activeRcuLock !== cur.activeRcuLock) return false;
  if (!checkIds(old.activeIrqId, cur.activeIrqId, m)) return false;
  if (!checkIds(old.activeLockId, cur.activeLockId, m) || old.activeLockPtr !== cur.activeLockPtr) return false;
  for (let i = 0; i < old.refs.length; i++) {
    if (!checkIds(old.refs[i].id, cur.refs[i].id, m) || old.refs[i].type !== cur.refs[i].type) return false;
    if (old.refs[i].type & (4 | 8 | 16) && old.refs[i].ptr !== cur.refs[i].ptr) return false;
  }
  return true;
}


function funcStatesEqual(env: Env, old: FuncState, cur: FuncState, insnIdx: number, exact: number, m: IdMap): boolean {
  const live = env.aux[insnIdx].liveRegsBefore;
  if (old.callbackDepth > cur.callbackDepth) return false;
  for (let i = 0; i < 11; i++) {
    if ((1 << i) & live && !regsafe(env, old.regs[i], cur.regs[i], m, exact)) return false;
  }
  return stacksafe(env, old, cur, m, exact);
}

/** `states_equal`. */
export function statesEqual(env: Env, old: VerifierState, cur: VerifierState, exact: number, m: IdMap): boolean {
  if (old.curframe !== cur.curframe) return false;
  m.reset(env.idGen);
  if (old.speculative && !cur.speculative) return false;
  if (old.inSleepable !== cur.inSleepable) return false;
  if (!refsafe(old, cur, m)) return false;
  for (let i = 0; i <= old.curframe; i++) {
    const insnIdx = frameInsnIdx(old, i);
    if (old.frames[i].callsite !== cur.frames[i].callsite) return false;
    if (!funcStatesEqual(env, old.frames[i], cur.frames[i], insnIdx, exact, m)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// The explorer

export class Explorer {
  private readonly idmap = new IdMap();
  readonly sccs: SccVisits;

  constructor(private readonly env: Env) {
    this.sccs = new SccVisits(env);
  }

  private bucket(idx: number): StateListEntry[] {
    const cur = this.env.curState;
    const callsite = cur.frames[cur.curframe].callsite;
    const h = ((idx ^ callsite) >>> 0) % this.env.len;
    let b = this.env.explored[h];
    if (!b) b = this.env.explored[h] = [];
    return b;
  }

  /** `clean_func_state`: forget dead registers and stack slots of a finished checkpoint. */
  private cleanVerifierState(st: VerifierState): void {
    const env = this.env;
    env.liveness.queryInit(st);
    st.cleaned = true;
    for (let i = 0; i <= st.curframe; i++) {
      const ip = frameInsnIdx(st, i);
      const f = st.frames[i];
      const live = env.aux[ip].liveRegsBefore;
      for (let r = 0; r < 10; r++) if (!(live & (1 << r))) markRegNotInit(f.regs[r], env.bpfCapable);
      for (let s = 0; s < f.stack.length; s++) {
        if (!env.liveness.slotAlive(f.frameno, s)) {
          markRegNotInit(f.stack[s].spilled, env.bpfCapable);
          f.stack[s].slotType.fill(STACK_INVALID);
        }
      }
    }
  }

  private sameCallsites(a: VerifierState, b: VerifierState): boolean {
    if (a.curframe !== b.curframe) return false;
    for (let fr = a.curframe; fr >= 0; fr--) if (a.frames[fr].callsite !== b.frames[fr].callsite) return false;
    return true;
  }

  private cleanLiveStates(insn: number, cur: VerifierState): void {
    for (const sl of this.bucket(insn)) {
      const st = sl.state;
      if (st.branches) continue;
      if (st.insnIdx !== insn || !this.sameCallsites(st, cur)) continue;
      if (st.cleaned) continue;
      if (this.sccs.incompleteReadMarks(st)) continue;
      this.cleanVerifierState(st);
    }
  }

  private statesMaybeLooping(old: VerifierState, cur: VerifierState): boolean {
    const fr = cur.curframe;
    if (old.curframe !== fr) return false;
    const fo = old.frames[fr];
    const fc = cur.frames[fr];
    for (let i = 0; i < 11; i++) {
      const o = fo.regs[i];
      const c = fc.regs[i];
      if (!sameUpToId(o, c) || o.id !== c.id || o.refObjId !== c.refObjId) return false;
    }
    return true;
  }

  /** `find_prev_entry`: a checkpoint of the current path at the same instruction. */
  private findPrevEntry(cur: VerifierState, insnIdx: number): VerifierState | null {
    for (const sl of this.bucket(insnIdx)) {
      const st = sl.state;
      if (st.insnIdx === insnIdx && st.branches && this.sameCallsites(st, cur) && st.dfsDepth < cur.dfsDepth) return st;
    }
    return null;
  }

  /** `widen_imprecise_scalars`. */
  widenImpreciseScalars(old: VerifierState, cur: VerifierState): void {
    this.idmap.reset(this.env.idGen);
    const maybeWiden = (o: RegState, c: RegState): void => {
      if (o.type !== SCALAR_VALUE || o.type !== c.type) return;
      if (o.precise || c.precise || regsExact(o, c, this.idmap)) return;
      markRegUnknown(c, this.env.bpfCapable);
    };
    for (let fr = old.curframe; fr >= 0; fr--) {
      const fo = old.frames[fr];
      const fc = cur.frames[fr];
      for (let i = 0; i < 11; i++) maybeWiden(fo.regs[i], fc.regs[i]);
      const n = Math.min(fo.stack.length, fc.stack.length);
      for (let i = 0; i < n; i++) {
        if (!isSpilledReg(fo.stack[i]) || !isSpilledReg(fc.stack[i])) continue;
        maybeWiden(fo.stack[i].spilled, fc.stack[i].spilled);
      }
    }
  }

  /** `propagate_precision`. */
  private propagatePrecision(old: VerifierState, cur: VerifierState, changed?: { value: boolean }): number {
    const env = this.env;
    for (let fr = old.curframe; fr >= 0; fr--) {
      const state = old.frames[fr];
      let first = true;
      let line = '';
      for (let i = 0; i < 10; i++) {
        const r = state.regs[i];
        if (r.type !== SCALAR_VALUE || !r.precise) continue;
        line += first ? `frame ${fr}: propagating r${i}` : `,r${i}`;
        env.bt.setReg(i, fr);
        first = false;
      }
      for (let i = 0; i < state.stack.length; i++) {
        if (!isSpilledReg(state.stack[i])) continue;
        const r = state.stack[i].spilled;
        if (r.type !== SCALAR_VALUE || !r.precise) continue;
        line += first ? `frame ${fr}: propagating fp${(-i - 1) * BPF_REG_SIZE}` : `,fp${(-i - 1) * BPF_REG_SIZE}`;
        env.bt.setSlot(i, fr);
        first = false;
      }
      if (env.level2) env.verbose(line);
      if (!first) env.verbose('\n');
    }
    const err = markChainPrecisionFrom(env, cur, -1, changed);
    return err < 0 ? err : 0;
  }

  /** `propagate_backedges`. */
  private propagateBackedges(v: SccVisit): number {
    let i = 0;
    let changed: { value: boolean };
    do {
      if (i++ > 64) {
        if (this.env.level2) this.env.verbose('propagate_backedges: too many iterations\n');
        for (const b of v.backedges) markAllScalarsPrecise(this.env, b.state);
        break;
      }
      changed = { value: false };
      for (const b of v.backedges) {
        const err = this.propagatePrecision(b.state.equalState!, b.state, changed);
        if (err) return err;
      }
    } while (changed.value);
    v.backedges = [];
    return 0;
  }

  /** `update_branch_counts`. */
  updateBranchCounts(st: VerifierState | null): number {
    let sl: StateListEntry | null = null;
    while (st) {
      const br = --st.branches;
      if (br < 0) return this.env.bug(`update_branch_counts:branches_to_explore=${br}`);
      if (br) break;
      const err = this.sccs.maybeExit(st, (v) => this.propagateBackedges(v));
      if (err) return err;
      const parent = st.parent;
      const parentSl = parent?.listEntry ?? null;
      if (sl) maybeFreeState(this.env, this.sccs, sl);
      st = parent;
      sl = parentSl;
    }
    return 0;
  }

  /** `is_state_visited`: 1 if the current state is covered (prune), 0 otherwise, <0 error. */
  isStateVisited(insnIdx: number): number {
    const env = this.env;
    const cur = env.curState;
    const forceNew = env.testStateFreq || env.aux[insnIdx].forceCheckpoint || cur.jmpHistory.length > 40;
    let addNew = forceNew;
    if (env.jmpsProcessed - env.prevJmpsProcessed >= 2 && env.insnProcessed - env.prevInsnProcessed >= 8) addNew = true;
    this.cleanLiveStates(insnIdx, cur);
    const head = this.bucket(insnIdx);
    let statesCnt = 0;
    for (let k = 0; k < head.length; k++) {
      const sl = head[k];
      statesCnt++;
      if (sl.state.insnIdx !== insnIdx) continue;
      let loop = false;
      let hit = false;
      if (sl.state.branches) {
        const frame = sl.state.frames[sl.state.curframe];
        let skipInf = frame.inAsyncCallbackFn && frame.asyncEntryCnt !== cur.frames[cur.curframe].asyncEntryCnt;
        if (!skipInf && env.insns[insnIdx].code === 0xe5 && env.insns[insnIdx].src === 0) {
          if (sl.state.mayGotoDepth !== cur.mayGotoDepth && statesEqual(env, sl.state, cur, RANGE_WITHIN, this.idmap)) {
            loop = true;
            hit = true;
          }
        }
        if (!hit && !skipInf && env.aux[insnIdx].callsCallback) {
          if (statesEqual(env, sl.state, cur, RANGE_WITHIN, this.idmap)) hit = true;
          else skipInf = true;
        }
        if (!hit && !skipInf) {
          if (this.statesMaybeLooping(sl.state, cur) && statesEqual(env, sl.state, cur, EXACT, this.idmap) &&
            sl.state.mayGotoDepth === cur.mayGotoDepth && sl.state.callbackUnrollDepth === cur.callbackUnrollDepth) {
            env.verboseLinfo(insnIdx, '; ');
            env.verbose(`infinite loop detected at insn ${insnIdx}\n`);
            env.verbose('cur state:');
            env.printVerifierState(cur, cur.curframe, true);
            env.verbose('old state:');
            env.printVerifierState(sl.state, cur.curframe, true);
            return -EINVAL;
          }
        }
        if (!hit) {
          if (!forceNew && env.jmpsProcessed - env.prevJmpsProcessed < 20 && env.insnProcessed - env.prevInsnProcessed < 100) addNew = false;
          // miss
          if (this.miss(sl, addNew, insnIdx, head, k)) k--;
          continue;
        }
      } else {
        loop = this.sccs.incompleteReadMarks(sl.state);
        hit = statesEqual(env, sl.state, cur, loop ? RANGE_WITHIN : NOT_EXACT, this.idmap);
      }
      if (hit) {
        sl.hitCnt++;
        let err = 0;
        if (env.aux[env.insnIdx].jmpPoint) err = pushJmpHistory(env, 0, 0n);
        if (!err) err = this.propagatePrecision(sl.state, cur);
        if (err) return err;
        if (loop) {
          const be = cur.clone();
          be.equalState = sl.state;
          be.insnIdx = insnIdx;
          err = this.sccs.addBackedge(sl.state, { state: be });
          if (err) return err;
        }
        env.trace?.pruned(insnIdx, sl.state, cur);
        return 1;
      }
      if (this.miss(sl, addNew, insnIdx, head, k)) k--;
    }
    if (env.maxStatesPerInsn < statesCnt) env.maxStatesPerInsn = statesCnt;
    if (!env.bpfCapable && statesCnt > 64) return 0;
    if (!addNew) return 0;
    env.totalStates++;
    env.exploredStatesSize++;
    updatePeakStates(env);
    env.prevJmpsProcessed = env.jmpsProcessed;
    env.prevInsnProcessed = env.insnProcessed;
    if (env.bpfCapable) markAllScalarsImprecise(cur);
    const nw = new VerifierState();
    nw.copyFrom(cur);
    nw.insnIdx = insnIdx;
    const entry: StateListEntry = { state: nw, missCnt: 0, hitCnt: 0, inFreeList: false };
    nw.listEntry = entry;
    this.sccs.maybeEnter(nw);
    cur.parent = nw;
    cur.firstInsnIdx = insnIdx;
    cur.dfsDepth = nw.dfsDepth + 1;
    cur.jmpHistory = [];
    head.unshift(entry);
    env.trace?.checkpoint(insnIdx, nw);
    return 0;
  }

  /** The miss bookkeeping of `is_state_visited`; true when `sl` left the list. */
  private miss(sl: StateListEntry, addNew: boolean, insnIdx: number, head: StateListEntry[], k: number): boolean {
    const env = this.env;
    if (addNew) sl.missCnt++;
    const n = env.aux[insnIdx].forceCheckpoint && sl.state.branches > 0 ? 64 : 3;
    if (sl.missCnt > sl.hitCnt * n + n) {
      sl.inFreeList = true;
      head.splice(k, 1);
      env.freeList.unshift(sl);
      env.freeListSize++;
      env.exploredStatesSize--;
      maybeFreeState(env, this.sccs, sl);
      return true;
    }
    return false;
  }

  /** `process_bpf_exit_full`. */
  private processBpfExitFull(doPrint: { value: boolean }, exceptionExit: boolean): number {
    const env = this.env;
    let err = checkResourceLeak(env, exceptionExit, !env.curState.curframe, 'BPF_EXIT instruction in main prog');
    if (err) return err;
    if (exceptionExit) return PROCESS_BPF_EXIT;
    if (env.curState.curframe) {
      env.liveness.updateLiveStack();
      const next = { idx: env.insnIdx };
      err = prepareFuncExit(env, next);
      if (err) return err;
      env.insnIdx = next.idx;
      const cur = env.curState;
      if (cur.frames[cur.curframe + 1] === undefined) {
        // widen scalars when a callback returns to its call site (bpf_loop and friends)
        const callee = env.aux[next.idx]?.callsCallback ?? false;
        if (callee) {
          const prev = this.findPrevEntry(cur, next.idx);
          if (prev) this.widenImpreciseScalars(prev, cur);
        }
      }
      doPrint.value = true;
      return 0;
    }
    err = checkReturnCode(env, 0, 'R0');
    if (err) return err;
    return PROCESS_BPF_EXIT;
  }

  /** `do_check_insn`. */
  private doCheckInsn(doPrint: { value: boolean }): number {
    const env = this.env;
    const insn = env.insns[env.insnIdx];
    const cls = insn.code & 7;
    let err: number;
    if (cls === 0x04 || cls === 0x07) {
      err = checkAluOp(env, insn);
      if (err) return err;
    } else if (cls === 0x01) {
      err = checkLoadMem(env, insn, false, (insn.code & 0xe0) === 0x80, true, 'ldx');
      if (err) return err;
    } else if (cls === 0x03) {
      if ((insn.code & 0xe0) === 0xc0) {
        err = checkAtomic(env, insn);
        if (err) return err;
        env.insnIdx++;
        return 0;
      }
      if ((insn.code & 0xe0) !== 0x60 || insn.imm !== 0) {
        env.verbose('BPF_STX uses reserved fields\n');
        return -EINVAL;
      }
      err = checkStoreReg(env, insn, false);
      if (err) return err;
    } else if (cls === 0x02) {
      if ((insn.code & 0xe0) !== 0x60 || insn.src !== 0) {
        env.verbose('BPF_ST uses reserved fields\n');
        return -EINVAL;
      }
      err = checkRegArg(env, insn.dst, SRC_OP);
      if (err) return err;
      const dstType = env.regs()[insn.dst].type;
      err = checkMemAccess(env, env.insnIdx, insn.dst, insn.off, [4, 2, 1, 8][(insn.code & 0x18) >> 3], BPF_WRITE, -1, false, false);
      if (err) return err;
      err = saveAuxPtrType(env, dstType, false);
      if (err) return err;
    } else if (cls === 0x05 || cls === 0x06) {
      const opcode = insn.code & 0xf0;
      env.jmpsProcessed++;
      if (opcode === 0x80) {
        if ((insn.code & 0x08) !== 0 || (insn.src !== 2 && insn.off !== 0) || (insn.src !== 0 && insn.src !== 1 && insn.src !== 2) || insn.dst !== 0 || cls === 0x06) {
          env.verbose('BPF_CALL uses reserved fields\n');
          return -EINVAL;
        }
        if (env.curState.activeLocks && ((insn.src === 0 && insn.imm !== 94) || insn.src === 2)) {
          env.verbose('function calls are not allowed while holding a lock\n');
          return -EINVAL;
        }
        if (insn.src === 1) {
          const next = { idx: env.insnIdx };
          err = checkFuncCall(env, insn, next);
          env.insnIdx = next.idx;
        } else if (insn.src === 2) {
          err = this.checkKfuncCall(insn);
        } else {
          err = checkHelperCall(env, insn, env.insnIdx);
        }
        if (err) return err;
        env.scratch.reg(0);
      } else if (opcode === 0x00) {
        if ((insn.code & 0x08) !== 0 || insn.src !== 0 || insn.dst !== 0 || (cls === 0x05 && insn.imm !== 0) || (cls === 0x06 && insn.off !== 0)) {
          env.verbose('BPF_JA uses reserved fields\n');
          return -EINVAL;
        }
        env.insnIdx += (cls === 0x05 ? insn.off : insn.imm) + 1;
        return 0;
      } else if (opcode === 0x90) {
        if ((insn.code & 0x08) !== 0 || insn.imm !== 0 || insn.src !== 0 || insn.dst !== 0 || cls === 0x06) {
          env.verbose('BPF_EXIT uses reserved fields\n');
          return -EINVAL;
        }
        return this.processBpfExitFull(doPrint, false);
      } else {
        const next = { idx: env.insnIdx };
        err = checkCondJmpOp(env, insn, next);
        env.insnIdx = next.idx;
        if (err) return err;
        if (insn.code === 0xe5 && env.head.length) {
          // may_goto: the queued fall-through state forgets scalars that changed since
          // the previous visit of this loop head (so the loop converges)
          const parent = env.curState.parent;
          const prev = parent ? this.findPrevEntry(parent, next.idx - insn.off) : null;
          if (prev) this.widenImpreciseScalars(prev, env.head[env.head.length - 1].st);
        }
      }
    } else if (cls === 0x00) {
      const mode = insn.code & 0xe0;
      if (mode === 0x20 || mode === 0x40) {
        err = checkLdAbs(env, insn);
        if (err) return err;
      } else if (mode === 0x00) {
        err = checkLdImm(env, insn);
        if (err) return err;
        env.insnIdx++;
        if (!env.curState.speculative) env.aux[env.insnIdx - 1].seen = env.passCnt;
      } else {
        env.verbose('invalid BPF_LD mode\n');
        return -EINVAL;
      }
    } else {
      env.verbose(`unknown insn class ${cls}\n`);
      return -EINVAL;
    }
    env.insnIdx++;
    return 0;
  }

  /**
   * `check_kfunc_call`. Calls with a BTF id were already refused (we have no kernel BTF);
   * an id of 0 is skipped here and refused by the fixup pass if it is reachable.
   */
  private checkKfuncCall(_insn: { imm: number; off: number }): number {
    return 0;
  }

  /** `do_check`. */
  doCheck(): number {
    const env = this.env;
    const popLog = !env.level2;
    const doPrint = { value: false };
    let prevInsnIdx = -1;
    for (;;) {
      env.curHistEnt = null;
      env.prevInsnIdx = prevInsnIdx;
      if (env.insnIdx >= env.len) {
        env.verbose(`invalid insn idx ${env.insnIdx} insn_cnt ${env.len}\n`);
        return -EFAULT;
      }
      if (++env.insnProcessed > env.insnLimit) {
        env.verbose(`BPF program is too large. Processed ${env.insnProcessed} insn\n`);
        return -E2BIG;
      }
      if ((env.insnProcessed & 0xfff) === 0 && env.shouldCancel?.()) throw new VerifyAbort(-EAGAIN);
      const state = env.curState;
      state.lastInsnIdx = env.prevInsnIdx;
      state.insnIdx = env.insnIdx;
      let exitPath = false;
      if (env.aux[env.insnIdx].prunePoint) {
        const err = this.isStateVisited(env.insnIdx);
        if (err < 0) return err;
        if (err === 1) {
          if (env.level1) {
            if (doPrint.value) env.verbose(`\nfrom ${env.prevInsnIdx} to ${env.insnIdx}${env.curState.speculative ? ' (speculative execution)' : ''}: safe\n`);
            else env.verbose(`${env.insnIdx}: safe\n`);
          }
          exitPath = true;
        }
      }
      if (!exitPath) {
        if (env.aux[env.insnIdx].jmpPoint) pushJmpHistory(env, 0, 0n);
        if (env.level2 && doPrint.value) {
          env.verbose(`\nfrom ${env.prevInsnIdx} to ${env.insnIdx}${env.curState.speculative ? ' (speculative execution)' : ''}:`);
          env.printVerifierState(state, state.curframe, true);
          doPrint.value = false;
        }
        if (env.level1) {
          if (env.scratch.any) env.printInsnState(state, state.curframe);
          env.verboseLinfo(env.insnIdx, '; ');
          env.prevLogPos = env.log.endPos;
          env.verbose(`${env.insnIdx}: ${env.insnText(env.insnIdx)}\n`);
          env.prevInsnPrintPos = env.log.endPos - env.prevLogPos;
          env.prevLogPos = env.log.endPos;
        }
        if (!state.speculative) env.aux[env.insnIdx].seen = env.passCnt;
        prevInsnIdx = env.insnIdx;
        if (state.speculative && env.aux[env.insnIdx].nospec) {
          exitPath = true;
        } else {
          const stepFrom = env.insnIdx;
          env.liveness.resetStackWriteMarks(env.insnIdx);
          const err = this.doCheckInsn(doPrint);
          const recoverable = err === -EPERM || err === -EACCES || err === -EINVAL;
          if (err >= 0 || recoverable) env.liveness.commitStackWriteMarks();
          if (recoverable && state.speculative) {
            env.aux[stepFrom].nospec = true;
            env.aux[stepFrom].aluState = 0;
            exitPath = true;
          } else if (err < 0) {
            env.trace?.step(stepFrom, env.curState, true);
            return err;
          } else if (err === PROCESS_BPF_EXIT) {
            env.trace?.step(stepFrom, env.curState, false, true);
            exitPath = true;
          } else {
            env.trace?.step(stepFrom, env.curState, false);
          }
        }
      }
      if (exitPath) {
        env.scratch.all();
        let err = this.updateBranchCounts(env.curState);
        if (err) return err;
        env.liveness.updateLiveStack();
        const popped = popStack(env, popLog);
        if (!popped) break;
        env.insnIdx = popped.insnIdx;
        prevInsnIdx = popped.prevInsnIdx;
        doPrint.value = true;
        err = 0;
      }
    }
    return 0;
  }
}

