/**
 * Bounds arithmetic of scalar ALU operations: how the kernel's
 * `adjust_scalar_min_max_vals()` (kernel/bpf/verifier.c) moves the tnum and the
 * s64/u64/s32/u32 bounds of `dst OP src`, and the truncations/sign extensions that
 * loads and `movsx` apply (`coerce_reg_to_size[_sx]`).
 *
 * Overflow rules are the kernel's `check_{add,sub,mul}_overflow` with wrapped results.
 */
import {
  tnumAdd, tnumAnd, tnumArshift, tnumCast, tnumConst, tnumIsConst, tnumLshift, tnumMul, tnumNeg,
  tnumOr, tnumRange, tnumRshift, tnumSub, tnumSubreg, tnumSubregIsConst, tnumXor, TNUM_UNKNOWN, u64, s64, U64_MAX,
} from './tnum';
import {
  markReg32Known, markReg32Unbounded, markReg64Unbounded, markRegKnown, regBoundsSync, RegState,
  S32_MAX, S32_MIN, S64_MAX, S64_MIN, s32, toS32, toU32, u32, U32_MAX, updateReg32Bounds, updateRegBounds,
  zext32To64,
} from './reg-state';

const S64_MIN_N = S64_MIN;
const S64_MAX_N = S64_MAX;

// Overflow-checked operations: [wrapped result, overflowed]
const addS64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a + b; return [s64(r), r < S64_MIN_N || r > S64_MAX_N]; };
const subS64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a - b; return [s64(r), r < S64_MIN_N || r > S64_MAX_N]; };
const mulS64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a * b; return [s64(r), r < S64_MIN_N || r > S64_MAX_N]; };
const addU64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a + b; return [u64(r), r > U64_MAX]; };
const subU64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a - b; return [u64(r), r < 0n]; };
const mulU64 = (a: bigint, b: bigint): [bigint, boolean] => { const r = a * b; return [u64(r), r > U64_MAX]; };
const addS32 = (a: number, b: number): [number, boolean] => { const r = a + b; return [s32(r), r < S32_MIN || r > S32_MAX]; };
const subS32 = (a: number, b: number): [number, boolean] => { const r = a - b; return [s32(r), r < S32_MIN || r > S32_MAX]; };
const addU32 = (a: number, b: number): [number, boolean] => { const r = a + b; return [u32(r), r > U32_MAX]; };
const subU32 = (a: number, b: number): [number, boolean] => { const r = a - b; return [u32(r), r < 0]; };
function mulS32(a: number, b: number): [number, boolean] {
  const r = BigInt(a) * BigInt(b);
  return [toS32(r), r < BigInt(S32_MIN) || r > BigInt(S32_MAX)];
}
function mulU32(a: number, b: number): [number, boolean] {
  const r = BigInt(a) * BigInt(b);
  return [toU32(r), r > BigInt(U32_MAX)];
}

function scalar32Add(dst: RegState, src: RegState): void {
  const [smin, o1] = addS32(dst.s32min, src.s32min);
  dst.s32min = smin;
  if (o1) { dst.s32min = S32_MIN; dst.s32max = S32_MAX; } else {
    const [smax, o2] = addS32(dst.s32max, src.s32max);
    dst.s32max = smax;
    if (o2) { dst.s32min = S32_MIN; dst.s32max = S32_MAX; }
  }
  const [umin, minOv] = addU32(dst.u32min, src.u32min);
  const [umax, maxOv] = addU32(dst.u32max, src.u32max);
  dst.u32min = umin; dst.u32max = umax;
  if (!minOv && maxOv) { dst.u32min = 0; dst.u32max = U32_MAX; }
}

function scalarAdd(dst: RegState, src: RegState): void {
  const [smin, o1] = addS64(dst.smin, src.smin);
  dst.smin = smin;
  if (o1) { dst.smin = S64_MIN; dst.smax = S64_MAX; } else {
    const [smax, o2] = addS64(dst.smax, src.smax);
    dst.smax = smax;
    if (o2) { dst.smin = S64_MIN; dst.smax = S64_MAX; }
  }
  const [umin, minOv] = addU64(dst.umin, src.umin);
  const [umax, maxOv] = addU64(dst.umax, src.umax);
  dst.umin = umin; dst.umax = umax;
  if (!minOv && maxOv) { dst.umin = 0n; dst.umax = U64_MAX; }
}

function scalar32Sub(dst: RegState, src: RegState): void {
  const [smin, o1] = subS32(dst.s32min, src.s32max);
  dst.s32min = smin;
  if (o1) { dst.s32min = S32_MIN; dst.s32max = S32_MAX; } else {
    const [smax, o2] = subS32(dst.s32max, src.s32min);
    dst.s32max = smax;
    if (o2) { dst.s32min = S32_MIN; dst.s32max = S32_MAX; }
  }
  const [umin, minUf] = subU32(dst.u32min, src.u32max);
  const [umax, maxUf] = subU32(dst.u32max, src.u32min);
  dst.u32min = umin; dst.u32max = umax;
  if (minUf && !maxUf) { dst.u32min = 0; dst.u32max = U32_MAX; }
}

function scalarSub(dst: RegState, src: RegState): void {
  const [smin, o1] = subS64(dst.smin, src.smax);
  dst.smin = smin;
  if (o1) { dst.smin = S64_MIN; dst.smax = S64_MAX; } else {
    const [smax, o2] = subS64(dst.smax, src.smin);
    dst.smax = smax;
    if (o2) { dst.smin = S64_MIN; dst.smax = S64_MAX; }
  }
  const [umin, minUf] = subU64(dst.umin, src.umax);
  const [umax, maxUf] = subU64(dst.umax, src.umin);
  dst.umin = umin; dst.umax = umax;
  if (minUf && !maxUf) { dst.umin = 0n; dst.umax = U64_MAX; }
}

function scalar32Mul(dst: RegState, src: RegState): void {
  const [umax, o1] = mulU32(dst.u32max, src.u32max);
  dst.u32max = umax;
  let overflow = o1;
  if (!overflow) {
    const [umin, o2] = mulU32(dst.u32min, src.u32min);
    dst.u32min = umin;
    overflow = o2;
  }
  if (overflow) { dst.u32min = 0; dst.u32max = U32_MAX; }
  const prods: number[] = [];
  for (const [a, b] of [[dst.s32min, src.s32min], [dst.s32min, src.s32max], [dst.s32max, src.s32min], [dst.s32max, src.s32max]]) {
    const [p, o] = mulS32(a, b);
    if (o) { dst.s32min = S32_MIN; dst.s32max = S32_MAX; return; }
    prods.push(p);
  }
  dst.s32min = Math.min(...prods);
  dst.s32max = Math.max(...prods);
}

function scalarMul(dst: RegState, src: RegState): void {
  const [umax, o1] = mulU64(dst.umax, src.umax);
  dst.umax = umax;
  let overflow = o1;
  if (!overflow) {
    const [umin, o2] = mulU64(dst.umin, src.umin);
    dst.umin = umin;
    overflow = o2;
  }
  if (overflow) { dst.umin = 0n; dst.umax = U64_MAX; }
  const prods: bigint[] = [];
  for (const [a, b] of [[dst.smin, src.smin], [dst.smin, src.smax], [dst.smax, src.smin], [dst.smax, src.smax]]) {
    const [p, o] = mulS64(a, b);
    if (o) { dst.smin = S64_MIN; dst.smax = S64_MAX; return; }
    prods.push(p);
  }
  dst.smin = prods.reduce((x, y) => (x < y ? x : y));
  dst.smax = prods.reduce((x, y) => (x > y ? x : y));
}

/** s32 bounds from u32 ones when they do not cross the sign boundary, else unbounded. */
function s32FromU32(dst: RegState): void {
  if (s32(dst.u32min) <= s32(dst.u32max)) {
    dst.s32min = s32(dst.u32min);
    dst.s32max = s32(dst.u32max);
  } else {
    dst.s32min = S32_MIN;
    dst.s32max = S32_MAX;
  }
}

function s64FromU64(dst: RegState): void {
  if (s64(dst.umin) <= s64(dst.umax)) {
    dst.smin = s64(dst.umin);
    dst.smax = s64(dst.umax);
  } else {
    dst.smin = S64_MIN;
    dst.smax = S64_MAX;
  }
}

const sub32 = (dst: RegState): { value: number; mask: number } => ({
  value: Number(dst.varOff.value & 0xffff_ffffn),
  mask: Number(dst.varOff.mask & 0xffff_ffffn),
});

function scalar32And(dst: RegState, src: RegState): void {
  const srcKnown = tnumSubregIsConst(src.varOff);
  const dstKnown = tnumSubregIsConst(dst.varOff);
  const v = sub32(dst);
  if (srcKnown && dstKnown) { markReg32Known(dst, v.value); return; }
  dst.u32min = v.value;
  dst.u32max = Math.min(dst.u32max, src.u32max);
  s32FromU32(dst);
}

function scalarAnd(dst: RegState, src: RegState): void {
  const srcKnown = tnumIsConst(src.varOff);
  const dstKnown = tnumIsConst(dst.varOff);
  if (srcKnown && dstKnown) { markRegKnown(dst, dst.varOff.value); return; }
  dst.umin = dst.varOff.value;
  dst.umax = dst.umax < src.umax ? dst.umax : src.umax;
  s64FromU64(dst);
  updateRegBounds(dst);
}

function scalar32Or(dst: RegState, src: RegState): void {
  const srcKnown = tnumSubregIsConst(src.varOff);
  const dstKnown = tnumSubregIsConst(dst.varOff);
  const v = sub32(dst);
  if (srcKnown && dstKnown) { markReg32Known(dst, v.value); return; }
  dst.u32min = Math.max(dst.u32min, src.u32min);
  dst.u32max = u32(v.value | v.mask);
  s32FromU32(dst);
}

function scalarOr(dst: RegState, src: RegState): void {
  const srcKnown = tnumIsConst(src.varOff);
  const dstKnown = tnumIsConst(dst.varOff);
  if (srcKnown && dstKnown) { markRegKnown(dst, dst.varOff.value); return; }
  dst.umin = dst.umin > src.umin ? dst.umin : src.umin;
  dst.umax = dst.varOff.value | dst.varOff.mask;
  s64FromU64(dst);
  updateRegBounds(dst);
}

function scalar32Xor(dst: RegState, src: RegState): void {
  const srcKnown = tnumSubregIsConst(src.varOff);
  const dstKnown = tnumSubregIsConst(dst.varOff);
  const v = sub32(dst);
  if (srcKnown && dstKnown) { markReg32Known(dst, v.value); return; }
  dst.u32min = v.value;
  dst.u32max = u32(v.value | v.mask);
  s32FromU32(dst);
}

function scalarXor(dst: RegState, src: RegState): void {
  const srcKnown = tnumIsConst(src.varOff);
  const dstKnown = tnumIsConst(dst.varOff);
  if (srcKnown && dstKnown) { markRegKnown(dst, dst.varOff.value); return; }
  dst.umin = dst.varOff.value;
  dst.umax = dst.varOff.value | dst.varOff.mask;
  s64FromU64(dst);
  updateRegBounds(dst);
}

function scalar32LshBounds(dst: RegState, uminVal: bigint, umaxVal: bigint): void {
  dst.s32min = S32_MIN;
  dst.s32max = S32_MAX;
  if (umaxVal > 31n || BigInt(dst.u32max) > 1n << (31n - umaxVal)) {
    dst.u32min = 0;
    dst.u32max = U32_MAX;
  } else {
    dst.u32min = toU32(BigInt(dst.u32min) << uminVal);
    dst.u32max = toU32(BigInt(dst.u32max) << umaxVal);
  }
}

function scalar32Lsh(dst: RegState, src: RegState): void {
  const umaxVal = BigInt(src.u32max);
  const uminVal = BigInt(src.u32min);
  const subreg = tnumSubreg(dst.varOff);
  scalar32LshBounds(dst, uminVal, umaxVal);
  dst.varOff = tnumSubreg(tnumLshift(subreg, Number(uminVal)));
  markReg64Unbounded(dst);
  updateReg32Bounds(dst);
}

function scalar64LshBounds(dst: RegState, uminVal: bigint, umaxVal: bigint): void {
  // `<<32` keeps sign information when the 32-bit bounds are non-negative
  // (compilers sign-extend with <<32 s>>32).
  dst.smax = uminVal === 32n && umaxVal === 32n && dst.s32max >= 0 ? BigInt(dst.s32max) << 32n : S64_MAX;
  dst.smin = uminVal === 32n && umaxVal === 32n && dst.s32min >= 0 ? BigInt(dst.s32min) << 32n : S64_MIN;
  if (dst.umax > 1n << (63n - umaxVal)) {
    dst.umin = 0n;
    dst.umax = U64_MAX;
  } else {
    dst.umin = u64(dst.umin << uminVal);
    dst.umax = u64(dst.umax << umaxVal);
  }
}

function scalarLsh(dst: RegState, src: RegState): void {
  const umaxVal = src.umax;
  const uminVal = src.umin;
  scalar64LshBounds(dst, uminVal, umaxVal);
  scalar32LshBounds(dst, uminVal, umaxVal);
  dst.varOff = tnumLshift(dst.varOff, Number(uminVal));
  updateRegBounds(dst);
}

function scalar32Rsh(dst: RegState, src: RegState): void {
  const subreg = tnumSubreg(dst.varOff);
  const umaxVal = src.u32max;
  const uminVal = src.u32min;
  dst.s32min = S32_MIN;
  dst.s32max = S32_MAX;
  dst.varOff = tnumRshift(subreg, uminVal);
  dst.u32min = umaxVal >= 32 ? 0 : dst.u32min >>> umaxVal;
  dst.u32max = uminVal >= 32 ? 0 : dst.u32max >>> uminVal;
  markReg64Unbounded(dst);
  updateReg32Bounds(dst);
}

function scalarRsh(dst: RegState, src: RegState): void {
  const umaxVal = src.umax;
  const uminVal = src.umin;
  dst.smin = S64_MIN;
  dst.smax = S64_MAX;
  dst.varOff = tnumRshift(dst.varOff, Number(uminVal));
  dst.umin = dst.umin >> umaxVal;
  dst.umax = dst.umax >> uminVal;
  markReg32Unbounded(dst);
  updateRegBounds(dst);
}

function scalar32Arsh(dst: RegState, src: RegState): void {
  const uminVal = src.u32min;
  dst.s32min = s32(dst.s32min >> uminVal);
  dst.s32max = s32(dst.s32max >> uminVal);
  dst.varOff = tnumArshift(tnumSubreg(dst.varOff), uminVal, 32);
  dst.u32min = 0;
  dst.u32max = U32_MAX;
  markReg64Unbounded(dst);
  updateReg32Bounds(dst);
}

function scalarArsh(dst: RegState, src: RegState): void {
  const uminVal = src.umin;
  dst.smin = dst.smin >> uminVal;
  dst.smax = dst.smax >> uminVal;
  dst.varOff = tnumArshift(dst.varOff, Number(uminVal), 64);
  dst.umin = 0n;
  dst.umax = U64_MAX;
  markReg32Unbounded(dst);
  updateRegBounds(dst);
}

/** `scalar32_min_max_add` + `scalar_min_max_add` (bounds only, not the tnum). */
export function scalarAddBounds(dst: RegState, src: RegState): void {
  scalar32Add(dst, src);
  scalarAdd(dst, src);
}

export type ScalarOp = 'add' | 'sub' | 'neg' | 'mul' | 'and' | 'or' | 'xor' | 'lsh' | 'rsh' | 'arsh' | 'end' | 'other';

/** `is_safe_to_compute_dst_reg_range`. */
export function isSafeToComputeDstRegRange(op: ScalarOp, alu32: boolean, src: RegState): boolean {
  let srcIsConst: boolean;
  if (alu32) {
    srcIsConst = tnumSubregIsConst(src.varOff) && src.s32min === src.s32max && src.u32min === src.u32max;
  } else {
    srcIsConst = tnumIsConst(src.varOff) && src.smin === src.smax && src.umin === src.umax;
  }
  switch (op) {
    case 'add': case 'sub': case 'neg': case 'and': case 'xor': case 'or': case 'mul': case 'end':
      return true;
    case 'lsh': case 'rsh': case 'arsh':
      return srcIsConst && src.umax < (alu32 ? 32n : 64n);
    default:
      return false;
  }
}

/**
 * Applies `dst = dst OP src` to the bounds of scalar `dst` (the part of
 * `adjust_scalar_min_max_vals` after the safety checks). `src` is not modified.
 */
export function scalarAluBounds(dst: RegState, src: RegState, op: ScalarOp, alu32: boolean): void {
  switch (op) {
    case 'add':
      scalar32Add(dst, src);
      scalarAdd(dst, src);
      dst.varOff = tnumAdd(dst.varOff, src.varOff);
      break;
    case 'sub':
      scalar32Sub(dst, src);
      scalarSub(dst, src);
      dst.varOff = tnumSub(dst.varOff, src.varOff);
      break;
    case 'neg': {
      const old = dst.clone();
      markRegKnown(dst, 0n);
      scalar32Sub(dst, old);
      scalarSub(dst, old);
      dst.varOff = tnumNeg(old.varOff);
      break;
    }
    case 'mul':
      dst.varOff = tnumMul(dst.varOff, src.varOff);
      scalar32Mul(dst, src);
      scalarMul(dst, src);
      break;
    case 'and':
      dst.varOff = tnumAnd(dst.varOff, src.varOff);
      scalar32And(dst, src);
      scalarAnd(dst, src);
      break;
    case 'or':
      dst.varOff = tnumOr(dst.varOff, src.varOff);
      scalar32Or(dst, src);
      scalarOr(dst, src);
      break;
    case 'xor':
      dst.varOff = tnumXor(dst.varOff, src.varOff);
      scalar32Xor(dst, src);
      scalarXor(dst, src);
      break;
    case 'lsh':
      if (alu32) scalar32Lsh(dst, src); else scalarLsh(dst, src);
      break;
    case 'rsh':
      if (alu32) scalar32Rsh(dst, src); else scalarRsh(dst, src);
      break;
    case 'arsh':
      if (alu32) scalar32Arsh(dst, src); else scalarArsh(dst, src);
      break;
    default:
      break;
  }
  if (alu32) zext32To64(dst);
  regBoundsSync(dst);
}

// ---------------------------------------------------------------------------------------
// Truncation and sign extension

/** `coerce_reg_to_size`: zero-extending load of `size` (< 8) bytes. */
export function coerceRegToSize(reg: RegState, size: number): void {
  reg.varOff = tnumCast(reg.varOff, size);
  const mask = (1n << BigInt(size * 8)) - 1n;
  if ((reg.umin & ~mask) === (reg.umax & ~mask)) {
    reg.umin &= mask;
    reg.umax &= mask;
  } else {
    reg.umin = 0n;
    reg.umax = mask;
  }
  reg.smin = reg.umin;
  reg.smax = reg.umax;
  if (size < 4) markReg32Unbounded(reg);
  regBoundsSync(reg);
}

const sextN = (v: bigint, bits: number): bigint => BigInt.asIntN(bits, v);

function setSext64Default(reg: RegState, size: number): void {
  const [lo, hi] = size === 1 ? [-128, 127] : size === 2 ? [-32768, 32767] : [S32_MIN, S32_MAX];
  reg.smin = BigInt(lo); reg.s32min = lo;
  reg.smax = BigInt(hi); reg.s32max = hi;
  reg.umin = 0n; reg.u32min = 0;
  reg.umax = U64_MAX;
  reg.u32max = U32_MAX;
  reg.varOff = TNUM_UNKNOWN;
}

/** `coerce_reg_to_size_sx`: sign-extending load / movsx of `size` bytes into 64 bits. */
export function coerceRegToSizeSx(reg: RegState, size: number): void {
  const bits = size * 8;
  if (tnumIsConst(reg.varOff)) {
    const v = u64(sextN(reg.varOff.value, bits));
    reg.varOff = tnumConst(v);
    reg.smax = reg.smin = s64(v);
    reg.umax = reg.umin = v;
    reg.s32max = reg.s32min = toS32(v);
    reg.u32max = reg.u32min = toU32(v);
    return;
  }
  const nb = BigInt(bits);
  const topSmax = (u64(reg.smax) >> nb) << nb;
  const topSmin = (u64(reg.smin) >> nb) << nb;
  if (topSmax !== topSmin) { setSext64Default(reg, size); return; }
  const initMax = sextN(reg.smax, bits);
  const initMin = sextN(reg.smin, bits);
  const max = initMax > initMin ? initMax : initMin;
  const min = initMax < initMin ? initMax : initMin;
  if ((max >= 0n) === (min >= 0n)) {
    reg.smin = min; reg.s32min = toS32(min);
    reg.smax = max; reg.s32max = toS32(max);
    reg.umin = u64(min); reg.u32min = toU32(min);
    reg.umax = u64(max); reg.u32max = toU32(max);
    reg.varOff = tnumRange(u64(min), u64(max));
    return;
  }
  setSext64Default(reg, size);
}

function setSext32Default(reg: RegState, size: number): void {
  if (size === 1) { reg.s32min = -128; reg.s32max = 127; } else { reg.s32min = -32768; reg.s32max = 32767; }
  reg.u32min = 0;
  reg.u32max = U32_MAX;
  reg.varOff = tnumSubreg(TNUM_UNKNOWN);
}

/** `coerce_subreg_to_size_sx`: 32-bit movsx (`w1 = (s8)w2`). */
export function coerceSubregToSizeSx(reg: RegState, size: number): void {
  const bits = size * 8;
  if (tnumIsConst(reg.varOff)) {
    // The kernel assigns the sign-extended value to a u64 tnum, then to 32-bit fields.
    const v = u64(BigInt(Number(sextN(reg.varOff.value & 0xffff_ffffn, bits))));
    reg.varOff = tnumConst(v);
    reg.s32min = reg.s32max = toS32(v);
    reg.u32min = reg.u32max = toU32(v);
    return;
  }
  const topSmax = (u32(reg.s32max) >>> bits) << bits;
  const topSmin = (u32(reg.s32min) >>> bits) << bits;
  if (topSmax !== topSmin) { setSext32Default(reg, size); return; }
  const initMax = Number(sextN(BigInt(reg.s32max), bits));
  const initMin = Number(sextN(BigInt(reg.s32min), bits));
  const max = Math.max(initMax, initMin);
  const min = Math.min(initMax, initMin);
  if ((min >= 0) === (max >= 0)) {
    reg.s32min = min;
    reg.s32max = max;
    reg.u32min = u32(min);
    reg.u32max = u32(max);
    reg.varOff = tnumSubreg(tnumRange(u64(BigInt(min)), u64(BigInt(max))));
    return;
  }
  setSext32Default(reg, size);
}
