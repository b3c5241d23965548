/**
 * Stack slot liveness (kernel/bpf/liveness.c, new in 6.18): per call chain and
 * instruction, which stack slots may still be read. State pruning ignores dead slots.
 *
 * During exploration instructions report the slots they may read and must write; at
 * path ends a data-flow pass computes `live_before` per instruction (and, for calls,
 * carries a callee's effects back to the call site).
 */
import type { Env } from './env';
import { insnSuccessors } from './cfg';
import type { VerifierState } from './state';
import { MAX_CALL_FRAMES } from './state';
import { fmtStackMask } from './log';

const ALL = (1n << 64n) - 1n;

interface Callchain {
  callsites: number[];
  spStarts: number[];
  curframe: number;
}

interface FrameMasks {
  mayRead: bigint;
  mustWrite: bigint;
  mustWriteAcc: bigint;
  liveBefore: bigint;
}

interface FuncInstance {
  callchain: Callchain;
  insnCnt: number;
  updated: boolean;
  mustWriteDropped: boolean;
  frames: (FrameMasks[] | undefined)[];
  mustWriteSet: Uint8Array;
}

const keyOf = (c: Callchain): string => c.callsites.slice(0, c.curframe + 1).join(',');

export class StackLiveness {
  private instances = new Map<string, FuncInstance>();
  private curInstance: FuncInstance | null = null;
  private writeMasksAcc: bigint[] = new Array(MAX_CALL_FRAMES).fill(0n);
  private writeInsnIdx = 0;
  private query: { instances: FuncInstance[]; curframe: number; insnIdx: number } = { instances: [], curframe: 0, insnIdx: 0 };

  constructor(private readonly env: Env) {}

  private computeCallchain(st: VerifierState, frameno: number): Callchain {
    const callsites = new Array(MAX_CALL_FRAMES).fill(0);
    const spStarts = new Array(MAX_CALL_FRAMES).fill(0);
    for (let i = 0; i <= frameno; i++) {
      spStarts[i] = this.env.subprogs[st.frames[i].subprogno].start;
      if (i < st.curframe) callsites[i] = st.frames[i + 1].callsite;
    }
    callsites[frameno] = spStarts[frameno];
    return { callsites, spStarts, curframe: frameno };
  }

  private lookup(c: Callchain): FuncInstance {
    const k = keyOf(c);
    let inst = this.instances.get(k);
    if (inst) return inst;
    const sp = this.env.subprogs.findIndex((s) => s.start === c.spStarts[c.curframe]);
    const end = sp + 1 < this.env.subprogs.length ? this.env.subprogs[sp + 1].start : this.env.len;
    const size = end - this.env.subprogs[sp].start;
    inst = { callchain: c, insnCnt: size, updated: false, mustWriteDropped: false, frames: [], mustWriteSet: new Uint8Array(size) };
    this.instances.set(k, inst);
    return inst;
  }

  private lookupFor(st: VerifierState, frameno: number): FuncInstance {
    return this.lookup(this.computeCallchain(st, frameno));
  }

  private rel(inst: FuncInstance, idx: number): number {
    return idx - inst.callchain.spStarts[inst.callchain.curframe];
  }

  private masks(inst: FuncInstance, frame: number, idx: number): FrameMasks | undefined {
    const f = inst.frames[frame];
    return f ? f[this.rel(inst, idx)] : undefined;
  }

  private allocMasks(inst: FuncInstance, frame: number, idx: number): FrameMasks {
    if (!inst.frames[frame]) {
      inst.frames[frame] = Array.from({ length: inst.insnCnt }, () => ({ mayRead: 0n, mustWrite: 0n, mustWriteAcc: 0n, liveBefore: 0n }));
    }
    return inst.frames[frame]![this.rel(inst, idx)];
  }

  resetCallchain(): void {
    this.curInstance = null;
  }

  private ensureCur(): FuncInstance {
    if (!this.curInstance) this.curInstance = this.lookupFor(this.env.curState, this.env.curState.curframe);
    return this.curInstance;
  }

  private markRead(inst: FuncInstance, frame: number, idx: number, mask: bigint): void {
    const m = this.allocMasks(inst, frame, idx);
    const nr = m.mayRead | mask;
    if (nr !== m.mayRead && (nr | m.liveBefore) !== m.liveBefore) inst.updated = true;
    m.mayRead |= mask;
  }

  /** `bpf_mark_stack_read`. */
  markStackRead(frame: number, idx: number, mask: bigint): void {
    this.markRead(this.ensureCur(), frame, idx, mask);
  }

  private resetWriteMarks(inst: FuncInstance, idx: number): void {
    this.writeInsnIdx = idx;
    for (let i = 0; i <= inst.callchain.curframe; i++) this.writeMasksAcc[i] = 0n;
  }

  /** `bpf_reset_stack_write_marks`. */
  resetStackWriteMarks(idx: number): void {
    this.resetWriteMarks(this.ensureCur(), idx);
  }

  /** `bpf_mark_stack_write`. */
  markStackWrite(frame: number, mask: bigint): void {
    this.writeMasksAcc[frame] |= mask;
  }

  private commitWriteMarks(inst: FuncInstance | null): void {
    if (!inst) return;
    const idx = this.rel(inst, this.writeInsnIdx);
    for (let frame = 0; frame <= inst.callchain.curframe; frame++) {
      let mask = this.writeMasksAcc[frame];
      if (mask === 0n && !inst.mustWriteSet[idx]) continue;
      const m = this.allocMasks(inst, frame, this.writeInsnIdx);
      const old = m.mustWrite;
      if (inst.mustWriteSet[idx]) mask &= old;
      if (old !== mask) {
        m.mustWrite = mask;
        inst.updated = true;
      }
      if (old & ~mask) inst.mustWriteDropped = true;
    }
    inst.mustWriteSet[idx] = 1;
    this.writeInsnIdx = 0;
  }

  /** `bpf_commit_stack_write_marks`. */
  commitStackWriteMarks(): void {
    this.commitWriteMarks(this.curInstance);
  }

  private fmtCallchain(c: Callchain): string {
    return `(${c.callsites.slice(0, c.curframe + 1).join(',')})`;
  }

  private logMaskChange(c: Callchain, pfx: string, frame: number, idx: number, old: bigint, nw: bigint): void {
    const changed = old ^ nw;
    if (!changed) return;
    const ones = nw & changed;
    const zeros = ~nw & changed & ALL;
    let s = `${this.fmtCallchain(c)} frame ${frame} insn ${idx} `;
    if (ones) s += `+${pfx} ${fmtStackMask(ones)} `;
    if (zeros) s += `-${pfx} ${fmtStackMask(zeros)}`;
    this.env.verbose(s + '\n');
  }

  private updateInsn(inst: FuncInstance, frame: number, idx: number): boolean {
    const succ = insnSuccessors(this.env.insns, idx);
    if (succ.length === 0) return false;
    const m = this.masks(inst, frame, idx)!;
    let newAfter = 0n;
    let acc = ALL;
    for (const s of succ) {
      const sm = this.masks(inst, frame, s)!;
      newAfter |= sm.liveBefore;
      acc &= sm.mustWriteAcc;
    }
    acc |= m.mustWrite;
    const newBefore = (newAfter & ~m.mustWrite & ALL) | m.mayRead;
    const changed = newBefore !== m.liveBefore || acc !== m.mustWriteAcc;
    if (this.env.level2 && (m.mayRead || m.mustWrite || idx === inst.callchain.spStarts[inst.callchain.curframe] || this.env.aux[idx].prunePoint)) {
      this.logMaskChange(inst.callchain, 'live', frame, idx, m.liveBefore, newBefore);
      this.logMaskChange(inst.callchain, 'written', frame, idx, m.mustWriteAcc, acc);
    }
    m.liveBefore = newBefore;
    m.mustWriteAcc = acc;
    return changed;
  }

  private updateInstance(inst: FuncInstance): void {
    const c = inst.callchain;
    const start = c.spStarts[c.curframe];
    if (inst.mustWriteDropped) {
      for (let frame = 0; frame <= c.curframe; frame++) {
        const f = inst.frames[frame];
        if (f) for (const m of f) m.mustWriteAcc = 0n;
      }
    }
    const sp = this.env.subprogs.findIndex((s) => s.start === start);
    const poStart = this.env.subprogs[sp].postorderStart;
    const poEnd = sp + 1 < this.env.subprogs.length ? this.env.subprogs[sp + 1].postorderStart : this.env.curPostorder;
    let cnt = 0;
    let changed: boolean;
    do {
      cnt++;
      changed = false;
      for (let frame = 0; frame <= c.curframe; frame++) {
        if (!inst.frames[frame]) continue;
        for (let i = poStart; i < poEnd; i++) changed = this.updateInsn(inst, frame, this.env.insnPostorder[i]) || changed;
      }
    } while (changed);
    if (this.env.level2) this.env.verbose(`${this.fmtCallchain(c)} live stack update done in ${cnt} iterations\n`);
    if (c.curframe > 0) this.propagateToOuter(inst);
  }

  private propagateToOuter(inst: FuncInstance): void {
    const c = inst.callchain;
    const start = c.spStarts[c.curframe];
    const outerChain: Callchain = { callsites: c.callsites.slice(), spStarts: c.spStarts.slice(), curframe: c.curframe - 1 };
    outerChain.callsites[c.curframe] = 0;
    outerChain.spStarts[c.curframe] = 0;
    outerChain.callsites[outerChain.curframe] = outerChain.spStarts[outerChain.curframe];
    const outer = this.lookup(outerChain);
    const callsite = c.callsites[c.curframe - 1];
    this.resetWriteMarks(outer, callsite);
    for (let frame = 0; frame < c.curframe; frame++) {
      const m = this.masks(inst, frame, start);
      if (!m) continue;
      this.markStackWrite(frame, m.mustWriteAcc);
      this.markRead(outer, frame, callsite, m.liveBefore);
    }
    this.commitWriteMarks(outer);
  }

  /** `bpf_update_live_stack`: run the data-flow pass for the current call chain. */
  updateLiveStack(): void {
    this.resetCallchain();
    const st = this.env.curState;
    for (let frame = st.curframe; frame >= 0; frame--) {
      const inst = this.lookupFor(st, frame);
      if (inst.updated) {
        this.updateInstance(inst);
        inst.updated = false;
        inst.mustWriteDropped = false;
      }
    }
  }

  /** `bpf_live_stack_query_init`. */
  queryInit(st: VerifierState): void {
    const instances: FuncInstance[] = [];
    for (let f = 0; f <= st.curframe; f++) instances.push(this.lookupFor(st, f));
    this.query = { instances, curframe: st.curframe, insnIdx: st.insnIdx };
  }

  private liveBefore(inst: FuncInstance, idx: number, frameno: number, spi: number): boolean {
    const m = this.masks(inst, frameno, idx);
    return !!m && (m.liveBefore & (1n << BigInt(spi))) !== 0n;
  }

  /** `bpf_stack_slot_alive`. */
  slotAlive(frameno: number, spi: number): boolean {
    const q = this.query;
    if (spi >= 64) return true;
    const cur = q.instances[q.curframe];
    if (this.liveBefore(cur, q.insnIdx, frameno, spi)) return true;
    for (let i = frameno; i < q.curframe; i++) {
      const callsite = cur.callchain.callsites[i];
      const inst = q.instances[i];
      const alive = this.env.aux[callsite].callsCallback
        ? this.liveBefore(inst, callsite, frameno, spi)
        : this.liveBefore(inst, callsite + 1, frameno, spi);
      if (alive) return true;
    }
    return false;
  }
}
