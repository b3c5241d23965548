#!/usr/bin/env -S npx tsx
/**
 * Records the running kernel's verifier logs (levels 1 and 2) for every program of
 * ../shared/corpus/verifier.json, loaded as the corpus was (raw instructions, GPL, maps
 * created from `maps` with their names, `load_flags`), with kbpf (/work/shared/tools/kbpf).
 * Output: test/verifier/golden/corpus-logs.json.gz, the reference test/verifier/corpus.test.ts
 * compares our logs with, line for line (modulo map addresses).
 *
 * Logs over 1 MB (programs that run into the 1M instruction limit) keep only their last
 * 4 KB, marked `truncated`; their level-2 logs (hundreds of MB) are not recorded.
 *
 * Usage (root, on the Linux 6.18 machine):
 *   KBPF=/tmp/kbpf/kbpf npx tsx scripts/record-verifier-corpus-logs.ts
 * Takes about three minutes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { findCorpus } from '../test/corpus';
import { loadCorpus, recordFlags } from '../test/verifier/corpus-record';

const KBPF = process.env.KBPF ?? '/tmp/kbpf/kbpf';
const MAX_LOG = 1_000_000;
const outDir = fileURLToPath(new URL('../test/verifier/golden/', import.meta.url));

const corpusPath = findCorpus('verifier.json');
if (!corpusPath) process.exit(1);
const records = loadCorpus(corpusPath);
const kernel = execFileSync('uname', ['-r']).toString().trim();
const out: Record<string, { L1: LogEntry; L2: LogEntry }> = {};

interface LogEntry {
  accepted: boolean;
  errno: string | null;
  log: string;
  truncated?: boolean;
  /** Level 2 of a program whose level-1 log was already too long: not recorded. */
  skipped?: boolean;
}

const lower = (s: string, prefix: string): string => s.replace(prefix, '').toLowerCase();

for (const r of records) {
  const input = {
    prog_type: lower(r.prog_type, 'BPF_PROG_TYPE_'),
    maps: r.maps.map((m) => ({ ...m, type: lower(m.type, 'BPF_MAP_TYPE_') })),
    insns: r.insns,
    fixups: { map_fds: r.fixups.map_fds },
  };
  const entry: Partial<Record<'L1' | 'L2', LogEntry>> = {};
  for (const level of [1, 2] as const) {
    if (level === 2 && entry.L1?.truncated) {
      entry.L2 = { accepted: entry.L1.accepted, errno: entry.L1.errno, log: '', skipped: true };
      continue;
    }
    const args = ['verify', '--insns', '-', '--log-level', String(level), '--prog-flags', String(recordFlags(r)), '--compact'];
    if (r.expected_attach_type) args.push('--attach-type', lower(r.expected_attach_type, 'BPF_'));
    if (r.attach_btf_func) args.push('--attach-btf', r.attach_btf_func);
    let stdout: string;
    try {
      stdout = execFileSync(KBPF, args, { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
    } catch (e) {
      stdout = (e as { stdout: string }).stdout;
    }
    const k = JSON.parse(stdout) as { accepted: boolean; errno_name: string | null; verifier_log?: string };
    let log = k.verifier_log ?? '';
    const truncated = log.length > MAX_LOG;
    if (truncated) log = log.slice(-4096);
    entry[level === 1 ? 'L1' : 'L2'] = { accepted: k.accepted, errno: k.errno_name, log, ...(truncated ? { truncated } : {}) };
  }
  out[r.id] = entry as { L1: LogEntry; L2: LogEntry };
  process.stderr.write('.');
}
process.stderr.write('\n');
mkdirSync(outDir, { recursive: true });
const doc = { recordedWith: 'KBPF=/tmp/kbpf/kbpf npx tsx scripts/record-verifier-corpus-logs.ts', kernel, records: out };
writeFileSync(`${outDir}/corpus-logs.json.gz`, gzipSync(JSON.stringify(doc), { level: 9 }));
console.log(`${Object.keys(out).length} programs recorded on ${kernel}`);
