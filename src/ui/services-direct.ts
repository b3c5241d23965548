/** Services on the calling thread: for tests in Node, and pages that cannot start workers. */
import { inspectObject } from './object/inspect';
import type { Services } from './services';
import { parseKernelLog } from '../core/trace/kernel-log';
import { verifyForDebugger } from './debugger/verify-request';
import { createVmHandlers } from '../workers/vm-service';
import { createExecHandlers } from '../workers/vm-exec';

const exec = createExecHandlers(createVmHandlers());
let cancelled = new AbortController();

export const directServices: Services = {
  inspectObject: async (bytes, name) => inspectObject(bytes, name),
  parseKernelLog: async (text) => parseKernelLog(text),
  verify: async (request) => verifyForDebugger(request),
  exec: async (params, onProgress) => exec.exec(params, { id: 0, signal: cancelled.signal, progress: (p) => onProgress?.(p.executed) }),
  cancelExec: () => { cancelled.abort(); cancelled = new AbortController(); },
};
