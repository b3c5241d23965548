import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FsError, MemoryFs, runWasi, WasiTimeout } from './wasi';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

describe('MemoryFs', () => {
  it('writes, reads and resolves paths with . and ..', () => {
    const fs = new MemoryFs();
    fs.writeFile('/work/inc/a.h', 'A');
    expect(text(fs.readFile('/work/inc/../inc/./a.h'))).toBe('A');
    expect(fs.resolve('/work/inc')?.kind).toBe('dir');
    expect(fs.resolve('/work/missing')).toBeUndefined();
    expect(fs.resolve('/work/inc/a.h/x')).toBeUndefined();
    expect(() => fs.writeFile('/work/inc/a.h/b', 'x')).toThrow(FsError);
  });

  it('gives every node its own inode (LLVM tells files apart by them)', () => {
    const fs = new MemoryFs();
    fs.writeFile('/a', 'x');
    fs.writeFile('/b', 'x');
    expect(fs.resolve('/a')!.ino).not.toBe(fs.resolve('/b')!.ino);
  });

  it('asks the host for missing paths once, never under excluded directories, within a byte budget', () => {
    const asked: string[] = [];
    const fs = new MemoryFs({
      host: (p) => {
        asked.push(p);
        if (p === '/home' || p === '/home/u') return { kind: 'dir' };
        if (p === '/home/u/x.h') return { kind: 'file', data: new TextEncoder().encode('host') };
        if (p === '/home/u/big.h') return { kind: 'file', data: new Uint8Array(100) };
        return undefined;
      },
      hostExcludes: ['/usr/include'],
      hostByteLimit: 50,
    });
    fs.mkdirp('/usr/include');
    expect(text(fs.readFile('/home/u/x.h'))).toBe('host');
    expect(fs.resolve('/home/u/nope.h')).toBeUndefined();
    expect(fs.resolve('/home/u/nope.h')).toBeUndefined();
    expect(fs.resolve('/usr/include/linux/bpf.h')).toBeUndefined();
    expect(asked).toEqual(['/home', '/home/u', '/home/u/x.h', '/home/u/nope.h']);
    expect(() => fs.resolve('/home/u/big.h')).toThrow(/more than 50 bytes/);
  });
});

// probe.wasm: wasm/tests/wasi-probe/probe.c built with Debian's wasi-libc:
//   clang-19 --target=wasm32-wasi --sysroot=/usr -Os -o probe.wasm probe.c && llvm-strip-19 probe.wasm
// It makes the file-system calls clang makes and prints "ok" or the errno text for each.
describe('runWasi', () => {
  const probe = new WebAssembly.Module(readFileSync(new URL('../../../wasm/tests/wasi-probe/probe.wasm', import.meta.url)));

  it('runs the WASI probe: every call works, in-place writes overwrite', async () => {
    const fs = new MemoryFs();
    fs.writeFile('/src/x.c', 'int main(void) { return 0; }\n');
    fs.mkdirp('/out');
    const r = await runWasi(probe, { args: ['probe'], env: { HOME: '/home' }, fs });
    const out = text(r.stdout)!;
    expect(r.exitCode).toBe(3);
    expect(text(r.stderr)).toBe('probe: done (stderr)\n');
    expect(out).toMatch(/^argv\[0\]=probe argc=1 HOME=\/home\n/);
    const steps = out.split('\n').filter((l) => /^\S.* {2,}\S/.test(l) && !l.startsWith('argv'));
    expect(steps.length).toBeGreaterThan(20);
    expect(steps.filter((l) => !/ ok$/.test(l))).toEqual([]);
    expect(out).toContain('read back 8 bytes: ZYFABCDE');
    expect(text(fs.readFile('/out/x.o'))).toBe('ELF-ish');
    expect(fs.resolve('/out/x.o-1a2b3c')).toBeUndefined();
    expect(fs.resolve('/out/gone')).toBeUndefined();
    expect(fs.resolve('/out/sub')?.kind).toBe('dir');
  });

  it('stops at the first system call after the deadline', async () => {
    const fs = new MemoryFs();
    await expect(runWasi(probe, { args: ['probe'], fs, timeoutMs: 0 })).rejects.toThrow(WasiTimeout);
  });

  it('fails writes beyond the output limit instead of growing without bound', async () => {
    const fs = new MemoryFs();
    fs.writeFile('/src/x.c', 'x');
    fs.mkdirp('/out');
    const r = await runWasi(probe, { args: ['probe'], fs, stdoutLimit: 64 });
    expect(r.stdout.length).toBeLessThanOrEqual(64);
  });

  it('refuses modules that are not WASI commands', async () => {
    const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(runWasi(empty, { args: ['x'], fs: new MemoryFs() })).rejects.toThrow(/not a WASI command/);
  });
});
