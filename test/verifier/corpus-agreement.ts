/**
 * Runs our verifier over the verifier corpus and compares every program with the 6.18
 * kernel: verdict, errno, error line (the corpus `kernel` fields) and the complete logs
 * at levels 1 and 2 (test/verifier/golden/corpus-logs.json.gz, recorded by
 * scripts/record-verifier-corpus-logs.ts). Shared by the regression test and by
 * scripts/verifier-corpus-report.ts, which writes REPORT.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { ERRNO_NAMES } from '../../src/core/verifier/env';
import { lastErrorLine } from '../../src/core/verifier/verify';
import { verifyRecord, type CorpusRecord } from './corpus-record';

export interface GoldenLog {
  accepted: boolean;
  errno: string | null;
  log: string;
  truncated?: boolean;
  skipped?: boolean;
}

export interface GoldenLogs {
  recordedWith: string;
  kernel: string;
  records: Record<string, { L1: GoldenLog; L2: GoldenLog }>;
}

const goldenPath = fileURLToPath(new URL('./golden/corpus-logs.json.gz', import.meta.url));

export function loadGoldenLogs(): GoldenLogs | undefined {
  if (!existsSync(goldenPath)) return undefined;
  return JSON.parse(gunzipSync(readFileSync(goldenPath)).toString('utf8')) as GoldenLogs;
}

/** Map pointers print as kernel addresses: compare logs with them blanked. */
export const normalizeLog = (log: string): string => log.replace(/= 0xffff[0-9a-f]{12}\b/g, '= ADDR');

export interface RecordOutcome {
  id: string;
  kernelAccepted: boolean;
  ourAccepted: boolean;
  kernelErrno: string | null;
  ourErrno: string | null;
  kernelMsg: string;
  ourError: string;
  /** The kernel's error line appears as a line of our log. */
  errorLineFound: boolean;
  /** Level-1 / level-2 logs equal to the kernel's (undefined: not compared). */
  l1Equal?: boolean;
  l2Equal?: boolean;
  /** First differing line, for the report. */
  l1Diff?: { line: number; kernel: string; ours: string };
  l2Diff?: { line: number; kernel: string; ours: string };
  /** Ran with a reduced instruction limit (programs that exhaust the kernel's 1M limit). */
  reducedLimit?: boolean;
  ms: number;
}

/** Programs the kernel stopped at the 1,000,000 instruction limit. */
export const hitsComplexityLimit = (r: CorpusRecord): boolean => /^BPF program is too large\. Processed 1000001 insn/.test(r.kernel.msg);

function firstDiff(kernel: string, ours: string): { line: number; kernel: string; ours: string } | undefined {
  const k = kernel.split('\n');
  const o = ours.split('\n');
  for (let i = 0; i < Math.max(k.length, o.length); i++) {
    if (k[i] !== o[i]) return { line: i + 1, kernel: k[i] ?? '<end>', ours: o[i] ?? '<end>' };
  }
  return undefined;
}

/**
 * Verifies one corpus program and compares. With `full` false, programs that exhaust the
 * kernel's instruction limit are run with a limit of 20,000 (the kernel's verdict there
 * is E2BIG; we check that we are still exploring when our smaller limit runs out).
 */
export function compareRecord(r: CorpusRecord, golden: GoldenLogs | undefined, full: boolean): RecordOutcome {
  const t0 = performance.now();
  const reduced = !full && hitsComplexityLimit(r);
  const insnLimit = reduced ? 20_000 : undefined;
  const g = golden?.records[r.id];
  const l1 = verifyRecord(r, { logLevel: 1, insnLimit });
  const out: RecordOutcome = {
    id: r.id,
    kernelAccepted: r.kernel.accepted,
    ourAccepted: l1.accepted,
    kernelErrno: r.kernel.errno,
    ourErrno: l1.accepted ? null : ERRNO_NAMES[l1.errno] ?? String(l1.errno),
    kernelMsg: r.kernel.msg,
    ourError: l1.error,
    errorLineFound: false,
    reducedLimit: reduced || undefined,
    ms: 0,
  };
  if (reduced) {
    // same verdict and message as the kernel's, at our smaller limit
    const expected = `BPF program is too large. Processed ${insnLimit! + 1} insn`;
    out.ourError = l1.error === expected ? r.kernel.msg : l1.error;
    out.errorLineFound = l1.error === expected;
  } else if (!r.kernel.accepted) {
    out.errorLineFound = r.kernel.msg !== '' && normalizeLog(l1.log).split('\n').includes(normalizeLog(r.kernel.msg));
    if (!out.errorLineFound && lastErrorLine(l1.log) === '' && out.ourErrno === r.kernel.errno && r.kernel.msg === ERRNO_TEXT[r.kernel.errno ?? '']) out.errorLineFound = true;
  }
  if (g && !reduced) {
    if (!g.L1.truncated) {
      const d = firstDiff(normalizeLog(g.L1.log), normalizeLog(l1.log));
      out.l1Equal = !d;
      out.l1Diff = d;
    }
    if (!g.L2.truncated && !g.L2.skipped) {
      const l2 = verifyRecord(r, { logLevel: 2 });
      const d = firstDiff(normalizeLog(g.L2.log), normalizeLog(l2.log));
      out.l2Equal = !d;
      out.l2Diff = d;
    }
  }
  out.ms = performance.now() - t0;
  return out;
}

/** When the kernel's log is empty the corpus records strerror() as its message. */
const ERRNO_TEXT: Record<string, string> = { EPERM: 'Operation not permitted', EINVAL: 'Invalid argument', E2BIG: 'Argument list too long' };

export interface Summary {
  programs: number;
  verdictAgree: number;
  errnoAgree: number;
  falseAccepts: number;
  falseRejects: number;
  kernelRejects: number;
  errorLineFound: number;
  l1Compared: number;
  l1Equal: number;
  l2Compared: number;
  l2Equal: number;
}

export function summarize(outcomes: readonly RecordOutcome[]): Summary {
  const s: Summary = {
    programs: outcomes.length, verdictAgree: 0, errnoAgree: 0, falseAccepts: 0, falseRejects: 0, kernelRejects: 0,
    errorLineFound: 0, l1Compared: 0, l1Equal: 0, l2Compared: 0, l2Equal: 0,
  };
  for (const o of outcomes) {
    if (o.kernelAccepted === o.ourAccepted) s.verdictAgree++;
    else if (o.ourAccepted) s.falseAccepts++;
    else s.falseRejects++;
    if (o.kernelErrno === o.ourErrno) s.errnoAgree++;
    if (!o.kernelAccepted) {
      s.kernelRejects++;
      if (o.errorLineFound) s.errorLineFound++;
    }
    if (o.l1Equal !== undefined) {
      s.l1Compared++;
      if (o.l1Equal) s.l1Equal++;
    }
    if (o.l2Equal !== undefined) {
      s.l2Compared++;
      if (o.l2Equal) s.l2Equal++;
    }
  }
  return s;
}

export const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
