import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gunzip, KERNEL_DATA_FILES, kconfigFrom, parseGzippedBtf, parseKconfig } from './kernel-data';

const shipped = (rel: string) => new Uint8Array(readFileSync(new URL(`../../public/${rel}`, import.meta.url)));

describe('shipped 6.18 kernel data, decoded the way the browser does (DecompressionStream)', () => {
  it('parses the kernel BTF', async () => {
    const btf = await parseGzippedBtf(shipped(KERNEL_DATA_FILES.btf));
    expect(btf.count).toBeGreaterThan(100000);
    expect(btf.findByName('task_struct', 'struct')).toBeDefined();
  });

  it('reads Kconfig values as libbpf does (y/m/n, numbers, strings)', async () => {
    const text = new TextDecoder().decode(await gunzip(shipped(KERNEL_DATA_FILES.config)));
    const info = JSON.parse(new TextDecoder().decode(shipped(KERNEL_DATA_FILES.info)));
    const k = kconfigFrom(text, info);
    expect(k.config.CONFIG_BPF_SYSCALL).toBe('y');
    expect(k.config.CONFIG_HZ).toMatch(/^\d+$/);
    expect(k.kernelVersion >> 16).toBe(6);
    expect((k.kernelVersion >> 8) & 0xff).toBe(18);
    expect(parseKconfig('# CONFIG_X is not set\nCONFIG_A="s p"\nCONFIG_B=\nbad\n')).toEqual({ CONFIG_A: '"s p"' });
  });
});
