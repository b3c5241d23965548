/**
 * The VM worker: runs programs off the page's thread. Only an adapter; the handlers,
 * message types and guards are in vm-service.ts.
 */
import { serveWorker, type WorkerScopeLike } from './serve';
import { createVmHandlers, vmSpec, vmTransferables } from './vm-service';

serveWorker(vmSpec, createVmHandlers(), self as unknown as WorkerScopeLike, { transferables: vmTransferables });
