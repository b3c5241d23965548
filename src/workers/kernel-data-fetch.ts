/**
 * The 6.18 kernel's BTF and Kconfig, fetched from the site and registered with the core
 * once per worker, for objects that need them (CO-RE relocations, kfuncs, typed ksyms,
 * `__kconfig`). Shared by the workers that load objects (inspect, VM).
 */
import type { Btf } from '../core/btf/btf';
import { gunzip, kconfigFrom, KERNEL_DATA_FILES, parseGzippedBtf, registerKernelData } from '../core/kernel-data';

let kernelData: Promise<void> | null = null;

export function ensureKernelData(siteBase: string): Promise<void> {
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
