/**
 * Differential test against the running kernel on random programs
 * (test/verifier/random-programs.ts): same verdict, same errno and the same log, line
 * for line, at levels 1 and 2. Skips when the kernel refuses BPF.
 */
import { describe, expect, it } from 'vitest';
import { kernelStatus, loadRaw, skipNote } from '../kernel/harness';
import { randomProgram, type RandomProgram } from './random-programs';
import { featureProgram } from './feature-programs';
import { verifyRaw } from '../../src/core/verifier/verify';
import { ERRNO_NAMES } from '../../src/core/verifier/env';
import { normalizeLog } from './corpus-agreement';

const available = kernelStatus().available;
if (!available) console.warn(skipNote());

function compare(seed: number, level: number, gen: (seed: number) => RandomProgram = randomProgram): string | null {
  const p = gen(seed);
  const k = loadRaw({ insns: p.insns, progType: p.progType, logLevel: level, maps: p.maps, mapFds: p.mapFds });
  const insns = p.insns.map((x, i) => {
    const m = p.mapFds.find(([at]) => at === i);
    return m ? { ...x, imm: m[1] } : x;
  });
  const o = verifyRaw({ insns, progType: p.progType, maps: p.maps }, { logLevel: level, trace: false });
  if (k.accepted !== o.accepted) return `seed ${seed}: kernel ${k.accepted ? 'accepts' : 'rejects'}, we ${o.accepted ? 'accept' : 'reject'} (${p.kind})`;
  if (!k.accepted && ERRNO_NAMES[k.errno] !== o.errnoName) return `seed ${seed}: errno ${ERRNO_NAMES[k.errno]} vs ${o.errnoName}`;
  const kl = normalizeLog(k.log).split('\n');
  const ol = normalizeLog(o.log).split('\n');
  for (let i = 0; i < Math.max(kl.length, ol.length); i++) {
    if (kl[i] !== ol[i]) return `seed ${seed} level ${level} line ${i + 1}:\n  kernel: ${kl[i]}\n  ours:   ${ol[i]}`;
  }
  return null;
}

describe.skipIf(!available)('random programs vs the kernel', () => {
  it('agree at log level 1 (250 programs)', () => {
    const bad: string[] = [];
    for (let seed = 1000; seed < 1250; seed++) {
      const d = compare(seed, 1);
      if (d) bad.push(d);
    }
    expect(bad.slice(0, 5).join('\n')).toBe('');
  });

  it('agree on feature snippets (calls, references, atomics, may_goto, ...) at levels 1 and 2', () => {
    const bad: string[] = [];
    for (let seed = 0; seed < 150; seed++) {
      const d = compare(seed, seed % 2 ? 2 : 1, featureProgram);
      if (d) bad.push(d);
    }
    expect(bad.slice(0, 5).join('\n')).toBe('');
  });

  it('agree at log level 2 (100 programs)', () => {
    const bad: string[] = [];
    for (let seed = 5000; seed < 5100; seed++) {
      const d = compare(seed, 2);
      if (d) bad.push(d);
    }
    expect(bad.slice(0, 5).join('\n')).toBe('');
  });
});
