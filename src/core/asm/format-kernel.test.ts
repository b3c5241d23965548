import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnFromHex } from '../isa/insn';
import { formatKernelInsn } from './format-kernel';

// Recorded from the Linux 6.18 verifier log by scripts/record-kernel-insn-text.mjs.
const golden = readFileSync(new URL('../../../test/golden/kernel-insn-text/insns.tsv', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => l.split('\t') as [string, string]);

describe('formatKernelInsn', () => {
  it('has a golden file to compare against', () => {
    expect(golden.length).toBeGreaterThan(1000);
  });

  it('prints every recorded encoding exactly as the 6.18 verifier log does', () => {
    const wrong: string[] = [];
    for (const [hex, text] of golden) {
      const insns = hex.length === 32 ? [insnFromHex(hex.slice(0, 16)), insnFromHex(hex.slice(16))] : [insnFromHex(hex)];
      // The verifier names a kfunc by its BTF type; type 0 (void) has the empty name.
      const ours = formatKernelInsn(insns, 0, { call: (i) => (i.src === 2 && i.imm === 0 ? '' : undefined) });
      if (ours !== text) wrong.push(`${hex}: kernel "${text}" ours "${ours}"`);
    }
    expect(wrong).toEqual([]);
  });
});
