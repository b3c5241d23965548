/**
 * Conditional jumps on abstract values: is a branch always/never taken, and what each
 * side of the branch teaches about the compared registers. Follows the kernel's
 * `is_branch_taken`, `regs_refine_cond_op` and `reg_set_min_max` (kernel/bpf/verifier.c).
 */
import { BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JLE, BPF_JLT, BPF_JNE, BPF_JSET, BPF_JSGE, BPF_JSGT, BPF_JSLE, BPF_JSLT, BPF_X } from '../isa/opcodes';
import { tnumAnd, tnumConst, tnumIntersect, tnumIsConst, tnumOr, tnumOverlap, tnumSubreg, tnumWithSubreg, u64, U64_MAX, type Tnum } from './tnum';
import { baseType, CONST_PTR_TO_MAP, isRegConst, markRegUnbounded, MEM_ALLOC, MEM_PERCPU, MEM_RCU, MEM_USER, NON_OWN_REF, PTR_TO_BTF_ID, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_PACKET, PTR_TO_PACKET_END, PTR_TO_PACKET_META, PTR_TO_SOCK_COMMON, PTR_TO_SOCKET, PTR_TO_TCP_SOCK, PTR_TRUSTED, PTR_UNTRUSTED, regBoundsSync, regConstValue, RegState, s32, SCALAR_VALUE, typeMayBeNull, u32 } from './reg-state';

export const AT_PKT_END = -1;
export const BEYOND_PKT_END = -2;

export const regIsPktPointer = (r: RegState): boolean => r.type === PTR_TO_PACKET || r.type === PTR_TO_PACKET_META;
export const regIsPktPointerAny = (r: RegState): boolean => regIsPktPointer(r) || r.type === PTR_TO_PACKET_END;

/** `is_trusted_reg` for the pointer kinds we model. */
export function isTrustedReg(r: RegState): boolean {
  if (r.refObjId) return true;
  const b = baseType(r.type);
  const flags = r.type & ~0xff;
  const unsafe = (flags & (PTR_UNTRUSTED | MEM_RCU | MEM_USER | MEM_PERCPU | NON_OWN_REF)) !== 0 ? true : false;
  if ((b === PTR_TO_SOCKET || b === PTR_TO_SOCK_COMMON || b === PTR_TO_TCP_SOCK || b === CONST_PTR_TO_MAP) && !unsafe) return true;
  return (flags & (PTR_TRUSTED | MEM_ALLOC)) !== 0 && !unsafe;
}

/** `reg_not_null`. */
export function regNotNull(r: RegState): boolean {
  if (typeMayBeNull(r.type)) return false;
  const b = baseType(r.type);
  return b === PTR_TO_SOCKET || b === PTR_TO_TCP_SOCK || b === PTR_TO_MAP_VALUE || b === PTR_TO_MAP_KEY ||
    b === PTR_TO_SOCK_COMMON || (b === PTR_TO_BTF_ID && isTrustedReg(r)) ||
    (b === PTR_TO_MEM && !(r.type & PTR_UNTRUSTED)) || b === CONST_PTR_TO_MAP;
}


/** `flip_opcode`: `a OP b` as `b OP' a`. */
export function flipOpcode(op: number): number {
  switch (op) {
    case BPF_JGE: return BPF_JLE;
    case BPF_JGT: return BPF_JLT;
    case BPF_JLE: return BPF_JGE;
    case BPF_JLT: return BPF_JGT;
    case BPF_JSGE: return BPF_JSLE;
    case BPF_JSGT: return BPF_JSLT;
    case BPF_JSLE: return BPF_JSGE;
    case BPF_JSLT: return BPF_JSGT;
    case BPF_JEQ: case BPF_JNE: case BPF_JSET: return op;
    default: return 0;
  }
}

/** `rev_opcode`: the condition of the fall-through side (JSET|X stands for "not JSET"). */
export function revOpcode(op: number): number {
  switch (op) {
    case BPF_JEQ: return BPF_JNE;
    case BPF_JNE: return BPF_JEQ;
    case BPF_JSET: return BPF_JSET | BPF_X;
    case BPF_JSET | BPF_X: return BPF_JSET;
    case BPF_JGE: return BPF_JLT;
    case BPF_JGT: return BPF_JLE;
    case BPF_JLE: return BPF_JGT;
    case BPF_JLT: return BPF_JGE;
    case BPF_JSGE: return BPF_JSLT;
    case BPF_JSGT: return BPF_JSLE;
    case BPF_JSLE: return BPF_JSGT;
    case BPF_JSLT: return BPF_JSGE;
    default: return 0;
  }
}

interface View { t: Tnum; umin: bigint; umax: bigint; smin: bigint; smax: bigint }

function view(r: RegState, jmp32: boolean): View {
  if (jmp32) {
    return { t: tnumSubreg(r.varOff), umin: BigInt(r.u32min), umax: BigInt(r.u32max), smin: BigInt(r.s32min), smax: BigInt(r.s32max) };
  }
  return { t: r.varOff, umin: r.umin, umax: r.umax, smin: r.smin, smax: r.smax };
}

/** `is_scalar_branch_taken`: 1 taken, 0 not taken, -1 unknown. */
function isScalarBranchTaken(reg1: RegState, reg2: RegState, op: number, jmp32: boolean): number {
  let a = view(reg1, jmp32);
  let b = view(reg2, jmp32);
  switch (op) {
    case BPF_JEQ:
    case BPF_JNE: {
      const eq = op === BPF_JEQ;
      if (tnumIsConst(a.t) && tnumIsConst(b.t)) return (a.t.value === b.t.value) === eq ? 1 : 0;
      const never = eq ? 0 : 1;
      if (!tnumOverlap(a.t, b.t)) return never;
      if (a.umin > b.umax || a.umax < b.umin) return never;
      if (a.smin > b.smax || a.smax < b.smin) return never;
      if (!jmp32) {
        if (reg1.u32min > reg2.u32max || reg1.u32max < reg2.u32min) return never;
        if (reg1.s32min > reg2.s32max || reg1.s32max < reg2.s32min) return never;
      }
      break;
    }
    case BPF_JSET: {
      if (!isRegConst(reg2, jmp32)) { [reg1, reg2] = [reg2, reg1]; [a, b] = [b, a]; }
      if (!isRegConst(reg2, jmp32)) return -1;
      if ((~a.t.mask & a.t.value) & b.t.value) return 1;
      if (!((a.t.mask | a.t.value) & b.t.value)) return 0;
      break;
    }
    case BPF_JGT: if (a.umin > b.umax) return 1; else if (a.umax <= b.umin) return 0; break;
    case BPF_JSGT: if (a.smin > b.smax) return 1; else if (a.smax <= b.smin) return 0; break;
    case BPF_JLT: if (a.umax < b.umin) return 1; else if (a.umin >= b.umax) return 0; break;
    case BPF_JSLT: if (a.smax < b.smin) return 1; else if (a.smin >= b.smax) return 0; break;
    case BPF_JGE: if (a.umin >= b.umax) return 1; else if (a.umax < b.umin) return 0; break;
    case BPF_JSGE: if (a.smin >= b.smax) return 1; else if (a.smax < b.smin) return 0; break;
    case BPF_JLE: if (a.umax <= b.umin) return 1; else if (a.umin > b.umax) return 0; break;
    case BPF_JSLE: if (a.smax <= b.smin) return 1; else if (a.smin > b.smax) return 0; break;
  }
  return -1;
}

function isPktPtrBranchTaken(dst: RegState, src: RegState, op: number): number {
  let pkt: RegState;
  if (src.type === PTR_TO_PACKET_END) pkt = dst;
  else if (dst.type === PTR_TO_PACKET_END) { pkt = src; op = flipOpcode(op); } else return -1;
  if (pkt.range >= 0) return -1;
  switch (op) {
    case BPF_JLE:
    case BPF_JGT:
      if (pkt.range === BEYOND_PKT_END) return op === BPF_JGT ? 1 : 0;
      break;
    case BPF_JLT:
    case BPF_JGE:
      if (pkt.range === BEYOND_PKT_END || pkt.range === AT_PKT_END) return op === BPF_JGE ? 1 : 0;
      break;
  }
  return -1;
}

/** `is_branch_taken`. */
export function isBranchTaken(reg1: RegState, reg2: RegState, op: number, jmp32: boolean): number {
  if (regIsPktPointerAny(reg1) && regIsPktPointerAny(reg2) && !jmp32) return isPktPtrBranchTaken(reg1, reg2, op);
  if (reg1.type !== SCALAR_VALUE || reg2.type !== SCALAR_VALUE) {
    if (!isRegConst(reg2, jmp32)) { op = flipOpcode(op); [reg1, reg2] = [reg2, reg1]; }
    if (!isRegConst(reg2, jmp32)) return -1;
    if (!regNotNull(reg1)) return -1;
    if (regConstValue(reg2, jmp32) !== 0n) return -1;
    if (op === BPF_JEQ) return 0;
    if (op === BPF_JNE) return 1;
    return -1;
  }
  return isScalarBranchTaken(reg1, reg2, op, jmp32);
}

const isPowerOf2 = (v: bigint): boolean => v !== 0n && (v & (v - 1n)) === 0n;
const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** `regs_refine_cond_op`: learn from `reg1 OP reg2` being true. */
export function regsRefineCondOp(reg1: RegState, reg2: RegState, op: number, jmp32: boolean): void {
  switch (op) {
    case BPF_JGE: case BPF_JGT: case BPF_JSGE: case BPF_JSGT:
      op = flipOpcode(op);
      [reg1, reg2] = [reg2, reg1];
      break;
  }
  switch (op) {
    case BPF_JEQ:
      if (jmp32) {
        reg1.u32min = Math.max(reg1.u32min, reg2.u32min);
        reg1.u32max = Math.min(reg1.u32max, reg2.u32max);
        reg1.s32min = Math.max(reg1.s32min, reg2.s32min);
        reg1.s32max = Math.min(reg1.s32max, reg2.s32max);
        reg2.u32min = reg1.u32min; reg2.u32max = reg1.u32max;
        reg2.s32min = reg1.s32min; reg2.s32max = reg1.s32max;
        const t = tnumIntersect(tnumSubreg(reg1.varOff), tnumSubreg(reg2.varOff));
        reg1.varOff = tnumWithSubreg(reg1.varOff, t);
        reg2.varOff = tnumWithSubreg(reg2.varOff, t);
      } else {
        reg1.umin = maxB(reg1.umin, reg2.umin);
        reg1.umax = minB(reg1.umax, reg2.umax);
        reg1.smin = maxB(reg1.smin, reg2.smin);
        reg1.smax = minB(reg1.smax, reg2.smax);
        reg2.umin = reg1.umin; reg2.umax = reg1.umax;
        reg2.smin = reg1.smin; reg2.smax = reg1.smax;
        reg1.varOff = tnumIntersect(reg1.varOff, reg2.varOff);
        reg2.varOff = reg1.varOff;
      }
      break;
    case BPF_JNE: {
      if (!isRegConst(reg2, jmp32)) [reg1, reg2] = [reg2, reg1];
      if (!isRegConst(reg2, jmp32)) break;
      const val = regConstValue(reg2, jmp32);
      if (jmp32) {
        const v = Number(val);
        if (reg1.u32min === u32(v)) reg1.u32min = u32(reg1.u32min + 1);
        if (reg1.u32max === u32(v)) reg1.u32max = u32(reg1.u32max - 1);
        if (reg1.s32min === s32(v)) reg1.s32min = s32(reg1.s32min + 1);
        if (reg1.s32max === s32(v)) reg1.s32max = s32(reg1.s32max - 1);
      } else {
        const sv = BigInt.asIntN(64, val);
        if (reg1.umin === val) reg1.umin = u64(reg1.umin + 1n);
        if (reg1.umax === val) reg1.umax = u64(reg1.umax - 1n);
        if (reg1.smin === sv) reg1.smin = BigInt.asIntN(64, reg1.smin + 1n);
        if (reg1.smax === sv) reg1.smax = BigInt.asIntN(64, reg1.smax - 1n);
      }
      break;
    }
    case BPF_JSET: {
      if (!isRegConst(reg2, jmp32)) [reg1, reg2] = [reg2, reg1];
      if (!isRegConst(reg2, jmp32)) break;
      const val = regConstValue(reg2, jmp32);
      if (!isPowerOf2(val)) break;
      if (jmp32) {
        const t = tnumOr(tnumSubreg(reg1.varOff), tnumConst(val));
        reg1.varOff = tnumWithSubreg(reg1.varOff, t);
      } else {
        reg1.varOff = tnumOr(reg1.varOff, tnumConst(val));
      }
      break;
    }
    case BPF_JSET | BPF_X: {
      if (!isRegConst(reg2, jmp32)) [reg1, reg2] = [reg2, reg1];
      if (!isRegConst(reg2, jmp32)) break;
      const val = regConstValue(reg2, jmp32);
      // Forget the ranges first: on a dead branch narrowing could break invariants.
      markRegUnbounded(reg1);
      if (jmp32) {
        const t = tnumAnd(tnumSubreg(reg1.varOff), tnumConst(~val & U64_MAX));
        reg1.varOff = tnumWithSubreg(reg1.varOff, t);
      } else {
        reg1.varOff = tnumAnd(reg1.varOff, tnumConst(~val & U64_MAX));
      }
      break;
    }
    case BPF_JLE:
      if (jmp32) {
        reg1.u32max = Math.min(reg1.u32max, reg2.u32max);
        reg2.u32min = Math.max(reg1.u32min, reg2.u32min);
      } else {
        reg1.umax = minB(reg1.umax, reg2.umax);
        reg2.umin = maxB(reg1.umin, reg2.umin);
      }
      break;
    case BPF_JLT:
      if (jmp32) {
        reg1.u32max = Math.min(reg1.u32max, u32(reg2.u32max - 1));
        reg2.u32min = Math.max(u32(reg1.u32min + 1), reg2.u32min);
      } else {
        reg1.umax = minB(reg1.umax, u64(reg2.umax - 1n));
        reg2.umin = maxB(u64(reg1.umin + 1n), reg2.umin);
      }
      break;
    case BPF_JSLE:
      if (jmp32) {
        reg1.s32max = Math.min(reg1.s32max, reg2.s32max);
        reg2.s32min = Math.max(reg1.s32min, reg2.s32min);
      } else {
        reg1.smax = minB(reg1.smax, reg2.smax);
        reg2.smin = maxB(reg1.smin, reg2.smin);
      }
      break;
    case BPF_JSLT:
      if (jmp32) {
        reg1.s32max = Math.min(reg1.s32max, s32(reg2.s32max - 1));
        reg2.s32min = Math.max(s32(reg1.s32min + 1), reg2.s32min);
      } else {
        reg1.smax = minB(reg1.smax, BigInt.asIntN(64, reg2.smax - 1n));
        reg2.smin = maxB(BigInt.asIntN(64, reg1.smin + 1n), reg2.smin);
      }
      break;
  }
}

/**
 * `reg_set_min_max`: refines both sides of a scalar comparison. Returns the register
 * whose bounds became inconsistent (for the kernel's sanity check), or null.
 */
export function regSetMinMax(
  trueReg1: RegState, trueReg2: RegState, falseReg1: RegState, falseReg2: RegState, op: number, jmp32: boolean,
): void {
  if (falseReg1.type !== SCALAR_VALUE || falseReg2.type !== SCALAR_VALUE) return;
  regsRefineCondOp(falseReg1, falseReg2, revOpcode(op), jmp32);
  regBoundsSync(falseReg1);
  regBoundsSync(falseReg2);
  regsRefineCondOp(trueReg1, trueReg2, op, jmp32);
  regBoundsSync(trueReg1);
  regBoundsSync(trueReg2);
}
