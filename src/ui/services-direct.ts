/** Services on the calling thread: for tests in Node, and pages that cannot start workers. */
import { inspectObject } from './object/inspect';
import type { Services } from './services';
import { parseKernelLog } from '../core/trace/kernel-log';

export const directServices: Services = {
  inspectObject: async (bytes, name) => inspectObject(bytes, name),
  parseKernelLog: async (text) => parseKernelLog(text),
};
