/**
 * The VM worker: runs programs off the page's thread. Only an adapter; the handlers,
 * message types and guards are in vm-service.ts (runs, sessions, maps) and vm-exec.ts
 * (the playground's "Run": load, verify, run, maps through BTF).
 */
import { serveWorker, type WorkerScopeLike } from './serve';
import { createVmHandlers, vmSpec, vmTransferables, type VmMethods } from './vm-service';
import { createExecHandlers } from './vm-exec';
import { execSpec, type ExecMethods } from './vm-exec-spec';
import { ensureKernelData } from './kernel-data-fetch';
import { needsKernelData } from '../ui/object/inspect';
import type { ServiceSpec } from './protocol';

const vm = createVmHandlers();
const exec = createExecHandlers(vm, async (p) => {
  // Objects with CO-RE relocations or kernel externs need the kernel's BTF to load.
  if (p.target.kind === 'object' && p.siteBase && needsKernelData(p.target.bytes)) await ensureKernelData(p.siteBase).catch(() => undefined);
});
const spec: ServiceSpec<VmMethods & ExecMethods> = { name: 'vm', methods: { ...vmSpec.methods, ...execSpec.methods } };

serveWorker(spec, { ...vm, ...exec }, self as unknown as WorkerScopeLike, {
  // exec results carry a run result: the same buffers move instead of being copied.
  transferables: (method, result) => vmTransferables(method === 'exec' ? 'run' : method, method === 'exec' ? (result as { run: unknown }).run : result),
});
