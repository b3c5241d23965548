import { describe, expect, it } from 'vitest';
import { add64, arsh64, div64, lsh64, mod64, mul64, neg64, rsh64, sdiv64, setU64, smod64, sub64, toU64 } from './int64';

const M = (1n << 64n) - 1n;
const S = (v: bigint) => BigInt.asIntN(64, v);

/** Seeded values that hit the edges: 0, ±1, 32-bit boundaries, INT64_MIN/MAX, random bits. */
function values(): bigint[] {
  const edges = [0n, 1n, 2n, 3n, 7n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, M, M - 1n, 0xdeadbeefcafebaben];
  let x = 0x12345678;
  const rnd = () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return BigInt(x >>> 0); };
  for (let i = 0; i < 40; i++) edges.push((rnd() << 32n) | rnd(), rnd(), M - rnd());
  return edges;
}

type Op = (R: Int32Array, d: number, lo: number, hi: number) => void;
const ops: [string, Op, (a: bigint, b: bigint) => bigint][] = [
  ['add', add64, (a, b) => (a + b) & M],
  ['sub', sub64, (a, b) => (a - b) & M],
  ['mul', mul64, (a, b) => (a * b) & M],
  ['div', div64, (a, b) => (b === 0n ? 0n : a / b)],
  ['mod', mod64, (a, b) => (b === 0n ? a : a % b)],
  ['sdiv', sdiv64, (a, b) => (b === 0n ? 0n : BigInt.asUintN(64, S(a) / S(b)))],
  ['smod', smod64, (a, b) => (b === 0n ? a : BigInt.asUintN(64, S(a) % S(b)))],
];

describe('64-bit arithmetic on 32-bit halves', () => {
  const vs = values();
  for (const [name, op, ref] of ops) {
    it(`${name} agrees with BigInt on ${vs.length}² operand pairs`, () => {
      const R = new Int32Array(4);
      for (const a of vs) for (const b of vs) {
        setU64(R, 0, a);
        setU64(R, 2, b);
        op(R, 0, R[2], R[3]);
        expect(toU64(R[0], R[1]), `${name} ${a} ${b}`).toBe(ref(a, b));
      }
    });
  }

  it('shifts mask the count to 6 bits and arsh keeps the sign', () => {
    const R = new Int32Array(2);
    for (const a of values()) for (let n = 0; n < 70; n += 3) {
      const k = BigInt(n & 63);
      setU64(R, 0, a); lsh64(R, 0, n); expect(toU64(R[0], R[1])).toBe((a << k) & M);
      setU64(R, 0, a); rsh64(R, 0, n); expect(toU64(R[0], R[1])).toBe(a >> k);
      setU64(R, 0, a); arsh64(R, 0, n); expect(toU64(R[0], R[1])).toBe(BigInt.asUintN(64, S(a) >> k));
    }
  });

  it('neg wraps INT64_MIN to itself', () => {
    const R = new Int32Array(2);
    for (const a of values()) { setU64(R, 0, a); neg64(R, 0); expect(toU64(R[0], R[1])).toBe((-a) & M); }
  });
});
