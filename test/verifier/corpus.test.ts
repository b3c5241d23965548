/**
 * Agreement with the Linux 6.18 verifier on the verifier corpus: the numbers may not drop
 * below test/verifier/corpus-baseline.json (regenerate it and REPORT.md with
 * `npx tsx scripts/verifier-corpus-report.ts` after an improvement), and we never accept
 * a program the kernel rejects.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { findCorpus } from '../corpus';
import { loadCorpus } from './corpus-record';
import { compareRecord, loadGoldenLogs, summarize, type Summary } from './corpus-agreement';

const corpusPath = findCorpus('verifier.json');
const baseline = JSON.parse(readFileSync(new URL('./corpus-baseline.json', import.meta.url), 'utf8')) as Summary;

describe.skipIf(!corpusPath)('verifier corpus agreement with Linux 6.18', () => {
  const records = corpusPath ? loadCorpus(corpusPath) : [];
  const golden = loadGoldenLogs();
  const outcomes = records.map((r) => compareRecord(r, golden, false));
  const s = summarize(outcomes);

  it('never accepts what the kernel rejects', () => {
    const fa = outcomes.filter((o) => o.ourAccepted && !o.kernelAccepted).map((o) => `${o.id}: kernel says ${o.kernelMsg}`);
    expect(fa).toEqual([]);
  });

  it('keeps verdict and errno agreement at or above the baseline', () => {
    const bad = outcomes.filter((o) => o.ourAccepted !== o.kernelAccepted || o.ourErrno !== o.kernelErrno)
      .map((o) => `${o.id}: kernel ${o.kernelAccepted ? 'accepts' : `rejects (${o.kernelErrno}: ${o.kernelMsg})`}, we ${o.ourAccepted ? 'accept' : `reject (${o.ourErrno}: ${o.ourError})`}`);
    expect(s.verdictAgree, bad.join('\n')).toBeGreaterThanOrEqual(baseline.verdictAgree);
    expect(s.errnoAgree, bad.join('\n')).toBeGreaterThanOrEqual(baseline.errnoAgree);
  });

  it("finds the kernel's error line in our log at or above the baseline", () => {
    const missing = outcomes.filter((o) => !o.kernelAccepted && !o.errorLineFound).map((o) => `${o.id}: kernel "${o.kernelMsg}", ours "${o.ourError}"`);
    expect(s.errorLineFound, missing.join('\n')).toBeGreaterThanOrEqual(baseline.errorLineFound);
  });

  it.skipIf(!golden)('prints the same level-1 and level-2 logs as the kernel', () => {
    const diffs = outcomes.flatMap((o) => [
      ...(o.l1Diff ? [`${o.id} L1 line ${o.l1Diff.line}:\n  kernel: ${o.l1Diff.kernel}\n  ours:   ${o.l1Diff.ours}`] : []),
      ...(o.l2Diff ? [`${o.id} L2 line ${o.l2Diff.line}:\n  kernel: ${o.l2Diff.kernel}\n  ours:   ${o.l2Diff.ours}`] : []),
    ]);
    expect(s.l1Equal, diffs.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(baseline.l1Equal);
    expect(s.l2Equal, diffs.slice(0, 10).join('\n')).toBeGreaterThanOrEqual(baseline.l2Equal);
  });
});
