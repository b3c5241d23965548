#!/usr/bin/env node
// Records the kernel's own text for instruction encodings: every `N: (op) text` line of
// the Linux verifier log (log level 2) of every program of ../shared/corpus/verifier.json
// and of test/golden/kernel-insn-text/extra-programs.json, loaded by ../shared/tools/kbpf.
// Output: test/golden/kernel-insn-text/insns.tsv, one `hex<TAB>text` line per distinct
// encoding (32 hex digits for lddw). Map loads (lddw src 1 and 2) are left out: the log
// prints kernel addresses there.
//
// Usage: node scripts/record-kernel-insn-text.mjs [path/to/kbpf]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kbpf = process.argv[2] ?? '/tmp/kbpf/kbpf';
const root = new URL('..', import.meta.url).pathname;
// The shared corpus sits beside the checkout (../shared); worktrees one level deeper look further up.
const corpusPath = [join(root, '../shared/corpus/verifier.json'), join(root, '../../shared/corpus/verifier.json')].find(existsSync) ?? '';
const extraPath = join(root, 'test/golden/kernel-insn-text/extra-programs.json');
const programs = [];
if (existsSync(corpusPath)) {
  for (const r of JSON.parse(readFileSync(corpusPath, 'utf8'))) {
    programs.push({
      id: r.id,
      prog_type: r.prog_type.replace('BPF_PROG_TYPE_', '').toLowerCase(),
      attach: r.expected_attach_type?.replace('BPF_', '').toLowerCase(),
      attachBtf: r.attach_btf_func,
      insns: r.insns,
      maps: (r.maps ?? []).map((m) => ({ name: m.name, type: m.type.replace('BPF_MAP_TYPE_', '').toLowerCase(), key_size: m.key_size, value_size: m.value_size, max_entries: m.max_entries, flags: m.map_flags ?? 0 })),
      fixups: { map_fds: r.fixups?.map_fds ?? [] },
    });
  }
}
for (const p of JSON.parse(readFileSync(extraPath, 'utf8'))) programs.push(p);

const dir = mkdtempSync(join(tmpdir(), 'kinsn-'));
const seen = new Map();
let loaded = 0;
for (const [k, p] of programs.entries()) {
  const file = join(dir, `p${k}.json`);
  writeFileSync(file, JSON.stringify({ prog_type: p.prog_type, insns: p.insns, maps: p.maps ?? [], fixups: p.fixups ?? { map_fds: [] } }));
  const args = ['verify', '--insns', file, '--log-level', '2', '--compact'];
  if (p.attach) args.push('--attach-type', p.attach);
  if (p.attachBtf) args.push('--attach-btf', p.attachBtf);
  let out;
  try { out = execFileSync(kbpf, args, { maxBuffer: 1 << 28 }).toString(); } catch (e) { out = e.stdout?.toString() ?? ''; }
  let log;
  try { log = JSON.parse(out).verifier_log ?? ''; } catch { continue; }
  loaded++;
  for (const line of log.split('\n')) {
    const m = /^(\d+): (\([0-9a-f]{2}\) .*?)(?: +;(?: .*)?)?$/.exec(line);
    if (!m) continue;
    const pc = Number(m[1]);
    const first = p.insns[pc];
    if (!first) continue;
    const isLdImm64 = first.startsWith('18');
    const src = parseInt(first[2], 16);
    if (isLdImm64 && (src === 1 || src === 2)) continue;
    const key = isLdImm64 ? first + (p.insns[pc + 1] ?? '') : first;
    if (!seen.has(key)) seen.set(key, m[2]);
  }
}
const lines = [...seen].sort(([a], [b]) => a.localeCompare(b)).map(([h, t]) => `${h}\t${t}`);
writeFileSync(join(root, 'test/golden/kernel-insn-text/insns.tsv'), lines.join('\n') + '\n');
console.log(`${programs.length} programs, ${loaded} logs, ${lines.length} distinct encodings`);
