/** Services on the calling thread: for tests in Node, and pages that cannot start workers. */
import { inspectObject } from './object/inspect';
import type { Services } from './services';

export const directServices: Services = {
  inspectObject: async (bytes, name) => inspectObject(bytes, name),
};
