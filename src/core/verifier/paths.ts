/**
 * The stack of paths still to explore (`push_stack` / `pop_stack`) and the branch
 * counting that decides when explored states are complete (`update_branch_counts`,
 * SCC visits and their back-edges, freeing states no longer needed).
 */
import { BPF_COMPLEXITY_LIMIT_JMP_SEQ, E2BIG, type Env, type StateListEntry } from './env';
import { BPF_MAIN_FUNC, FuncState, initFuncState, VerifierState } from './state';
import type { VerifierState as VS } from './state';

/** `push_stack`: queue the current state, to continue at `insnIdx` later. */
export function pushStack(env: Env, insnIdx: number, prevInsnIdx: number, speculative: boolean): VerifierState | number {
  const st = new VerifierState();
  st.copyFrom(env.curState);
  st.insnIdx = insnIdx;
  st.speculative ||= speculative;
  env.head.push({ st, insnIdx, prevInsnIdx, logPos: env.log.endPos });
  if (env.head.length > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
    env.verbose(`The sequence of ${env.head.length} jumps is too complex.\n`);
    return -E2BIG;
  }
  if (st.parent) st.parent.branches++;
  env.trace?.pushed(insnIdx, prevInsnIdx, st);
  return st;
}

/**
 * `push_async_cb`: queue a timer callback as a fresh path (it runs later, on its own
 * stack: nothing of the caller's state carries over).
 */
export function pushAsyncCb(env: Env, insnIdx: number, prevInsnIdx: number, subprog: number, sleepable: boolean): VerifierState | number {
  const st = new VerifierState();
  st.branches = 1;
  st.inSleepable = sleepable;
  st.insnIdx = insnIdx;
  const frame = new FuncState();
  initFuncState(frame, BPF_MAIN_FUNC, 0, subprog, env.bpfCapable);
  env.scratch.all();
  st.frames = [frame];
  st.curframe = 0;
  env.head.push({ st, insnIdx, prevInsnIdx, logPos: env.log.endPos });
  if (env.head.length > BPF_COMPLEXITY_LIMIT_JMP_SEQ) {
    env.verbose(`The sequence of ${env.head.length} jumps is too complex for async cb.\n`);
    return -E2BIG;
  }
  env.trace?.pushed(insnIdx, prevInsnIdx, st);
  return st;
}

/** `pop_stack`: continue with the most recently queued state; null when done. */
export function popStack(env: Env, popLog: boolean): { insnIdx: number; prevInsnIdx: number } | null {
  const head = env.head.pop();
  if (!head) return null;
  env.curState.copyFrom(head.st);
  env.curState.insnIdx = head.insnIdx;
  if (popLog) env.log.reset(head.logPos);
  env.trace?.popped(head.st, env.curState);
  return { insnIdx: head.insnIdx, prevInsnIdx: head.prevInsnIdx };
}

// ---------------------------------------------------------------------------------------
// SCC visits (loops): states inside a loop keep incomplete marks until the loop's entry
// state has no paths left; then back-edge states propagate precision to a fixed point.

export interface SccBackedge {
  state: VerifierState;
}

export interface SccVisit {
  key: string;
  entryState: VS | null;
  backedges: SccBackedge[];
}

export class SccVisits {
  private visits = new Map<string, SccVisit>();

  constructor(private readonly env: Env) {}

  /** `compute_scc_callchain`: callsites down to the first frame inside an SCC. */
  callchain(st: VS): { key: string; text: string } | null {
    const callsites: number[] = [];
    for (let i = 0; i <= st.curframe; i++) {
      const insnIdx = i === st.curframe ? st.insnIdx : st.frames[i + 1].callsite;
      const scc = this.env.aux[insnIdx]?.scc ?? 0;
      if (scc) {
        return { key: `${callsites.join(',')}|${scc}`, text: `(${callsites.map((c) => `${c},`).join('')}${scc})` };
      } else if (i < st.curframe) {
        callsites.push(insnIdx);
      } else {
        return null;
      }
    }
    return null;
  }

  lookup(key: string): SccVisit | undefined {
    return this.visits.get(key);
  }

  /** `maybe_enter_scc`. */
  maybeEnter(st: VS): void {
    const cc = this.callchain(st);
    if (!cc) return;
    let v = this.visits.get(cc.key);
    if (!v) {
      v = { key: cc.key, entryState: null, backedges: [] };
      this.visits.set(cc.key, v);
    }
    if (!v.entryState) {
      v.entryState = st;
      if (this.env.level2) this.env.verbose(`SCC enter ${cc.text}\n`);
    }
  }

  /** `maybe_exit_scc`; returns 0 or -errno. */
  maybeExit(st: VS, propagate: (v: SccVisit) => number): number {
    const cc = this.callchain(st);
    if (!cc) return 0;
    const v = this.visits.get(cc.key);
    if (!v) {
      if (!st.speculative) return this.env.bug(`scc exit: no visit info for call chain ${cc.text}`);
      return 0;
    }
    if (v.entryState !== st) return 0;
    if (this.env.level2) this.env.verbose(`SCC exit ${cc.text}\n`);
    v.entryState = null;
    this.env.numBackedges -= v.backedges.length;
    updatePeakStates(this.env);
    return propagate(v);
  }

  /** `add_scc_backedge`. */
  addBackedge(st: VS, backedge: SccBackedge): number {
    const cc = this.callchain(st);
    if (!cc) return this.env.bug(`add backedge: no SCC in verification path, insn_idx ${st.insnIdx}`);
    const v = this.visits.get(cc.key);
    if (!v) return this.env.bug(`add backedge: no visit info for call chain ${cc.text}`);
    if (this.env.level2) this.env.verbose(`SCC backedge ${cc.text}\n`);
    v.backedges.unshift(backedge);
    this.env.numBackedges++;
    updatePeakStates(this.env);
    return 0;
  }

  /** `incomplete_read_marks`. */
  incompleteReadMarks(st: VS): boolean {
    const cc = this.callchain(st);
    if (!cc) return false;
    const v = this.visits.get(cc.key);
    return !!v && v.backedges.length > 0;
  }
}

export function updatePeakStates(env: Env): void {
  const cur = env.exploredStatesSize + env.freeListSize + env.numBackedges;
  if (cur > env.peakStates) env.peakStates = cur;
}

/** `maybe_free_verifier_state`. */
export function maybeFreeState(env: Env, sccs: SccVisits, sl: StateListEntry): void {
  if (!sl.inFreeList || sl.state.branches !== 0 || sccs.incompleteReadMarks(sl.state)) return;
  const k = env.freeList.indexOf(sl);
  if (k >= 0) env.freeList.splice(k, 1);
  env.freeListSize--;
}
