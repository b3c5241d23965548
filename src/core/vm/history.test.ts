import { describe, expect, it } from 'vitest';
import { loadInput } from '../input';
import type { StepTracer } from './interpreter';
import type { Region } from './memory';
import { Vm } from './vm';

const asm = (src: string, type?: string) => loadInput(new TextEncoder().encode(src), 'p.s', { progType: type });

/** A program with a loop, stack writes, a bpf-to-bpf call (frame 1), a map update and a printk. */
const PROGRAM = `
  .map m hash key=4 value=8 entries=4
  r6 = 0
  r7 = 0
loop:
  r7 += r6
  *(u64 *)(r10 -8) = r7
  *(u32 *)(r10 -12) = r6
  r6 += 1
  if r6 < 5 goto loop
  r1 = r7
  call sub
  r2 = r10
  r2 += -12
  r3 = r10
  r3 += -8
  r1 = m ll
  r4 = 0
  call bpf_map_update_elem
  r1 = 0x0a7825 ll
  *(u64 *)(r10 -24) = r1
  r1 = r10
  r1 += -24
  r2 = 4
  r3 = r7
  call bpf_trace_printk
  r0 = r7
  exit
sub:
  *(u64 *)(r10 -16) = r1
  r0 = *(u64 *)(r10 -16)
  r0 *= 3
  exit`;

/** Records the full registers and stacks before every step, the slow obvious way. */
class Reference implements StepTracer {
  regs: Int32Array[] = [];
  stacks: Uint8Array[][] = [];
  constructor(private readonly vm: Vm) {}
  step(): void {
    this.regs.push(this.vm.m.R.slice());
    this.stacks.push(this.vm.m.stacks.map((s) => s.bytes.slice()));
  }
  write(_r: Region): void {}
  helper(): void {}
  end(): void {
    this.step();
  }
}

describe('execution history', () => {
  it('reconstructs registers and stacks at every step, in any order', () => {
    const traced = new Vm(asm(PROGRAM)).run(0, { trace: true });
    expect(traced.ok).toBe(true);
    const h = traced.history!;

    const vm = new Vm(asm(PROGRAM));
    const ref = new Reference(vm);
    const r = vm.run(0, { tracer: ref });
    ref.end();
    expect(r.r0).toBe(traced.r0);
    expect(h.length).toBe(r.insnsExecuted);

    // Visit the steps backwards, forwards, and in a scrambled order.
    const order = [...Array(h.length).keys()];
    const scrambled = order.map((s) => (s * 7919) % h.length);
    for (const s of [...order.reverse(), ...order.reverse(), ...scrambled]) {
      const st = h.state(s);
      const after = ref.regs[s + 1];
      for (let reg = 0; reg < 11; reg++) {
        expect(st.regs[reg], `step ${s} r${reg}`).toBe((BigInt(after[2 * reg + 1] >>> 0) << 32n) | BigInt(after[2 * reg] >>> 0));
      }
      st.stacks.forEach((bytes, f) => {
        expect(Buffer.from(bytes).equals(Buffer.from(ref.stacks[s + 1][f])), `step ${s} stack of frame ${f}`).toBe(true);
      });
    }
  });

  it('says what each step changed: registers, stack slots, map keys, printk', () => {
    const h = new Vm(asm(PROGRAM)).run(0, { trace: true }).history!;
    expect(h.pc(0)).toBe(0);
    expect(h.changes(0)).toEqual([]); // r6 = 0: r6 was 0 already
    expect(h.changes(5)).toEqual([{ kind: 'reg', frame: 0, reg: 6 }]);
    expect(h.changes(3)).toEqual([{ kind: 'stack', frame: 0, off: -8, size: 8 }]);
    const call = [...Array(h.length).keys()].find((s) => h.frame(s) === 1)!;
    expect(h.changes(call)).toEqual([{ kind: 'stack', frame: 1, off: -16, size: 8 }]);
    const update = [...Array(h.length).keys()].find((s) => h.state(s).helper?.name === 'bpf_map_update_elem')!;
    expect(h.changes(update)).toContainEqual({ kind: 'map', map: 0, key: '04000000' });
    expect(h.state(update).helper).toEqual({ id: 2, name: 'bpf_map_update_elem', r0: '0x0', map: 'm', key: '04000000' });
    const printk = [...Array(h.length).keys()].find((s) => h.state(s).helper?.name === 'bpf_trace_printk')!;
    expect(h.changes(printk)).toContainEqual({ kind: 'output', what: 'printk' });
  });

  it('records the packet as the program rewrites it', () => {
    const src = 'r2 = *(u32 *)(r1 +0)\nr3 = 0x11\n*(u8 *)(r2 +0) = r3\nr3 = 0x22\n*(u8 *)(r2 +1) = r3\nr0 = 2\nexit';
    const h = new Vm(asm(src, 'xdp')).run(0, { data: new Uint8Array(20), trace: true }).history!;
    expect(h.state(1).region('pkt')!.subarray(256, 258)).toEqual(new Uint8Array([0, 0]));
    expect(h.state(2).region('pkt')!.subarray(256, 258)).toEqual(new Uint8Array([0x11, 0]));
    expect(h.state(4).region('pkt')!.subarray(256, 258)).toEqual(new Uint8Array([0x11, 0x22]));
    expect(h.state(0).region('pkt')!.subarray(256, 258)).toEqual(new Uint8Array([0, 0]));
    expect(h.changes(2)).toEqual([{ kind: 'mem', region: 'pkt', off: 0, size: 1 }]);
  });

  it('keeps a traced run of 1,000,000 instructions under 200 MB', () => {
    const src = `
      r1 = 111112
    l:
      r2 = r1
      r2 *= 3
      *(u64 *)(r10 -8) = r2
      r3 = *(u64 *)(r10 -8)
      r0 += r3
      r4 = r1
      r4 &= 7
      r1 += -1
      if r1 != 0 goto l
      exit`;
    const before = process.memoryUsage();
    const r = new Vm(asm(src), { budget: 2_000_000 }).run(0, { trace: true });
    const after = process.memoryUsage();
    expect(r.ok).toBe(true);
    expect(r.insnsExecuted).toBeGreaterThanOrEqual(1_000_000);
    const h = r.history!;
    expect(h.length).toBe(r.insnsExecuted);
    const mb = h.byteSize / 2 ** 20;
    const grown = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / 2 ** 20;
    console.log(`traced 1,000,000+ steps: history ${mb.toFixed(1)} MB, heap + array buffers grew ${grown.toFixed(1)} MB`);
    expect(mb).toBeLessThan(200);
    expect(grown).toBeLessThan(200);
    // Random access deep into the run is still exact.
    expect(h.state(h.length - 2).regs[0]).toBe(r.r0);
  });
});
