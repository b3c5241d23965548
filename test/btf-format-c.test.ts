/**
 * The BTF C printer against bpftool's `btf dump ... format c` (libbpf btf_dump):
 * every named struct, union, enum and typedef we print must appear verbatim as one of
 * bpftool's top-level definitions. Objects: recorded goldens (scripts/record-btf-c-golden.sh).
 * The running kernel's BTF: compared live when bpftool and /sys/kernel/btf/vmlinux exist.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBtf, type Btf } from '../src/core/btf/btf';
import { formatCDefinition } from '../src/core/btf/format-c';
import { parseElf } from '../src/core/elf/elf64';

const root = fileURLToPath(new URL('..', import.meta.url));
const goldenDir = join(root, 'test/golden/btf-c');

/** Named definitions whose name is unique in its namespace (bpftool renames duplicates). */
function definitions(btf: Btf): { id: number; text: string }[] {
  const seen = new Map<string, number>();
  const key = (kind: string, name: string) => `${kind === 'union' || kind === 'struct' || kind === 'fwd' ? 'tag' : kind === 'enum' || kind === 'enum64' ? 'enum' : 'ident'}:${name}`;
  btf.types.forEach((t) => { if (t.name) seen.set(key(t.kind, t.name), (seen.get(key(t.kind, t.name)) ?? 0) + 1); });
  const out: { id: number; text: string }[] = [];
  btf.types.forEach((t, id) => {
    if (!t.name || !['struct', 'union', 'enum', 'enum64', 'typedef'].includes(t.kind)) return;
    if ((seen.get(key(t.kind, t.name)) ?? 0) > 1) return;
    // Enumerator names that clash with other identifiers get renamed by bpftool too.
    out.push({ id, text: `${formatCDefinition(btf, id)};` });
  });
  return out;
}

function compare(btf: Btf, dump: string, what: string): { checked: number; mismatches: string[] } {
  const blocks = new Set(dump.split('\n\n').map((b) => b.replace(/^\n+/, '')));
  const mismatches: string[] = [];
  let checked = 0;
  const byHead = new Map([...blocks].map((b) => [b.split('\n')[0], b]));
  const unrenamed = new Set([...blocks].filter((b) => b.includes('___')).map((b) => b.replace(/___\d+/g, '')));
  let renamed = 0;
  for (const d of definitions(btf)) {
    if (blocks.has(d.text)) {
      checked++;
      continue;
    }
    // bpftool renames clashing identifiers (`Opt_all___2`, `struct foo___3`) across the
    // whole dump; a definition that mentions such a name is not comparable by itself.
    const theirs = byHead.get(d.text.split('\n')[0]);
    if (theirs?.includes('___') || unrenamed.has(d.text) || d.text.includes('__builtin_va_list')) {
      renamed++;
      continue;
    }
    checked++;
    mismatches.push(`${what} [${d.id}]:\n${d.text}\n--- bpftool:\n${theirs ?? '(none)'}`);
  }
  if (renamed > checked / 50) mismatches.push(`${what}: ${renamed} definitions skipped as renamed, too many to trust`);
  return { checked, mismatches };
}

describe('BTF C printer vs bpftool btf dump format c', () => {
  const files = readdirSync(goldenDir).filter((f) => f.endsWith('.h'));
  it('has a golden per test object', () => expect(files.length).toBeGreaterThanOrEqual(34));

  it('prints every named type of every test object as bpftool does', () => {
    let checked = 0;
    const bad: string[] = [];
    for (const f of files) {
      const elf = parseElf(new Uint8Array(readFileSync(join(root, 'test/progs/obj', f.replace(/\.h$/, '.o')))));
      const btf = parseBtf(elf.sectionByName('.BTF')!.data);
      const r = compare(btf, readFileSync(join(goldenDir, f), 'utf8'), f);
      checked += r.checked;
      bad.push(...r.mismatches);
    }
    expect(bad.slice(0, 3)).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  const vmlinux = '/sys/kernel/btf/vmlinux';
  const haveBpftool = spawnSync('sh', ['-c', 'command -v bpftool']).status === 0;
  const why = !existsSync(vmlinux) ? `${vmlinux} is absent` : !haveBpftool ? 'bpftool is not installed' : '';
  it.skipIf(why !== '')(`prints the running kernel's types as bpftool does${why ? ` (skipped: ${why})` : ''}`, () => {
    const btf = parseBtf(new Uint8Array(readFileSync(vmlinux)));
    const dump = execFileSync('bpftool', ['btf', 'dump', 'file', vmlinux, 'format', 'c'], { maxBuffer: 1 << 28 }).toString();
    const r = compare(btf, dump, 'vmlinux');
    expect(r.mismatches.slice(0, 3)).toEqual([]);
    expect(r.checked).toBeGreaterThan(10000);
  });
});
