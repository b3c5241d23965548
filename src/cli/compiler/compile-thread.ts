/** The CLI's compiler thread: the compiler service over the repository's files (see compiler-service.ts). */
import { parentPort } from 'node:worker_threads';
import { compilerSpec, compilerTransferables, createCompilerHandlers } from '../../workers/compiler-service';
import { serveWorker, type WorkerScopeLike } from '../../workers/serve';
import { nodeCompilerEnv } from './clang-files';

if (!parentPort) throw new Error('compile-thread.ts runs as a worker thread');
serveWorker(compilerSpec, createCompilerHandlers(nodeCompilerEnv()), parentPort as unknown as WorkerScopeLike, { transferables: compilerTransferables });
