/**
 * The compiler's service: message types, runtime guards and handlers, shared by the
 * browser's compiler worker (compiler.worker.ts) and the CLI's compiler thread
 * (src/cli/compile-thread.ts). They differ only in their `CompilerEnv`: where clang.wasm
 * and the headers come from (fetch + Cache Storage, or the repository on disk) and
 * whether the host's files can be read (the CLI's include directories).
 *
 *   const compiler = new WorkerClient(compilerSpec, spawn, { timeoutMs: 120_000 });
 *   const r = await compiler.request('compile', { files, options: { main: 'prog.bpf.c' } }, { onProgress });
 *
 * A compile runs clang.wasm synchronously inside the worker: `cancel` cannot interrupt
 * it, so cancelling means terminating the worker (the client does), and a runaway compile
 * is stopped by clang's own deadline (checked at each system call) or, failing that, by
 * the client's timeout.
 */
import { compileC, requestNeedsVmlinux, type CompileRequest, type CompileResult, type HeaderSet } from '../core/compiler/clang';
import type { CompileOptions } from '../core/compiler/driver';
import type { HostLookup } from '../core/compiler/wasi';
import type { ServiceSpec } from './protocol';
import type { HandlerContext, Handlers } from './serve';

/** What a compile is waiting for: shown as a progress bar / status line. */
export type CompileProgress =
  | { phase: 'download'; loaded: number; total: number | null }
  | { phase: 'prepare'; what: string }
  | { phase: 'compile' };

export interface CompileParams {
  files: { name: string; text: string }[];
  options: CompileOptions;
  timeoutMs?: number;
}

export interface PrepareResult {
  /** Where clang.wasm came from: the network, a cache, or memory (already loaded). */
  source: 'network' | 'cache' | 'memory';
  ms: number;
}

export interface CompilerMethods {
  compile: { params: CompileParams; result: CompileResult; progress: CompileProgress };
  /** Loads and compiles clang.wasm ahead of the first compile. */
  prepare: { params: Record<string, never>; result: PrepareResult; progress: CompileProgress };
}

/** Where a compiler gets its parts. */
export interface CompilerEnv {
  /** clang.wasm, compiled; called once per worker (the handler keeps the promise). */
  loadModule(progress: (p: CompileProgress) => void): Promise<{ module: WebAssembly.Module; source: PrepareResult['source'] }>;
  /** Our headers, with vmlinux.h when `vmlinux` is set. */
  loadHeaders(vmlinux: boolean, progress: (p: CompileProgress) => void): Promise<HeaderSet>;
  /** The host's files, on demand (the CLI). */
  host?: HostLookup;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((s) => typeof s === 'string'));

export function isCompileOptions(v: unknown): v is CompileOptions {
  if (!isObj(v) || typeof v.main !== 'string') return false;
  for (const k of ['output', 'workDir', 'optLevel', 'mcpu'] as const) if (v[k] !== undefined && typeof v[k] !== 'string') return false;
  if ((v.debug !== undefined && typeof v.debug !== 'boolean') || (v.parseableDiagnostics !== undefined && typeof v.parseableDiagnostics !== 'boolean')) return false;
  return isStrings(v.defines) && isStrings(v.includes) && isStrings(v.extra);
}

export const isCompileParams = (v: unknown): v is CompileParams =>
  isObj(v) && Array.isArray(v.files) && v.files.every((f) => isObj(f) && typeof f.name === 'string' && typeof f.text === 'string')
  && isCompileOptions(v.options) && (v.timeoutMs === undefined || (typeof v.timeoutMs === 'number' && v.timeoutMs > 0));

export const isCompileResult = (v: unknown): v is CompileResult =>
  isObj(v) && typeof v.exitCode === 'number' && (v.object === null || v.object instanceof Uint8Array) && typeof v.stderr === 'string'
  && Array.isArray(v.diagnostics) && typeof v.errors === 'number' && typeof v.warnings === 'number' && Array.isArray(v.args) && typeof v.ms === 'number';

export const isPrepareResult = (v: unknown): v is PrepareResult =>
  isObj(v) && (v.source === 'network' || v.source === 'cache' || v.source === 'memory') && typeof v.ms === 'number';

export const compilerSpec: ServiceSpec<CompilerMethods> = {
  name: 'compiler',
  methods: {
    compile: { params: isCompileParams, result: isCompileResult },
    prepare: { params: isObj as (v: unknown) => v is Record<string, never>, result: isPrepareResult },
  },
};

/** The object's bytes move to the caller instead of being copied. */
export const compilerTransferables = (method: string, result: unknown): Transferable[] =>
  method === 'compile' && isObj(result) && result.object instanceof Uint8Array ? [result.object.buffer as ArrayBuffer] : [];

export function createCompilerHandlers(env: CompilerEnv): Handlers<CompilerMethods> {
  let module: Promise<{ module: WebAssembly.Module; source: PrepareResult['source'] }> | null = null;
  const headers = new Map<boolean, Promise<HeaderSet>>();
  const ensureModule = (ctx: HandlerContext<CompileProgress>) => {
    module ??= env.loadModule((p) => ctx.progress(p)).catch((e: unknown) => {
      module = null; // try again next time
      throw e;
    });
    return module;
  };
  const ensureHeaders = (vmlinux: boolean, ctx: HandlerContext<CompileProgress>) => {
    let h = headers.get(vmlinux);
    if (!h) {
      h = env.loadHeaders(vmlinux, (p) => ctx.progress(p)).catch((e: unknown) => {
        headers.delete(vmlinux);
        throw e;
      });
      headers.set(vmlinux, h);
    }
    return h;
  };
  return {
    prepare: async (_params, ctx) => {
      const t0 = Date.now();
      const first = module === null;
      const m = await ensureModule(ctx);
      return { source: first ? m.source : 'memory', ms: Date.now() - t0 };
    },
    compile: async (params, ctx) => {
      const req: CompileRequest = { files: params.files, options: params.options, timeoutMs: params.timeoutMs };
      const [{ module: m }, h] = await Promise.all([ensureModule(ctx), ensureHeaders(requestNeedsVmlinux(req), ctx)]);
      if (ctx.signal.aborted) throw new DOMException('compile cancelled', 'AbortError');
      ctx.progress({ phase: 'compile' });
      return compileC(m, req, h, { host: env.host });
    },
  };
}
