// Fuzz: random and mutated instruction streams run in "run anyway" mode (strict: false).
// The VM must never throw anything but its own errors, never hang (the budget stops it),
// and tracing must keep up. Seeded, so a failure reproduces; a few thousand programs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/asm/parse';
import type { MapDef } from '../../src/core/elf/loaded-object';
import { objectFromInsns } from '../../src/core/elf/loaded-object';
import { insnFromBytes, type Insn } from '../../src/core/isa/insn';
import { loadInput } from '../../src/core/input';
import { Vm } from '../../src/core/vm/vm';
import { registerShippedKernelData } from '../../src/cli/kernel-data';
import { TEST_PACKETS } from './packets';

registerShippedKernelData();

/** xorshift32: deterministic test randomness. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const MAPS: MapDef[] = [
  { name: 'arr', type: 2, keySize: 4, valueSize: 8, maxEntries: 4, flags: 0, kind: 'user' },
  { name: 'hash', type: 1, keySize: 4, valueSize: 8, maxEntries: 4, flags: 0, kind: 'user' },
  { name: 'rb', type: 27, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0, kind: 'user' },
  { name: 'q', type: 22, keySize: 0, valueSize: 4, maxEntries: 2, flags: 0, kind: 'user' },
];

/** Valid programs to mutate: ours (test/progs objects) and a few hand-written ones. */
function seeds(): Insn[][] {
  const out: Insn[][] = [];
  for (const f of ['xdp_count_proto.o', 'tc_rewrite_ttl.o', 'loop_sum.o', 'subprog_calls.o', 'bpf_loop_cb.o', 'ringbuf_events.o', 'xdp_adjust.o', 'socket_ipv4_only.o']) {
    const obj = loadInput(new Uint8Array(readFileSync(new URL(`../progs/obj/${f}`, import.meta.url))), f);
    out.push(...obj.programs.map((p) => p.insns));
  }
  out.push(assemble('r1 = 0\nr2 = r10\nr2 += -8\n*(u64 *)(r2 +0) = r1\nr0 = *(u64 *)(r2 +0)\nexit').insns);
  return out;
}

const TYPES = ['socket_filter', 'xdp', 'sched_cls', 'kprobe', 'raw_tracepoint', 'perf_event', 'tracepoint'];
const OWN_ERRORS = new Set(['VmError', 'VmLoadError']);

function randomInsn(r: () => number): Insn {
  const b = new Uint8Array(8);
  for (let k = 0; k < 8; k++) b[k] = Math.floor(r() * 256);
  // Keep registers mostly valid so more instructions execute.
  if (r() < 0.9) b[1] &= 0xaa;
  if (r() < 0.7) { b[2] = Math.floor(r() * 8); b[3] = r() < 0.5 ? 0 : 0xff; }
  return insnFromBytes(b);
}

function mutate(p: Insn[], r: () => number): Insn[] {
  const q = p.map((i) => ({ ...i }));
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(r() * q.length);
    const field = Math.floor(r() * 5);
    const i = q[at];
    if (field === 0) i.code = Math.floor(r() * 256);
    else if (field === 1) i.dst = Math.floor(r() * 16);
    else if (field === 2) i.src = Math.floor(r() * 16);
    else if (field === 3) i.off = Math.floor(r() * 65536) - 32768;
    else i.imm = Math.floor(r() * 0x100000000) | 0;
  }
  return q;
}

describe('fuzzing the VM in run-anyway mode', () => {
  it('never crashes or hangs on 3,000 random and mutated programs', () => {
    const r = rng(0xb9f);
    const base = seeds();
    const stats = { ok: 0, faults: 0, refused: 0, steps: 0 };
    const t0 = performance.now();
    for (let n = 0; n < 3000; n++) {
      const insns = n % 3 === 0
        ? Array.from({ length: 1 + Math.floor(r() * 40) }, () => randomInsn(r))
        : mutate(base[n % base.length], r);
      const type = TYPES[Math.floor(r() * TYPES.length)];
      const [, pkt] = TEST_PACKETS[Math.floor(r() * TEST_PACKETS.length)];
      const trace = n % 10 === 0;
      try {
        const vm = new Vm(objectFromInsns({ insns, progType: type, maps: MAPS }), { strict: false, budget: 20_000 });
        const res = vm.run(0, { data: pkt, ctx: type === 'raw_tracepoint' ? new Uint8Array(16) : undefined, trace });
        if (res.ok) stats.ok++;
        else stats.faults++;
        expect(res.insnsExecuted).toBeLessThanOrEqual(20_000);
        if (trace && res.history) {
          stats.steps += res.history.length;
          const h = res.history;
          if (h.length) { h.state(h.length - 1); h.state(0); h.changes(Math.floor(h.length / 2)); }
        }
        vm.dumpMaps();
      } catch (e) {
        const err = e as Error;
        if (!OWN_ERRORS.has(err.name)) throw new Error(`program ${n} (${type}) crashed the VM: ${err.stack}\n${JSON.stringify(insns)}`);
        stats.refused++;
      }
    }
    const ms = performance.now() - t0;
    console.log(`fuzz: ${stats.ok} ran to exit, ${stats.faults} faulted, ${stats.refused} refused, ${stats.steps} traced steps, ${ms.toFixed(0)} ms`);
    expect(stats.ok + stats.faults).toBeGreaterThan(2000);
    expect(stats.ok).toBeGreaterThan(100);
  });
});
