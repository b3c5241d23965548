/**
 * Register states: what the verifier knows about one register (or one spilled stack
 * slot), as the kernel's `struct bpf_reg_state` (include/linux/bpf_verifier.h) holds it.
 *
 * A register has a base type (scalar, one of the pointer kinds, or NOT_INIT) plus type
 * flags (`PTR_MAYBE_NULL`, `MEM_RDONLY`, `MEM_RINGBUF`, ...), a fixed offset `off`, a
 * variable part described by a tnum and by signed/unsigned 64- and 32-bit bounds, and
 * the ids that tie copies of one value together (null checks, references).
 */
import {
  TNUM_UNKNOWN, tnumConst, tnumConstSubreg, tnumIsConst, tnumIntersect, tnumRange, tnumSubreg,
  tnumOr, tnumClearSubreg, tnumStep, u64, s64, U64_MAX, type Tnum,
} from './tnum';

// ---------------------------------------------------------------------------------------
// Types (enum bpf_reg_type) and flags (enum bpf_type_flag)

export const NOT_INIT = 0;
export const SCALAR_VALUE = 1;
export const PTR_TO_CTX = 2;
export const CONST_PTR_TO_MAP = 3;
export const PTR_TO_MAP_VALUE = 4;
export const PTR_TO_MAP_KEY = 5;
export const PTR_TO_STACK = 6;
export const PTR_TO_PACKET_META = 7;
export const PTR_TO_PACKET = 8;
export const PTR_TO_PACKET_END = 9;
export const PTR_TO_FLOW_KEYS = 10;
export const PTR_TO_SOCKET = 11;
export const PTR_TO_SOCK_COMMON = 12;
export const PTR_TO_TCP_SOCK = 13;
export const PTR_TO_TP_BUFFER = 14;
export const PTR_TO_XDP_SOCK = 15;
export const PTR_TO_BTF_ID = 16;
export const PTR_TO_MEM = 17;
export const PTR_TO_ARENA = 18;
export const PTR_TO_BUF = 19;
export const PTR_TO_FUNC = 20;
export const CONST_PTR_TO_DYNPTR = 21;

export const BASE_TYPE_MASK = 0xff;
export const PTR_MAYBE_NULL = 1 << 8;
export const MEM_RDONLY = 1 << 9;
export const MEM_RINGBUF = 1 << 10;
export const MEM_USER = 1 << 11;
export const MEM_PERCPU = 1 << 12;
export const OBJ_RELEASE = 1 << 13;
export const PTR_UNTRUSTED = 1 << 14;
export const MEM_UNINIT = 1 << 15;
export const DYNPTR_TYPE_LOCAL = 1 << 16;
export const DYNPTR_TYPE_RINGBUF = 1 << 17;
export const MEM_FIXED_SIZE = 1 << 18;
export const MEM_ALLOC = 1 << 19;
export const PTR_TRUSTED = 1 << 20;
export const MEM_RCU = 1 << 21;
export const NON_OWN_REF = 1 << 22;
export const DYNPTR_TYPE_SKB = 1 << 23;
export const DYNPTR_TYPE_XDP = 1 << 24;
export const MEM_ALIGNED = 1 << 25;
export const MEM_WRITE = 1 << 26;

export const baseType = (t: number): number => t & BASE_TYPE_MASK;
export const typeFlags = (t: number): number => t & ~BASE_TYPE_MASK;
export const typeMayBeNull = (t: number): boolean => (t & PTR_MAYBE_NULL) !== 0;

/** Register names (`reg_type_str`'s table, kernel/bpf/log.c). */
const TYPE_NAMES: readonly string[] = [
  '?', 'scalar', 'ctx', 'map_ptr', 'map_value', 'map_key', 'fp', 'pkt_meta', 'pkt', 'pkt_end',
  'flow_keys', 'sock', 'sock_common', 'tcp_sock', 'tp_buffer', 'xdp_sock', 'ptr_', 'mem', 'arena',
  'buf', 'func', 'dynptr_ptr',
];

/** The kernel's `reg_type_str()`: prefixes for flags, `_or_null` suffix. */
export function regTypeStr(t: number): string {
  let prefix = '';
  if (t & MEM_RDONLY) prefix += 'rdonly_';
  if (t & MEM_RINGBUF) prefix += 'ringbuf_';
  if (t & MEM_USER) prefix += 'user_';
  if (t & MEM_PERCPU) prefix += 'percpu_';
  if (t & MEM_RCU) prefix += 'rcu_';
  if (t & PTR_UNTRUSTED) prefix += 'untrusted_';
  if (t & PTR_TRUSTED) prefix += 'trusted_';
  let postfix = '';
  if (t & PTR_MAYBE_NULL) postfix = baseType(t) === PTR_TO_BTF_ID ? 'or_null_' : '_or_null';
  return `${prefix}${TYPE_NAMES[baseType(t)] ?? '?'}${postfix}`;
}

// ---------------------------------------------------------------------------------------
// Numeric helpers

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const S32_MIN = -0x8000_0000;
export const S32_MAX = 0x7fff_ffff;
export const U32_MAX = 0xffff_ffff;

/** (s32) of a 64-bit value. */
export const toS32 = (x: bigint): number => Number(BigInt.asIntN(32, x));
/** (u32) of a 64-bit value. */
export const toU32 = (x: bigint): number => Number(BigInt.asUintN(32, x));
export const s32 = (x: number): number => x | 0;
export const u32 = (x: number): number => x >>> 0;

/**
 * `id` flags marking a scalar that is `(linked register) + const` (the const in `off`):
 * after a 64-bit `rX += c` / `rX -= c`, or a 32-bit one whose result is zero-extended.
 */
export const BPF_ADD_CONST64 = 0x8000_0000;
export const BPF_ADD_CONST32 = 0x4000_0000;
export const BPF_ADD_CONST = 0xc000_0000;

// ---------------------------------------------------------------------------------------
// The register state

export class RegState {
  type = NOT_INIT;
  /** Fixed offset of a pointer (s32); for `BPF_ADD_CONST` scalars, the added delta. */
  off = 0;
  // --- the kernel's `raw` union: cleared together by `clearRaw()`
  /** Packet pointers: bytes known to be in bounds after `off` (AT_PKT_END = -1, BEYOND_PKT_END = -2). */
  range = 0;
  /** Map pointers and map values/keys: index into the program's maps (-1: none). */
  map = -1;
  mapUid = 0;
  /** PTR_TO_MEM: accessible size. */
  memSize = 0;
  /** PTR_TO_FUNC: the subprogram. */
  subprogno = 0;
  /** PTR_TO_BTF_ID: the struct name, for printing (`ptr_task_struct`). */
  btfName = '';
  // ---
  varOff: Tnum = TNUM_UNKNOWN;
  smin = S64_MIN;
  smax = S64_MAX;
  umin = 0n;
  umax = U64_MAX;
  s32min = S32_MIN;
  s32max = S32_MAX;
  u32min = 0;
  u32max = U32_MAX;
  id = 0;
  refObjId = 0;
  frameno = 0;
  subregDef = 0;
  precise = false;

  clone(): RegState {
    const r = new RegState();
    r.copyFrom(this);
    return r;
  }

  copyFrom(o: RegState): void {
    this.type = o.type; this.off = o.off;
    this.range = o.range; this.map = o.map; this.mapUid = o.mapUid; this.memSize = o.memSize;
    this.subprogno = o.subprogno; this.btfName = o.btfName;
    this.varOff = o.varOff;
    this.smin = o.smin; this.smax = o.smax; this.umin = o.umin; this.umax = o.umax;
    this.s32min = o.s32min; this.s32max = o.s32max; this.u32min = o.u32min; this.u32max = o.u32max;
    this.id = o.id; this.refObjId = o.refObjId; this.frameno = o.frameno;
    this.subregDef = o.subregDef; this.precise = o.precise;
  }

  clearRaw(): void {
    this.range = 0; this.map = -1; this.mapUid = 0; this.memSize = 0; this.subprogno = 0; this.btfName = '';
  }

  /** Copies the `raw` union (pointer identity) from another register. */
  copyRaw(o: RegState): void {
    this.range = o.range; this.map = o.map; this.mapUid = o.mapUid; this.memSize = o.memSize;
    this.subprogno = o.subprogno; this.btfName = o.btfName;
  }
}

// ---------------------------------------------------------------------------------------
// Marking (kernel: ___mark_reg_known and friends)

/** Sets all bounds and the tnum to the constant `imm` (does not touch ids). */
export function setKnownBounds(reg: RegState, imm: bigint): void {
  const v = u64(imm);
  reg.varOff = tnumConst(v);
  reg.smin = s64(v);
  reg.smax = s64(v);
  reg.umin = v;
  reg.umax = v;
  reg.s32min = toS32(v);
  reg.s32max = toS32(v);
  reg.u32min = toU32(v);
  reg.u32max = toU32(v);
}

/** `__mark_reg_known`: the variable part is the constant `imm`; off, raw and ids cleared. */
export function markRegKnown(reg: RegState, imm: bigint): void {
  reg.off = 0;
  reg.clearRaw();
  reg.id = 0;
  reg.refObjId = 0;
  setKnownBounds(reg, imm);
}

export function markReg32Known(reg: RegState, imm: number): void {
  reg.varOff = tnumConstSubreg(reg.varOff, imm);
  reg.s32min = s32(imm);
  reg.s32max = s32(imm);
  reg.u32min = u32(imm);
  reg.u32max = u32(imm);
}

export const markRegKnownZero = (reg: RegState): void => markRegKnown(reg, 0n);

export function markRegUnbounded(reg: RegState): void {
  markReg64Unbounded(reg);
  markReg32Unbounded(reg);
}

export function markReg64Unbounded(reg: RegState): void {
  reg.smin = S64_MIN;
  reg.smax = S64_MAX;
  reg.umin = 0n;
  reg.umax = U64_MAX;
}

export function markReg32Unbounded(reg: RegState): void {
  reg.s32min = S32_MIN;
  reg.s32max = S32_MAX;
  reg.u32min = 0;
  reg.u32max = U32_MAX;
}

/** `__mark_reg_unknown_imprecise`: an unknown scalar. */
export function markRegUnknownImprecise(reg: RegState): void {
  reg.type = SCALAR_VALUE;
  reg.off = 0;
  reg.clearRaw();
  reg.id = 0;
  reg.refObjId = 0;
  reg.varOff = TNUM_UNKNOWN;
  reg.frameno = 0;
  reg.precise = false;
  markRegUnbounded(reg);
}

/** `__mark_reg_unknown`: unknown scalar, precise when unprivileged. */
export function markRegUnknown(reg: RegState, bpfCapable: boolean): void {
  markRegUnknownImprecise(reg);
  reg.precise = !bpfCapable;
}

/** `__mark_reg_not_init`. */
export function markRegNotInit(reg: RegState, bpfCapable: boolean): void {
  markRegUnknown(reg, bpfCapable);
  reg.type = NOT_INIT;
}

/** `__mark_reg_const_zero`: scalar 0 (precise when unprivileged). */
export function markRegConstZero(reg: RegState, bpfCapable: boolean): void {
  markRegKnown(reg, 0n);
  reg.type = SCALAR_VALUE;
  reg.precise = !bpfCapable;
}

// ---------------------------------------------------------------------------------------
// Bounds deduction (kernel: __update_reg_bounds, __reg_deduce_bounds, reg_bounds_sync)

const maxS32 = (a: number, b: number): number => (a > b ? a : b);
const minS32 = (a: number, b: number): number => (a < b ? a : b);
const maxB = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const minB = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export function updateReg32Bounds(reg: RegState): void {
  const v = Number(reg.varOff.value & 0xffff_ffffn);
  const m = Number(reg.varOff.mask & 0xffff_ffffn);
  // min signed: sign bit set if it may be | min of the other bits
  reg.s32min = maxS32(reg.s32min, s32(v | (m & 0x8000_0000)));
  reg.s32max = minS32(reg.s32max, s32(v | (m & 0x7fff_ffff)));
  reg.u32min = Math.max(reg.u32min, v);
  reg.u32max = Math.min(reg.u32max, u32(v | m));
}

export function updateReg64Bounds(reg: RegState): void {
  const { value: v, mask: m } = reg.varOff;
  reg.smin = maxB(reg.smin, s64(v | (m & (1n << 63n))));
  reg.smax = minB(reg.smax, s64(v | (m & S64_MAX)));
  reg.umin = maxB(reg.umin, v);
  reg.umax = minB(reg.umax, v | m);
  // 6.18.44: when the u64 range and the tnum share a single value, the register is that
  // constant (checked on the umin, tmax and the next member after umin)
  const next = tnumStep(reg.varOff, reg.umin);
  const uminInTnum = (reg.umin & ~m & U64_MAX) === v;
  const tmax = v | m;
  if (uminInTnum && next > reg.umax) setKnownBounds(reg, reg.umin);
  else if (!uminInTnum && next === tmax) setKnownBounds(reg, tmax);
  else if (!uminInTnum && next <= reg.umax && tnumStep(reg.varOff, next) > reg.umax) setKnownBounds(reg, next);
}

export function updateRegBounds(reg: RegState): void {
  updateReg32Bounds(reg);
  updateReg64Bounds(reg);
}

function reg32DeduceBounds(reg: RegState): void {
  // the 64-bit bounds do not change here: project them once
  const uminHi = reg.umin >> 32n;
  const umaxHi = reg.umax >> 32n;
  const sminHi = reg.smin >> 32n;
  const smaxHi = reg.smax >> 32n;
  const uminLo = Number(reg.umin & 0xffff_ffffn);
  const umaxLo = Number(reg.umax & 0xffff_ffffn);
  const sminLo = Number(reg.smin & 0xffff_ffffn);
  const smaxLo = Number(reg.smax & 0xffff_ffffn);
  // Upper 32 bits equal over the whole u64 range: the low halves form a range.
  if (uminHi === umaxHi) {
    reg.u32min = Math.max(reg.u32min, uminLo);
    reg.u32max = Math.min(reg.u32max, umaxLo);
    if ((uminLo | 0) <= (umaxLo | 0)) {
      reg.s32min = Math.max(reg.s32min, uminLo | 0);
      reg.s32max = Math.min(reg.s32max, umaxLo | 0);
    }
  }
  if (sminHi === smaxHi) {
    if (sminLo <= smaxLo) {
      reg.u32min = Math.max(reg.u32min, sminLo);
      reg.u32max = Math.min(reg.u32max, smaxLo);
    }
    if ((sminLo | 0) <= (smaxLo | 0)) {
      reg.s32min = Math.max(reg.s32min, sminLo | 0);
      reg.s32max = Math.min(reg.s32max, smaxLo | 0);
    }
  }
  // Upper halves two consecutive values, low halves crossing from negative to positive.
  if (u32(Number(BigInt.asUintN(32, uminHi)) + 1) === Number(BigInt.asUintN(32, umaxHi)) && (uminLo | 0) < 0 && (umaxLo | 0) >= 0) {
    reg.s32min = Math.max(reg.s32min, uminLo | 0);
    reg.s32max = Math.min(reg.s32max, umaxLo | 0);
  }
  if (u32(Number(BigInt.asUintN(32, sminHi)) + 1) === Number(BigInt.asUintN(32, smaxHi)) && (sminLo | 0) < 0 && (smaxLo | 0) >= 0) {
    reg.s32min = Math.max(reg.s32min, sminLo | 0);
    reg.s32max = Math.min(reg.s32max, smaxLo | 0);
  }
  // u32 range not crossing the sign bit is an s32 range.
  if (s32(reg.u32min) <= s32(reg.u32max)) {
    reg.s32min = Math.max(reg.s32min, s32(reg.u32min));
    reg.s32max = Math.min(reg.s32max, s32(reg.u32max));
  }
  // s32 range not crossing the sign boundary is a u32 range.
  if (u32(reg.s32min) <= u32(reg.s32max)) {
    reg.u32min = Math.max(u32(reg.s32min), reg.u32min);
    reg.u32max = Math.min(u32(reg.s32max), reg.u32max);
  } else if (reg.u32max < u32(reg.s32min)) {
    // the s32 range wraps the u32 domain and the u32 range meets only its low end
    reg.s32min = s32(reg.u32min);
    reg.u32max = Math.min(reg.u32max, u32(reg.s32max));
  } else if (u32(reg.s32max) < reg.u32min) {
    // ... or only its high end
    reg.s32max = s32(reg.u32max);
    reg.u32min = Math.max(reg.u32min, u32(reg.s32min));
  }
}

function reg64DeduceBounds(reg: RegState): void {
  if (s64(reg.umin) <= s64(reg.umax)) {
    reg.smin = maxB(reg.smin, s64(reg.umin));
    reg.smax = minB(reg.smax, s64(reg.umax));
  }
  if (u64(reg.smin) <= u64(reg.smax)) {
    reg.umin = maxB(u64(reg.smin), reg.umin);
    reg.umax = minB(u64(reg.smax), reg.umax);
  } else {
    // The s64 range wraps the u64 domain: learn if the u64 range meets only one end.
    if (reg.umax < u64(reg.smin)) {
      reg.smin = s64(reg.umin);
      reg.umax = minB(reg.umax, u64(reg.smax));
    } else if (u64(reg.smax) < reg.umin) {
      reg.smax = s64(reg.umax);
      reg.umin = maxB(reg.umin, u64(reg.smin));
    }
  }
}

const LOW32 = 0xffff_ffffn;
const S32_MIN_N = BigInt(-0x8000_0000);
const S32_MAX_N = BigInt(0x7fff_ffff);

function regDeduceMixedBounds(reg: RegState): void {
  // the 64-bit bounds with their low halves replaced by the u32 bounds
  const lo = BigInt(reg.u32min);
  const hi = BigInt(reg.u32max);
  const newUmin = reg.umin - (reg.umin & LOW32) + lo;
  const newUmax = reg.umax - (reg.umax & LOW32) + hi;
  if (newUmin > reg.umin) reg.umin = newUmin;
  if (newUmax < reg.umax) reg.umax = newUmax;
  const newSmin = reg.smin - (reg.smin & LOW32) + lo;
  const newSmax = reg.smax - (reg.smax & LOW32) + hi;
  if (newSmin > reg.smin) reg.smin = newSmin;
  if (newSmax < reg.smax) reg.smax = newSmax;
  // After a sign-extending load: upper bits all 0s or all 1s, low half non-negative.
  if (reg.s32min >= 0 && reg.smin >= S32_MIN_N && reg.smax <= S32_MAX_N) {
    reg.smin = BigInt(reg.s32min);
    reg.smax = BigInt(reg.s32max);
    reg.umin = reg.smin;
    reg.umax = reg.smax;
    reg.varOff = tnumIntersect(reg.varOff, tnumRange(reg.smin, reg.smax));
  }
}

export function regDeduceBounds(reg: RegState): void {
  reg32DeduceBounds(reg);
  reg64DeduceBounds(reg);
  regDeduceMixedBounds(reg);
}

/** `__reg_bound_offset`: learn tnum bits from the unsigned bounds. */
export function regBoundOffset(reg: RegState): void {
  const var64 = tnumIntersect(reg.varOff, tnumRange(reg.umin, reg.umax));
  const var32 = tnumIntersect(tnumSubreg(var64), tnumRange(BigInt(reg.u32min), BigInt(reg.u32max)));
  reg.varOff = tnumOr(tnumClearSubreg(var64), var32);
}

/** `reg_bounds_sync`. */
export function regBoundsSync(reg: RegState): void {
  // fast path: a known constant whose bounds already say so stays as it is
  if (reg.varOff.mask === 0n) {
    const v = reg.varOff.value;
    if (reg.umin === v && reg.umax === v && reg.smin === s64(v) && reg.smax === reg.smin) {
      const lo = Number(v & 0xffff_ffffn);
      if (reg.u32min === lo && reg.u32max === lo && reg.s32min === (lo | 0) && reg.s32max === (lo | 0)) return;
    }
  }
  updateRegBounds(reg);
  regDeduceBounds(reg);
  regDeduceBounds(reg);
  regDeduceBounds(reg);
  regBoundOffset(reg);
  updateRegBounds(reg);
}

/**
 * `reg_bounds_sanity_check`: on violation the kernel logs a "verifier bug" line and,
 * unless BPF_F_TEST_REG_INVARIANTS, marks the register unbounded. Returns the problem.
 */
export function regBoundsSanityProblem(reg: RegState): string | null {
  if (reg.umin > reg.umax || reg.smin > reg.smax || reg.u32min > reg.u32max || reg.s32min > reg.s32max) {
    return 'range bounds violation';
  }
  if (tnumIsConst(reg.varOff)) {
    const uval = reg.varOff.value;
    const sval = s64(uval);
    if (reg.umin !== uval || reg.umax !== uval || reg.smin !== sval || reg.smax !== sval) {
      return 'const tnum out of sync with range bounds';
    }
  }
  if ((reg.varOff.mask & 0xffff_ffffn) === 0n) {
    const uval32 = Number(reg.varOff.value & 0xffff_ffffn);
    if (reg.u32min !== uval32 || reg.u32max !== uval32 || reg.s32min !== s32(uval32) || reg.s32max !== s32(uval32)) {
      return 'const subreg tnum out of sync with range bounds';
    }
  }
  return null;
}

/** `__reg_assign_32_into_64`. */
export function regAssign32Into64(reg: RegState): void {
  reg.umin = BigInt(reg.u32min);
  reg.umax = BigInt(reg.u32max);
  if (reg.s32min >= 0 && reg.s32max >= 0) {
    reg.smin = BigInt(reg.s32min);
    reg.smax = BigInt(reg.s32max);
  } else {
    reg.smin = 0n;
    reg.smax = BigInt(U32_MAX);
  }
}

/** `zext_32_to_64`: 32-bit results are zero-extended. */
export function zext32To64(reg: RegState): void {
  reg.varOff = tnumSubreg(reg.varOff);
  regAssign32Into64(reg);
}

export const isRegConst = (reg: RegState, subreg32: boolean): boolean =>
  reg.type === SCALAR_VALUE && tnumIsConst(subreg32 ? tnumSubreg(reg.varOff) : reg.varOff);

export const regConstValue = (reg: RegState, subreg32: boolean): bigint =>
  subreg32 ? reg.varOff.value & 0xffff_ffffn : reg.varOff.value;

/** A scalar known to be zero. */
export const registerIsNull = (reg: RegState): boolean =>
  reg.type === SCALAR_VALUE && reg.varOff.mask === 0n && reg.varOff.value === 0n;
