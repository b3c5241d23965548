/**
 * Scalar precision tracking (`__mark_chain_precision`, `backtrack_insn`): when the exact
 * value of a scalar matters (pointer arithmetic, a decided branch, a helper size), walk
 * the path back through the jump history and the parent states, marking every register
 * and spilled slot that contributed as precise, so state pruning compares them exactly.
 */
import { EFAULT, ENOENT, ENOTSUPP, type Env, findSubprog } from './env';
import { fmtRegMask, fmtStackMask } from './log';
import { SCALAR_VALUE } from './reg-state';
import { isSpilledReg, isSpilledScalarReg, INSN_F_DST_REG_STACK, INSN_F_FRAMENO_MASK, INSN_F_SPI_MASK, INSN_F_SPI_SHIFT, INSN_F_SRC_REG_STACK, INSN_F_STACK_ACCESS, MAX_CALL_FRAMES, type JmpHistEntry, type VerifierState } from './state';
import { isPseudoCall, SYNC_CALLBACK_HELPERS } from './cfg';

const ARGS_MASK = 0x3e; // r1-r5

export class BacktrackState {
  frame = 0;
  regMasks = new Array<number>(MAX_CALL_FRAMES).fill(0);
  stackMasks = new Array<bigint>(MAX_CALL_FRAMES).fill(0n);

  reset(): void {
    this.frame = 0;
    this.regMasks.fill(0);
    this.stackMasks.fill(0n);
  }
  empty(): boolean {
    for (let i = 0; i <= this.frame; i++) if (this.regMasks[i] || this.stackMasks[i]) return false;
    return true;
  }
  setReg(r: number, frame = this.frame): void { this.regMasks[frame] |= 1 << r; }
  clearReg(r: number, frame = this.frame): void { this.regMasks[frame] &= ~(1 << r); }
  isReg(r: number, frame = this.frame): boolean { return (this.regMasks[frame] & (1 << r)) !== 0; }
  setSlot(spi: number, frame: number): void { this.stackMasks[frame] |= 1n << BigInt(spi); }
  clearSlot(spi: number, frame: number): void { this.stackMasks[frame] &= ~(1n << BigInt(spi)); }
  isSlot(spi: number, frame: number): boolean { return (this.stackMasks[frame] & (1n << BigInt(spi))) !== 0n; }
}

/** Linked registers of a history entry (`linked_regs_unpack`). */
export interface LinkedReg { frameno: number; spiOrReg: number; isReg: boolean }

export function linkedRegsPack(entries: readonly LinkedReg[]): bigint {
  let val = 0n;
  for (const e of entries) {
    const tmp = BigInt(e.frameno) | (BigInt(e.spiOrReg) << 3n) | ((e.isReg ? 1n : 0n) << 9n);
    val = (val << 10n) | tmp;
  }
  return (val << 4n) | BigInt(entries.length);
}

export function linkedRegsUnpack(val: bigint): LinkedReg[] {
  const cnt = Number(val & 0xfn);
  val >>= 4n;
  const out: LinkedReg[] = [];
  for (let i = 0; i < cnt; i++) {
    out.push({ frameno: Number(val & 7n), spiOrReg: Number((val >> 3n) & 0x3fn), isReg: ((val >> 9n) & 1n) === 1n });
    val >>= 10n;
  }
  return out;
}

function btSyncLinkedRegs(bt: BacktrackState, hist: JmpHistEntry | undefined): void {
  if (!hist || hist.linkedRegs === 0n) return;
  const regs = linkedRegsUnpack(hist.linkedRegs);
  let some = false;
  for (const e of regs) {
    if ((e.isReg && bt.isReg(e.spiOrReg, e.frameno)) || (!e.isReg && bt.isSlot(e.spiOrReg, e.frameno))) { some = true; break; }
  }
  if (!some) return;
  for (const e of regs) {
    if (e.isReg) bt.setReg(e.spiOrReg, e.frameno);
    else bt.setSlot(e.spiOrReg, e.frameno);
  }
}

const spiOf = (flags: number): number => (flags >> INSN_F_SPI_SHIFT) & INSN_F_SPI_MASK;
const frOf = (flags: number): number => flags & INSN_F_FRAMENO_MASK;

/** `backtrack_insn`: returns 0, or a negative errno (-ENOTSUPP: give up, mark all). */
function backtrackInsn(env: Env, idx: number, subseqIdx: number, hist: JmpHistEntry | undefined, bt: BacktrackState): number {
  const insn = env.insns[idx];
  const cls = insn.code & 7;
  const opcode = insn.code & 0xf0;
  const mode = insn.code & 0xe0;
  const dreg = insn.dst;
  const sreg = insn.src;
  if (insn.code === 0) return 0;
  if (env.level2) {
    env.verbose(`mark_precise: frame${bt.frame}: regs=${fmtRegMask(bt.regMasks[bt.frame])} stack=${fmtStackMask(bt.stackMasks[bt.frame])} before ${idx}: ${env.insnText(idx)}\n`);
  }
  btSyncLinkedRegs(bt, hist);
  if (cls === 0x04 || cls === 0x07) {
    if (!bt.isReg(dreg)) return 0;
    if (opcode === 0xd0 || opcode === 0x80) return 0;
    if (opcode === 0xb0) {
      if (insn.code & 0x08) {
        bt.clearReg(dreg);
        if (sreg !== 10) bt.setReg(sreg);
      } else {
        bt.clearReg(dreg);
      }
    } else if (insn.code & 0x08) {
      if (sreg !== 10) bt.setReg(sreg);
    }
  } else if (cls === 0x01 || (cls === 0x03 && mode === 0xc0 && insn.imm === 0x100)) {
    if (!bt.isReg(dreg)) return 0;
    bt.clearReg(dreg);
    if (!hist || !(hist.flags & INSN_F_STACK_ACCESS)) return 0;
    bt.setSlot(spiOf(hist.flags), frOf(hist.flags));
  } else if (cls === 0x03 || cls === 0x02) {
    if (bt.isReg(dreg)) return -ENOTSUPP;
    if (!hist || !(hist.flags & INSN_F_STACK_ACCESS)) return 0;
    const spi = spiOf(hist.flags);
    const fr = frOf(hist.flags);
    if (!bt.isSlot(spi, fr)) return 0;
    bt.clearSlot(spi, fr);
    if (cls === 0x03) bt.setReg(sreg);
  } else if (cls === 0x05 || cls === 0x06) {
    if (isPseudoCall(insn)) {
      const sub = findSubprog(env, idx + insn.imm + 1);
      if (sub < 0) return -EFAULT;
      if (env.subprogs[sub].isGlobal) {
        if (bt.regMasks[bt.frame] & ARGS_MASK) return env.bug(`global subprog unexpected regs ${bt.regMasks[bt.frame].toString(16)}`);
        bt.clearReg(0);
        return 0;
      }
      if (bt.regMasks[bt.frame] & ~ARGS_MASK) return env.bug(`static subprog unexpected regs ${bt.regMasks[bt.frame].toString(16)}`);
      if (bt.stackMasks[bt.frame] !== 0n) return env.bug(`static subprog leftover stack slots ${bt.stackMasks[bt.frame].toString(16)}`);
      for (let i = 1; i <= 5; i++) {
        if (bt.isReg(i)) {
          bt.clearReg(i);
          bt.setReg(i, bt.frame - 1);
        }
      }
      if (bt.frame === 0) return env.bug('subprog exit from frame 0');
      bt.frame--;
      return 0;
    } else if (insn.code === 0x85 && insn.src === 0 && SYNC_CALLBACK_HELPERS.has(insn.imm) && idx !== subseqIdx - 1) {
      if (bt.regMasks[bt.frame] & ~ARGS_MASK) return env.bug(`callback unexpected regs ${bt.regMasks[bt.frame].toString(16)}`);
      if (bt.stackMasks[bt.frame] !== 0n) return env.bug(`callback leftover stack slots ${bt.stackMasks[bt.frame].toString(16)}`);
      for (let i = 1; i <= 5; i++) bt.clearReg(i);
      if (bt.frame === 0) return env.bug('subprog exit from frame 0');
      bt.frame--;
      return 0;
    } else if (opcode === 0x80) {
      if (insn.src === 2 && insn.imm === 0) return -ENOTSUPP;
      bt.clearReg(0);
      if (bt.regMasks[bt.frame] & ARGS_MASK) return env.bug(`backtracking call unexpected regs ${bt.regMasks[bt.frame].toString(16)}`);
    } else if (opcode === 0x90) {
      if (subseqIdx >= 0 && env.aux[subseqIdx]?.callsCallback) for (let i = 1; i <= 5; i++) bt.clearReg(i);
      if (bt.regMasks[bt.frame] & ARGS_MASK) return env.bug(`backtracking exit unexpected regs ${bt.regMasks[bt.frame].toString(16)}`);
      const r0Precise = subseqIdx - 1 >= 0 && isPseudoCall(env.insns[subseqIdx - 1]) && bt.isReg(0);
      bt.clearReg(0);
      if (bt.frame === MAX_CALL_FRAMES - 1) return env.bug(`subprog enter from frame ${bt.frame}`);
      bt.frame++;
      if (r0Precise) bt.setReg(0);
      return 0;
    } else if (insn.code & 0x08) {
      if (!bt.isReg(dreg) && !bt.isReg(sreg)) return 0;
      if (!hist || !(hist.flags & INSN_F_SRC_REG_STACK)) bt.setReg(sreg);
      if (!hist || !(hist.flags & INSN_F_DST_REG_STACK)) bt.setReg(dreg);
    }
  } else if (cls === 0x00) {
    if (!bt.isReg(dreg)) return 0;
    bt.clearReg(dreg);
    if (mode === 0x40 || mode === 0x20) return -ENOTSUPP;
  }
  btSyncLinkedRegs(bt, hist);
  return 0;
}

/** `get_prev_insn_idx`. */
function getPrevInsnIdx(st: VerifierState, i: number, history: { cnt: number }): number {
  const cnt = history.cnt;
  if (i === st.firstInsnIdx) {
    if (cnt === 0) return -ENOENT;
    if (cnt === 1 && st.jmpHistory[0].idx === i) return -ENOENT;
  }
  if (cnt && st.jmpHistory[cnt - 1].idx === i) {
    i = st.jmpHistory[cnt - 1].prevIdx;
    history.cnt--;
  } else {
    i--;
  }
  return i;
}

function getJmpHistEntry(st: VerifierState, histEnd: number, idx: number): JmpHistEntry | undefined {
  return histEnd > 0 && st.jmpHistory[histEnd - 1].idx === idx ? st.jmpHistory[histEnd - 1] : undefined;
}

/** `mark_all_scalars_precise`: the fallback when backtracking cannot follow the data. */
export function markAllScalarsPrecise(env: Env, st: VerifierState): void {
  if (env.level2) env.verbose(`mark_precise: frame${st.curframe}: falling back to forcing all scalars precise\n`);
  for (let s = st.parent; s; s = s.parent) {
    for (let i = 0; i <= s.curframe; i++) {
      const f = s.frames[i];
      for (let j = 0; j < 10; j++) {
        const r = f.regs[j];
        if (r.type !== SCALAR_VALUE || r.precise) continue;
        r.precise = true;
        if (env.level2) env.verbose(`force_precise: frame${i}: forcing r${j} to be precise\n`);
      }
      for (let j = 0; j < f.stack.length; j++) {
        if (!isSpilledReg(f.stack[j])) continue;
        const r = f.stack[j].spilled;
        if (r.type !== SCALAR_VALUE || r.precise) continue;
        r.precise = true;
        if (env.level2) env.verbose(`force_precise: frame${i}: forcing fp${-(j + 1) * 8} to be precise\n`);
      }
    }
  }
}

export function markAllScalarsImprecise(st: VerifierState): void {
  for (let i = 0; i <= st.curframe; i++) {
    const f = st.frames[i];
    for (let j = 0; j < 10; j++) if (f.regs[j].type === SCALAR_VALUE) f.regs[j].precise = false;
    for (const slot of f.stack) if (isSpilledReg(slot) && slot.spilled.type === SCALAR_VALUE) slot.spilled.precise = false;
  }
}

/**
 * `__mark_chain_precision`: `regno` >= 0 starts from that register of the current
 * frame; otherwise from the masks already set in `env.bt`. Returns 0 or -errno.
 */
export function markChainPrecisionFrom(env: Env, starting: VerifierState, regno: number, changed?: { value: boolean }): number {
  if (!env.bpfCapable) return 0;
  const bt = env.bt;
  let st: VerifierState | null = starting;
  let firstIdx = st.firstInsnIdx;
  let lastIdx = starting.insnIdx;
  let subseqIdx = -1;
  let skipFirst = true;
  bt.frame = starting.curframe;
  if (regno >= 0) {
    const reg = st.frames[bt.frame].regs[regno];
    if (reg.type !== SCALAR_VALUE) return env.bug('backtracking misuse');
    bt.setReg(regno);
  }
  if (bt.empty()) return 0;
  for (;;) {
    const history = { cnt: st.jmpHistory.length };
    if (env.level2) env.verbose(`mark_precise: frame${bt.frame}: last_idx ${lastIdx} first_idx ${firstIdx} subseq_idx ${subseqIdx} \n`);
    if (lastIdx < 0) {
      if (st.curframe === 0 && st.frames[0].subprogno > 0 && st.frames[0].callsite === -1 && bt.stackMasks[bt.frame] === 0n && (bt.regMasks[bt.frame] & ~ARGS_MASK) === 0) {
        for (let i = 0; i < 32; i++) {
          if (!(bt.regMasks[bt.frame] & (1 << i))) continue;
          bt.clearReg(i);
          const reg = st.frames[0].regs[i];
          if (reg.type === SCALAR_VALUE) {
            reg.precise = true;
            if (changed) changed.value = true;
          }
        }
        return 0;
      }
      return env.bug(`backtracking func entry subprog ${st.frames[0].subprogno} reg_mask ${bt.regMasks[bt.frame].toString(16)} stack_mask ${bt.stackMasks[bt.frame].toString(16)}`);
    }
    for (let i = lastIdx; ;) {
      let err = 0;
      if (skipFirst) {
        skipFirst = false;
      } else {
        const hist = getJmpHistEntry(st, history.cnt, i);
        err = backtrackInsn(env, i, subseqIdx, hist, bt);
      }
      if (err === -ENOTSUPP) {
        markAllScalarsPrecise(env, starting);
        bt.reset();
        return 0;
      } else if (err) {
        return err;
      }
      if (bt.empty()) return 0;
      subseqIdx = i;
      i = getPrevInsnIdx(st, i, history);
      if (i === -ENOENT) break;
      if (i >= env.len) return env.bug(`backtracking idx ${i}`);
    }
    st = st.parent;
    if (!st) break;
    for (let fr = bt.frame; fr >= 0; fr--) {
      const func = st.frames[fr];
      for (let i = 0; i < 32; i++) {
        if (!(bt.regMasks[fr] & (1 << i))) continue;
        const reg = func.regs[i];
        if (!reg || reg.type !== SCALAR_VALUE) { bt.clearReg(i, fr); continue; }
        if (reg.precise) bt.clearReg(i, fr);
        else { reg.precise = true; if (changed) changed.value = true; }
      }
      for (let i = 0; bt.stackMasks[fr] >> BigInt(i) !== 0n && i < 64; i++) {
        if (!(bt.stackMasks[fr] & (1n << BigInt(i)))) continue;
        if (i >= func.stack.length) return env.bug(`stack slot ${i}, total slots ${func.stack.length}`);
        if (!isSpilledScalarReg(func.stack[i])) { bt.clearSlot(i, fr); continue; }
        const reg = func.stack[i].spilled;
        if (reg.precise) bt.clearSlot(i, fr);
        else { reg.precise = true; if (changed) changed.value = true; }
      }
      if (env.level2) {
        env.verbose(`mark_precise: frame${fr}: parent state regs=${fmtRegMask(bt.regMasks[fr])} stack=${fmtStackMask(bt.stackMasks[fr])}: `);
        env.printVerifierState(st, fr, true);
      }
    }
    if (bt.empty()) return 0;
    subseqIdx = firstIdx;
    lastIdx = st.lastInsnIdx;
    firstIdx = st.firstInsnIdx;
  }
  if (!bt.empty()) {
    markAllScalarsPrecise(env, starting);
    bt.reset();
  }
  return 0;
}

/** `mark_chain_precision`. */
export const markChainPrecision = (env: Env, regno: number): number => markChainPrecisionFrom(env, env.curState, regno);

