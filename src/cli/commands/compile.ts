/**
 * `bpfplay compile prog.bpf.c [-o prog.o] [-I dir]... [-D X]... [-O2] [-g] [-mcpu=vN]`
 *
 * Compiles eBPF C with clang.wasm (the browser's compiler) in a worker thread, against
 * bpfplay's headers (`<linux/bpf.h>`, `<bpf/bpf_helpers.h>`, ..., and `vmlinux.h` of
 * Linux 6.18). The user's own headers are read from disk as clang asks for them (the
 * source's directory, `-I` directories), as native clang would. Diagnostics go to stderr
 * in clang's format. Exit status: 0 compiled, 1 clang reported errors or did not finish
 * (`--timeout`), 2 bad usage or an unreadable source.
 */
import { basename } from 'node:path';
import { parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile, writeOutputFile } from '../io';
import type { CommandResult } from '../bpfplay';
import { ClangFailure } from '../../core/compiler/clang';
import { NodeCompiler } from '../compiler/node-compiler';
import { WorkerRequestError, WorkerFailure } from '../../workers/client';

export const usage = 'bpfplay compile prog.bpf.c [-o prog.o|-] [-I dir]... [-D X[=V]]... [-O0..3] [-g|-g0] [-mcpu=v1..v4] [-Wflag]... [--timeout SEC] [--json]';

/** Options clang spells as one word (`-O2`, `-mcpu=v4`, `-Wall`): taken out before the generic parser. */
const ONE_WORD = /^(-O[0123sz]?|-g0?|-mcpu=.*|-W.*|-std=.*)$/;

export async function run(argv: string[]): Promise<CommandResult> {
  const words = argv.filter((a) => ONE_WORD.test(a));
  const args = parseArgs(argv.filter((a) => !ONE_WORD.test(a)), { values: ['-o', '--timeout'], repeat: ['-I', '-D'], flags: ['--json', '-c'] });
  const [main, ...extra] = args.positionals;
  if (!main) throw new UsageError('missing the C file to compile');
  if (extra.length) throw new UsageError(`one C file at a time (also got ${extra[0]})`);
  if (main.startsWith('-')) throw new UsageError(`${main}: a source name starting with '-' reads as an option`);
  const text = new TextDecoder().decode(readInputFile(main, 'the C file'));
  const timeoutText = args.values.get('--timeout') ?? '60';
  if (!/^\d+(\.\d+)?$/.test(timeoutText) || Number(timeoutText) <= 0) throw new UsageError(`--timeout wants seconds, not ${timeoutText}`);
  let optLevel: string | undefined;
  let debug = true;
  let mcpu: string | undefined;
  const passThrough: string[] = [];
  for (const w of words) {
    if (w.startsWith('-O')) optLevel = w;
    else if (w === '-g') debug = true;
    else if (w === '-g0') debug = false;
    else if (w.startsWith('-mcpu=')) mcpu = w.slice('-mcpu='.length);
    else passThrough.push(w);
  }
  // Like clang: prog.bpf.c -> prog.bpf.o in the current directory.
  const output = args.values.get('-o') ?? `${basename(main).replace(/\.[^.]*$/, '')}.o`;

  const compiler = new NodeCompiler();
  let r;
  try {
    r = await compiler.compile({
      files: [{ name: main, text }],
      options: {
        main, output: '-', workDir: process.cwd(), optLevel, debug, mcpu, parseableDiagnostics: false,
        defines: args.repeated.get('-D'), includes: args.repeated.get('-I'), extra: passThrough,
      },
      timeoutMs: Number(timeoutText) * 1000,
    });
  } catch (e) {
    // The options were wrong (the driver says which), or clang did not finish.
    if (e instanceof WorkerRequestError && e.info.name === 'CompileOptionsError') throw new UsageError(e.message);
    if (e instanceof WorkerRequestError || e instanceof WorkerFailure || e instanceof ClangFailure) return { code: 1, stderr: `bpfplay compile: ${main}: ${e.message}\n` };
    throw e;
  } finally {
    compiler.dispose();
  }
  const stderr = r.stderr;
  if (r.object && output !== '-') writeOutputFile(output, r.object);
  const code = r.object ? 0 : 1;
  if (args.flags.has('--json')) {
    return {
      code,
      stdout: jsonOut({ ok: code === 0, output: r.object ? output : null, errors: r.errors, warnings: r.warnings, diagnostics: r.diagnostics, stderr }),
      stderr: stderr || undefined,
    };
  }
  if (r.object && output === '-') return { code, stdoutBytes: r.object, stderr: stderr || undefined };
  return { code, stderr: stderr || undefined };
}
