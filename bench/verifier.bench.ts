/**
 * Verifier benchmark: processed instructions per second of bpfplay's verifier on the
 * largest programs we have, against the kernel's own verification time for the same
 * program (BPF_LOG_STATS' "verification time N usec"), measured in the same run and
 * printed as ratios.
 *
 *   npx tsx bench/verifier.bench.ts [--quick]
 *
 * Without root/BPF the kernel column is skipped with the reason.
 */
import type { Insn } from '../src/core/isa/insn';
import type { MapDef } from '../src/core/elf/loaded-object';
import { verifyRaw } from '../src/core/verifier/verify';
import { findCorpus } from '../test/corpus';
import { loadCorpus, recordProgram } from '../test/verifier/corpus-record';
import { kernelStatus, loadRaw } from '../test/kernel/harness';

const quick = process.argv.includes('--quick');
const k = kernelStatus();

interface Case {
  name: string;
  insns: Insn[];
  progType: number;
  flags: number;
  maps: MapDef[];
  mapFds: [number, number][];
}

const I = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });

/** N independent unknown bytes each compared against a constant: many paths, much pruning. */
function branchy(n: number): Case {
  const insns: Insn[] = [I(0xbf, 6, 1), I(0xb7, 7, 0, 0, 0)];
  for (let i = 0; i < n; i++) {
    insns.push(I(0x85, 0, 0, 0, 7)); // r0 = bpf_get_prandom_u32()
    insns.push(I(0x57, 0, 0, 0, 0xff)); // r0 &= 0xff
    insns.push(I(0x25, 0, 0, 1, 100)); // if r0 > 100 goto +1
    insns.push(I(0x07, 7, 0, 0, 1)); // r7 += 1
  }
  insns.push(I(0xbf, 0, 7), I(0x57, 0, 0, 0, 1), I(0x95));
  return { name: `branchy-${n}`, insns, progType: 1, flags: 0, maps: [], mapFds: [] };
}

/** A bounded loop the verifier walks iteration by iteration. */
function counted(iterations: number): Case {
  const insns: Insn[] = [
    I(0xb7, 0, 0, 0, 0), I(0xb7, 1, 0, 0, 0),
    I(0x0f, 0, 1), I(0xaf, 0, 1), I(0x07, 1, 0, 0, 1), I(0xa5, 1, 0, -4, iterations),
    I(0x57, 0, 0, 0, 1), I(0x95),
  ];
  return { name: `loop-${iterations}`, insns, progType: 1, flags: 0, maps: [], mapFds: [] };
}

const cases: Case[] = [branchy(quick ? 200 : 1000), counted(quick ? 2000 : 20000)];
const corpusPath = findCorpus('verifier.json');
if (corpusPath) {
  const records = loadCorpus(corpusPath);
  const ids = quick ? ['verifier/precise.c#0'] : ['verifier/bounds.c#32', 'verifier/bounds.c#35', 'verifier/precise.c#0'];
  for (const id of ids) {
    const r = records.find((x) => x.id === id);
    if (!r) continue;
    const p = recordProgram(r);
    const kernelInsns = p.insns.map((x, i) => (p.mapSlots.has(i) ? { ...x, imm: 0 } : x));
    cases.push({ name: id, insns: kernelInsns, progType: p.progType, flags: p.flags, maps: p.maps, mapFds: [...p.mapSlots].map((at) => [at, p.insns[at].imm]) });
  }
}

function kernelUsec(c: Case): number | string {
  if (!k.available) return k.reason;
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const r = loadRaw({ insns: c.insns, progType: c.progType, flags: c.flags, logLevel: 4, maps: c.maps, mapFds: c.mapFds });
    const m = /verification time (\d+) usec/.exec(r.log);
    if (!m) return 'no verification time in the log';
    best = Math.min(best, Number(m[1]));
  }
  return best;
}

function ours(c: Case, trace: boolean): { usec: number; processed: number; verdict: string } {
  const insns = c.insns.map((x, i) => {
    const f = c.mapFds.find(([at]) => at === i);
    return f ? { ...x, imm: f[1] } : x;
  });
  const slots = new Set(c.mapFds.map(([at]) => at));
  let best = Infinity;
  let res = verifyRaw({ insns, progType: c.progType, flags: c.flags, maps: c.maps }, { logLevel: 0, trace, mapSlots: slots });
  for (let i = 0; i < (quick ? 1 : 2); i++) {
    const t0 = performance.now();
    res = verifyRaw({ insns, progType: c.progType, flags: c.flags, maps: c.maps }, { logLevel: 0, trace, mapSlots: slots });
    best = Math.min(best, performance.now() - t0);
  }
  return { usec: best * 1000, processed: res.stats.processedInsns, verdict: res.accepted ? 'accepted' : res.errnoName };
}

const rows: string[][] = [['program', 'processed', 'verdict', 'bpfplay insn/s', 'with trace', 'kernel insn/s', 'bpfplay/kernel time']];
for (const c of cases) {
  const o = ours(c, false);
  const t = ours(c, true);
  const kt = kernelUsec(c);
  const rate = (usec: number): string => `${Math.round((o.processed / usec) * 1e6).toLocaleString('en')}`;
  rows.push([
    c.name, o.processed.toLocaleString('en'), o.verdict, rate(o.usec), rate(t.usec),
    typeof kt === 'number' ? rate(kt) : '-', typeof kt === 'number' ? `${(o.usec / Math.max(kt, 1)).toFixed(1)}x` : `(${kt})`,
  ]);
}
const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
for (const r of rows) console.log(r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  '));
