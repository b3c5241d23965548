import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseElf, SHF_EXECINSTR } from '../elf/elf64';
import { checkUserPath, clangArgs, needsVmlinux, virtualFiles } from './driver';

describe('clangArgs', () => {
  it('builds the BPF compile command', () => {
    expect(clangArgs({ main: 'prog.bpf.c', mcpu: 'v4', defines: ['DEBUG', 'N=3'], includes: ['inc'] })).toEqual([
      '/usr/lib/llvm-19/bin/clang', '--target=bpf', '-O2', '-g', '-mcpu=v4', '-D__TARGET_ARCH_x86', '-DDEBUG', '-DN=3', '-Iinc',
      '-nostdinc', '-isystem', '/usr/include', '-fno-color-diagnostics', '-fdiagnostics-parseable-fixits',
      '-fdiagnostics-print-source-range-info', '-working-directory=/work', '-fdebug-compilation-dir=/work', '-c', 'prog.bpf.c', '-o', 'prog.bpf.o',
    ]);
    expect(clangArgs({ main: 'src/x.c', output: '-', workDir: '/home/u/p', debug: false, optLevel: '-O1' }).slice(2)).toEqual([
      '-O1', '-D__TARGET_ARCH_x86', '-nostdinc', '-isystem', '/usr/include', '-fno-color-diagnostics', '-fdiagnostics-parseable-fixits',
      '-fdiagnostics-print-source-range-info', '-working-directory=/home/u/p', '-fdebug-compilation-dir=/home/u/p', '-c', 'src/x.c', '-o', '-',
    ]);
  });

  it('refuses unusable paths and odd options', () => {
    expect(() => clangArgs({ main: '-x.c' })).toThrow(/reads as an option/);
    expect(() => clangArgs({ main: 'a\nb.c' })).toThrow(/not a usable path/);
    expect(() => clangArgs({ main: 'a.c', workDir: 'rel' })).toThrow(/not absolute/);
    expect(() => checkUserPath('../etc/passwd', 'file')).toThrow(/no '\.\.'/);
    expect(() => clangArgs({ main: 'a.c', optLevel: '-O9' })).toThrow(/optimisation level/);
    expect(() => clangArgs({ main: 'a.c', mcpu: 'v9' })).toThrow(/-mcpu=v9/);
    expect(() => clangArgs({ main: 'a.c', defines: ['1X'] })).toThrow(/not a macro/);
  });

  it('knows when vmlinux.h is needed', () => {
    expect(needsVmlinux(['#include "vmlinux.h"\n'])).toBe(true);
    expect(needsVmlinux(['  #  include <vmlinux.h>'])).toBe(true);
    expect(needsVmlinux(['#include <linux/bpf.h>\n// vmlinux.h is big'])).toBe(false);
  });

  it('maps files into the virtual file system', () => {
    const fs = virtualFiles(new Map([['prog.bpf.c', 'x'], ['inc/a.h', 'y']]), new Map([['bpf/bpf_helpers.h', 'z']]));
    expect([...fs.keys()]).toEqual(['/work/prog.bpf.c', '/work/inc/a.h', '/usr/include/bpf/bpf_helpers.h']);
  });

  // The flags are the ones the browser uses; with native clang-19 they must give the same
  // instructions as the reference build of the test programs.
  const hasClang = spawnSync('sh', ['-c', 'command -v clang-19']).status === 0;
  it.skipIf(!hasClang)('compiles a test program to the reference instructions (native clang-19)', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const tmp = mkdtempSync(join(tmpdir(), 'bpfplay-drv-'));
    mkdirSync(join(tmp, 'work'));
    writeFileSync(join(tmp, 'work/xdp_count_proto.bpf.c'), readFileSync(join(root, 'test/progs/xdp_count_proto.bpf.c')));
    const args = clangArgs({ main: 'xdp_count_proto.bpf.c', workDir: join(tmp, 'work') }).slice(1)
      .map((a) => a.replace(/^\/usr\/include$/, join(root, 'public/include')));
    execFileSync('clang-19', args);
    const code = (b: Uint8Array) => parseElf(b).sections.filter((s) => s.flags & BigInt(SHF_EXECINSTR) && s.size).map((s) => Buffer.from(s.data).toString('hex'));
    expect(code(readFileSync(join(tmp, 'work/xdp_count_proto.bpf.o')))).toEqual(code(readFileSync(join(root, 'test/progs/obj/xdp_count_proto.o'))));
  });
});
