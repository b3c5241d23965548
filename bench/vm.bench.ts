/**
 * VM benchmark: instructions per second of the interpreter, and its ns per run against the
 * kernel's own `BPF_PROG_TEST_RUN` (JIT) on the same program and packet, measured in the
 * same run and printed as ratios.
 *
 *   npx tsx bench/vm.bench.ts [--quick]
 *
 * Without root/BPF the kernel column is skipped with the reason.
 */
import { readFileSync } from 'node:fs';
import { assemble } from '../src/core/asm/parse';
import { objectFromInsns, type LoadedObject } from '../src/core/elf/loaded-object';
import { loadInput } from '../src/core/input';
import { Vm } from '../src/core/vm/vm';
import { registerShippedKernelData } from '../src/cli/kernel-data';
import { kernelStatus, loadObject, loadRaw } from '../test/kernel/harness';
import { ipv4, tcp, udp } from '../test/vm/packets';

registerShippedKernelData();
const quick = process.argv.includes('--quick');

/** A straight-line ALU loop: 9 instructions per iteration, 10,000 iterations. */
const ALU_LOOP = `
  r1 = 10000
  r0 = 0
  r2 = 1
loop:
  r0 += r1
  r2 ^= r0
  r3 = r2
  r3 <<= 3
  r4 = r3
  w4 += 7
  r0 -= r4
  r1 += -1
  if r1 != 0 goto loop
  r0 &= 1
  exit`;

interface Case {
  name: string;
  obj: LoadedObject;
  prog: string;
  data: Uint8Array;
  repeat: number;
  kernel(): number | string;
}

const progPath = (f: string) => new URL(`../test/progs/obj/${f}`, import.meta.url).pathname;
const k = kernelStatus();

function objectCase(name: string, file: string, prog: string, data: Uint8Array, repeat: number): Case {
  const obj = loadInput(new Uint8Array(readFileSync(progPath(file))), file);
  return {
    name, obj, prog, data, repeat,
    kernel: () => {
      const kl = loadObject(progPath(file));
      try {
        if (!kl.accepted) return 'kernel refused the object';
        kl.run(prog, data, 1000);
        return kl.run(prog, data, repeat * 10).durationNs;
      } finally {
        kl.cleanup();
      }
    },
  };
}

const aluInsns = assemble(ALU_LOOP).insns;
const pkt = ipv4(17, udp(40000, 53));
const cases: Case[] = [
  {
    name: 'ALU loop (90k insns/run)',
    obj: objectFromInsns({ insns: aluInsns, progType: 'xdp' }),
    prog: 'prog',
    data: pkt,
    repeat: quick ? 20 : 200,
    kernel: () => {
      const r = loadRaw({ insns: aluInsns, progType: 6, run: { data: pkt, repeat: quick ? 200 : 2000 } });
      return r.accepted && r.durationNs !== undefined ? r.durationNs : `kernel: ${r.errorLine ?? `run errno ${r.runErrno}`}`;
    },
  },
  objectCase('xdp_count_proto (map lookup, atomic add)', 'xdp_count_proto.o', 'xdp_count_proto', pkt, quick ? 20_000 : 200_000),
  objectCase('xdp_hash_src (hash map update)', 'xdp_hash_src.o', 'xdp_hash_src', pkt, quick ? 20_000 : 200_000),
  objectCase('tc_rewrite_ttl (skb load/store, csum)', 'tc_rewrite_ttl.o', 'tc_rewrite_ttl', ipv4(6, tcp(1, 80)), quick ? 20_000 : 200_000),
  objectCase('loop_sum (bounded loop)', 'loop_sum.o', 'loop_sum', pkt, quick ? 5_000 : 50_000),
];

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(`VM benchmark (Node ${process.version}); kernel: ${k.available ? 'BPF_PROG_TEST_RUN via kload/bpftool (JIT)' : `skipped (${k.reason})`}`);
console.log('');
console.log(['program'.padEnd(42), 'insns/run'.padStart(10), 'VM M insns/s'.padStart(13), 'VM ns/run'.padStart(12), 'kernel ns/run'.padStart(14), 'VM/kernel'.padStart(10)].join(' '));
for (const c of cases) {
  const vm = new Vm(c.obj, { budget: 10_000_000 });
  vm.run(c.prog, { data: c.data, repeat: Math.max(1, c.repeat / 10) }); // warm up
  const r = vm.run(c.prog, { data: c.data, repeat: c.repeat });
  if (!r.ok) {
    console.log(`${c.name.padEnd(42)} VM error: ${r.error?.message}`);
    continue;
  }
  const ns = r.nsPerRun!;
  const mips = r.insnsExecuted / ns * 1e3;
  const kern = k.available ? c.kernel() : 'skipped';
  const ratio = typeof kern === 'number' && kern > 0 ? `${fmt(ns / kern)}x` : '-';
  console.log([
    c.name.padEnd(42),
    String(r.insnsExecuted).padStart(10),
    fmt(mips).padStart(13),
    fmt(ns, 0).padStart(12),
    (typeof kern === 'number' ? fmt(kern, 0) : kern).padStart(14),
    ratio.padStart(10),
  ].join(' '));
}
console.log('');
console.log('VM/kernel: how many times longer one run takes in the interpreter than under the kernel JIT.');
