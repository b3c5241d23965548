/**
 * Helper prototypes against the kernel: every helper a program type may call, with
 * argument registers drawn from scalars, stack pointers (initialised or not), the
 * context, map pointers and context fields; the verdict and the error line must match.
 * Dynptr helpers and bpf_kptr_xchg are not modelled and left out. Skips without BPF.
 */
import { describe, expect, it } from 'vitest';
import { kernelStatus, loadRaw, skipNote } from '../kernel/harness';
import { HELPERS_ALLOWED } from '../../src/core/verifier/kernel-tables.gen';
import { PROG_TYPES } from '../../src/core/isa/kernel-types';
import { verifyRaw } from '../../src/core/verifier/verify';
import type { Insn } from '../../src/core/isa/insn';
import type { MapDef } from '../../src/core/elf/loaded-object';
import { prng } from './random-programs';

const available = kernelStatus().available;
if (!available) console.warn(skipNote());

const I = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });
const MAPS: MapDef[] = [
  { name: '', type: 1, keySize: 4, valueSize: 16, maxEntries: 4, flags: 0, kind: 'user' },
  { name: '', type: 27, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0, kind: 'user' },
  { name: '', type: 3, keySize: 4, valueSize: 4, maxEntries: 2, flags: 0, kind: 'user' },
  { name: '', type: 4, keySize: 4, valueSize: 4, maxEntries: 2, flags: 0, kind: 'user' },
];
const NOT_MODELLED = new Set([194, 197, 198, 199, 200, 201, 202, 203]);

describe.skipIf(!available)('helper calls vs the kernel', () => {
  for (const type of ['socket_filter', 'sched_cls', 'xdp', 'kprobe']) {
    it(`${type}: every allowed helper, two argument setups each`, () => {
      const r = prng(type.length * 7919);
      const int = (n: number): number => Math.floor(r() * n);
      const pt = PROG_TYPES.value(type)!;
      const allowed = HELPERS_ALLOWED[type];
      const bad: string[] = [];
      for (let id = 1; id < allowed.length; id++) {
        if (allowed[id] !== '1' || NOT_MODELLED.has(id)) continue;
        for (let k = 0; k < 2; k++) {
          const insns: Insn[] = [I(0xbf, 6, 1)];
          const mapFds: [number, number][] = [];
          if (r() < 0.8) for (let o = -64; o < 0; o += 8) insns.push(I(0x7a, 10, 0, o, 0));
          for (let a = 1; a <= 5; a++) {
            switch (int(8)) {
              case 0: insns.push(I(0xb7, a, 0, 0, 0)); break;
              case 1: insns.push(I(0xb7, a, 0, 0, [1, 4, 8, 16, 64, -1][int(6)])); break;
              case 2: insns.push(I(0xbf, a, 10), I(0x07, a, 0, 0, [-64, -8, -16, -32][int(4)])); break;
              case 3: insns.push(I(0xbf, a, 6)); break;
              case 4: { const m = int(4); mapFds.push([insns.length, m]); insns.push(I(0x18, a, 1, 0, m), I(0, 0, 0, 0, 0)); break; }
              case 5: insns.push(I(0x61, a, 6, 0, 0)); break;
              default: insns.push(I(0xb7, a, 0, 0, int(32)));
            }
          }
          insns.push(I(0x85, 0, 0, 0, id), I(0xb7, 0, 0, 0, 0), I(0x95));
          const kr = loadRaw({ insns, progType: pt, logLevel: 1, maps: MAPS, mapFds });
          const ours = verifyRaw({ insns: insns.map((x, i) => { const f = mapFds.find(([at]) => at === i); return f ? { ...x, imm: f[1] } : x; }), progType: pt, maps: MAPS }, { trace: false });
          if (kr.accepted !== ours.accepted || (!kr.accepted && (kr.errorLine ?? '') !== ours.error)) {
            bad.push(`helper ${id}: kernel ${kr.accepted ? 'accepts' : kr.errorLine}, we ${ours.accepted ? 'accept' : ours.error}`);
          }
        }
      }
      expect(bad.slice(0, 8).join('\n')).toBe('');
    });
  }
});
