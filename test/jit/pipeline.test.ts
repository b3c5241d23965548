// The whole listing pipeline on our own side: our loader -> our verifier facts
// (analyzeFacts) -> our rewrites (xlateProgram) -> our JIT, against the kernel's jited
// bytes for the same sources (test/golden/jit), with the kernel's function addresses and
// call targets, masking only map pointers, private stack pointers and this_cpu_off.
import { describe, expect, it } from 'vitest';
import { registerShippedKernelData } from '../../src/cli/kernel-data';
import { jitProgram } from '../../src/core/jit/program';
import { xlateProgram } from '../../src/core/xlated';
import { loadSource, xlatedGoldens } from '../xlated/golden';
import { goldenFiles, kernelAddressesOf } from './golden';

registerShippedKernelData();
const jits = new Map(goldenFiles().map((g) => [g.file, g]));
const MASKED = ['map_address', 'private_stack', 'this_cpu_off'];

describe('loader -> xlated -> JIT vs the kernel', () => {
  let equal = 0;
  for (const g of xlatedGoldens()) {
    for (const gp of g.programs) {
      it.skipIf(g.source.endsWith('.bpf.c'))(`${g.file.replace(/\.json$/, '')}/${gp.name}`, () => {
        const obj = loadSource(g)!;
        const p = obj.programs.length === 1 ? obj.programs[0] : obj.programs.find((q) => q.name === gp.name)!;
        const jg = jits.get(g.file)!;
        const jp = jg.programs.find((q) => q.name === gp.name)!;
        const x = xlateProgram(obj, p);
        expect(x.stackDepths, 'stack depths (the verifier statistics line)').toEqual(jp.stack_depths);
        const r = jitProgram(
          { insns: x.insns, progType: x.progType, stackDepths: x.stackDepths, funcStarts: x.funcStarts, directTailCalls: x.directTailCalls, probeMem: x.probeMem },
          { addresses: kernelAddressesOf(jg, jp) },
        );
        const kernel = Buffer.from(jp.jited, 'hex');
        const mask = new Uint8Array(Math.max(kernel.length, r.image.length));
        for (const rel of r.relocations) if (MASKED.includes(rel.kind)) mask.fill(1, rel.offset, rel.offset + rel.size);
        const diff = mask.findIndex((m, k) => !m && r.image[k] !== kernel[k]);
        expect(diff, `first differing byte (ours ${r.image.length} bytes, kernel ${kernel.length})`).toBe(-1);
        equal++;
      });
    }
  }
  it('covers at least 30 programs', () => expect(equal).toBeGreaterThanOrEqual(30));
});
