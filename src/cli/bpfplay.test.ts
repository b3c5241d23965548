import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './bpfplay';

const dir = mkdtempSync(join(tmpdir(), 'bpfplay-cli-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const obj = (name: string) => new URL(`../../test/progs/obj/${name}`, import.meta.url).pathname;

describe('bpfplay CLI', () => {
  it('prints usage and exits 2 without a command', async () => {
    const r = await main([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage:/);
  });

  it('rejects unknown commands and options with one line and exit 2', async () => {
    expect((await main(['frob'])).stderr!.split('\n')[0]).toBe('bpfplay: unknown command "frob"');
    const r = await main(['disasm', '--nope', 'x']);
    expect(r).toEqual({ code: 2, stderr: 'bpfplay disasm: unknown option --nope\n' });
  });

  it('reports a missing file without a stack trace', async () => {
    const r = await main(['disasm', join(dir, 'missing.s')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bpfplay disasm: cannot read .*missing\.s: no such file\n$/);
  });

  it('asm -o x.json then disasm round-trips', async () => {
    const s = file('p.s', 'r1 = 0x123456789 ll\nif r1 > 5 goto +1\nr0 = -1\nexit\n');
    const out = join(dir, 'p.json');
    expect((await main(['asm', s, '-o', out])).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).insns).toEqual(['1801000089674523', '0000000001000000', '2501010005000000', 'b7000000ffffffff', '9500000000000000']);
    const d = await main(['disasm', out]);
    expect(d.stdout).toBe('0: (18) r1 = 0x123456789\n2: (25) if r1 > 0x5 goto pc+1\n3: (b7) r0 = -1\n4: (95) exit\n');
    const l = await main(['disasm', out, '--syntax', 'llvm']);
    expect(l.stdout).toBe('       0:\tr1 = 0x123456789 ll\n       2:\tif r1 > 0x5 goto +0x1 <prog+0x20>\n       3:\tr0 = -0x1\n       4:\texit\n');
  });

  it('asm errors carry line and column', async () => {
    const r = await main(['asm', file('bad.s', 'r0 = 0\nr0 += \n')]);
    expect(r).toEqual({ code: 2, stderr: 'bpfplay asm: 2:7: expected a register or number, found end of line\n' });
  });

  it('disasm --syntax llvm of an object equals llvm-objdump', async () => {
    const r = await main(['disasm', obj('xdp_pass.o'), '--syntax', 'llvm']);
    expect(r.stdout).toBe(readFileSync(new URL('../../test/golden/llvm-objdump/xdp_pass.txt', import.meta.url), 'utf8').replace('xdp_pass.o:', `${obj('xdp_pass.o')}:`));
  });

  it('disasm rejects truncated JSON instructions clearly', async () => {
    const r = await main(['disasm', file('t.json', '["b7000000000000"]')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`bpfplay disasm: ${join(dir, 't.json')}: instruction 0: expected 16 hex digits, got "b7000000000000"\n`);
  });

  it('disasm --json of an object prints the instructions libbpf would send (recorded golden)', async () => {
    const r = await main(['disasm', obj('tail_calls.o'), '--json']);
    expect(r.code).toBe(0);
    const golden = JSON.parse(readFileSync(new URL('../../test/golden/loader/tail_calls.json', import.meta.url), 'utf8'));
    const got = JSON.parse(r.stdout!);
    expect(got.programs.map((p: { name: string; section: string; prog_type: string; insns: string[] }) => [p.name, p.section, p.prog_type, p.insns]))
      .toEqual(golden.programs.map((p: { name: string; section: string; prog_type: string; insns: string[] }) => [p.name, p.section, p.prog_type, p.insns]));
  });

  it('disasm of an object names map references with their index', async () => {
    const r = await main(['disasm', obj('globals.o')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0: (18) r2 = map[id:1][0]+0\n');
  });

  it('disasm --linum prints the signatures and source lines bpftool prints (recorded golden)', async () => {
    const r = await main(['disasm', obj('subprog_calls.o'), '--linum']);
    expect(r.code).toBe(0);
    const golden = JSON.parse(readFileSync(new URL('../../test/golden/loader/subprog_calls.json', import.meta.url), 'utf8')).programs[0];
    const notes = r.stdout!.split('\n').filter((l) => l.startsWith(';') || (l.endsWith('):') && !l.includes('(section ')));
    const want = [...golden.protos.map((x: { insn: number; proto: string }) => ({ insn: x.insn, text: `${x.proto}:` })),
      ...golden.linum.map((l: { insn: number; src: string; file: string; line: number; col: number }) => ({ insn: l.insn + 0.5, text: `; ${l.src} [file:${l.file} line_num:${l.line} line_col:${l.col}]` }))]
      .sort((a, b) => a.insn - b.insn).map((x) => x.text);
    expect(notes).toEqual(want);
  });
});
