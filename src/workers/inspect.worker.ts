/** The inspect worker: messages in, core calls, messages out (see inspect.ts). */
import { inspectObject, needsKernelData } from '../ui/object/inspect';
import { parseKernelLog } from '../core/trace/kernel-log';
import { verifyForDebugger } from '../ui/debugger/verify-request';
import { inspectSpec } from './inspect';
import { ensureKernelData } from './kernel-data-fetch';
import { serveWorker, type WorkerScopeLike } from './serve';

serveWorker(inspectSpec, {
  object: async ({ bytes, name, siteBase }, ctx) => {
    if (needsKernelData(bytes)) {
      ctx.progress('fetching the kernel BTF');
      try {
        await ensureKernelData(siteBase);
      } catch (e) {
        // Without it the loader says what it is missing; the rest of the object still shows.
        ctx.progress(`kernel BTF not available: ${(e as Error).message}`);
      }
    }
    return inspectObject(bytes, name);
  },
  kernelLog: ({ text }) => parseKernelLog(text),
  verify: async ({ request, siteBase }, ctx) => {
    if (request.kind === 'object' && needsKernelData(request.bytes)) {
      ctx.progress('fetching the kernel BTF');
      await ensureKernelData(siteBase).catch(() => undefined);
    }
    return verifyForDebugger(request, () => ctx.signal.aborted);
  },
}, self as unknown as WorkerScopeLike);
