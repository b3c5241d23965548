/**
 * Conditional jumps (`check_cond_jmp_op`): decided branches, refinement of both sides,
 * packet range learning against pkt_end, null checks of `_or_null` pointers by id, and
 * linked scalar registers.
 */
import type { Insn } from '../isa/insn';
import { tnumAdd } from './tnum';
import {
  baseType, BPF_ADD_CONST, BPF_ADD_CONST32, regBoundsSync, zext32To64, markRegKnown, markRegUnknown, PTR_MAYBE_NULL, PTR_TO_BTF_ID, PTR_TO_MAP_VALUE, PTR_TO_PACKET,
  PTR_TO_PACKET_END, PTR_TO_PACKET_META, PTR_TO_STACK, RegState, SCALAR_VALUE, typeMayBeNull, PTR_TO_SOCKET,
} from './reg-state';
import { isBranchTaken, regIsPktPointerAny, regSetMinMax, AT_PKT_END, BEYOND_PKT_END } from './branch';
import { checkRegArg, isPointerValue, pushJmpHistory, regBoundsSanityCheck, SRC_OP } from './check-mem';
import { EACCES, EINVAL, type Env } from './env';
import { markChainPrecision } from './precision';
import { pushStack } from './paths';
import { forEachRegInState, frameInsnIdx, INSN_F_DST_REG_STACK, INSN_F_SRC_REG_STACK, isSpilledReg, type VerifierState } from './state';
import { linkedRegsPack, type LinkedReg } from './precision';
import { scalarAddBounds } from './scalar-alu';

const MAX_PACKET_OFF_CHECK = 0xffff;

const BPF_JEQ = 0x10;
const BPF_JGT = 0x20;
const BPF_JGE = 0x30;
const BPF_JNE = 0x50;
const BPF_JLT = 0xa0;
const BPF_JLE = 0xb0;
const BPF_JCOND = 0xe0;

/** `mark_ptr_not_null_reg`. */
export function markPtrNotNullReg(env: Env, reg: RegState): void {
  if (baseType(reg.type) === PTR_TO_MAP_VALUE) {
    const map = env.maps[reg.map];
    const meta = env.innerMapMeta(reg.map);
    if (map && meta !== undefined && (map.type === 12 || map.type === 13)) {
      // ARRAY_OF_MAPS / HASH_OF_MAPS: the value is the inner map (its meta: no name)
      reg.type = 3; // CONST_PTR_TO_MAP
      reg.map = meta;
    } else if (map && map.type === 17) {
      reg.type = 15; // PTR_TO_XDP_SOCK (XSKMAP)
    } else if (map && (map.type === 15 || map.type === 18)) {
      reg.type = PTR_TO_SOCKET;
    } else {
      reg.type = PTR_TO_MAP_VALUE;
    }
    return;
  }
  reg.type &= ~PTR_MAYBE_NULL;
}

function markPtrOrNullReg(env: Env, reg: RegState, id: number, isNull: boolean): void {
  if (typeMayBeNull(reg.type) && reg.id === id && reg.id) {
    if (reg.smin || reg.smax || reg.varOff.mask || reg.varOff.value) return;
    if (reg.off) return;
    if (isNull) {
      reg.type = SCALAR_VALUE;
      reg.id = 0;
      reg.refObjId = 0;
      return;
    }
    markPtrNotNullReg(env, reg);
    // a map value with a spin lock keeps its id: bpf_spin_lock/unlock pair up by it
    if (!(baseType(reg.type) === PTR_TO_MAP_VALUE && env.hasField(reg.map, 'bpf_spin_lock', 'bpf_res_spin_lock'))) reg.id = 0;
  }
}

/** `release_reference_nomark`. */
export function releaseReferenceNomark(st: VerifierState, refObjId: number): boolean {
  const k = st.refs.findIndex((r) => r.type === 1 && r.id === refObjId);
  if (k < 0) return false;
  st.refs.splice(k, 1);
  return true;
}

function markPtrOrNullRegs(env: Env, st: VerifierState, regno: number, isNull: boolean): void {
  const regs = st.frames[st.curframe].regs;
  const refObjId = regs[regno].refObjId;
  const id = regs[regno].id;
  if (refObjId && refObjId === id && isNull) releaseReferenceNomark(st, id);
  forEachRegInState(st, (reg) => markPtrOrNullReg(env, reg, id, isNull));
}

/** `find_good_pkt_pointers`. */
function findGoodPktPointers(st: VerifierState, dst: RegState, type: number, rangeRightOpen: boolean): void {
  if (dst.off < 0 || (dst.off === 0 && rangeRightOpen)) return;
  if (dst.umax > BigInt(MAX_PACKET_OFF_CHECK) || dst.umax + BigInt(dst.off) > BigInt(MAX_PACKET_OFF_CHECK)) return;
  let newRange = dst.off;
  if (rangeRightOpen) newRange++;
  const id = dst.id;
  forEachRegInState(st, (reg) => {
    if (reg.type === type && reg.id === id) reg.range = Math.max(reg.range, newRange);
  });
}

function markPktEnd(st: VerifierState, regn: number, rangeOpen: boolean): void {
  const reg = st.frames[st.curframe].regs[regn];
  if (reg.type !== PTR_TO_PACKET) return;
  reg.range = rangeOpen ? BEYOND_PKT_END : AT_PKT_END;
}

const isInitPkt = (reg: RegState, which: number): boolean =>
  reg.type === which && reg.id === 0 && reg.off === 0 && reg.varOff.mask === 0n && reg.varOff.value === 0n;

/** `try_match_pkt_pointers`. */
function tryMatchPktPointers(insn: Insn, dst: RegState, src: RegState, thisBranch: VerifierState, other: VerifierState): boolean {
  if ((insn.code & 0x08) === 0 || (insn.code & 7) === 0x06) return false;
  const dataVsEnd = (dst.type === PTR_TO_PACKET && src.type === PTR_TO_PACKET_END) || (dst.type === PTR_TO_PACKET_META && isInitPkt(src, PTR_TO_PACKET));
  const endVsData = (dst.type === PTR_TO_PACKET_END && src.type === PTR_TO_PACKET) || (isInitPkt(dst, PTR_TO_PACKET) && src.type === PTR_TO_PACKET_META);
  switch (insn.code & 0xf0) {
    case BPF_JGT:
      if (dataVsEnd) { findGoodPktPointers(thisBranch, dst, dst.type, false); markPktEnd(other, insn.dst, true); } else if (endVsData) { findGoodPktPointers(other, src, src.type, true); markPktEnd(thisBranch, insn.src, false); } else return false;
      break;
    case BPF_JLT:
      if (dataVsEnd) { findGoodPktPointers(other, dst, dst.type, true); markPktEnd(thisBranch, insn.dst, false); } else if (endVsData) { findGoodPktPointers(thisBranch, src, src.type, false); markPktEnd(other, insn.src, true); } else return false;
      break;
    case BPF_JGE:
      if (dataVsEnd) { findGoodPktPointers(thisBranch, dst, dst.type, true); markPktEnd(other, insn.dst, false); } else if (endVsData) { findGoodPktPointers(other, src, src.type, false); markPktEnd(thisBranch, insn.src, true); } else return false;
      break;
    case BPF_JLE:
      if (dataVsEnd) { findGoodPktPointers(other, dst, dst.type, false); markPktEnd(thisBranch, insn.dst, true); } else if (endVsData) { findGoodPktPointers(thisBranch, src, src.type, true); markPktEnd(other, insn.src, false); } else return false;
      break;
    default:
      return false;
  }
  return true;
}

const LINKED_REGS_MAX = 6;

/** `collect_linked_regs`. */
function collectLinkedRegs(env: Env, st: VerifierState, id: number, out: LinkedReg[]): void {
  id = (id & ~BPF_ADD_CONST) >>> 0;
  for (let i = st.curframe; i >= 0; i--) {
    // only registers live at this point take part (6.18)
    const live = env.aux[frameInsnIdx(st, i)].liveRegsBefore;
    const f = st.frames[i];
    const visit = (reg: RegState, spiOrReg: number, isReg: boolean): void => {
      if (reg.type !== SCALAR_VALUE || ((reg.id & ~BPF_ADD_CONST) >>> 0) !== id) return;
      if (out.length < LINKED_REGS_MAX) out.push({ frameno: i, spiOrReg, isReg });
      else reg.id = 0;
    };
    for (let j = 0; j < 10; j++) if (live & (1 << j)) visit(f.regs[j], j, true);
    for (let j = 0; j < f.stack.length; j++) if (isSpilledReg(f.stack[j])) visit(f.stack[j].spilled, j, false);
  }
}

/** `sync_linked_regs`. */
function syncLinkedRegs(st: VerifierState, known: RegState, linked: readonly LinkedReg[]): void {
  for (const e of linked) {
    const f = st.frames[e.frameno];
    const reg = e.isReg ? f.regs[e.spiOrReg] : f.stack[e.spiOrReg].spilled;
    if (reg.type !== SCALAR_VALUE || reg === known) continue;
    if (((reg.id & ~BPF_ADD_CONST) >>> 0) !== ((known.id & ~BPF_ADD_CONST) >>> 0)) continue;
    if ((!(reg.id & BPF_ADD_CONST) && !(known.id & BPF_ADD_CONST)) || reg.off === known.off) {
      const sd = reg.subregDef;
      reg.copyFrom(known);
      reg.subregDef = sd;
    } else {
      const sd = reg.subregDef;
      const savedOff = reg.off;
      const fake = new RegState();
      fake.type = SCALAR_VALUE;
      markRegKnown(fake, BigInt((reg.off | 0) - (known.off | 0)));
      reg.copyFrom(known);
      reg.off = savedOff;
      reg.subregDef = sd;
      scalarAddBounds(reg, fake);
      reg.varOff = tnumAdd(reg.varOff, fake.varOff);
      if (known.id & BPF_ADD_CONST32) zext32To64(reg);
      regBoundsSync(reg);
    }
  }
}

/** `check_cond_jmp_op`; `next` receives the index of the next instruction to verify. */
export function checkCondJmpOp(env: Env, insn: Insn, next: { idx: number }): number {
  const thisBranch = env.curState;
  const regs = thisBranch.frames[thisBranch.curframe].regs;
  const opcode = insn.code & 0xf0;
  let flags = 0;
  if (opcode === 0x00 || opcode > BPF_JCOND) {
    env.verbose(`invalid BPF_JMP/JMP32 opcode ${opcode.toString(16)}\n`);
    return -EINVAL;
  }
  if (opcode === BPF_JCOND) {
    const idx = next.idx;
    if (insn.code !== (0x05 | BPF_JCOND) || insn.src !== 0 || insn.dst || insn.imm) {
      env.verbose(`invalid may_goto imm ${insn.imm}\n`);
      return -EINVAL;
    }
    const q = pushStack(env, idx + 1, idx, false);
    if (typeof q === 'number') return q;
    q.mayGotoDepth++;
    next.idx += insn.off;
    return 0;
  }
  let err = checkRegArg(env, insn.dst, SRC_OP);
  if (err) return err;
  const dst = regs[insn.dst];
  let src: RegState;
  if (insn.code & 0x08) {
    if (insn.imm !== 0) {
      env.verbose('BPF_JMP/JMP32 uses reserved fields\n');
      return -EINVAL;
    }
    err = checkRegArg(env, insn.src, SRC_OP);
    if (err) return err;
    src = regs[insn.src];
    if (!(regIsPktPointerAny(dst) && regIsPktPointerAny(src)) && isPointerValue(env, insn.src)) {
      env.verbose(`R${insn.src} pointer comparison prohibited\n`);
      return -EACCES;
    }
    if (src.type === PTR_TO_STACK) flags |= INSN_F_SRC_REG_STACK;
    if (dst.type === PTR_TO_STACK) flags |= INSN_F_DST_REG_STACK;
  } else {
    if (insn.src !== 0) {
      env.verbose('BPF_JMP/JMP32 uses reserved fields\n');
      return -EINVAL;
    }
    src = env.fakeReg[0];
    src.copyFrom(new RegState());
    src.type = SCALAR_VALUE;
    markRegKnown(src, BigInt(insn.imm));
    if (dst.type === PTR_TO_STACK) flags |= INSN_F_DST_REG_STACK;
  }
  if (flags) pushJmpHistory(env, flags, 0n);
  const jmp32 = (insn.code & 7) === 0x06;
  const pred = isBranchTaken(dst, src, opcode, jmp32);
  if (pred >= 0) {
    if (dst.type === SCALAR_VALUE) err = markChainPrecision(env, insn.dst);
    if ((insn.code & 0x08) && !err && src.type === SCALAR_VALUE) err = markChainPrecision(env, insn.src);
    if (err) return err;
  }
  if (pred === 1) {
    if (!env.bypassSpecV1) {
      const b = pushStack(env, next.idx + 1, next.idx, true);
      if (typeof b === 'number') return b;
      markSpeculativeUnknown(env, b, insn);
    }
    env.printInsnState(thisBranch, thisBranch.curframe);
    next.idx += insn.off;
    return 0;
  } else if (pred === 0) {
    if (!env.bypassSpecV1) {
      const b = pushStack(env, next.idx + insn.off + 1, next.idx, true);
      if (typeof b === 'number') return b;
      markSpeculativeUnknown(env, b, insn);
    }
    env.printInsnState(thisBranch, thisBranch.curframe);
    return 0;
  }
  const linked: LinkedReg[] = [];
  if ((insn.code & 0x08) && src.type === SCALAR_VALUE && src.id) collectLinkedRegs(env, thisBranch, src.id, linked);
  if (dst.type === SCALAR_VALUE && dst.id) collectLinkedRegs(env, thisBranch, dst.id, linked);
  if (linked.length > 1) pushJmpHistory(env, 0, linkedRegsPack(linked));
  const other = pushStack(env, next.idx + insn.off + 1, next.idx, false);
  if (typeof other === 'number') return other;
  const otherRegs = other.frames[other.curframe].regs;
  let quad: [RegState, RegState, RegState, RegState];
  if (insn.code & 0x08) {
    // (a register compared with itself aliases both sides, as in the kernel)
    quad = [otherRegs[insn.dst], otherRegs[insn.src], dst, src];
  } else {
    // reg_set_min_max() can mangle the fake register: use two copies
    env.fakeReg[1].copyFrom(env.fakeReg[0]);
    quad = [otherRegs[insn.dst], env.fakeReg[0], dst, env.fakeReg[1]];
  }
  if (quad[2].type === SCALAR_VALUE && quad[3].type === SCALAR_VALUE) {
    regSetMinMax(quad[0], quad[1], quad[2], quad[3], opcode, jmp32);
    const names = ['true_reg1', 'true_reg2', 'false_reg1', 'false_reg2'];
    for (let k = 0; k < 4; k++) {
      err = regBoundsSanityCheck(env, quad[k], names[k]);
      if (err) return err;
    }
  }
  if ((insn.code & 0x08) && src.type === SCALAR_VALUE && src.id && src.id === otherRegs[insn.src].id) {
    syncLinkedRegs(thisBranch, src, linked);
    syncLinkedRegs(other, otherRegs[insn.src], linked);
  }
  if (dst.type === SCALAR_VALUE && dst.id && dst.id === otherRegs[insn.dst].id) {
    syncLinkedRegs(thisBranch, dst, linked);
    syncLinkedRegs(other, otherRegs[insn.dst], linked);
  }
  if (!jmp32 && (insn.code & 0x08) && src.type !== SCALAR_VALUE && dst.type !== SCALAR_VALUE &&
    typeMayBeNull(src.type) !== typeMayBeNull(dst.type) && baseType(src.type) !== PTR_TO_BTF_ID && baseType(dst.type) !== PTR_TO_BTF_ID) {
    let eq: RegState[] | null = null;
    if (opcode === BPF_JEQ) eq = otherRegs;
    else if (opcode === BPF_JNE) eq = regs;
    if (eq) {
      if (typeMayBeNull(src.type)) markPtrNotNullReg(env, eq[insn.src]);
      else markPtrNotNullReg(env, eq[insn.dst]);
    }
  }
  if (!jmp32 && !(insn.code & 0x08) && insn.imm === 0 && (opcode === BPF_JEQ || opcode === BPF_JNE) && typeMayBeNull(dst.type)) {
    markPtrOrNullRegs(env, thisBranch, insn.dst, opcode === BPF_JNE);
    markPtrOrNullRegs(env, other, insn.dst, opcode === BPF_JEQ);
  } else if (!tryMatchPktPointers(insn, dst, regs[insn.src], thisBranch, other) && isPointerValue(env, insn.dst)) {
    env.verbose(`R${insn.dst} pointer comparison prohibited\n`);
    return -EACCES;
  }
  env.printInsnState(thisBranch, thisBranch.curframe);
  return 0;
}

/** `sanitize_speculative_path`: the not-taken side, explored as a speculative path. */
function markSpeculativeUnknown(env: Env, b: VerifierState, insn: Insn): void {
  const regs = b.frames[b.curframe].regs;
  markRegUnknown(regs[insn.dst], env.bpfCapable);
  if (insn.code & 0x08) markRegUnknown(regs[insn.src], env.bpfCapable);
}
