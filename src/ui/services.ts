/**
 * What a playground asks of work that runs elsewhere: inspecting an imported object
 * (and later compiling, verifying, running). The page gives each playground a
 * `Services`; the browser's run in workers, tests call the core directly.
 */
import type { ObjectView } from './object/inspect';
import type { ParsedKernelLog } from '../core/trace/kernel-log';
import type { Verification } from './debugger/verify-request';
import { WorkerClient, WorkerFailure } from '../workers/client';
import { inspectSpec } from '../workers/inspect';
import { execSpec, type ExecMethods, type ExecParams, type ExecResult } from '../workers/vm-exec-spec';

/** What "Verify" verifies: an assembly file, or a program of an object. */
export type VerifyRequest =
  | { kind: 'asm'; name: string; text: string }
  | { kind: 'object'; name: string; bytes: Uint8Array; program: number };

export interface Services {
  inspectObject(bytes: Uint8Array, name: string, onProgress?: (what: string) => void): Promise<ObjectView>;
  /** Reads a verifier log from a real kernel (several MB at level 2: off the page's thread). */
  parseKernelLog(text: string): Promise<ParsedKernelLog>;
  /** Runs bpfplay's verifier (log level 2) and reads its log as a kernel log. */
  verify(request: VerifyRequest): Promise<Verification>;
  /** Runs a program in the VM (or only reads and edits its maps, `mapsOnly`). A newer run supersedes an older one. */
  exec(params: Omit<ExecParams, 'siteBase'>, onProgress?: (executed: number) => void): Promise<ExecResult>;
  /** Stops the run under way, if any. */
  cancelExec(): void;
}

/**
 * A playground without services (the default): says so. The page passes
 * `workerServices`; tests pass `directServices` (services-direct.ts), which is kept out of
 * this module so the core's loader stays out of the page's first bundle.
 */
export const noServices: Services = {
  inspectObject: () => Promise.reject(new Error('this playground has no object inspector')),
  parseKernelLog: () => Promise.reject(new Error('this playground has no log reader')),
  verify: () => Promise.reject(new Error('this playground has no verifier')),
  exec: () => Promise.reject(new Error('this playground has no VM')),
  cancelExec: () => undefined,
};

/** A request that died with its worker (crash, hang) is sent once more to a fresh one. */
async function withRetry<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof WorkerFailure && (e.kind === 'crash' || e.kind === 'timeout')) return f();
    throw e;
  }
}

let inspectClient: WorkerClient<import('../workers/inspect').InspectMethods> | null = null;
let vmClient: WorkerClient<ExecMethods> | null = null;
let lastInspectWorker: Worker | null = null;

/**
 * Workers shared by every playground of the page. `siteBase` is the URL the site is
 * served from (kernel data files live under it).
 */
export function workerServices(siteBase: string): Services {
  inspectClient ??= new WorkerClient(
    inspectSpec,
    () => (lastInspectWorker = new Worker(new URL('../workers/inspect.worker.ts', import.meta.url), { type: 'module', name: 'bpfplay-inspect' })),
    { timeoutMs: 60_000 },
  );
  const client = inspectClient;
  // A run is cut into slices and can be cancelled; the timeout only catches a worker that hangs.
  vmClient ??= new WorkerClient(execSpec, () => new Worker(new URL('../workers/vm.worker.ts', import.meta.url), { type: 'module', name: 'bpfplay-vm' }), { timeoutMs: 300_000 });
  const vm = vmClient;
  return {
    inspectObject: (bytes, name, onProgress) =>
      withRetry(() => client.request('object', { bytes: bytes.slice(), name, siteBase }, { onProgress })),
    parseKernelLog: (text) => withRetry(() => client.request('kernelLog', { text }, { channel: 'kernelLog' })),
    // A newer Verify supersedes an older one; a verification that hangs is cut off.
    verify: (request) => withRetry(() => client.request('verify', { request, siteBase }, { channel: 'verify', timeoutMs: 120_000 })),
    exec: (params, onProgress) => withRetry(() => vm.request('exec', { ...params, siteBase }, {
      channel: params.mapsOnly ? 'maps' : 'exec',
      onProgress: onProgress && ((p) => onProgress(p.executed)),
    })),
    cancelExec: () => { vm.cancel('exec'); },
  };
}

/** For tests: how many inspect workers were started, and a way to make the current one "crash". */
export const inspectWorkerForTests = {
  spawned: (): number => inspectClient?.stats.spawned ?? 0,
  crash: (): void => { lastInspectWorker?.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' })); },
};
