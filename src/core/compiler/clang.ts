/**
 * Running clang.wasm: one fresh instance per compile (a fatal error inside clang calls
 * exit(), and memory is never given back), over a `MemoryFs` holding the user's files
 * and our headers. The same code runs in the browser's compiler worker and in
 * `bpfplay compile`; they differ only in where the module and the headers come from.
 */
import { runWasi, MemoryFs, WasiTimeout, type HostLookup } from './wasi';
import { clangArgs, needsVmlinux, SYSTEM_INCLUDE, WORK_DIR, type CompileOptions } from './driver';
import { countDiagnostics, parseClangDiagnostics, type Diagnostic } from './diagnostics';

/** Why clang did not give an answer of its own. */
export type ClangFailureKind = 'timeout' | 'trap' | 'stack' | 'memory';

/** clang.wasm stopped without exiting: a timeout, a trap, a stack overflow, memory. */
export class ClangFailure extends Error {
  override name = 'ClangFailure';
  constructor(readonly kind: ClangFailureKind, message: string) {
    super(message);
  }
}

export interface ClangRun {
  exitCode: number;
  stdout: Uint8Array;
  stderr: string;
}

/** Default limit of one compile: long enough for vmlinux.h on a slow machine, short enough to stop a runaway one. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs clang.wasm with `args` (argv[0] included) over `fs`. Throws `ClangFailure` when it does not exit. */
export async function runClang(module: WebAssembly.Module, args: string[], fs: MemoryFs, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ClangRun> {
  try {
    const r = await runWasi(module, { args, fs, env: { PATH: '/usr/bin:/bin', TERM: 'dumb' }, timeoutMs });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: new TextDecoder().decode(r.stderr) };
  } catch (e) {
    throw asClangFailure(e, timeoutMs);
  }
}

/** Names what went wrong when clang.wasm stopped without exiting. */
export function asClangFailure(e: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): ClangFailure {
  if (e instanceof ClangFailure) return e;
  if (e instanceof WasiTimeout) return new ClangFailure('timeout', `clang did not finish within ${timeoutMs / 1000} s and was stopped`);
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof RangeError && /call stack/i.test(msg)) return new ClangFailure('stack', `clang ran out of stack (the source nests too deeply?): ${msg}`);
  if (/out of memory|allocation failed|Cannot allocate|array buffer allocation/i.test(msg)) return new ClangFailure('memory', `clang ran out of memory: ${msg}`);
  return new ClangFailure('trap', `clang.wasm crashed: ${msg}`);
}

// ---------------------------------------------------------------------------------------
// Compiling

export interface SourceFile {
  /** Path relative to the working directory (`prog.bpf.c`, `include/common.h`). */
  name: string;
  text: string | Uint8Array;
}

export interface CompileRequest {
  files: SourceFile[];
  /** Flags; `main` names one of `files`. */
  options: CompileOptions;
  timeoutMs?: number;
}

export interface CompileResult {
  /** clang's exit status (0: an object was produced). */
  exitCode: number;
  /** The ELF object, when clang succeeded. */
  object: Uint8Array | null;
  /** clang's stderr as it printed it. */
  stderr: string;
  diagnostics: Diagnostic[];
  errors: number;
  warnings: number;
  /** The argument vector clang ran with. */
  args: string[];
  /** Wall time of the clang run, in ms. */
  ms: number;
}

/** Where our headers come from: relative paths (`bpf/bpf_helpers.h`) and their text. */
export interface HeaderSet {
  files: ReadonlyMap<string, string | Uint8Array>;
  /** vmlinux.h, when a source includes it (loaded on demand: it is 2.8 MB). */
  vmlinux?: string | Uint8Array;
}

/** Does this request need vmlinux.h (the host then loads it before compiling)? */
export const requestNeedsVmlinux = (req: Pick<CompileRequest, 'files'>): boolean =>
  needsVmlinux(req.files.map((f) => (typeof f.text === 'string' ? f.text : new TextDecoder().decode(f.text))));

export interface FsOptions {
  /** Files the host supplies on demand (the CLI's disk); never asked about our header directories. */
  host?: HostLookup;
}

/** The file system one compile sees: the user's files in the working directory, our headers in /usr/include. */
export function compileFs(req: CompileRequest, headers: HeaderSet, opts: FsOptions = {}): MemoryFs {
  const workDir = req.options.workDir ?? WORK_DIR;
  const fs = new MemoryFs({ host: opts.host, hostExcludes: [SYSTEM_INCLUDE, '/usr/lib/llvm-19'] });
  fs.mkdirp(workDir);
  fs.mkdirp('/usr/lib/llvm-19/bin');
  for (const [path, text] of headers.files) fs.writeFile(`${SYSTEM_INCLUDE}/${path}`, text);
  if (headers.vmlinux !== undefined) fs.writeFile(`${SYSTEM_INCLUDE}/vmlinux.h`, headers.vmlinux);
  for (const f of req.files) fs.writeFile(f.name.startsWith('/') ? f.name : `${workDir}/${f.name}`, f.text);
  return fs;
}

/** Compiles one C file to a BPF object with clang.wasm. Throws `ClangFailure` when clang does not exit. */
export async function compileC(module: WebAssembly.Module, req: CompileRequest, headers: HeaderSet, opts: FsOptions = {}): Promise<CompileResult> {
  const args = clangArgs({ ...req.options, output: '-' });
  const fs = compileFs(req, headers, opts);
  const t0 = Date.now();
  const run = await runClang(module, args, fs, req.timeoutMs);
  const ms = Date.now() - t0;
  const diagnostics = parseClangDiagnostics(run.stderr);
  const { errors, warnings } = countDiagnostics(diagnostics);
  const object = run.exitCode === 0 && isElf(run.stdout) ? run.stdout : null;
  return { exitCode: object || run.exitCode !== 0 ? run.exitCode : 1, object, stderr: run.stderr, diagnostics, errors, warnings, args, ms };
}

const isElf = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
