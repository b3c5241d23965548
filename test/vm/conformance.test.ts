// The BPF conformance suites (bpf_conformance and uBPF instruction tests, ../shared/corpus/
// conformance.json) run on the VM: every case with an expected r0 must produce it, every
// case that expects an error must fail to load or fault. Exceptions are listed, one line each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCorpus } from '../corpus';
import { objectFromInsns } from '../../src/core/elf/loaded-object';
import { programFromHex } from '../../src/core/isa/insn';
import { Vm } from '../../src/core/vm/vm';
import { CONFORMANCE_EXCEPTIONS } from './conformance-exceptions';

interface Case {
  name: string;
  source: string;
  insns: string[];
  mem: string;
  expect: { r0?: string; error?: string } | null;
  requires?: string[];
}

const file = findCorpus('conformance.json');
const cases: Case[] = file ? JSON.parse(readFileSync(file, 'utf8')) : [];

function runCase(c: Case): { r0?: bigint; error?: string } {
  try {
    const obj = objectFromInsns({ insns: programFromHex(c.insns) });
    const vm = new Vm(obj, { helpers: c.requires?.length ? 'ubpf' : 'kernel' });
    const r = vm.run(0, { mem: Buffer.from(c.mem, 'hex') });
    return r.ok ? { r0: r.r0 } : { error: r.error!.message };
  } catch (e) {
    const err = e as Error;
    if (err.name === 'VmLoadError' || err.name === 'VmError' || err.name === 'InsnError') return { error: err.message };
    throw e;
  }
}

describe.skipIf(!file)('conformance suites', () => {
  const runnable = cases.filter((c) => c.expect !== null);

  it('has the cases it expects', () => {
    expect(cases.length).toBe(442);
  });

  for (const c of runnable) {
    const why = CONFORMANCE_EXCEPTIONS[c.name];
    it.skipIf(why !== undefined)(`${c.source} ${c.name}`, () => {
      const r = runCase(c);
      if (c.expect!.r0 !== undefined) {
        expect(r.error, `unexpected error: ${r.error}`).toBeUndefined();
        expect(`0x${r.r0!.toString(16)}`).toBe(`0x${BigInt(c.expect!.r0).toString(16)}`);
      } else {
        expect(r.error, `expected an error (${c.expect!.error}), got r0 = ${r.r0}`).toBeDefined();
      }
    });
  }

  it('lists only exceptions that exist and still fail', () => {
    for (const [name] of Object.entries(CONFORMANCE_EXCEPTIONS)) {
      const c = cases.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      const r = runCase(c!);
      const passes = c!.expect?.r0 !== undefined ? r.r0 === BigInt(c!.expect.r0) : r.error !== undefined;
      expect(passes, `${name} passes now: remove it from the exceptions`).toBe(false);
    }
  });
});
