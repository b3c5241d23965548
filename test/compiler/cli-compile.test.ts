// `bpfplay compile` end to end: objects the other subcommands read, the user's headers
// from disk, clang's diagnostics as native clang prints them, exit codes, a runaway
// compile stopped.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/bpfplay';
import { parseElf } from '../../src/core/elf/elf64';
import { code } from './elf-code';

const root = fileURLToPath(new URL('../../', import.meta.url));
const hasClang = spawnSync('sh', ['-c', 'command -v clang-19']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'bpfplay-compile-'));
const put = (name: string, text: string) => { mkdirSync(join(dir, name, '..'), { recursive: true }); writeFileSync(join(dir, name), text); };
let cwd: string;

describe('bpfplay compile', () => {
  beforeAll(() => { cwd = process.cwd(); process.chdir(dir); });
  afterAll(() => process.chdir(cwd));

  it('writes an object the other subcommands read', async () => {
    put('xdp.bpf.c', readFileSync(join(root, 'test/progs/xdp_count_proto.bpf.c'), 'utf8'));
    const r = await main(['compile', 'xdp.bpf.c']);
    expect(r).toEqual({ code: 0 });
    const obj = readFileSync(join(dir, 'xdp.bpf.o'));
    expect(code(parseElf(obj))).toEqual(code(parseElf(readFileSync(join(root, 'test/progs/obj/xdp_count_proto.o')))));
    const v = await main(['verify', 'xdp.bpf.o']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^processed \d+ insns/m);
    expect((await main(['disasm', 'xdp.bpf.o'])).code).toBe(0);
    expect((await main(['dump', 'xlated', 'xdp.bpf.o'])).code).toBe(0);
    const stdout = await main(['compile', 'xdp.bpf.c', '-o', '-']);
    expect(Buffer.from(stdout.stdoutBytes!).equals(obj)).toBe(true);
  });

  it('reads the user\'s headers from the source\'s directory and -I directories, with -D and -mcpu', async () => {
    put('proj/common.h', '#define RET 2\n');
    put('inc/mylib/val.h', 'static inline int val(void) { return VAL; }\n');
    put('proj/p.bpf.c', '#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include "common.h"\n#include <mylib/val.h>\n'
      + 'SEC("xdp") int p(struct xdp_md *ctx) { return val() + RET; }\nchar LICENSE[] SEC("license") = "GPL";\n');
    const r = await main(['compile', 'proj/p.bpf.c', '-I', 'inc', '-DVAL=40', '-mcpu=v4', '-O2', '-o', 'p.o', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout!)).toMatchObject({ ok: true, output: 'p.o', errors: 0, warnings: 0 });
    const d = await main(['disasm', 'p.o']);
    expect(d.stdout).toContain('0: (b4) w0 = 42\n1: (95) exit\n'); // VAL from -D, RET from common.h
  });

  it('prints clang\'s diagnostics as native clang-19 does and exits 1', async () => {
    const bad = 'int f(int x)\n{\n\tint y = x +;\n\treturn z;\n}\nint g(void) { int unused; return 0; }\n';
    put('bad.c', bad);
    const r = await main(['compile', 'bad.c', '-Wall']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^bad\.c:3:13: error: expected expression\n/);
    expect(r.stderr).toContain('bad.c:4:9: error: use of undeclared identifier \'z\'');
    expect(r.stderr).not.toMatch(/fix-it:|\{\d+:\d+-/);
    if (hasClang) {
      const native = spawnSync('clang-19', ['--target=bpf', '-O2', '-g', '-Wall', '-c', 'bad.c', '-o', '/dev/null'], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe(native.stderr);
    }
  });

  it('refuses bad usage with exit 2', async () => {
    expect((await main(['compile', 'missing.c'])).stderr).toBe('bpfplay compile: cannot read missing.c: no such file\n');
    expect(await main(['compile', 'bad.c', '-mcpu=v9'])).toEqual({ code: 2, stderr: 'bpfplay compile: -mcpu=v9: use v1, v2, v3, v4, generic or probe\n' });
    expect((await main(['compile'])).code).toBe(2);
  });

  it('stops a runaway compile', async () => {
    // Each macro doubles the one before: 2^40 tokens, no system call while expanding.
    put('bomb.c', `#define A0 x,\n${Array.from({ length: 40 }, (_, k) => `#define A${k + 1} A${k} A${k}`).join('\n')}\nint f[] = { A40 };\n`);
    const t0 = Date.now();
    const r = await main(['compile', 'bomb.c', '--timeout', '1']);
    expect(r).toEqual({ code: 1, stderr: 'bpfplay compile: bomb.c: clang did not finish within 1 s and was stopped\n' });
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
