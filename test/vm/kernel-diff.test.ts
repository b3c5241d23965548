// Differential test against the running kernel: our own C programs (test/progs/obj/*.o,
// built by clang-19) run in the VM and through `bpftool prog run` on the same packets, in
// the same order; retval, data_out and the contents of the maps must agree.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LoadedObject } from '../../src/core/elf/loaded-object';
import { loadInput } from '../../src/core/input';
import { MAP } from '../../src/core/vm/maps';
import { bytesToHex } from '../../src/core/vm/maps';
import { PT } from '../../src/core/vm/context';
import { Vm } from '../../src/core/vm/vm';
import { kernelStatus, loadObject, skipNote } from '../kernel/harness';
import { TEST_PACKETS } from './packets';
import { registerShippedKernelData } from '../../src/cli/kernel-data';

// The loader resolves __kconfig externs and kfuncs from the shipped 6.18 kernel data, as the CLI does.
registerShippedKernelData();

const k = kernelStatus();
if (!k.available) console.warn(skipNote());

const objDir = new URL('../progs/obj/', import.meta.url).pathname;
const RUNNABLE = new Set<number>([PT.SOCKET_FILTER, PT.SCHED_CLS, PT.SCHED_ACT, PT.XDP, PT.CGROUP_SKB]);
/** Map types whose dump is comparable (the others hold ids, fds or streams). */
const COMPARABLE = new Set<number>([MAP.ARRAY, MAP.HASH, MAP.PERCPU_ARRAY, MAP.PERCPU_HASH, MAP.LRU_HASH, MAP.LRU_PERCPU_HASH, MAP.LPM_TRIE]);
const nrCpus = (() => {
  try {
    const m = /^0-(\d+)$/.exec(readFileSync('/sys/devices/system/cpu/possible', 'utf8').trim());
    return m ? Number(m[1]) + 1 : 1;
  } catch {
    return 1;
  }
})();

/** Per-CPU values differ by which CPU ran the program; compare the sum over CPUs (u64 words or u32). */
function foldPercpu(hex: string, valueSize: number, cpus: number): string {
  const b = Buffer.from(hex, 'hex');
  const word = valueSize % 8 === 0 ? 8 : 4;
  const out = Buffer.alloc(valueSize);
  for (let c = 0; c < cpus; c++) {
    for (let o = 0; o + word <= valueSize; o += word) {
      const at = c * valueSize + o;
      if (word === 8) out.writeBigUInt64LE((out.readBigUInt64LE(o) + b.readBigUInt64LE(at)) & 0xffffffffffffffffn, o);
      else out.writeUInt32LE((out.readUInt32LE(o) + b.readUInt32LE(at)) >>> 0, o);
    }
  }
  return out.toString('hex');
}

const objects = readdirSync(objDir).filter((f) => f.endsWith('.o')).sort();

describe.skipIf(!k.available)('VM against the kernel on our C programs', () => {
  for (const f of objects) {
    const path = objDir + f;
    let obj: LoadedObject;
    try {
      obj = loadInput(new Uint8Array(readFileSync(path)), f);
    } catch {
      continue; // objects for other program types (kfunc externs need the kernel's BTF)
    }
    const progs = obj.programs.filter((p) => RUNNABLE.has(p.progType));
    if (!progs.length) continue;
    it(f, () => {
      const kl = loadObject(path);
      try {
        if (!kl.accepted) return; // the reject_* programs: nothing to run
        const vm = new Vm(obj, { nrCpus });
        for (const p of progs) {
          if (!kl.programs.includes(p.name)) continue;
          for (const [what, pkt] of TEST_PACKETS) {
            const kr = kl.run(p.name, pkt);
            const vr = vm.run(p.name, { data: pkt });
            const where = `${p.name} on ${what}`;
            expect(vr.error?.message, where).toBeUndefined();
            expect(vr.retval, `${where}: retval`).toBe(kr.retval);
            expect(bytesToHex(vr.dataOut ?? new Uint8Array(0)), `${where}: data_out`).toBe(bytesToHex(kr.dataOut));
          }
        }
        const ours = vm.dumpMaps();
        for (const mp of vm.maps) {
          // bpftool pins maps under their name with '.' made '_'; inner-map templates are not pinned.
          const pinName = mp.name.replace(/\./g, '_');
          if (!COMPARABLE.has(mp.type) || !existsSync(`${kl.mapDir}/${pinName}`)) continue;
          const theirs = kl.mapDump(pinName);
          const norm = (rows: [string, string][]) =>
            rows.map(([key, v]) => `${key}=${mp.percpu ? foldPercpu(v, mp.def.valueSize, nrCpus) : v}`).sort();
          expect(norm(ours[mp.name] ?? []), `map ${mp.name}`).toEqual(norm(theirs));
        }
      } finally {
        kl.cleanup();
      }
    });
  }
});
