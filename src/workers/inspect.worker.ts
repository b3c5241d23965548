/** The inspect worker: messages in, core calls, messages out (see inspect.ts). */
import { kconfigFrom, KERNEL_DATA_FILES, parseGzippedBtf, registerKernelData, gunzip, type Btf } from '../core/index';
import { inspectObject, needsKernelData } from '../ui/object/inspect';
import { parseKernelLog } from '../core/trace/kernel-log';
import { verifyForDebugger } from '../ui/debugger/verify-request';
import { inspectSpec } from './inspect';
import { serveWorker, type WorkerScopeLike } from './serve';

let kernelData: Promise<void> | null = null;

/** Fetches and registers the 6.18 kernel BTF and Kconfig once, for CO-RE, kfuncs and __kconfig. */
function ensureKernelData(siteBase: string): Promise<void> {
  kernelData ??= (async () => {
    const get = async (path: string) => {
      const r = await fetch(new URL(path, siteBase));
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return new Uint8Array(await r.arrayBuffer());
    };
    const [btfGz, configGz, info] = await Promise.all([get(KERNEL_DATA_FILES.btf), get(KERNEL_DATA_FILES.config), get(KERNEL_DATA_FILES.info)]);
    const btf: Btf = await parseGzippedBtf(btfGz);
    const kconfig = kconfigFrom(new TextDecoder().decode(await gunzip(configGz)), JSON.parse(new TextDecoder().decode(info)));
    registerKernelData({ btf: () => btf, kconfig: () => kconfig });
  })().catch((e: unknown) => {
    kernelData = null; // try again next time
    throw e;
  });
  return kernelData;
}

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
