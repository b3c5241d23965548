import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/parse';
import type { Insn } from '../isa/insn';
import { PatchableProgram } from './patch';

const build = (text: string, lines: number[] = []) => {
  const insns = assemble(text).insns;
  return new PatchableProgram(insns, insns.map((_, k) => ({ seen: true, origin: k })),
    lines.map((l) => ({ insnOff: l, file: 'f.c', line: l, col: 0, text: `line ${l}` })), [0, insns.length]);
};
const nop: Insn = { code: 0xb7, dst: 0, src: 0, off: 0, imm: 0 };

describe('patching as bpf_patch_insn_data does', () => {
  it('moves jumps over the patch and line info after it; the last patch slot keeps the facts', () => {
    const p = build('if r1 == 0 goto end\nr2 = 1\nr3 = 2\nend:\nexit', [0, 1, 2, 3]);
    p.patch(1, [nop, nop, { ...p.insns[1] }]);
    expect(p.insns[0].off).toBe(4);
    expect(p.lineInfo.map((l) => l.insnOff)).toEqual([0, 1, 4, 5]);
    expect(p.aux.map((a) => a.origin)).toEqual([0, 1, 1, 1, 2, 3]);
  });

  it('removes code, pulls jumps in and lets the first live instruction inherit the removed line', () => {
    const p = build('if r1 == 0 goto end\nr2 = 1\nr3 = 2\nend:\nexit', [0, 1, 2, 3]);
    p.remove(1, 2);
    expect(p.insns).toHaveLength(2);
    expect(p.insns[0].off).toBe(0);
    // Lines at 1 and 2 go; the one at 3 (now 1) stays: it starts exactly at the removed range's end.
    expect(p.lineInfo.map((l) => [l.insnOff, l.line])).toEqual([[0, 0], [1, 3]]);
  });

  it('keeps the line of a removed range when no line starts right after it', () => {
    const p = build('r1 = 1\nr2 = 1\nr3 = 2\nexit', [0, 1]);
    p.remove(1, 1);
    expect(p.lineInfo.map((l) => [l.insnOff, l.line])).toEqual([[0, 0], [1, 1]]);
  });
});
