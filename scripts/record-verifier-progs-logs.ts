#!/usr/bin/env -S npx tsx
/**
 * Records the running kernel's verifier logs (levels 1 and 2) for every program of our
 * own C objects (test/progs/obj/*.o and test/verifier/progs/obj/*.o, built by
 * scripts/build-test-progs.sh and scripts/build-verifier-progs.sh), each program loaded
 * on its own by kbpf
 * (/work/shared/tools/kbpf, libbpf 1.1). Output: test/verifier/golden/progs-logs.json.gz,
 * which test/verifier/progs.test.ts compares our verifier's logs with.
 *
 * Programs the kernel never saw (autoload off, or a section libbpf 1.1 does not know)
 * are recorded with `notLoaded` and their libbpf message.
 *
 * Usage (root, on the Linux 6.18 machine):
 *   KBPF=/tmp/kbpf/kbpf npx tsx scripts/record-verifier-progs-logs.ts
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const KBPF = process.env.KBPF ?? '/tmp/kbpf/kbpf';
const OBJ_DIRS = ['test/progs/obj/', 'test/verifier/progs/obj/'];
const root = fileURLToPath(new URL('../', import.meta.url));
const out = fileURLToPath(new URL('../test/verifier/golden/progs-logs.json.gz', import.meta.url));

interface Entry {
  accepted: boolean | null;
  errno: string | null;
  log: string;
  notLoaded?: string;
  libbpfError?: string;
}

/** A log of a program the verifier accepted: at level 1 only the summary line is left. */
function verifierAccepted(log: string, level: number): boolean {
  const lines = log.trim().split('\n');
  if (level === 1) return lines.length === 1;
  return !/^(R\d+ |invalid |unreachable |jump |last insn)/.test(lines[lines.length - 2] ?? '');
}
const records: Record<string, { dir: string; L1: Entry; L2: Entry }> = {};

for (const [dir, f] of OBJ_DIRS.flatMap((d) => readdirSync(root + d).filter((n) => n.endsWith('.o')).sort().map((n) => [d, n] as const))) {
  const objDir = root + dir;
  const byLevel: Record<string, Record<string, Entry>> = {};
  for (const level of [1, 2]) {
    let stdout: string;
    try {
      stdout = execFileSync(KBPF, ['verify', '--elf', objDir + f, '--log-level', String(level), '--compact'], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) {
      stdout = (e as { stdout: string }).stdout;
    }
    let progs: { name: string; accepted: boolean | null; errno_name: string | null; verifier_log?: string; libbpf_log?: string }[];
    try {
      progs = JSON.parse(stdout);
    } catch {
      console.error(`${f}: kbpf could not load it (no per-program result); skipped`);
      continue;
    }
    for (const p of progs) {
      const lib = p.libbpf_log ?? '';
      const log = p.verifier_log ?? '';
      const notLoaded = p.accepted === null || (!p.accepted && p.errno_name === null) ? 'autoload off'
        : !log && /missing BPF prog type/.test(lib) ? lib.trim().split('\n')[0] : undefined;
      // the verifier accepted, then libbpf failed (e.g. filling a prog array with programs
      // that are not loaded): record the verifier's verdict
      const afterLoad = !p.accepted && /(^|\n)processed \d+ insns/.test(log) && !/failed to load: -13\b/.test(lib) && verifierAccepted(log, level);
      const entry: Entry = afterLoad
        ? { accepted: true, errno: null, log, libbpfError: lib.trim().split('\n')[0] }
        : { accepted: p.accepted, errno: p.errno_name, log, ...(notLoaded ? { notLoaded } : {}) };
      (byLevel[p.name] ??= {})[`L${level}`] = entry;
    }
  }
  for (const [name, e] of Object.entries(byLevel)) records[`${f}/${name}`] = { dir, ...(e as { L1: Entry; L2: Entry }) };
}
const kernel = execFileSync('uname', ['-r']).toString().trim();
writeFileSync(out, gzipSync(JSON.stringify({ recordedWith: 'KBPF=/tmp/kbpf/kbpf npx tsx scripts/record-verifier-progs-logs.ts', kernel, records }), { level: 9 }));
console.log(`${Object.keys(records).length} programs recorded on ${kernel}`);
