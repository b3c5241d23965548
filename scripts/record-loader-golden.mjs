#!/usr/bin/env node
// Records what libbpf (1.1, as in Debian's bpftool and ../shared/tools/kbpf) sends to the
// kernel for every test object, and what the kernel made of it, as goldens for the ELF
// loader: test/golden/loader/NAME.json.
//
// Per object test/progs/obj/NAME.o:
//   1. `kbpf verify --elf NAME.o --log-level 0 --libbpf-debug --compact`: per program the
//      instructions libbpf sent (`insns`), its name, section, type, attach type and flags.
//      libbpf's debug log says "map 'X': created successfully, fd=N" for every map in the
//      order libbpf creates them (its map order); map fds in `lddw` immediates are replaced
//      by that order's index, which is how bpfplay numbers maps.
//   2. For every accepted program, `kbpf ... --prog P --pin PIN` then bpftool on the pinned
//      program: `bpftool -j prog dump xlated pinned PIN opcodes` (the kernel's xlated
//      instructions, map ids replaced by the map's index as above, via `bpftool map show
//      id`), `bpftool -j prog dump xlated pinned PIN linum` (source line per instruction and
//      the function signatures printed above each function),
//      and `bpftool -j map show/dump id N` for each map the program uses (definition as the
//      kernel has it; initial contents of global-data maps).
//   3. Objects whose programs libbpf cannot load one at a time (a PROG_ARRAY initialised
//      with other programs of the object: tail_calls.o) are loaded with
//      `bpftool prog loadall NAME.o DIR pinmaps DIR-maps` instead, for step 2.
//
// Usage (root, bpffs at /sys/fs/bpf): node scripts/record-loader-golden.mjs [kbpf] [NAME...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const kbpf = args[0]?.includes('/') ? args.shift() : '/tmp/kbpf/kbpf';
const root = new URL('..', import.meta.url).pathname;
const objDir = join(root, 'test/progs/obj');
const outDir = join(root, 'test/golden/loader');
const pinRoot = '/sys/fs/bpf/bpfplay-record';
mkdirSync(outDir, { recursive: true });

const run = (cmd, argv) => {
  try {
    return { ok: true, out: execFileSync(cmd, argv, { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] }).toString() };
  } catch (e) {
    return { ok: false, out: e.stdout?.toString() ?? '', err: e.stderr?.toString() ?? String(e) };
  }
};
const json = (cmd, argv) => {
  const r = run(cmd, argv);
  if (!r.out) throw new Error(`${cmd} ${argv.join(' ')} failed: ${r.err}`);
  return JSON.parse(r.out);
};

/** "map 'X': created successfully, fd=N" lines: libbpf's map order and fd of each map. */
function mapsFromLog(log) {
  const maps = [];
  // A map pinned by name that already exists is reused: "skipping creation (preset fd=N)".
  for (const m of log.matchAll(/map '([^']+)': (?:created successfully, fd=|skipping creation \(preset fd=)(\d+)/g)) maps.push({ name: m[1], fd: Number(m[2]) });
  return maps;
}

const hexOf = (bytes) => bytes.map((b) => b.replace(/^0x/, '').padStart(2, '0')).join('');
const u32le = (hex8) => Buffer.from(hex8, 'hex').readInt32LE(0);
const setImm = (hex16, v) => {
  const b = Buffer.from(hex16, 'hex');
  b.writeInt32LE(v, 4);
  return b.toString('hex');
};

/** Replaces the fd of map-loading lddw instructions by the map's index. */
function fdsToIndices(insns, fdToIndex, what) {
  const out = [...insns];
  for (let k = 0; k < out.length; k++) {
    const code = out[k].slice(0, 2);
    if (code !== '18') continue;
    const src = parseInt(out[k][2], 16);
    if (src === 1 || src === 2) {
      const fd = u32le(out[k].slice(8, 16));
      const idx = fdToIndex.get(fd);
      if (idx === undefined) throw new Error(`${what}: insn ${k} loads fd ${fd}, which no map of the log has`);
      out[k] = setImm(out[k], idx);
    }
    k++;
  }
  return out;
}

/** The kernel's xlated instructions of a pinned program, as 16-hex-digit slots. */
function xlatedOf(pin) {
  const d = json('bpftool', ['-j', 'prog', 'dump', 'xlated', 'pinned', pin, 'opcodes']);
  const slots = [];
  for (const e of d) {
    const o = e.opcodes;
    const regs = (parseInt(o.src_reg, 16) << 4) | parseInt(o.dst_reg, 16);
    const first = o.code.slice(2).padStart(2, '0') + regs.toString(16).padStart(2, '0') + hexOf(o.off) + hexOf(o.imm.slice(0, 4));
    slots.push(first);
    if (o.imm.length === 12) slots.push(hexOf(o.imm.slice(4)));
  }
  return slots;
}

/** Source annotations and function signatures bpftool prints, per xlated slot. */
function linumOf(pin) {
  const d = json('bpftool', ['-j', 'prog', 'dump', 'xlated', 'pinned', pin, 'linum']);
  const linum = [];
  const protos = [];
  let slot = 0;
  for (const e of d) {
    if (e.proto !== undefined) protos.push({ insn: slot, proto: e.proto });
    if (e.src !== undefined) linum.push({ insn: slot, src: e.src, file: e.file ?? '', line: e.line_num ?? 0, col: e.line_col ?? 0 });
    slot += /^\(18\)/.test(e.disasm) ? 2 : 1;
  }
  return { linum, protos };
}

/** Kernel map ids of xlated lddw -> bpfplay indices, via the map's name; also records map definitions. */
function mapIdsToIndices(xlated, mapIndexByName, kernelMaps, what) {
  const out = [...xlated];
  for (let k = 0; k < out.length; k++) {
    if (out[k].slice(0, 2) !== '18') continue;
    const src = parseInt(out[k][2], 16);
    if (src === 1 || src === 2) {
      const id = u32le(out[k].slice(8, 16));
      const m = json('bpftool', ['-j', 'map', 'show', 'id', String(id)]);
      const idx = mapIndexByName.get(m.name);
      if (idx === undefined) throw new Error(`${what}: xlated insn ${k} loads map id ${id} (${m.name}), not a map of the object`);
      if (!kernelMaps.has(idx)) {
        const def = { name: m.name, type: m.type, key_size: m.bytes_key, value_size: m.bytes_value, max_entries: m.max_entries, flags: m.flags, frozen: m.frozen };
        if (m.type === 'array' && m.max_entries === 1 && (m.name.includes('.') || m.name.startsWith('.'))) {
          const dump = json('bpftool', ['-j', 'map', 'dump', 'id', String(id)]);
          def.initial = dump.length ? hexOf(dump[0].value) : null;
        }
        kernelMaps.set(idx, def);
      }
      out[k] = setImm(out[k], idx);
    }
    k++;
  }
  return out;
}

const wanted = new Set(args);
const objects = readdirSync(objDir).filter((f) => f.endsWith('.o')).map((f) => f.slice(0, -2)).filter((n) => !wanted.size || wanted.has(n)).sort();
rmSync(pinRoot, { recursive: true, force: true });
mkdirSync(pinRoot, { recursive: true });
const bpffs = () => new Set(readdirSync('/sys/fs/bpf'));
for (const name of objects) {
  const obj = join(objDir, `${name}.o`);
  const pinsBefore = bpffs();
  const first = run(kbpf, ['verify', '--elf', obj, '--log-level', '0', '--libbpf-debug', '--compact']);
  if (!first.out) {
    // libbpf refuses the object itself (e.g. legacy "maps" section): record its words.
    const why = first.err.split('\n').filter((l) => l.startsWith('libbpf: ')).map((l) => l.slice(8)).pop();
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify({ recorded_with: 'node scripts/record-loader-golden.mjs (kbpf verify --elf)', object: `${name}.o`, libbpf_error: why || first.err.trim() }, null, 1)}\n`);
    console.log(`${name}: libbpf refuses it: ${why}`);
    continue;
  }
  const all = JSON.parse(first.out);
  const order = mapsFromLog(all[0]?.libbpf_log ?? '');
  const mapIndexByName = new Map(order.map((m, k) => [m.name, k]));
  const kernelMaps = new Map();
  const programs = [];
  const needsLoadall = all.length > 0 && all.every((p) => !p.accepted && p.errno === 9); // EBADF: a prog array slot names a program not loaded
  let loadallDir;
  if (needsLoadall) {
    loadallDir = join(pinRoot, name);
    const r = run('bpftool', ['prog', 'loadall', obj, loadallDir, 'pinmaps', `${loadallDir}-maps`]);
    if (!r.ok) throw new Error(`${name}: bpftool prog loadall failed: ${r.err}`);
  }
  for (const p of all) {
    const fds = mapsFromLog(p.libbpf_log ?? '');
    const fdToIndex = new Map(fds.map((m) => [m.fd, mapIndexByName.get(m.name)]));
    const rec = {
      name: p.name, section: p.section, prog_type: p.prog_type, expected_attach_type: p.expected_attach_type, prog_flags: p.prog_flags,
      accepted: p.accepted, errno_name: p.errno_name,
      insns: fdsToIndices(p.insns, fdToIndex, `${name}/${p.name}`),
    };
    // SEC("?...") programs: libbpf neither relocates nor loads them (no errno, nothing sent).
    if (!p.accepted && !p.errno) rec.loaded = false;
    let pin;
    if (p.accepted) {
      pin = join(pinRoot, `${name}-${p.name}`);
      const r = json(kbpf, ['verify', '--elf', obj, '--prog', p.name, '--log-level', '0', '--libbpf-debug', '--compact', '--pin', pin]);
      const again = r[0] ?? r;
      const fds2 = new Map(mapsFromLog(again.libbpf_log ?? '').map((m) => [m.fd, mapIndexByName.get(m.name)]));
      const insns2 = fdsToIndices(again.insns, fds2, `${name}/${p.name} (pinned)`);
      if (JSON.stringify(insns2) !== JSON.stringify(rec.insns)) throw new Error(`${name}/${p.name}: libbpf sent different instructions when loaded alone`);
    } else if (loadallDir) {
      pin = join(loadallDir, p.name);
    }
    if (pin) {
      rec.xlated = mapIdsToIndices(xlatedOf(pin), mapIndexByName, kernelMaps, `${name}/${p.name}`);
      Object.assign(rec, linumOf(pin));
      if (!loadallDir) rmSync(pin, { force: true });
    }
    programs.push(rec);
  }
  if (loadallDir) {
    for (const f of readdirSync(`${loadallDir}-maps`)) {
      const m = json('bpftool', ['-j', 'map', 'show', 'pinned', join(`${loadallDir}-maps`, f)]);
      const idx = mapIndexByName.get(m.name);
      if (idx !== undefined && !kernelMaps.has(idx)) kernelMaps.set(idx, { name: m.name, type: m.type, key_size: m.bytes_key, value_size: m.bytes_value, max_entries: m.max_entries, flags: m.flags, frozen: m.frozen });
    }
    rmSync(loadallDir, { recursive: true, force: true });
    rmSync(`${loadallDir}-maps`, { recursive: true, force: true });
  }
  // Maps pinned by name (pinning = LIBBPF_PIN_BY_NAME) stay in bpffs: remove ours.
  for (const f of bpffs()) if (!pinsBefore.has(f) && order.some((m) => m.name === f)) rmSync(join('/sys/fs/bpf', f), { force: true });
  const golden = {
    recorded_with: `node scripts/record-loader-golden.mjs (kbpf verify --elf; bpftool ${run('bpftool', ['version']).out.split('\n')[0]}; kernel ${all[0]?.kernel})`,
    object: `${name}.o`,
    maps: order.map((m, k) => ({ name: m.name, ...(kernelMaps.has(k) ? { kernel: kernelMaps.get(k) } : {}) })),
    programs,
  };
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(golden, null, 1)}\n`);
  console.log(`${name}: ${programs.length} programs (${programs.filter((p) => p.xlated).length} with xlated), ${order.length} maps`);
}
rmSync(pinRoot, { recursive: true, force: true });
