import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../bpfplay';

const dir = mkdtempSync(join(tmpdir(), 'bpfplay-verify-'));
const file = (name: string, data: string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const obj = (name: string) => fileURLToPath(new URL(`../../../test/progs/obj/${name}`, import.meta.url));
const SUMMARY = (n: number) => `processed ${n} insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n`;

describe('bpfplay verify', () => {
  it('prints the kernel-format log and exits 0 for an accepted program', async () => {
    const p = file('ok.s', 'r0 = 0\nexit\n');
    expect(await main(['verify', p])).toEqual({ code: 0, stdout: SUMMARY(2) });
    const l2 = await main(['verify', p, '--log-level', '2']);
    expect(l2.stdout).toBe([
      'func#0 @0', 'Live regs before insn:', '      0: .......... (b7) r0 = 0', '      1: 0......... (95) exit',
      '0: R1=ctx() R10=fp0', '0: (b7) r0 = 0                        ; R0=0', '1: (95) exit', SUMMARY(2),
    ].join('\n'));
  });

  it('exits 1 on a rejection, the error line last before the summary and on stderr', async () => {
    const p = file('bad.s', 'r0 = *(u64 *)(r1 +8)\nexit\n');
    const r = await main(['verify', p]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`0: R1=ctx() R10=fp0\n0: (79) r0 = *(u64 *)(r1 +8)\ninvalid bpf_context access off=8 size=8\n${SUMMARY(1)}`);
    expect(r.stderr).toBe('bpfplay verify: prog: rejected (EACCES): invalid bpf_context access off=8 size=8\n');
  });

  it('--json has the documented fields', async () => {
    const p = file('j.s', 'r0 = *(u64 *)(r1 +8)\nexit\n');
    const r = await main(['verify', p, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout!);
    expect(j).toMatchObject({
      accepted: false, error: 'invalid bpf_context access off=8 size=8', error_insn: 0, errno: 'EACCES', processed_insns: 1,
      verifier_stats: { max_states_per_insn: 0, total_states: 0, peak_states: 0 }, prog_type: 'socket_filter',
    });
    expect(j.log).toContain('invalid bpf_context access');
  });

  it('verifies every program of an object, or the one --prog names', async () => {
    const all = await main(['verify', obj('multi_prog.o'), '--json']);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout!).programs.map((p: { name: string }) => p.name)).toEqual(['prog_a', 'prog_b', 'prog_c', 'prog_off']);
    const one = await main(['verify', obj('reject_null_deref.o'), '--prog', 'reject_null_deref']);
    expect(one.code).toBe(1);
    expect(one.stderr).toContain("invalid mem access 'map_value_or_null'");
  });

  it('--unprivileged models a load without CAP_BPF', async () => {
    const p = file('leak.s', 'r0 = r10\nexit\n');
    expect((await main(['verify', p])).code).toBe(0);
    const r = await main(['verify', p, '--unprivileged']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('R0 leaks addr as return value');
  });

  it('exits 2 on bad input', async () => {
    expect((await main(['verify', join(dir, 'missing.o')])).code).toBe(2);
    expect((await main(['verify', file('x.s', 'r0 = \n')])).code).toBe(2);
    expect((await main(['verify', file('y.s', 'r0 = 0\nexit\n'), '--log-level', '7'])).code).toBe(2);
    expect((await main(['verify', file('z.s', 'r0 = 0\nexit\n'), '--prog', 'nope'])).code).toBe(2);
  });
});
