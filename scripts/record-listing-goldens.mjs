#!/usr/bin/env node
// Records what the running kernel makes of our test programs, as goldens for the
// listings: src/core/xlated (the verifier's rewrites, bpftool's xlated text), src/core/jit
// (the JIT) and src/core/jit/x86 (the disassembler).
//
//   test/golden/xlated/NAME.json   one file per source, with per program:
//     insns            what the loader sent (libbpf for objects, the assembled program)
//     xlated           the kernel's xlated instructions (as below)
//     maps             the program's maps: kernel id, name, type (to normalise map ids)
//     bpftool          `bpftool prog dump xlated` of the pinned program: plain, opcodes,
//                      linum, visual, and -j (with opcodes, with linum)
//
//   test/golden/jit/NAME.json   one file per source, with per program:
//     xlated           the instructions after the verifier's rewrites, as the kernel
//                      reports them (BPF_OBJ_GET_INFO_BY_FD xlated_prog_insns: map
//                      pointers shown as map ids, helper calls with their final imm)
//     jited            the JIT image (all functions concatenated), hex
//     jited_func_lens  each function's length; jited_ksyms each function's kernel address
//     stack_depths     the verifier's per-function stack depth (its `stack depth A+B`
//                      statistics line): an input of the JIT the xlated code does not carry
//     objdump          `objdump -D -b binary -m i386:x86-64` of the kernel's jited bytes
//                      (instruction lines only)
//
// Sources: every object in test/progs/obj (rejected ones are skipped) and the assembly
// programs in test/golden/jit/progs/*.s (assembled by our assembler, loaded as raw
// instructions) and the C programs there (*.bpf.c, for what needs BTF). Objects load through ../shared/tools/kbpf; an object whose programs only
// load together (a statically initialised prog array) goes through `bpftool prog loadall`
// and scripts/bpf-prog-info.py.
//
// Usage: node scripts/record-listing-goldens.mjs [path/to/kbpf] [NAME...]
// Needs root, a 6.18 kernel with the JIT on, bpftool, binutils' objdump.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const args = process.argv.slice(2);
const kbpf = args[0] && args[0].includes('/') ? args.shift() : '/tmp/kbpf/kbpf';
const only = new Set(args);
const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'test/golden/jit');
const xlatedDir = join(root, 'test/golden/xlated');
const progDir = join(outDir, 'progs');
const objDir = join(root, 'test/progs/obj');

const { assemble } = await tsImport('../src/core/asm/parse.ts', import.meta.url);
const { sectionMeaning } = await tsImport('../src/core/elf/sections.ts', import.meta.url);
const { PROG_TYPES } = await tsImport('../src/core/isa/kernel-types.ts', import.meta.url);
const { programToHex } = await tsImport('../src/core/isa/insn.ts', import.meta.url);

const tmp = mkdtempSync(join(tmpdir(), 'jitrec-'));
const sh = (cmd, a, opts = {}) => spawnSync(cmd, a, { maxBuffer: 1 << 28, ...opts });

function kallsyms(names) {
  const want = new Set(names);
  const out = {};
  for (const line of readFileSync('/proc/kallsyms', 'utf8').split('\n')) {
    const [addr, , name] = line.split(/\s+/);
    if (want.has(name) && !(name in out)) out[name] = `0x${addr}`;
  }
  return out;
}

function environment() {
  const vuln = (n) => { try { return readFileSync(`/sys/devices/system/cpu/vulnerabilities/${n}`, 'utf8').trim(); } catch { return null; } };
  const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? [];
  return {
    kernel: execFileSync('uname', ['-r']).toString().trim(),
    objdump: execFileSync('objdump', ['--version']).toString().split('\n')[0],
    bpftool: execFileSync('bpftool', ['version']).toString().split('\n')[0],
    cpu_bmi2: flags.includes('bmi2'),
    spectre_v2: vuln('spectre_v2'),
    spec_rstack_overflow: vuln('spec_rstack_overflow'),
    indirect_target_selection: vuln('indirect_target_selection'),
    bpf_jit_harden: readFileSync('/proc/sys/net/core/bpf_jit_harden', 'utf8').trim(),
    // Call targets the JIT encodes relative to the image: helper calls go to
    // __bpf_call_base + imm; exits jump to the return thunk, indirect tail calls to the
    // retpoline thunk for rcx.
    kallsyms: kallsyms(['__bpf_call_base', '__x86_return_thunk', 'its_return_thunk', 'srso_alias_return_thunk', 'srso_return_thunk', 'retbleed_return_thunk', '__x86_indirect_thunk_rcx', '__x86_indirect_its_thunk_rcx', 'arch_bpf_timed_may_goto']),
  };
}

/** objdump's instruction lines for raw x86-64 bytes (addresses are offsets in the image). */
function objdump(hex) {
  const f = join(tmp, 'image.bin');
  writeFileSync(f, Buffer.from(hex, 'hex'));
  const out = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386:x86-64', f]).toString();
  return out.split('\n').filter((l) => /^ *[0-9a-f]+:\t/.test(l)).join('\n') + '\n';
}

const stackDepths = (log) => {
  const m = /^stack depth ([0-9+]+)$/m.exec(log ?? '');
  return m ? m[1].split('+').map(Number) : null;
};

/** What the kernel reports about a pinned program (scripts/bpf-prog-info.py). */
const progInfo = (pin) => JSON.parse(execFileSync('python3', [join(root, 'scripts/bpf-prog-info.py'), pin]).toString());

/** bpftool's xlated dumps and the program's maps, for a pinned program. */
function xlatedDumps(pin) {
  const bt = (...a) => execFileSync('bpftool', a, { maxBuffer: 1 << 28 }).toString();
  const show = JSON.parse(bt('-j', 'prog', 'show', 'pinned', pin));
  const maps = (show.map_ids ?? []).map((id) => {
    const m = JSON.parse(bt('-j', 'map', 'show', 'id', String(id)));
    return { id, name: m.name, type: m.type };
  });
  return {
    maps,
    bpftool: {
      plain: bt('prog', 'dump', 'xlated', 'pinned', pin),
      opcodes: bt('prog', 'dump', 'xlated', 'pinned', pin, 'opcodes'),
      linum: bt('prog', 'dump', 'xlated', 'pinned', pin, 'linum'),
      visual: bt('prog', 'dump', 'xlated', 'pinned', pin, 'visual'),
      // bpftool 7.1 takes one of opcodes / linum / visual at a time.
      json_opcodes: JSON.parse(bt('-j', 'prog', 'dump', 'xlated', 'pinned', pin, 'opcodes')),
      json_linum: JSON.parse(bt('-j', 'prog', 'dump', 'xlated', 'pinned', pin, 'linum')),
    },
  };
}

function golden(info, log, extra, pin) {
  const x = xlatedDumps(pin);
  xlatedRecords.push({ name: extra.name, prog_type: extra.prog_type, section: extra.section, insns: extra.sent, xlated: info.xlated, maps: x.maps, bpftool: x.bpftool });
  delete extra.sent;
  return {
    ...extra,
    tag: info.tag,
    xlated: info.xlated,
    jited: info.jited,
    jited_func_lens: info.jited_func_lens,
    jited_ksyms: info.jited_ksyms,
    prog_tags: info.prog_tags,
    func_info: info.func_info,
    line_info: info.line_info,
    jited_line_info: info.jited_line_info,
    stack_depths: stackDepths(log),
    objdump: objdump(info.jited),
  };
}

const pinPath = () => `/sys/fs/bpf/jitrec-${process.pid}`;
/** The xlated records of the source being recorded. */
let xlatedRecords = [];

/** Programs of an object that only load together: bpftool loadall, pinned, read back. */
function viaBpftool(obj) {
  const pin = pinPath();
  const maps = `${pin}-maps`;
  mkdirSync(maps, { recursive: true });
  try {
    const r = sh('bpftool', ['-d', 'prog', 'loadall', obj, pin, 'pinmaps', maps]);
    if (r.status !== 0) throw new Error(`bpftool prog loadall ${obj} failed:\n${r.stderr.toString().slice(-2000)}`);
    const logs = new Map();
    for (const m of r.stderr.toString().matchAll(/libbpf: prog '([^']+)': -- BEGIN PROG LOAD LOG --\n([\s\S]*?)-- END PROG LOAD LOG --/g)) logs.set(m[1], m[2]);
    const out = [];
    for (const p of readdirSync(pin).sort()) {
      const show = JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'show', 'pinned', join(pin, p)]).toString());
      out.push(golden(progInfo(join(pin, p)), logs.get(p), { name: show.name, prog_type: show.type, loaded_by: 'bpftool prog loadall', sent: null }, join(pin, p)));
    }
    return out;
  } finally {
    rmSync(pin, { recursive: true, force: true });
    rmSync(maps, { recursive: true, force: true });
  }
}

function recordObject(file) {
  const r = sh(kbpf, ['verify', '--elf', file, '--compact']);
  const res = JSON.parse(r.stdout.toString() || '[]');
  // SEC("?...") programs are not loaded (autoload off): accepted false without an error.
  const loaded = res.filter((d) => d.accepted || d.error);
  if (loaded.length && loaded.every((d) => d.accepted)) {
    // Once more per program, pinned, with the statistics (stack depths) in the log.
    return loaded.map((d) => {
      const pin = pinPath();
      try {
        const one = JSON.parse(execFileSync(kbpf, ['verify', '--elf', file, '--prog', d.name, '--log-level', '5', '--pin', pin, '--compact']).toString())[0];
        return golden(progInfo(pin), one.verifier_log, { name: d.name, section: d.section, prog_type: d.prog_type, loaded_by: 'kbpf verify --elf', sent: one.insns }, pin);
      } finally {
        rmSync(pin, { force: true });
      }
    });
  }
  if (res.some((d) => /failed to initialize slot/.test(d.libbpf_log ?? ''))) return viaBpftool(file);
  return null; // rejected by the verifier: nothing to JIT
}

function recordAsm(file) {
  const a = assemble(readFileSync(file, 'utf8'));
  const meaning = sectionMeaning(a.section ?? 'socket');
  const progType = PROG_TYPES.name(meaning.progType).toLowerCase();
  const mapFds = [...a.mapRefs];
  // `r1 = map[id:N][0]+OFF` names a map by index: a map-value load of map N.
  a.insns.forEach((i, k) => { if (i.code === 0x18 && i.src === 2 && !mapFds.some(([s]) => s === k)) mapFds.push([k, i.imm]); });
  const input = { prog_type: progType, name: basename(file, '.s').slice(0, 15), insns: programToHex(a.insns), maps: a.maps, fixups: { map_fds: mapFds } };
  const inFile = join(tmp, 'in.json');
  writeFileSync(inFile, JSON.stringify(input));
  const pin = pinPath();
  try {
    const r = sh(kbpf, ['verify', '--insns', inFile, '--log-level', '5', '--pin', pin, '--compact']);
    const d = JSON.parse(r.stdout.toString() || 'null');
    if (!d?.accepted) throw new Error(`${file}: the kernel rejected it: ${d?.error}\n${d?.verifier_log?.slice(-3000) ?? r.stderr}`);
    return [golden(progInfo(pin), d.verifier_log, { name: input.name, section: a.section ?? 'socket', prog_type: progType, insns: input.insns, loaded_by: 'kbpf verify --insns', sent: input.insns }, pin)];
  } finally {
    rmSync(pin, { force: true });
  }
}

const env = environment();
const sources = [
  ...readdirSync(objDir).filter((f) => f.endsWith('.o')).sort().map((f) => ({ name: basename(f, '.o'), path: join(objDir, f), kind: 'elf' })),
  ...readdirSync(progDir).filter((f) => f.endsWith('.s')).sort().map((f) => ({ name: `asm_${basename(f, '.s')}`, path: join(progDir, f), kind: 'asm' })),
  ...readdirSync(progDir).filter((f) => f.endsWith('.bpf.c')).sort().map((f) => ({ name: `c_${basename(f, '.bpf.c')}`, path: join(progDir, f), kind: 'c' })),
];

/** C programs that need BTF: built like scripts/build-test-progs.sh does, into a temporary object. */
function recordC(file) {
  const obj = join(tmp, `${basename(file, '.bpf.c')}.o`);
  execFileSync('clang-19', ['--target=bpf', '-O2', '-g', '-D__TARGET_ARCH_x86', '-I', '/usr/include/x86_64-linux-gnu', '-c', file, '-o', obj]);
  const programs = recordObject(obj);
  if (!programs) throw new Error(`${file}: the kernel rejected it`);
  return programs;
}
let n = 0;
try {
  for (const s of sources) {
    if (only.size && !only.has(s.name)) continue;
    xlatedRecords = [];
    const programs = s.kind === 'elf' ? recordObject(s.path) : s.kind === 'c' ? recordC(s.path) : recordAsm(s.path);
    if (!programs) { console.log(`skip ${s.name} (rejected)`); continue; }
    const golden = {
      source: s.path.slice(root.length),
      recorded_by: 'node scripts/record-listing-goldens.mjs',
      environment: env,
      programs,
    };
    writeFileSync(join(outDir, `${s.name}.json`), JSON.stringify(golden, null, 1) + '\n');
    writeFileSync(join(xlatedDir, `${s.name}.json`), JSON.stringify({ source: golden.source, recorded_by: golden.recorded_by, environment: { kernel: env.kernel, bpftool: env.bpftool }, programs: xlatedRecords }, null, 1) + '\n');
    n++;
    console.log(`${s.name}: ${programs.map((p) => `${p.name} ${p.jited.length / 2}B`).join(', ')}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`recorded ${n} files`);
