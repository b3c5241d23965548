// bpfplay's own BPF headers (public/include) against the references:
// - every test program compiles with them to the same instructions and relocations as with
//   Debian's libbpf-dev/linux-libc-dev headers (the committed test/progs/obj objects);
// - every struct layout and enumerator value equals the running 6.18 kernel's BTF.
// Needs native clang-19 (installed by .ci/run); skips with a reason without it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBtf, type Btf } from '../../src/core/btf/btf';
import { parseElf, SHF_EXECINSTR, type ElfFile } from '../../src/core/elf/elf64';

const root = fileURLToPath(new URL('../../', import.meta.url));
const include = join(root, 'public/include');
const progs = join(root, 'test/progs');
const hasClang = spawnSync('sh', ['-c', 'command -v clang-19']).status === 0;
if (!hasClang) console.warn('[skip] header tests need clang-19 (apt-get install clang-19)');
const kernelBtfPath = '/sys/kernel/btf/vmlinux';
const hasKernelBtf = existsSync(kernelBtfPath);
const tmp = mkdtempSync(join(tmpdir(), 'bpfplay-hdr-'));
// vmlinux.h for the CO-RE programs: the one bpfplay ships (public/vmlinux), unpacked here.
const vmlinuxDir = join(tmp, 'vmlinux');
mkdirSync(vmlinuxDir);
writeFileSync(join(vmlinuxDir, 'vmlinux.h'), gunzipSync(readFileSync(join(root, 'public/vmlinux/vmlinux.h.gz'))));

function compile(src: string, out: string, extra: string[] = []): ElfFile {
  execFileSync('clang-19', ['--target=bpf', '-O2', '-g', '-nostdinc', '-isystem', include, '-I', vmlinuxDir,
    '-D__TARGET_ARCH_x86', ...extra, '-c', src, '-o', out], { stdio: 'pipe' });
  return parseElf(readFileSync(out));
}

/** Executable sections' bytes and relocations (by symbol name), for comparison. */
function code(elf: ElfFile) {
  return elf.sections
    .filter((s) => s.flags & BigInt(SHF_EXECINSTR) && s.size > 0)
    .map((s) => ({
      section: s.name,
      bytes: Buffer.from(s.data).toString('hex'),
      relocs: (elf.relocations.get(s.index) ?? []).map((r) => `${r.offset}:${r.type}:${elf.symbols[r.sym].name}`),
    }));
}

describe.skipIf(!hasClang)('bpfplay headers compile programs as Debian\'s do', () => {
  const sources = readdirSync(progs).filter((f) => f.endsWith('.bpf.c'));
  it('has the test programs', () => expect(sources.length).toBeGreaterThanOrEqual(30));

  for (const src of sources) {
    const name = src.replace(/\.bpf\.c$/, '');
    it(`${name}: same instructions and relocations`, () => {
      const extra = readFileSync(join(progs, src), 'utf8').split('\n')[0].match(/-mcpu=v\d/g) ?? [];
      const ours = compile(join(progs, src), join(tmp, `${name}.o`), extra);
      const reference = parseElf(readFileSync(join(progs, 'obj', `${name}.o`)));
      expect(code(ours)).toEqual(code(reference));
    });
  }
});

// Cases that exercise the header macros beyond what the test programs use (printk with many
// arguments, BPF_KPROBE/KRETPROBE/PROG/KSYSCALL, chained and bitfield CO-RE reads, endian
// conversion, BPF_SNPRINTF, bpf_tail_call_static): compiled at test time with both header sets.
const debianHeaders = existsSync('/usr/include/bpf/bpf_helpers.h') && existsSync('/usr/include/linux/bpf.h');
describe.skipIf(!hasClang || !debianHeaders)('header macros compile as Debian\'s libbpf headers do', () => {
  const casesDir = join(root, 'test/headers/cases');
  for (const src of readdirSync(casesDir).filter((f) => f.endsWith('.bpf.c'))) {
    it(src, () => {
      const name = src.replace(/\.bpf\.c$/, '');
      const ours = compile(join(casesDir, src), join(tmp, `${name}.ours.o`));
      const refPath = join(tmp, `${name}.debian.o`);
      execFileSync('clang-19', ['--target=bpf', '-O2', '-g', '-D__TARGET_ARCH_x86', '-I', vmlinuxDir,
        '-I', '/usr/include/x86_64-linux-gnu', '-c', join(casesDir, src), '-o', refPath], { stdio: 'pipe' });
      expect(code(ours)).toEqual(code(parseElf(readFileSync(refPath))));
    });
  }
});

/** Member name -> "bitOffset:bitfieldSize:size", flattening anonymous structs and unions. */
function layout(btf: Btf, id: number, base = 0, prefix = '', out = new Map<string, string>()): Map<string, string> {
  const t = btf.type(btf.skipModsAndTypedefs(id));
  if (t.kind !== 'struct' && t.kind !== 'union') return out;
  for (const m of t.members) {
    const mt = btf.type(btf.skipModsAndTypedefs(m.type));
    if (!m.name && (mt.kind === 'struct' || mt.kind === 'union')) {
      layout(btf, m.type, base + m.bitOffset, prefix, out);
      continue;
    }
    if (!m.name) continue; // unnamed padding bitfields
    out.set(prefix + m.name, `${base + m.bitOffset}:${m.bitfieldSize}:${btf.resolveSize(m.type)}`);
  }
  return out;
}

// The UAPI form differs from the kernel's internal one (register names; the kernel's
// x86 pt_regs has FRED unions over cs/ss): compared by size only.
const UAPI_FORM_DIFFERS = new Set(['pt_regs']);

describe.skipIf(!hasClang || !hasKernelBtf)('bpfplay headers equal the 6.18 kernel BTF', () => {
  const headers = readdirSync(join(include, 'linux')).map((f) => join(include, 'linux', f))
    .concat(readdirSync(join(include, 'asm')).map((f) => join(include, 'asm', f)));
  const text = headers.map((h) => readFileSync(h, 'utf8')).join('\n');
  const structs = [...new Set([...text.matchAll(/^struct (\w+) \{/gm)].map((m) => m[1]))];
  const enumerators = [...new Set([...text.matchAll(/^\t([A-Z][A-Z0-9_]+)\s*=/gm)].map((m) => m[1]))].filter((n) => !n.startsWith('__'));
  const kernel = hasKernelBtf ? parseBtf(new Uint8Array(readFileSync(kernelBtfPath)), 'vmlinux') : undefined;

  const probe = join(tmp, 'probe.c');
  writeFileSync(probe, [
    ...['linux/bpf.h', 'linux/if_ether.h', 'linux/ip.h', 'linux/ipv6.h', 'linux/in.h', 'linux/udp.h', 'linux/tcp.h', 'linux/icmp.h',
      'linux/icmpv6.h', 'linux/pkt_cls.h', 'linux/ptrace.h', 'linux/bpf_perf_event.h'].map((h) => `#include <${h}>`),
    ...structs.map((s) => `struct ${s} __v_${s};`),
    `long long __enumerators[] = { ${enumerators.join(', ')} };`,
  ].join('\n'));
  const obj = hasClang ? compile(probe, join(tmp, 'probe.o')) : undefined;
  const ours = obj ? parseBtf(obj.sectionByName('.BTF')!.data, 'probe .BTF') : undefined;

  it('finds the structs and enumerators', () => {
    expect(structs.length).toBeGreaterThan(40);
    expect(enumerators.length).toBeGreaterThan(150);
  });

  it('lays out every struct the kernel also has exactly as the kernel does', () => {
    const wrong: string[] = [];
    let compared = 0;
    for (const s of structs) {
      const kid = kernel!.findByName(s, 'struct');
      const oid = ours!.findByName(s, 'struct');
      if (kid === undefined || oid === undefined) continue;
      compared++;
      const k = layout(kernel!, kid);
      const o = layout(ours!, oid);
      if (kernel!.resolveSize(kid) !== ours!.resolveSize(oid)) wrong.push(`${s}: size ${ours!.resolveSize(oid)}, kernel ${kernel!.resolveSize(kid)}`);
      if (UAPI_FORM_DIFFERS.has(s)) continue;
      for (const [m, v] of k) if (o.get(m) !== v) wrong.push(`${s}.${m}: ours ${o.get(m) ?? 'missing'}, kernel ${v}`);
      for (const m of o.keys()) if (!k.has(m)) wrong.push(`${s}.${m}: not in the kernel's struct`);
    }
    expect(compared).toBeGreaterThan(35);
    expect(wrong).toEqual([]);
  });

  it('gives every enumerator the kernel also has the kernel\'s value', () => {
    const kv = new Map<string, bigint>();
    for (const t of kernel!.types) if (t.kind === 'enum' || t.kind === 'enum64') for (const v of t.values) kv.set(v.name, v.value);
    const data = obj!.sectionByName('.data')!.data;
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const wrong: string[] = [];
    let compared = 0;
    enumerators.forEach((n, k) => {
      const want = kv.get(n);
      if (want === undefined) return;
      compared++;
      const got = dv.getBigInt64(k * 8, true);
      if (BigInt.asUintN(64, got) !== BigInt.asUintN(64, want) && BigInt.asUintN(32, got) !== BigInt.asUintN(32, want)) wrong.push(`${n}: ours ${got}, kernel ${want}`);
    });
    expect(compared).toBeGreaterThan(150);
    expect(wrong).toEqual([]);
  });
});
