import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../bpfplay';

const dir = mkdtempSync(join(tmpdir(), 'bpfplay-run-'));
const file = (name: string, data: string | Uint8Array) => { const p = join(dir, name); writeFileSync(p, data); return p; };

describe('bpfplay run', () => {
  it('--mem is the conformance form: r1 = the bytes, r2 = their length; prints r0 in hex', async () => {
    const p = file('a.s', 'r0 = *(u8 *)(r1 +2)\nr0 += r2\nexit\n');
    expect(await main(['run', p, '--mem', '01 02 03 04 05'])).toEqual({ code: 0, stdout: '0x8\n' });
  });

  it('exits 1 with the fault on stderr when the program fails', async () => {
    const p = file('b.s', 'r0 = *(u8 *)(r1 +2)\nexit\n');
    const r = await main(['run', p, '--mem', '01']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('bpfplay run: prog: out-of-bounds read of 1 byte at mem+2 (mem is 1 byte) (insn 0)\n');
  });

  it('--json carries retval, data_out, maps, printk, insns_executed and, with --repeat, ns_per_run', async () => {
    const p = file('c.s', `
      .section xdp
      .map hits array key=4 value=8 entries=1
      *(u32 *)(r10 -4) = 0
      r2 = r10
      r2 += -4
      r1 = hits ll
      call bpf_map_lookup_elem
      if r0 == 0 goto +2
      r1 = 1
      lock *(u64 *)(r0 +0) += r1
      r0 = 2
      exit
    `);
    const pkt = file('pkt.bin', new Uint8Array(20).fill(0xab));
    const r = await main(['run', p, '--data-in', pkt, '--repeat', '3', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout!);
    expect(j.retval).toBe(2);
    expect(j.data_out).toBe('ab'.repeat(20));
    expect(j.maps).toEqual({ hits: [['00000000', '0300000000000000']] });
    expect(j.printk).toEqual([]);
    expect(j.events).toEqual([]);
    expect(j.insns_executed).toBe(10);
    expect(j.runs).toBe(3);
    expect(typeof j.ns_per_run).toBe('number');
    expect(j.error).toBeNull();
  });

  it('bad input exits 2 with one line', async () => {
    const p = file('d.s', 'r0 = 0\nexit\n');
    expect(await main(['run', p, '--mem', 'xyz'])).toEqual({ code: 2, stderr: 'bpfplay run: --mem: not a hex byte string: "xyz"\n' });
    const q = file('e.json', '["0600000000000000"]');
    const r = await main(['run', q, '--mem', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('bpfplay run: program prog: insn 0: jump out of range from insn 0 to 1\n');
    const x = file('x.s', '.section xdp\nr0 = 0\nexit\n');
    const s = await main(['run', x, '--data-in', file('short.bin', new Uint8Array(4))]);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/^bpfplay run: packet of 4 bytes is shorter than an Ethernet header/);
  });

  it('--args fills the argument registers of a kprobe context (di, si, ...)', async () => {
    const p = file('k.s', '.section kprobe/x\nr0 = *(u64 *)(r1 +112)\nr1 = *(u64 *)(r1 +104)\nr0 += r1\nexit\n');
    const r = await main(['run', p, '--args', '40,0x2', '--json']);
    expect(JSON.parse(r.stdout!).retval).toBe(42);
    expect((await main(['run', p, '--args', '1,x'])).stderr).toBe('bpfplay run: --args: "x" is not an integer\n');
  });
});
