/** Services on the calling thread: for tests in Node, and pages that cannot start workers. */
import { inspectObject } from './object/inspect';
import type { Services } from './services';
import { parseKernelLog } from '../core/trace/kernel-log';
import { verifyForDebugger } from './debugger/verify-request';

export const directServices: Services = {
  inspectObject: async (bytes, name) => inspectObject(bytes, name),
  parseKernelLog: async (text) => parseKernelLog(text),
  verify: async (request) => verifyForDebugger(request),
};
