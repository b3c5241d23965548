/**
 * The kernel differential harness: asks the running Linux kernel what it makes of a
 * program, so tests can compare bpfplay against it.
 *
 * - Raw instruction programs go through `kload` (test/kernel/kload.c, our own small
 *   bpf(2) loader, compiled here with the system C compiler): any log level, load flags,
 *   maps, test runs.
 * - ELF objects go through Debian's `bpftool` (libbpf): `bpftool -d prog loadall` for the
 *   full verifier log, `prog dump xlated [linum|opcodes]`, `prog run`, `map dump`.
 *
 * When the kernel refuses BPF (not root, no bpftool, no bpffs, a lockdown), `kernelStatus()`
 * says why in one line and the kernel tests skip with that reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { programToHex, type Insn } from '../../src/core/isa/insn';
import type { MapDef } from '../../src/core/elf/loaded-object';

const here = fileURLToPath(new URL('.', import.meta.url));
const buildDir = join(here, '.build');
const kloadBin = join(buildDir, 'kload');

export interface KernelStatus {
  available: boolean;
  /** Why the kernel cannot be asked (empty when available). */
  reason: string;
}

let status: KernelStatus | undefined;

const which = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Whether the kernel can load BPF here; cached. Mounts bpffs if needed. */
export function kernelStatus(): KernelStatus {
  if (status) return status;
  const no = (reason: string): KernelStatus => (status = { available: false, reason });
  if (process.platform !== 'linux') return no('not Linux');
  if (process.getuid?.() !== 0) return no('not root (BPF needs CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN)');
  if (!which('bpftool')) return no('bpftool is not installed (apt-get install bpftool)');
  if (!which('cc')) return no('no C compiler to build test/kernel/kload.c');
  try {
    if (!isBpffs()) {
      mkdirSync('/sys/fs/bpf', { recursive: true });
      execFileSync('mount', ['-t', 'bpf', 'bpf', '/sys/fs/bpf'], { stdio: 'ignore' });
    }
  } catch {
    return no('bpffs is not mounted at /sys/fs/bpf and mounting it failed');
  }
  try {
    buildKload();
  } catch (e) {
    return no(`building test/kernel/kload.c failed: ${(e as Error).message.split('\n')[0]}`);
  }
  const probe = loadRaw({ insns: [{ code: 0xb7, dst: 0, src: 0, off: 0, imm: 0 }, { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 }], progType: 1 });
  if (!probe.accepted) return no(`the kernel refused a trivial program (errno ${probe.errno}): BPF is not usable here`);
  return (status = { available: true, reason: '' });
}

function isBpffs(): boolean {
  try {
    return execFileSync('stat', ['-f', '-c', '%T', '/sys/fs/bpf']).toString().trim() === 'bpf_fs';
  } catch {
    return false;
  }
}

function buildKload(): void {
  const src = join(here, 'kload.c');
  if (existsSync(kloadBin) && statSync(kloadBin).mtimeMs >= statSync(src).mtimeMs) return;
  mkdirSync(buildDir, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-o', kloadBin, src], { stdio: 'pipe' });
}

/** A one-line note for skipped kernel tests. */
export function skipNote(): string {
  const s = kernelStatus();
  return s.available ? '' : `kernel tests skipped: ${s.reason}`;
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'bpfplay-k-'));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export interface RawLoadRequest {
  insns: readonly Insn[];
  /** `BPF_PROG_TYPE_*` value. */
  progType: number;
  expectedAttachType?: number;
  /** `BPF_F_*` load flags. */
  flags?: number;
  logLevel?: number;
  maps?: readonly MapDef[];
  /** [slot, map index] of lddw map loads. */
  mapFds?: ReadonlyArray<readonly [number, number]>;
  /** Initial map entries: [map index, key, value]. */
  mapInit?: ReadonlyArray<readonly [number, Uint8Array, Uint8Array]>;
  /** Pin the loaded program here (for bpftool dump xlated). */
  pin?: string;
  run?: { data?: Uint8Array; ctx?: Uint8Array; repeat?: number; dataOutSize?: number };
}

export interface RawLoadResult {
  accepted: boolean;
  errno: number;
  log: string;
  /** The last line of the log before the `processed` summary: the kernel's error line on a rejection. */
  errorLine: string | null;
  processedInsns: number | null;
  retval?: number;
  durationNs?: number;
  dataOut?: Uint8Array;
  ctxOut?: Uint8Array;
  /** Per map: [key hex, value hex] entries in the kernel's iteration order. */
  maps?: [string, string][][];
  runErrno?: number;
}

/** Loads raw instructions with our kload; runs them when `run` is given. */
export function loadRaw(req: RawLoadRequest): RawLoadResult {
  buildKload();
  const dir = tmp();
  try {
    const insnsFile = join(dir, 'insns.hex');
    writeFileSync(insnsFile, programToHex(req.insns).join('\n'));
    const args = ['--insns', insnsFile, '--type', String(req.progType), '--log-level', String(req.logLevel ?? 1)];
    if (req.expectedAttachType !== undefined) args.push('--attach-type', String(req.expectedAttachType));
    if (req.flags) args.push('--flags', String(req.flags));
    for (const m of req.maps ?? []) args.push('--map', [m.type, m.keySize, m.valueSize, m.maxEntries, m.flags, m.innerMap ?? -1].join(','));
    for (const [map, k, v] of req.mapInit ?? []) args.push('--map-init', `${map},${hexOf(k)},${hexOf(v)}`);
    for (const [slot, map] of req.mapFds ?? []) args.push('--fixup', `${slot},${map}`);
    if (req.pin) args.push('--pin', req.pin);
    if (req.run) {
      const data = join(dir, 'data');
      writeFileSync(data, req.run.data ?? new Uint8Array(0));
      if (req.run.data) args.push('--data', data);
      if (req.run.ctx) { writeFileSync(join(dir, 'ctx'), req.run.ctx); args.push('--ctx', join(dir, 'ctx')); }
      if (req.run.repeat) args.push('--repeat', String(req.run.repeat));
      if (req.run.dataOutSize) args.push('--data-out-size', String(req.run.dataOutSize));
    }
    const r = spawnSync(kloadBin, args, { maxBuffer: 1 << 28 });
    if (r.status === 2 || !r.stdout.length) throw new Error(`kload: ${r.stderr.toString().trim()}`);
    const j = JSON.parse(r.stdout.toString());
    const log: string = j.log ?? '';
    return {
      accepted: j.accepted,
      errno: j.errno ?? 0,
      log,
      errorLine: j.accepted ? null : errorLineOf(log),
      processedInsns: processedOf(log),
      retval: j.retval,
      durationNs: j.duration_ns,
      dataOut: j.data_out !== undefined ? Buffer.from(j.data_out, 'hex') : undefined,
      ctxOut: j.ctx_out !== undefined ? Buffer.from(j.ctx_out, 'hex') : undefined,
      maps: j.maps,
      runErrno: j.run_errno,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kernel's error line: the last non-empty line before the `processed ...` summary. */
export function errorLineOf(log: string): string | null {
  const lines = log.split('\n').filter((l) => l.trim() !== '');
  const summary = lines.findIndex((l) => l.startsWith('processed '));
  const body = summary >= 0 ? lines.slice(0, summary) : lines;
  return body.length ? body[body.length - 1] : null;
}

export function processedOf(log: string): number | null {
  const m = /^processed (\d+) insns/m.exec(log);
  return m ? Number(m[1]) : null;
}

// ---------------------------------------------------------------------------------------
// ELF objects through bpftool

export interface ObjectLoad {
  /** True when every program of the object loaded. */
  accepted: boolean;
  /** Verifier log (level 2 + stats, as `bpftool -d` asks for) per program name. */
  logs: Map<string, string>;
  /** libbpf's and bpftool's own messages. */
  stderr: string;
  /** Loaded program names (pinned under `progDir`). */
  programs: string[];
  progDir: string;
  mapDir: string;
  /** `bpftool prog dump xlated pinned ... [linum] [opcodes]` text. */
  xlated(prog: string, ...words: ('linum' | 'opcodes')[]): string;
  /** `bpftool -j prog dump xlated pinned ... opcodes` parsed. */
  xlatedJson(prog: string): unknown;
  /** `bpftool prog run pinned ... data_in ... [repeat N]`. */
  run(prog: string, data: Uint8Array, repeat?: number): { retval: number; durationNs: number; dataOut: Uint8Array };
  /** `bpftool -j map dump pinned ...`: [key, value] as byte arrays (hex); per-CPU values back to back in CPU order. */
  mapDump(name: string): [string, string][];
  cleanup(): void;
}

let seq = 0;

/** Loads every program of an object with bpftool; programs and maps are pinned until cleanup(). */
export function loadObject(obj: Uint8Array | string, opts: { type?: string } = {}): ObjectLoad {
  const dir = tmp();
  const path = typeof obj === 'string' ? obj : join(dir, 'obj.o');
  if (typeof obj !== 'string') writeFileSync(path, obj);
  const id = `bpfplay-${process.pid}-${++seq}`;
  const progDir = `/sys/fs/bpf/${id}`;
  const mapDir = `/sys/fs/bpf/${id}-maps`;
  mkdirSync(mapDir, { recursive: true });
  const args = ['-d', 'prog', 'loadall', path, progDir];
  if (opts.type) args.push('type', opts.type);
  args.push('pinmaps', mapDir);
  const r = spawnSync('bpftool', args, { maxBuffer: 1 << 28 });
  const stderr = r.stderr.toString();
  const logs = new Map<string, string>();
  for (const m of stderr.matchAll(/libbpf: prog '([^']+)': -- BEGIN PROG LOAD LOG --\n([\s\S]*?)-- END PROG LOAD LOG --/g)) logs.set(m[1], m[2]);
  const programs = existsSync(progDir) ? readdirSync(progDir) : [];
  const pinned = (p: string) => join(progDir, p);
  return {
    accepted: r.status === 0,
    logs,
    stderr,
    programs,
    progDir,
    mapDir,
    xlated: (p, ...words) => execFileSync('bpftool', ['prog', 'dump', 'xlated', 'pinned', pinned(p), ...words]).toString(),
    xlatedJson: (p) => JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'dump', 'xlated', 'pinned', pinned(p), 'opcodes']).toString()),
    run: (p, data, repeat) => {
      const d = tmp();
      try {
        const inF = join(d, 'in');
        const outF = join(d, 'out');
        writeFileSync(inF, data);
        const a = ['-j', 'prog', 'run', 'pinned', pinned(p), 'data_in', inF, 'data_out', outF];
        if (repeat) a.push('repeat', String(repeat));
        const j = JSON.parse(execFileSync('bpftool', a).toString());
        return { retval: j.retval, durationNs: j.duration, dataOut: existsSync(outF) ? new Uint8Array(readFileSync(outF)) : new Uint8Array(0) };
      } finally {
        rmSync(d, { recursive: true, force: true });
      }
    },
    mapDump: (name) => {
      const j = JSON.parse(execFileSync('bpftool', ['-j', 'map', 'dump', 'pinned', join(mapDir, name)]).toString()) as { key: string[]; value?: string[]; values?: { cpu: number; value: string[] }[] }[];
      const hex = (a: string[]) => a.map((x) => x.replace(/^0x/, '')).join('');
      // Per-CPU maps: every CPU's value, in CPU order, back to back.
      return j.map((e) => [hex(e.key), e.values ? e.values.map((v) => hex(v.value)).join('') : hex(e.value ?? [])]);
    },
    cleanup: () => {
      rmSync(progDir, { recursive: true, force: true });
      rmSync(mapDir, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
