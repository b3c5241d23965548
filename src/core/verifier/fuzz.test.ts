/**
 * Robustness: arbitrary instruction streams (random bytes, and corpus-like programs with
 * random mutations) never make the verifier throw or run away; every run ends with a
 * verdict within its instruction budget.
 */
import { describe, expect, it } from 'vitest';
import type { Insn } from '../isa/insn';
import { verifyRaw } from './verify';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPCODES = [0x07, 0x0f, 0x17, 0x1f, 0x04, 0xb7, 0xbf, 0xb4, 0xbc, 0x61, 0x69, 0x71, 0x79, 0x62, 0x63, 0x6b, 0x73, 0x7a, 0x7b,
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x55, 0x5d, 0xa5, 0x16, 0x85, 0x95, 0x18, 0xdb, 0xc3, 0x87, 0xd4, 0xdc, 0x37, 0x97, 0x67, 0x77, 0xc7, 0xe5, 0x8d];

describe('verifier fuzz', () => {
  it('survives random instruction streams', () => {
    const r = rng(42);
    const int = (n: number): number => Math.floor(r() * n);
    for (let n = 0; n < 1000; n++) {
      const len = 1 + int(24);
      const insns: Insn[] = [];
      for (let i = 0; i < len; i++) {
        const code = r() < 0.85 ? OPCODES[int(OPCODES.length)] : int(256);
        insns.push({ code, dst: int(r() < 0.95 ? 11 : 16), src: int(r() < 0.95 ? 11 : 16), off: r() < 0.7 ? int(8) - 4 : int(65536) - 32768, imm: r() < 0.7 ? int(64) - 16 : (int(2 ** 32) | 0) });
      }
      if (r() < 0.7) insns.push({ code: 0x95, dst: 0, src: 0, off: 0, imm: 0 });
      const progType = [1, 2, 3, 6, 5, 7][int(6)];
      const res = verifyRaw({ insns, progType, maps: [{ name: 'm', type: 2, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, kind: 'user' }] }, { logLevel: n % 3, insnLimit: 5_000 });
      expect(typeof res.accepted).toBe('boolean');
      expect(res.stats.processedInsns).toBeLessThanOrEqual(5_001);
      if (!res.accepted) expect(res.errno).toBeGreaterThan(0);
    }
  });

  it('survives mutations of a program with loops, calls and maps', () => {
    const base: Insn[] = [
      { code: 0xb7, dst: 6, src: 0, off: 0, imm: 0 },
      { code: 0x62, dst: 10, src: 0, off: -4, imm: 0 },
      { code: 0xbf, dst: 2, src: 10, off: 0, imm: 0 },
      { code: 0x07, dst: 2, src: 0, off: 0, imm: -4 },
      { code: 0x18, dst: 1, src: 1, off: 0, imm: 0 }, { code: 0, dst: 0, src: 0, off: 0, imm: 0 },
      { code: 0x85, dst: 0, src: 0, off: 0, imm: 1 },
      { code: 0x15, dst: 0, src: 0, off: 3, imm: 0 },
      { code: 0x61, dst: 1, src: 0, off: 0, imm: 0 },
      { code: 0x07, dst: 6, src: 0, off: 0, imm: 1 },
      { code: 0xa5, dst: 6, src: 0, off: -3, imm: 10 },
      { code: 0x85, dst: 0, src: 1, off: 0, imm: 2 },
      { code: 0xbf, dst: 0, src: 6, off: 0, imm: 0 },
      { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
      { code: 0xb7, dst: 0, src: 0, off: 0, imm: 7 },
      { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
    ];
    const r = rng(7);
    const int = (n: number): number => Math.floor(r() * n);
    for (let n = 0; n < 600; n++) {
      const insns = base.map((i) => ({ ...i }));
      for (let m = 0; m < 1 + int(3); m++) {
        const at = int(insns.length);
        const field = int(5);
        const v = insns[at];
        if (field === 0) v.code = OPCODES[int(OPCODES.length)];
        else if (field === 1) v.dst = int(11);
        else if (field === 2) v.src = int(3);
        else if (field === 3) v.off = int(16) - 8;
        else v.imm = int(32) - 8;
      }
      const res = verifyRaw({ insns, progType: 1, maps: [{ name: 'm', type: 2, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, kind: 'user' }] }, { logLevel: n % 3, insnLimit: 3_000 });
      expect(typeof res.accepted).toBe('boolean');
    }
  });
});
