/**
 * Tracked numbers ("tnums"): what is known about the bits of a 64-bit value.
 *
 * A tnum is a pair (value, mask): a bit set in `mask` is unknown; a bit clear in `mask`
 * is known and equals the corresponding bit of `value` (which is 0 where mask is 1).
 * The operations follow the kernel's `kernel/bpf/tnum.c` (6.18), so that the abstract
 * results, and therefore the verifier log's `var_off=(0x0; 0xff)` text, are the kernel's.
 *
 * Values are unsigned 64-bit bigints in [0, 2^64).
 */

export interface Tnum {
  readonly value: bigint;
  readonly mask: bigint;
}

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
export const U32_MAX_N = 0xffff_ffffn;
const SIGN64 = 1n << 63n;

/** Truncates to an unsigned 64-bit value. */
export const u64 = (x: bigint): bigint => x & U64_MAX;
/** Reinterprets an unsigned 64-bit value as signed. */
export const s64 = (x: bigint): bigint => ((x & SIGN64) !== 0n ? (x & U64_MAX) - (1n << 64n) : x & U64_MAX);

export const tnum = (value: bigint, mask: bigint): Tnum => ({ value, mask });
export const TNUM_UNKNOWN: Tnum = tnum(0n, U64_MAX);
export const TNUM_ZERO: Tnum = tnum(0n, 0n);

export const tnumConst = (v: bigint): Tnum => tnum(u64(v), 0n);

/** Number of significant bits (`fls64`). */
function fls64(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** The smallest tnum containing every value in [min, max] (unsigned). */
export function tnumRange(min: bigint, max: bigint): Tnum {
  const chi = min ^ max;
  const bits = fls64(chi);
  // 1 << 64 would not fit: everything is unknown then.
  if (bits > 63) return TNUM_UNKNOWN;
  const delta = (1n << BigInt(bits)) - 1n;
  return tnum(min & ~delta & U64_MAX, delta);
}

export const tnumLshift = (a: Tnum, shift: number): Tnum =>
  tnum(u64(a.value << BigInt(shift)), u64(a.mask << BigInt(shift)));

export const tnumRshift = (a: Tnum, shift: number): Tnum =>
  tnum(a.value >> BigInt(shift), a.mask >> BigInt(shift));

/** Arithmetic right shift by the minimum shift amount, in 32- or 64-bit arithmetic. */
export function tnumArshift(a: Tnum, minShift: number, insnBitness: 32 | 64): Tnum {
  if (insnBitness === 32) {
    const v = (Number(a.value & U32_MAX_N) | 0) >> minShift;
    const m = (Number(a.mask & U32_MAX_N) | 0) >> minShift;
    return tnum(BigInt(v >>> 0), BigInt(m >>> 0));
  }
  const sh = BigInt(minShift);
  return tnum(u64(s64(a.value) >> sh), u64(s64(a.mask) >> sh));
}

export function tnumAdd(a: Tnum, b: Tnum): Tnum {
  const sm = u64(a.mask + b.mask);
  const sv = u64(a.value + b.value);
  const sigma = u64(sm + sv);
  const chi = sigma ^ sv;
  const mu = chi | a.mask | b.mask;
  return tnum(sv & ~mu & U64_MAX, mu);
}

export function tnumSub(a: Tnum, b: Tnum): Tnum {
  const dv = u64(a.value - b.value);
  const alpha = u64(dv + a.mask);
  const beta = u64(dv - b.mask);
  const chi = alpha ^ beta;
  const mu = chi | a.mask | b.mask;
  return tnum(dv & ~mu & U64_MAX, mu);
}

export const tnumNeg = (a: Tnum): Tnum => tnumSub(TNUM_ZERO, a);

export function tnumAnd(a: Tnum, b: Tnum): Tnum {
  const alpha = a.value | a.mask;
  const beta = b.value | b.mask;
  const v = a.value & b.value;
  return tnum(v, alpha & beta & ~v & U64_MAX);
}

export function tnumOr(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask | b.mask;
  return tnum(v, mu & ~v & U64_MAX);
}

export function tnumXor(a: Tnum, b: Tnum): Tnum {
  const v = a.value ^ b.value;
  const mu = a.mask | b.mask;
  return tnum(v & ~mu & U64_MAX, mu);
}

/**
 * Long multiplication over the bits of `a`: a known 1 adds `b`, an unknown bit takes
 * the union of adding and not adding it.
 */
export function tnumMul(a: Tnum, b: Tnum): Tnum {
  let acc = TNUM_ZERO;
  while (a.value !== 0n || a.mask !== 0n) {
    if (a.value & 1n) acc = tnumAdd(acc, b);
    else if (a.mask & 1n) acc = tnumUnion(acc, tnumAdd(acc, b));
    a = tnumRshift(a, 1);
    b = tnumLshift(b, 1);
  }
  return acc;
}

/** Can the two tnums hold a common value? */
export function tnumOverlap(a: Tnum, b: Tnum): boolean {
  const mu = ~a.mask & ~b.mask & U64_MAX;
  return (a.value & mu) === (b.value & mu);
}

/** Values in both (where they disagree on a known bit, the result says 1). */
export function tnumIntersect(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask & b.mask;
  return tnum(v & ~mu & U64_MAX, mu);
}

/** The smallest tnum containing both. */
export function tnumUnion(a: Tnum, b: Tnum): Tnum {
  const v = a.value & b.value;
  const mu = (a.value ^ b.value) | a.mask | b.mask;
  return tnum(v & ~mu & U64_MAX, mu);
}

/** Keeps the low `size` bytes. */
export function tnumCast(a: Tnum, size: number): Tnum {
  const m = size >= 8 ? U64_MAX : (1n << BigInt(size * 8)) - 1n;
  return tnum(a.value & m, a.mask & m);
}

export function tnumIsAligned(a: Tnum, size: bigint): boolean {
  if (size === 0n) return true;
  return ((a.value | a.mask) & (size - 1n)) === 0n;
}

/** Is every value of `b` a value of `a`? */
export function tnumIn(a: Tnum, b: Tnum): boolean {
  if (b.mask & ~a.mask) return false;
  return a.value === (b.value & ~a.mask);
}

export const tnumIsConst = (a: Tnum): boolean => a.mask === 0n;
export const tnumEqualsConst = (a: Tnum, b: bigint): boolean => a.mask === 0n && a.value === b;
export const tnumIsUnknown = (a: Tnum): boolean => a.mask === U64_MAX;
export const tnumEq = (a: Tnum, b: Tnum): boolean => a.value === b.value && a.mask === b.mask;

export const tnumSubreg = (a: Tnum): Tnum => tnumCast(a, 4);
export const tnumClearSubreg = (a: Tnum): Tnum => tnumLshift(tnumRshift(a, 32), 32);
export const tnumWithSubreg = (reg: Tnum, subreg: Tnum): Tnum => tnumOr(tnumClearSubreg(reg), tnumSubreg(subreg));
export const tnumConstSubreg = (a: Tnum, value: number): Tnum => tnumWithSubreg(a, tnumConst(BigInt(value >>> 0)));
export const tnumSubregIsConst = (a: Tnum): boolean => (a.mask & U32_MAX_N) === 0n;

/** `(0x0; 0xff)` or a constant (decimal up to 65535, else hex), as the kernel's `tnum_strn`. */
export function tnumStr(a: Tnum): string {
  if (a.mask === 0n) return a.value <= 0xffffn ? a.value.toString() : hex(a.value);
  return `(${hex(a.value)}; ${hex(a.mask)})`;
}

/** The kernel's `%#llx` (its vsnprintf prints `0x0` for zero, unlike glibc). */
export const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Does the tnum contain the concrete value? (for tests) */
export const tnumContains = (a: Tnum, v: bigint): boolean => (u64(v) & ~a.mask & U64_MAX) === a.value;

/** Reverses the byte order of the low `bytes` bytes of `x`. */
function swab(x: bigint, bytes: number): bigint {
  let out = 0n;
  for (let i = 0; i < bytes; i++) out = (out << 8n) | ((x >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** `tnum_bswap16/32/64`: byte-swap known bits and unknown bits alike (upper bytes become 0). */
export const tnumBswap16 = (a: Tnum): Tnum => ({ value: swab(a.value, 2), mask: swab(a.mask, 2) });
export const tnumBswap32 = (a: Tnum): Tnum => ({ value: swab(a.value, 4), mask: swab(a.mask, 4) });
export const tnumBswap64 = (a: Tnum): Tnum => ({ value: swab(a.value, 8), mask: swab(a.mask, 8) });


/**
 * `tnum_step`: the smallest member of `t` greater than `z` (for `t.value <= z < tmax`);
 * `t.value` below the range, `tmax` at or above it.
 */
export function tnumStep(t: Tnum, z: bigint): bigint {
  const tmax = t.value | t.mask;
  if (z >= tmax) return tmax;
  if (z < t.value) return t.value;
  const d = z - t.value;
  const carryMask = ((1n << BigInt(fls64(d & ~t.mask & U64_MAX))) - 1n) & U64_MAX;
  const filled = d | carryMask | (~t.mask & U64_MAX);
  const inc = ((filled + 1n) & U64_MAX) & t.mask;
  return t.value | inc;
}
