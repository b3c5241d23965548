/**
 * Soundness of the scalar bounds (s64/u64/s32/u32 + tnum) through ALU operations,
 * truncation and branch refinement: registers are built from small sets of concrete
 * values, and every concrete result must lie within the computed bounds.
 */
import { describe, expect, it } from 'vitest';
import { tnum, tnumContains, tnumStr, U64_MAX } from './tnum';
import { regBoundsSync, RegState, SCALAR_VALUE } from './reg-state';
import { coerceRegToSize, coerceRegToSizeSx, scalarAluBounds, type ScalarOp } from './scalar-alu';
import { isBranchTaken, regSetMinMax } from './branch';
import { rng } from './tnum.test';

const next = rng(0x1234_5678_9abc_def1n);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const u32 = (v: bigint): bigint => BigInt.asUintN(32, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);

/** A set of concrete values of a shape programs produce. */
function randomSet(): bigint[] {
  const n = 1 + Number(next() % 5n);
  const kind = Number(next() % 6n);
  const base = kind === 0 ? next() & 0xffn : kind === 1 ? u64(-(next() & 0xffn)) : kind === 2 ? next() & 0xffff_ffffn : kind === 3 ? 0x7fff_fff0n : kind === 4 ? 0xffff_fff0n : next();
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(u64(base + (next() % 40n) - 20n));
  return out;
}

/** The tightest register state holding exactly these values (and what the kernel derives from it). */
function regOf(vals: readonly bigint[]): RegState {
  const r = new RegState();
  r.type = SCALAR_VALUE;
  let and = U64_MAX;
  let or = 0n;
  for (const v of vals) { and &= v; or |= v; }
  r.varOff = tnum(and, or ^ and);
  const min = (xs: bigint[]): bigint => xs.reduce((a, b) => (a < b ? a : b));
  const max = (xs: bigint[]): bigint => xs.reduce((a, b) => (a > b ? a : b));
  r.umin = min(vals.map(u64)); r.umax = max(vals.map(u64));
  r.smin = min(vals.map(s64)); r.smax = max(vals.map(s64));
  r.u32min = Number(min(vals.map(u32))); r.u32max = Number(max(vals.map(u32)));
  r.s32min = Number(min(vals.map(s32))); r.s32max = Number(max(vals.map(s32)));
  regBoundsSync(r);
  return r;
}

function contains(r: RegState, v: bigint): boolean {
  return u64(v) >= r.umin && u64(v) <= r.umax && s64(v) >= r.smin && s64(v) <= r.smax &&
    u32(v) >= BigInt(r.u32min) && u32(v) <= BigInt(r.u32max) && s32(v) >= BigInt(r.s32min) && s32(v) <= BigInt(r.s32max) &&
    tnumContains(r.varOff, u64(v));
}

const describeReg = (r: RegState): string =>
  `s64[${r.smin},${r.smax}] u64[${r.umin},${r.umax}] s32[${r.s32min},${r.s32max}] u32[${r.u32min},${r.u32max}] ${tnumStr(r.varOff)}`;

const OPS: [ScalarOp, (x: bigint, y: bigint, bits: 32 | 64) => bigint, boolean][] = [
  ['add', (x, y) => x + y, false],
  ['sub', (x, y) => x - y, false],
  ['mul', (x, y) => x * y, false],
  ['and', (x, y) => x & y, false],
  ['or', (x, y) => x | y, false],
  ['xor', (x, y) => x ^ y, false],
  ['lsh', (x, y, b) => x << (y % BigInt(b)), true],
  ['rsh', (x, y, b) => (b === 32 ? u32(x) : x) >> (y % BigInt(b)), true],
  ['arsh', (x, y, b) => (b === 32 ? s32(x) : s64(x)) >> (y % BigInt(b)), true],
];

describe('scalar bounds', () => {
  for (const [op, conc, constShift] of OPS) {
    for (const bits of [64, 32] as const) {
      it(`${op}${bits === 32 ? '32' : ''} keeps every concrete result`, () => {
        for (let i = 0; i < 600; i++) {
          const xs = randomSet();
          const ys = constShift ? [next() % BigInt(bits)] : randomSet();
          const dst = regOf(xs);
          const src = regOf(ys);
          const before = describeReg(dst);
          scalarAluBounds(dst, src, op, bits === 32);
          for (const x of xs) for (const y of ys) {
            let z = u64(conc(bits === 32 ? u32(x) : x, bits === 32 ? u32(y) : y, bits));
            if (bits === 32) z = u32(z);
            if (!contains(dst, z)) throw new Error(`${op}${bits}: ${before} op ${ys} -> ${describeReg(dst)} misses ${x} op ${y} = ${z}`);
          }
        }
      });
    }
  }

  it('neg keeps every concrete result', () => {
    for (let i = 0; i < 600; i++) {
      const xs = randomSet();
      const dst = regOf(xs);
      scalarAluBounds(dst, regOf([0n]), 'neg', false);
      for (const x of xs) expect(contains(dst, u64(-x)), `${x}`).toBe(true);
    }
  });

  it('zero- and sign-extending truncation keep every concrete result', () => {
    for (let i = 0; i < 600; i++) {
      const xs = randomSet();
      for (const size of [1, 2, 4]) {
        const bits = BigInt(8 * size);
        const z = regOf(xs);
        coerceRegToSize(z, size);
        const s = regOf(xs);
        coerceRegToSizeSx(s, size);
        for (const x of xs) {
          expect(contains(z, BigInt.asUintN(Number(bits), x)), `zext${size} ${x}`).toBe(true);
          expect(contains(s, u64(BigInt.asIntN(Number(bits), x))), `sext${size} ${x}`).toBe(true);
        }
      }
    }
  });

  // BPF_JEQ .. BPF_JSLE opcodes (op field >> 4)
  const CONDS: [number, string, (x: bigint, y: bigint, b: 32 | 64) => boolean][] = [
    [0x10, '==', (x, y) => x === y],
    [0x50, '!=', (x, y) => x !== y],
    [0x20, '>', (x, y) => x > y],
    [0x30, '>=', (x, y) => x >= y],
    [0xa0, '<', (x, y) => x < y],
    [0xb0, '<=', (x, y) => x <= y],
    [0x60, 's>', (x, y, b) => (b === 32 ? s32(x) > s32(y) : s64(x) > s64(y))],
    [0x70, 's>=', (x, y, b) => (b === 32 ? s32(x) >= s32(y) : s64(x) >= s64(y))],
    [0xc0, 's<', (x, y, b) => (b === 32 ? s32(x) < s32(y) : s64(x) < s64(y))],
    [0xd0, 's<=', (x, y, b) => (b === 32 ? s32(x) <= s32(y) : s64(x) <= s64(y))],
    [0x40, '&', (x, y) => (x & y) !== 0n],
  ];

  for (const [opc, name, holds] of CONDS) {
    for (const bits of [64, 32] as const) {
      it(`branch ${name}${bits === 32 ? ' (jmp32)' : ''}: taken/not-taken verdicts and refinements are sound`, () => {
        for (let i = 0; i < 600; i++) {
          const xs = randomSet();
          const ys = next() % 3n === 0n ? [xs[0]] : randomSet();
          const a = regOf(xs);
          const b = regOf(ys);
          const jmp32 = bits === 32;
          const lo = (v: bigint): bigint => (jmp32 ? u32(v) : v);
          const taken = isBranchTaken(a, b, opc, jmp32);
          const pairs = xs.flatMap((x) => ys.map((y) => [x, y, holds(lo(x), lo(y), bits)] as const));
          if (taken === 1) expect(pairs.every((p) => p[2]), `${name} said always`).toBe(true);
          if (taken === 0) expect(pairs.some((p) => p[2]), `${name} said never`).toBe(false);
          if (taken !== -1) continue;
          const t1 = a.clone(); const t2 = b.clone(); const f1 = a.clone(); const f2 = b.clone();
          regSetMinMax(t1, t2, f1, f2, opc, jmp32);
          for (const [x, y, h] of pairs) {
            const [r1, r2] = h ? [t1, t2] : [f1, f2];
            if (!contains(r1, x) || !contains(r2, y)) {
              throw new Error(`${x} ${name} ${y} (${h}): refined to ${describeReg(r1)} / ${describeReg(r2)}`);
            }
          }
        }
      });
    }
  }
});
