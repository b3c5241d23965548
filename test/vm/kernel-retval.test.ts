// The verifier-selftest records the 6.18 kernel accepted and ran (../shared/corpus/verifier.json,
// `kernel.retval`, recorded with BPF_PROG_TEST_RUN on 64 zero bytes or the record's `data`):
// the VM must return the same value on the same input. Exceptions are listed with reasons.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCorpus } from '../corpus';
import { mapFromJson, objectFromInsns, type JsonMapSpec } from '../../src/core/elf/loaded-object';
import { programFromHex } from '../../src/core/isa/insn';
import { hexToBytes } from '../../src/core/vm/maps';
import { Vm } from '../../src/core/vm/vm';
import { KERNEL_RETVAL_EXCEPTIONS } from './kernel-retval-exceptions';

interface Rec {
  id: string;
  name: string;
  prog_type: string;
  insns: string[];
  data?: string;
  runs?: { retval: number; data: string }[];
  maps: (JsonMapSpec & { init?: [string, string][] })[];
  fixups: { map_fds?: [number, number][] };
  kernel: { retval?: number | number[] };
}

const file = findCorpus('verifier.json');
const recs: Rec[] = file ? (JSON.parse(readFileSync(file, 'utf8')) as Rec[]).filter((r) => r.kernel?.retval !== undefined && r.kernel.retval !== null) : [];

export function runRecord(r: Rec): { got: number[]; want: number[]; errors: string[] } {
  const maps = r.maps.map((m, k) => mapFromJson({ ...m, type: String(m.type).replace(/^BPF_MAP_TYPE_/, '').toLowerCase() }, k));
  const obj = objectFromInsns({ insns: programFromHex(r.insns), progType: r.prog_type.replace(/^BPF_PROG_TYPE_/, '').toLowerCase(), maps, mapFds: r.fixups.map_fds ?? [] });
  const vm = new Vm(obj);
  r.maps.forEach((m, k) => { for (const [key, value] of m.init ?? []) vm.maps[k].updateUser(hexToBytes(key), hexToBytes(value)); });
  const runs = r.runs ?? [{ data: r.data ?? '', retval: 0 }];
  const want = Array.isArray(r.kernel.retval) ? r.kernel.retval : [r.kernel.retval!];
  const got: number[] = [];
  const errors: string[] = [];
  for (const run of runs) {
    const res = vm.run(0, { data: run.data ? hexToBytes(run.data) : new Uint8Array(64) });
    got.push(res.retval);
    if (res.error) errors.push(res.error.message);
  }
  return { got, want, errors };
}

describe.skipIf(!file)('kernel test-run return values of the verifier selftests', () => {
  it('has the records it expects', () => {
    expect(recs.length).toBe(344);
  });

  for (const r of recs) {
    const why = KERNEL_RETVAL_EXCEPTIONS[r.id];
    it.skipIf(why !== undefined)(`${r.id} ${r.name}`, () => {
      const { got, want, errors } = runRecord(r);
      expect(errors).toEqual([]);
      expect(got).toEqual(want);
    });
  }
});
