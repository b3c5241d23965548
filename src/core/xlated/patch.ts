/**
 * A program being rewritten the way the verifier rewrites it: `bpf_patch_insn_data`
 * (one instruction becomes several) and `verifier_remove_insns` (dead code goes), each
 * keeping jump and call offsets, line info, function starts and per-instruction facts
 * in step exactly as kernel/bpf/core.c and verifier.c do, since the listings show the
 * result.
 */
import { isLdImm64, type Insn } from '../isa/insn';
import type { LineInfo } from '../elf/loaded-object';
import type { InsnAux } from './facts';

/** Per-slot facts plus where the slot came from. */
export interface SlotAux extends InsnAux {
  /** The slot of the loaded program this instruction was made from. */
  origin: number;
}

const isJmpClass = (code: number): boolean => (code & 7) === 5 || (code & 7) === 6;

export class PatchableProgram {
  constructor(
    public insns: Insn[],
    public aux: SlotAux[],
    public lineInfo: LineInfo[],
    /** Function starts, plus the program length as the closing 'exit' entry. */
    public funcStarts: number[],
  ) {}

  get length(): number {
    return this.insns.length;
  }

  /**
   * Replaces the instruction at `off` with `patch` (bpf_patch_insn_data). The last
   * instruction of the patch keeps the original's facts; the others are new, "seen"
   * like it.
   */
  patch(off: number, patch: Insn[]): void {
    const len = patch.length;
    if (len === 1) {
      this.insns[off] = { ...patch[0] };
      return;
    }
    const delta = len - 1;
    const old = this.aux[off];
    this.insns.splice(off, 1, ...patch.map((i) => ({ ...i })));
    const fresh: SlotAux[] = [];
    for (let k = 0; k < delta; k++) fresh.push({ seen: old.seen, origin: old.origin });
    this.aux.splice(off, 0, ...fresh);
    this.adjustBranches(off, off + 1, off + len);
    for (const li of this.lineInfo) if (li.insnOff > off) li.insnOff += delta;
    for (let k = 0; k < this.funcStarts.length; k++) if (this.funcStarts[k] > off) this.funcStarts[k] += delta;
  }

  /** Removes `cnt` instructions at `off` (verifier_remove_insns). */
  remove(off: number, cnt: number): void {
    this.insns.splice(off, cnt);
    this.aux.splice(off, cnt);
    this.adjustBranches(off, off + cnt, off);
    this.adjustFuncStartsAfterRemove(off, cnt);
    this.adjustLineInfoAfterRemove(off, cnt);
  }

  /**
   * bpf_adj_branches: jumps (and bpf-to-bpf calls, callback loads) that cross the
   * changed range [pos, endOld) -> [pos, endNew) move with it.
   */
  private adjustBranches(pos: number, endOld: number, endNew: number): void {
    const delta = endNew - endOld;
    const moved = (curr: number, rel: number): number => {
      if (curr < pos && curr + rel + 1 >= endOld) return rel + delta;
      if (curr >= endNew && curr + rel + 1 < endNew) return rel - delta;
      return rel;
    };
    for (let i = 0; i < this.insns.length; i++) {
      const insn = this.insns[i];
      if (isLdImm64(insn)) {
        if (insn.src === 4) insn.imm = moved(i, insn.imm);
        i++;
        continue;
      }
      if (!isJmpClass(insn.code)) continue;
      const op = insn.code & 0xf0;
      if (op === 0x90) continue; // exit
      if (op === 0x80) {
        if (insn.src === 1 && insn.code === 0x85) insn.imm = moved(i, insn.imm);
        continue;
      }
      if (insn.code === 0x06) insn.imm = moved(i, insn.imm);
      else insn.off = moved(i, insn.off);
    }
  }

  private adjustFuncStartsAfterRemove(off: number, cnt: number): void {
    const starts = this.funcStarts; // the last entry is the program end
    const count = starts.length - 1;
    let i = 0;
    while (i < count && starts[i] < off) i++;
    let j = i;
    while (j < count && starts[j] < off + cnt) j++;
    if (j < starts.length && starts[j] !== off + cnt) j--;
    if (j > i) starts.splice(i, j - i); // whole functions removed
    else if (starts[i] === off) i++;
    for (; i < starts.length; i++) starts[i] -= cnt;
  }

  /** bpf_adj_linfo_after_remove: the first live instruction inherits the last removed line. */
  private adjustLineInfoAfterRemove(off: number, cnt: number): void {
    const li = this.lineInfo;
    let i = 0;
    while (i < li.length && li[i].insnOff < off) i++;
    const lOff = i;
    let lCnt = 0;
    for (; i < li.length; i++) {
      if (li[i].insnOff < off + cnt) lCnt++;
      else break;
    }
    if (this.insns.length !== off && lCnt && (i === li.length || li[i].insnOff !== off + cnt)) {
      lCnt--;
      li[--i] = { ...li[i], insnOff: off + cnt };
    }
    if (lCnt) li.splice(lOff, lCnt);
    for (let k = lOff; k < li.length; k++) li[k] = { ...li[k], insnOff: li[k].insnOff - cnt };
  }

  /** The function index a slot belongs to. */
  funcOf(slot: number): number {
    let f = 0;
    while (f + 1 < this.funcStarts.length - 1 && this.funcStarts[f + 1] <= slot) f++;
    return f;
  }
}
