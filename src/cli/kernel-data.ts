/**
 * The CLI's kernel data: the 6.18 BTF and Kconfig shipped in public/kernel/6.18,
 * read and gunzipped synchronously, only when an object needs them.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseBtf } from '../core/btf/btf';
import { KERNEL_DATA_FILES, kconfigFrom, registerKernelData } from '../core/kernel-data';

const publicDir = new URL('../../public/', import.meta.url);
const read = (rel: string): Buffer => readFileSync(new URL(rel, publicDir));

/** Registers the shipped kernel data as the loader's default (idempotent). */
export function registerShippedKernelData(): void {
  registerKernelData({
    btf: () => parseBtf(new Uint8Array(gunzipSync(read(KERNEL_DATA_FILES.btf))), 'vmlinux BTF'),
    kconfig: () => kconfigFrom(gunzipSync(read(KERNEL_DATA_FILES.config)).toString('utf8'), JSON.parse(read(KERNEL_DATA_FILES.info).toString('utf8'))),
  });
}
