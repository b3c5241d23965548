import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnFromHex } from '../isa/insn';
import { formatLlvmInsn, nearestSymbolizer } from './format-llvm';

// Recorded from llvm-objdump-19 by scripts/record-llvm-insn-text.mjs: each encoding alone
// in .text after symbol `f` at address 0 (at the slot recorded with it), followed by an `exit`.
const golden = readFileSync(new URL('../../../test/golden/llvm-insn-text/insns.jsonl', import.meta.url), 'utf8')
  .trim().split('\n').map((l) => JSON.parse(l) as [string, string, string, number]);


describe('formatLlvmInsn', () => {
  it('has a golden file to compare against', () => expect(golden.length).toBeGreaterThan(8000));

  for (const [col, alu32] of [[1, false], [2, true]] as const) {
    it(`prints every recorded encoding as llvm-objdump-19 ${alu32 ? '--mcpu=v4' : '(default CPU)'} does`, () => {
      const sym = nearestSymbolizer([{ name: 'f', addr: 0n }]);
      const wrong: string[] = [];
      for (const row of golden) {
        const hex = row[0];
        if (row[col] === '(none)') continue;
        const insns = hex.length === 32 ? [insnFromHex(hex.slice(0, 16)), insnFromHex(hex.slice(16))] : [insnFromHex(hex)];
        const ours = formatLlvmInsn(insns, 0, { alu32, symbolize: sym, baseAddr: BigInt(row[3] * 8) });
        if (ours !== row[col]) wrong.push(`${hex}: llvm "${row[col]}" ours "${ours}"`);
      }
      expect(wrong.slice(0, 40)).toEqual([]);
      expect(wrong.length).toBe(0);
    });
  }
});
