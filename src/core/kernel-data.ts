/**
 * The kernel bpfplay stands in for: Linux 6.18 on x86-64, described by data files
 * generated from the reference machine (scripts/gen-kernel-data.sh):
 *
 *   public/kernel/6.18/vmlinux.btf.gz  kernel BTF: CO-RE target, kfunc and typed ksym ids
 *   public/kernel/6.18/config.gz       Kconfig: values of CONFIG_* __kconfig externs
 *   public/kernel/6.18/kernel.json     release and LINUX_KERNEL_VERSION
 *
 * The browser fetches them (relative to the site root), Node reads them from the
 * repository; either way a host registers them here once, lazily, and the object loader
 * uses them whenever an object needs them and the caller gave nothing else.
 */
import { parseBtf, type Btf } from './btf/btf';
import { KERNEL_6_18, type KconfigOptions } from './elf/externs';

/** Paths of the data files relative to `public/` (and so to the site root). */
export const KERNEL_DATA_FILES = {
  btf: 'kernel/6.18/vmlinux.btf.gz',
  config: 'kernel/6.18/config.gz',
  info: 'kernel/6.18/kernel.json',
} as const;

export interface KernelDataProvider {
  /** The kernel BTF (called at most once, only when an object needs it). */
  btf?: () => Btf | undefined;
  /** __kconfig extern values. */
  kconfig?: () => KconfigOptions;
}

let provider: KernelDataProvider = {};
let cachedBtf: { btf?: Btf } | undefined;
let cachedKconfig: KconfigOptions | undefined;

/** Registers where the default kernel data comes from (the CLI and the workers do this). */
export function registerKernelData(p: KernelDataProvider): void {
  provider = p;
  cachedBtf = undefined;
  cachedKconfig = undefined;
}

/** The registered kernel BTF, parsed once; undefined when none is registered. */
export function defaultKernelBtf(): Btf | undefined {
  if (!cachedBtf) cachedBtf = { btf: provider.btf?.() };
  return cachedBtf.btf;
}

/** The registered __kconfig values, or 6.18 defaults without any CONFIG_* values. */
export function defaultKconfig(): KconfigOptions {
  cachedKconfig ??= provider.kconfig?.() ?? KERNEL_6_18;
  return cachedKconfig;
}

/** Lines `CONFIG_X=value` of a .config file; comments and blank lines are skipped. */
export function parseKconfig(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('CONFIG_')) continue;
    const eq = line.indexOf('=');
    if (eq < 0 || eq === line.length - 1) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** KconfigOptions from the data files' contents. */
export function kconfigFrom(configText: string, info: { linux_kernel_version: number }): KconfigOptions {
  return { ...KERNEL_6_18, kernelVersion: info.linux_kernel_version, config: parseKconfig(configText) };
}

/** gunzip with the web platform's DecompressionStream (browsers and Node 18+). */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Kernel BTF from the gzipped data file. */
export async function parseGzippedBtf(bytes: Uint8Array): Promise<Btf> {
  return parseBtf(await gunzip(bytes), 'vmlinux BTF');
}
