/**
 * Soundness of the tnum operations: for any concrete members of the inputs, the concrete
 * result is a member of the abstract result. Inputs are random tnums, biased towards the
 * shapes programs produce (small masks, masks at the top, sign bits set).
 */
import { describe, expect, it } from 'vitest';
import {
  tnum, tnumAdd, tnumAnd, tnumArshift, tnumBswap16, tnumBswap32, tnumBswap64, tnumCast, tnumConst, tnumContains,
  tnumIntersect, tnumLshift, tnumMul, tnumNeg, tnumOr, tnumRange, tnumRshift, tnumStr, tnumSub, tnumUnion, tnumXor,
  tnumSubreg, tnumClearSubreg, tnumStep, u64, type Tnum, U64_MAX,
} from './tnum';

/** xorshift64*: deterministic, so a failure reproduces. */
export function rng(seed: bigint): () => bigint {
  let x = seed || 1n;
  return () => {
    x ^= x >> 12n;
    x ^= (x << 25n) & U64_MAX;
    x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & U64_MAX;
  };
}

const next = rng(0x9e3779b97f4a7c15n);

function randomMask(): bigint {
  switch (Number(next() % 6n)) {
    case 0: return 0n;
    case 1: return next() & 0xffn;
    case 2: return next() & ((1n << BigInt(Number(next() % 64n))) - 1n);
    case 3: return next() & (U64_MAX << BigInt(Number(next() % 64n))) & U64_MAX;
    case 4: return next() & next();
    default: return next();
  }
}

function randomTnum(): Tnum {
  const mask = randomMask();
  return tnum(next() & ~mask & U64_MAX, mask);
}

/** A random member of `t`; the extremes now and then. */
function member(t: Tnum): bigint {
  switch (Number(next() % 4n)) {
    case 0: return t.value;
    case 1: return t.value | t.mask;
    default: return t.value | (next() & t.mask);
  }
}

const N = 3000;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

function checkBinary(name: string, abs: (a: Tnum, b: Tnum) => Tnum, conc: (x: bigint, y: bigint) => bigint): void {
  it(`${name} is sound`, () => {
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const b = randomTnum();
      const r = abs(a, b);
      for (let k = 0; k < 4; k++) {
        const x = member(a);
        const y = member(b);
        const z = u64(conc(x, y));
        if (!tnumContains(r, z)) {
          throw new Error(`${name}(${tnumStr(a)}, ${tnumStr(b)}) = ${tnumStr(r)} misses ${x} op ${y} = ${z}`);
        }
      }
    }
  });
}

describe('tnum', () => {
  checkBinary('add', tnumAdd, (x, y) => x + y);
  checkBinary('sub', tnumSub, (x, y) => x - y);
  checkBinary('and', tnumAnd, (x, y) => x & y);
  checkBinary('or', tnumOr, (x, y) => x | y);
  checkBinary('xor', tnumXor, (x, y) => x ^ y);
  checkBinary('mul', tnumMul, (x, y) => x * y);
  checkBinary('union', (a, b) => tnumUnion(a, b), (x, y) => (next() & 1n ? x : y));

  it('neg is sound', () => {
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const r = tnumNeg(a);
      const x = member(a);
      expect(tnumContains(r, u64(-x))).toBe(true);
    }
  });

  it('shifts are sound', () => {
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const sh = Number(next() % 64n);
      const x = member(a);
      expect(tnumContains(tnumLshift(a, sh), u64(x << BigInt(sh)))).toBe(true);
      expect(tnumContains(tnumRshift(a, sh), x >> BigInt(sh))).toBe(true);
      expect(tnumContains(tnumArshift(a, sh, 64), u64(s64(x) >> BigInt(sh)))).toBe(true);
      // 32-bit arithmetic shift works on the low half, sign-extended from bit 31
      const sh32 = sh % 32;
      const a32 = tnumSubreg(a);
      const x32 = member(a32);
      const want = BigInt.asUintN(32, BigInt.asIntN(32, x32) >> BigInt(sh32));
      expect(tnumContains(tnumSubreg(tnumArshift(a32, sh32, 32)), want)).toBe(true);
    }
  });

  it('cast, subreg and clear_subreg keep members', () => {
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const x = member(a);
      for (const size of [1, 2, 4]) expect(tnumContains(tnumCast(a, size), x & ((1n << BigInt(8 * size)) - 1n))).toBe(true);
      expect(tnumContains(tnumSubreg(a), x & 0xffff_ffffn)).toBe(true);
      expect(tnumContains(tnumClearSubreg(a), x & ~0xffff_ffffn & U64_MAX)).toBe(true);
    }
  });

  it('byte swaps keep members', () => {
    const swab = (v: bigint, n: number): bigint => {
      let out = 0n;
      for (let i = 0; i < n; i++) out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
      return out;
    };
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const x = member(a);
      expect(tnumContains(tnumBswap16(a), swab(x, 2))).toBe(true);
      expect(tnumContains(tnumBswap32(a), swab(x, 4))).toBe(true);
      expect(tnumContains(tnumBswap64(a), swab(x, 8))).toBe(true);
    }
  });

  it('range covers its interval', () => {
    for (let i = 0; i < N; i++) {
      let lo = next() >> BigInt(Number(next() % 64n));
      let hi = next() >> BigInt(Number(next() % 64n));
      if (lo > hi) [lo, hi] = [hi, lo];
      const r = tnumRange(lo, hi);
      for (const v of [lo, hi, lo + (hi - lo) / 2n]) expect(tnumContains(r, v)).toBe(true);
    }
  });

  it('intersect keeps common members', () => {
    for (let i = 0; i < N; i++) {
      const a = randomTnum();
      const x = member(a);
      // b: another tnum that also contains x
      const mask = randomMask();
      const b = tnum(x & ~mask & U64_MAX, mask);
      expect(tnumContains(tnumIntersect(a, b), x)).toBe(true);
    }
  });

  it('step finds the next member', () => {
    for (let i = 0; i < N; i++) {
      const t = randomTnum();
      const tmax = t.value | t.mask;
      const z = member(t) ^ (next() & 0xfn);
      const n = tnumStep(t, z);
      expect(tnumContains(t, n)).toBe(true);
      if (z < t.value) expect(n).toBe(t.value);
      else if (z >= tmax) expect(n).toBe(tmax);
      else {
        expect(n > z).toBe(true);
        // nothing of t lies strictly between z and n (checked on the low bits that vary)
        for (let d = 1n; d < 16n && z + d < n; d++) expect(tnumContains(t, z + d)).toBe(false);
      }
    }
  });

  it('is exact on constants', () => {
    for (let i = 0; i < 500; i++) {
      const x = next();
      const y = next();
      expect(tnumAdd(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x + y));
      expect(tnumMul(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x * y));
      expect(tnumXor(tnumConst(x), tnumConst(y))).toEqual(tnumConst(x ^ y));
    }
  });

  it('prints like the kernel', () => {
    expect(tnumStr(tnum(0n, 0xffn))).toBe('(0x0; 0xff)');
    expect(tnumStr(tnum(0xffffff80n, 0x7fn))).toBe('(0xffffff80; 0x7f)');
  });
});
