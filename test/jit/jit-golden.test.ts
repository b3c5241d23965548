// Our x86-64 JIT against the kernel's, for every recorded program (test/golden/jit/*.json:
// the kernel's own xlated code in, the kernel's own jited bytes to compare with).
//
// - With the kernel's addresses (function addresses from jited_ksyms, __bpf_call_base and
//   the thunks from /proc/kallsyms) every byte must match, calls included, except the
//   fields /proc/kallsyms cannot tell us: map pointers, the private stack's per-CPU
//   pointer and this_cpu_off.
// - With placeholder addresses the image must match modulo every address-dependent field
//   (encoding choices do not depend on where things are).
// - Each function's length must equal jited_func_lens, and every line-info record's jited
//   address (jited_line_info) must be where our map from instructions to code says.
// Programs whose bytes differ must be listed in test/golden/jit-differences.json with the
// reason; the list may not hide a program that matches.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jitProgram } from '../../src/core/jit/program';
import type { JitResult } from '../../src/core/jit/x86/compile';
import type { RelocationKind } from '../../src/core/jit/x86/emit';
import { goldenFiles, jitInputOf, kernelAddressesOf, type GoldenProgram } from './golden';

const files = goldenFiles();
const programs = files.flatMap((g) => g.programs.map((p) => ({ g, p, id: `${g.file.replace(/\.json$/, '')}/${p.name}` })));
const known: Record<string, string> = JSON.parse(readFileSync(new URL('../golden/jit-differences.json', import.meta.url), 'utf8'));

const UNKNOWABLE: readonly RelocationKind[] = ['map_address', 'private_stack', 'this_cpu_off'];

/** First differing offset outside the masked fields, or -1. */
function firstDifference(r: JitResult, kernel: Uint8Array, masked: readonly RelocationKind[] | 'all'): number {
  const mask = new Uint8Array(Math.max(r.image.length, kernel.length));
  for (const rel of r.relocations) {
    if (masked === 'all' || masked.includes(rel.kind)) mask.fill(1, rel.offset, rel.offset + rel.size);
  }
  for (let k = 0; k < mask.length; k++) if (!mask[k] && r.image[k] !== kernel[k]) return k;
  return -1;
}

const hexAt = (b: Uint8Array, at: number): string => Buffer.from(b.subarray(at, at + 12)).toString('hex');

function check(id: string, p: GoldenProgram, r: JitResult, masked: readonly RelocationKind[] | 'all'): string | null {
  const kernel = Buffer.from(p.jited, 'hex');
  const at = firstDifference(r, kernel, masked);
  if (at < 0) return null;
  return `${id}: ${r.image.length} bytes vs the kernel's ${kernel.length}; first difference at 0x${at.toString(16)}: ours ${hexAt(r.image, at)}, kernel ${hexAt(kernel, at)}`;
}

describe('x86-64 JIT vs the kernel (recorded)', () => {
  it('has the recorded programs', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(programs.length).toBeGreaterThanOrEqual(45);
  });

  const outcomes = new Map<string, string | null>();

  for (const { g, p, id } of programs) {
    it(id, () => {
      const r = jitProgram(jitInputOf(p), { addresses: kernelAddressesOf(g, p) });
      const problem = check(id, p, r, UNKNOWABLE);
      outcomes.set(id, problem);
      if (id in known) {
        expect(problem, `${id} is listed in differences.json but matches: remove it`).not.toBeNull();
        return;
      }
      expect(problem).toBeNull();
      expect(r.functions.map((f) => f.length)).toEqual(p.jited_func_lens);

      // Placeholder addresses: the same code, only address fields differ.
      const placeholder = jitProgram(jitInputOf(p));
      expect(check(id, p, placeholder, 'all')).toBeNull();

      // The instruction -> code map against the kernel's jited line info.
      const ksyms = p.jited_ksyms.map((a) => BigInt(a));
      p.line_info.forEach((li, k) => {
        const f = r.functions.findLastIndex((fn) => fn.firstSlot <= li.insn_off);
        const fn = r.functions[f];
        const local = li.insn_off === fn.firstSlot ? 0 : r.insnRanges[li.insn_off][0] - fn.offset;
        expect(`0x${(ksyms[f] + BigInt(local)).toString(16)}`, `line info ${k} (insn ${li.insn_off})`).toBe(p.jited_line_info[k]);
      });
    });
  }

  it('matches the kernel for at least 90% of the programs', () => {
    const equal = programs.filter(({ id }) => outcomes.get(id) === null).length;
    expect(equal / programs.length).toBeGreaterThanOrEqual(0.9);
  });
});
