/**
 * Turns a verifier.json corpus record (../shared/corpus/README.md) into what our
 * verifier takes: instructions with map fixups applied, maps, program type and the
 * load flags the kernel run used.
 */
import { readFileSync } from 'node:fs';
import { programFromHex } from '../../src/core/isa/insn';
import { ATTACH_TYPES, PROG_TYPES } from '../../src/core/isa/kernel-types';
import { mapFromJson, type MapDef } from '../../src/core/elf/loaded-object';
import { verifyRaw, type VerifyResult } from '../../src/core/verifier/verify';
import type { VerifyOptions } from '../../src/core/verifier/env';

export interface CorpusRecord {
  id: string;
  name: string;
  prog_type: string;
  expected_attach_type?: string;
  flags: string[];
  insns: string[];
  maps: { name?: string; type: string; key_size: number; value_size: number; max_entries: number; map_flags?: number; btf_value?: string; inner_map?: number }[];
  fixups: { map_fds: [number, number][]; kfunc_btf_ids?: [number, string][] };
  attach_btf_func?: string;
  kernel: { accepted: boolean; msg: string; errno: string | null; load_flags?: string[]; note?: string };
  expect: 'accept' | 'reject';
  errstr: string;
}

const FLAG_BITS: Record<string, number> = {
  BPF_F_STRICT_ALIGNMENT: 1, BPF_F_ANY_ALIGNMENT: 2, BPF_F_TEST_RND_HI32: 4, BPF_F_TEST_STATE_FREQ: 8, BPF_F_SLEEPABLE: 16,
  BPF_F_XDP_HAS_FRAGS: 32, BPF_F_XDP_DEV_BOUND_ONLY: 64, BPF_F_TEST_REG_INVARIANTS: 128,
};

export function loadCorpus(path: string): CorpusRecord[] {
  return JSON.parse(readFileSync(path, 'utf8')) as CorpusRecord[];
}

export function recordFlags(r: CorpusRecord): number {
  let f = 0;
  for (const n of [...r.flags, ...(r.kernel.load_flags ?? [])]) f |= FLAG_BITS[n] ?? 0;
  return f;
}

export function recordProgram(r: CorpusRecord): {
  insns: ReturnType<typeof programFromHex>; maps: MapDef[]; progType: number; expectedAttachType: number; flags: number; mapSlots: Set<number>;
} {
  const insns = programFromHex(r.insns);
  const mapSlots = new Set<number>();
  for (const [at, idx] of r.fixups.map_fds) {
    insns[at] = { ...insns[at], imm: idx };
    mapSlots.add(at);
  }
  const maps = r.maps.map((m, i) => mapFromJson({ ...m, name: m.name ?? '' }, i));
  const progType = PROG_TYPES.value(r.prog_type);
  if (progType === undefined) throw new Error(`${r.id}: unknown program type ${r.prog_type}`);
  const expectedAttachType = r.expected_attach_type ? ATTACH_TYPES.value(r.expected_attach_type) ?? 0 : 0;
  return { insns, maps, progType, expectedAttachType, flags: recordFlags(r), mapSlots };
}

export function verifyRecord(r: CorpusRecord, opts: VerifyOptions = {}): VerifyResult {
  const p = recordProgram(r);
  return verifyRaw(
    { insns: p.insns, progType: p.progType, expectedAttachType: p.expectedAttachType, flags: p.flags, maps: p.maps, name: '', license: 'GPL', attachTo: r.attach_btf_func },
    { trace: false, ...opts, mapSlots: p.mapSlots },
  );
}
