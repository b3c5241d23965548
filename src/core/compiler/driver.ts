/**
 * How bpfplay runs clang: the argument vector and the file system clang sees, the same in
 * the browser (clang.wasm in a worker) and in `bpfplay compile` (clang.wasm under Node).
 *
 * Layout of the virtual file system:
 *   /work/             the user's files (the working directory) in the browser; the CLI
 *                      uses the host's working directory and host paths instead
 *   /usr/include/      bpfplay's headers (public/include), and vmlinux.h when a file needs it
 *   /usr/lib/llvm-19/  clang's resource directory (argv[0] points into it; it stays empty:
 *                      our headers provide stddef.h and friends)
 *
 * File names are passed as the user wrote them, relative to the working directory
 * (`-working-directory`), so clang's diagnostics and the DWARF name them as a native
 * `clang -c prog.bpf.c` in that directory would. The source must be visible at the path
 * clang was given, because the BPF backend re-reads it to put each source line's text
 * into .BTF.ext.
 */

export const WORK_DIR = '/work';

/** The compile options cannot be used (a bad path, flag or macro): the user's to fix. */
export class CompileOptionsError extends Error {
  override name = 'CompileOptionsError';
}
export const SYSTEM_INCLUDE = '/usr/include';
/** argv[0]: clang finds its resource directory relative to it. */
export const CLANG_ARGV0 = '/usr/lib/llvm-19/bin/clang';

export interface CompileOptions {
  /** The file to compile, relative to the working directory (e.g. `prog.bpf.c`) or absolute. */
  main: string;
  /** Output object (`-` for stdout, how bpfplay runs it); default: main with `.o`. */
  output?: string;
  /** The working directory (absolute): relative names resolve here; DW_AT_comp_dir. Default /work. */
  workDir?: string;
  /** `-O0`..`-O3`, `-Os`, `-Oz`; default `-O2` (what BPF programs need). */
  optLevel?: string;
  /** Debug info (`-g`): BTF line info and source text. Default true. */
  debug?: boolean;
  /** `-mcpu=v1`..`v4` (or `probe`/`generic`); default clang's (v3 in clang 19). */
  mcpu?: string;
  /** `-D` macros (`NAME` or `NAME=value`). */
  defines?: string[];
  /** Extra `-I` directories, absolute or relative to the working directory. */
  includes?: string[];
  /**
   * Ask clang for source ranges and machine-readable fix-its in its diagnostics (default
   * true: the editor's markers and quick fixes). Off, stderr is byte for byte what a
   * native clang prints (the range info also indents the source snippets by a space).
   */
  parseableDiagnostics?: boolean;
  /** Further flags passed through (`-Wall`, `-Wno-...`, `-mllvm ...`). */
  extra?: string[];
}

/** The flags clang must get for diagnostics the parser reads. */
export const DIAGNOSTIC_FLAGS = ['-fno-color-diagnostics', '-fdiagnostics-parseable-fixits', '-fdiagnostics-print-source-range-info'];

const OPT = /^-O[0123sz]?$/;
const MCPU = /^(v[1-4]|generic|probe)$/;
const SAFE_PATH = /^(?!.*(?:^|\/)\.\.(?:\/|$))[\w./+-]+$/;

/** Validates a path the user controls (file names, -I dirs): no `..`, no odd characters. */
export function checkUserPath(p: string, what: string): void {
  if (!SAFE_PATH.test(p)) throw new CompileOptionsError(`${what} ${JSON.stringify(p)}: use letters, digits, '_', '-', '.', '+' and '/' only, and no '..'`);
}

const inWork = (p: string): string => (p.startsWith('/') ? p : `${WORK_DIR}/${p}`);

/** A path on clang's command line: anything but NUL and line breaks (diagnostics are lines). */
function checkArgPath(p: string, what: string): void {
  if (p === '' || /[\0\r\n]/.test(p)) throw new CompileOptionsError(`${what} ${JSON.stringify(p)}: not a usable path`);
}

/** clang's argument vector (argv[0] included) for one compile. */
export function clangArgs(opts: CompileOptions): string[] {
  checkArgPath(opts.main, 'source file');
  if (opts.main.startsWith('-')) throw new CompileOptionsError(`source file ${JSON.stringify(opts.main)}: a name starting with '-' reads as an option`);
  const output = opts.output ?? opts.main.replace(/\.[^./]*$/, '') + '.o';
  checkArgPath(output, 'output file');
  const workDir = opts.workDir ?? WORK_DIR;
  if (!workDir.startsWith('/')) throw new CompileOptionsError(`working directory ${JSON.stringify(workDir)}: not absolute`);
  checkArgPath(workDir, 'working directory');
  const opt = opts.optLevel ?? '-O2';
  if (!OPT.test(opt)) throw new CompileOptionsError(`optimisation level ${JSON.stringify(opt)}: use -O0, -O1, -O2, -O3, -Os or -Oz`);
  if (opts.mcpu !== undefined && !MCPU.test(opts.mcpu)) throw new CompileOptionsError(`-mcpu=${opts.mcpu}: use v1, v2, v3, v4, generic or probe`);
  const args = [CLANG_ARGV0, '--target=bpf', opt];
  if (opts.debug ?? true) args.push('-g');
  if (opts.mcpu) args.push(`-mcpu=${opts.mcpu}`);
  // x86-64 is the architecture bpfplay emulates (bpf_tracing.h's pt_regs access).
  args.push('-D__TARGET_ARCH_x86');
  for (const d of opts.defines ?? []) {
    if (!/^[A-Za-z_]\w*(=.*)?$/s.test(d) || /[\0\r\n]/.test(d)) throw new CompileOptionsError(`-D${d}: not a macro definition`);
    args.push(`-D${d}`);
  }
  for (const i of opts.includes ?? []) {
    checkArgPath(i, '-I directory');
    args.push(`-I${i}`);
  }
  args.push('-nostdinc', '-isystem', SYSTEM_INCLUDE, ...(opts.parseableDiagnostics ?? true ? DIAGNOSTIC_FLAGS : DIAGNOSTIC_FLAGS.slice(0, 1)), `-working-directory=${workDir}`, `-fdebug-compilation-dir=${workDir}`);
  args.push(...(opts.extra ?? []));
  args.push('-c', opts.main, '-o', output);
  return args;
}

/** Does any of these sources include vmlinux.h (so the 2.8 MB header must be provided)? */
export function needsVmlinux(sources: Iterable<string>): boolean {
  for (const s of sources) if (/^\s*#\s*include\s*[<"](?:[\w./-]*\/)?vmlinux\.h[>"]/m.test(s)) return true;
  return false;
}

/**
 * The files clang sees: user files under /work, headers under /usr/include. `headers` maps
 * paths relative to the include directory (`bpf/bpf_helpers.h`) to their text.
 */
export function virtualFiles(user: ReadonlyMap<string, string | Uint8Array>, headers: ReadonlyMap<string, string | Uint8Array>): Map<string, string | Uint8Array> {
  const fs = new Map<string, string | Uint8Array>();
  for (const [p, text] of user) {
    checkUserPath(p, 'file name');
    fs.set(inWork(p), text);
  }
  for (const [p, text] of headers) fs.set(`${SYSTEM_INCLUDE}/${p}`, text);
  return fs;
}
