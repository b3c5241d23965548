/**
 * clang.wasm for Node: the compiler service in a worker thread, driven by the same
 * WorkerClient as the browser's worker. The thread is what makes a runaway compile
 * stoppable: clang runs synchronously, so only terminating its thread ends it.
 */
import { Worker } from 'node:worker_threads';
import { WorkerClient, WorkerFailure, type WorkerEventLike, type WorkerLike } from '../../workers/client';
import { compilerSpec, type CompileParams, type CompileProgress, type CompilerMethods, type PrepareResult } from '../../workers/compiler-service';
import { ClangFailure, DEFAULT_TIMEOUT_MS, type CompileResult } from '../../core/compiler/clang';

/** A worker_threads Worker as the client's WorkerLike (DOM-style events). */
function nodeWorker(): WorkerLike {
  const w = new Worker(new URL('./compile-thread.mjs', import.meta.url));
  w.unref(); // an idle compiler thread does not keep the process alive
  return {
    postMessage: (m, transfer) => w.postMessage(m, transfer as never),
    terminate: () => { void w.terminate(); },
    addEventListener: (type, listener: (e: WorkerEventLike) => void) => {
      if (type === 'message') w.on('message', (data: unknown) => listener({ data }));
      else if (type === 'messageerror') w.on('messageerror', () => listener({}));
      else {
        w.on('error', (e: Error) => listener({ message: e.message }));
        w.on('exit', (code) => listener({ message: `the compiler thread exited (code ${code})` }));
      }
    },
  };
}

export interface NodeCompilerOptions {
  /** Limit for loading clang.wasm (reading and compiling 54 MB of wasm); default 120 s. */
  prepareTimeoutMs?: number;
}

/** How long after clang's own deadline the thread is terminated. */
const GRACE_MS = 2000;

export class NodeCompiler {
  private readonly client: WorkerClient<CompilerMethods>;

  constructor(private readonly opts: NodeCompilerOptions = {}) {
    this.client = new WorkerClient(compilerSpec, nodeWorker, { timeoutMs: opts.prepareTimeoutMs ?? 120_000 });
  }

  /** Loads clang.wasm into the thread (once per thread; later calls answer at once). */
  prepare(onProgress?: (p: CompileProgress) => void): Promise<PrepareResult> {
    return this.client.request('prepare', {}, { onProgress });
  }

  /**
   * Compiles; a compile that passes `params.timeoutMs` is stopped. clang checks its own
   * deadline at each system call (the clearer message); a compile that stops making
   * system calls (a macro expanding forever) is ended by terminating the thread, so the
   * hard limit starts only once clang.wasm is loaded.
   */
  async compile(params: CompileParams, onProgress?: (p: CompileProgress) => void): Promise<CompileResult> {
    await this.prepare(onProgress);
    const limit = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      return await this.client.request('compile', params, { onProgress, timeoutMs: limit + GRACE_MS });
    } catch (e) {
      if (e instanceof WorkerFailure && e.kind === 'timeout') throw new ClangFailure('timeout', `clang did not finish within ${limit / 1000} s and was stopped`);
      throw e;
    }
  }

  /** Ends the thread (a compile under way rejects). */
  terminate(): void {
    this.client.terminate();
  }

  dispose(): void {
    this.client.dispose();
  }
}
