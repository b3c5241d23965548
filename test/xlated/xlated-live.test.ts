// Our xlated programs against the running kernel (skipped, with the reason, when the
// kernel cannot load BPF here): a few objects loaded with bpftool through the kernel
// harness, `bpftool prog dump xlated` compared with ours given the kernel's map ids.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerShippedKernelData } from '../../src/cli/kernel-data';
import { loadInput } from '../../src/core/input';
import { formatXlated, xlatedProtos, xlateProgram } from '../../src/core/xlated';
import { kernelStatus, loadObject, skipNote } from '../kernel/harness';

registerShippedKernelData();
const k = kernelStatus();
if (!k.available) console.warn(skipNote());
const OBJECTS = ['xdp_count_proto', 'map_in_map', 'subprog_calls', 'percpu_lru', 'knobs', 'bpf_loop_cb'];
const objDir = new URL('../progs/obj/', import.meta.url);

describe.skipIf(!k.available)('xlated vs the live kernel', () => {
  for (const name of OBJECTS) {
    it(name, () => {
      const path = new URL(`${name}.o`, objDir).pathname;
      const load = loadObject(path);
      try {
        expect(load.accepted, load.stderr.slice(-500)).toBe(true);
        const obj = loadInput(new Uint8Array(readFileSync(path)), `${name}.o`);
        for (const prog of load.programs) {
          const show = JSON.parse(execFileSync('bpftool', ['-j', 'prog', 'show', 'pinned', join(load.progDir, prog)]).toString());
          const byName = new Map<string, number>();
          for (const id of show.map_ids ?? []) byName.set(JSON.parse(execFileSync('bpftool', ['-j', 'map', 'show', 'id', String(id)]).toString()).name, id);
          const p = obj.programs.find((q) => q.name === prog)!;
          const x = xlateProgram(obj, p, { mapId: (m) => byName.get(obj.maps[m].name) ?? 0 });
          expect(formatXlated(x, xlatedProtos(obj, p, x), { printer: 'bpftool-7.1' })).toBe(load.xlated(prog));
        }
      } finally {
        load.cleanup();
      }
    });
  }
});
