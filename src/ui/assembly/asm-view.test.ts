import { describe, expect, it } from 'vitest';
import { assembleForView, problemAt } from './asm-view';

describe('assembleForView', () => {
  const source = [
    '.section xdp',
    '.map counter array key=4 value=8 entries=1',
    'r1 = counter ll',
    'if r1 == 0 goto out',
    'w0 = 1',
    'out:',
    'exit',
  ].join('\n');

  it('gives one row per instruction with slots, both syntaxes and the source line', () => {
    const out = assembleForView(source, { alu32: true });
    if (!out.ok) throw new Error(out.problem.message);
    expect(out.view.rows).toEqual([
      { pc: 0, slots: ['1811000000000000', '0000000000000000'], kernel: '0: (18) r1 = map[counter]', llvm: 'ld_pseudo\tr1, 0x1, 0x0', line: 3, map: 'counter' },
      { pc: 2, slots: ['1501010000000000'], kernel: '2: (15) if r1 == 0x0 goto pc+1', llvm: 'if r1 == 0x0 goto +0x1 <out>', line: 4 },
      { pc: 3, slots: ['b400000001000000'], kernel: '3: (b4) w0 = 1', llvm: 'w0 = 0x1', line: 5 },
      { pc: 4, slots: ['9500000000000000'], kernel: '4: (95) exit', llvm: 'exit', line: 7 },
    ]);
    expect(out.view.slotCount).toBe(5);
    expect(out.view.section).toBe('xdp');
    expect(out.view.progType).toBe('xdp');
    expect(out.view.maps).toEqual([{ name: 'counter', type: 'array', key_size: 4, value_size: 8, max_entries: 1 }]);
  });

  it('names jump targets past the last label relative to the program start', () => {
    const out = assembleForView('goto +1\nr0 = 0\nexit', { alu32: false });
    if (!out.ok) throw new Error(out.problem.message);
    expect(out.view.rows[0].llvm).toBe('goto +0x1 <prog+0x10>');
  });

  it('reports an assembler error with the range to mark', () => {
    const out = assembleForView('r0 = 0\nr0 += foo\nexit', { alu32: true });
    expect(out).toMatchObject({ ok: false, problem: { line: 2, startColumn: 7, endColumn: 10, message: expect.stringContaining("found 'foo'") } });
  });

  it('gives an empty listing for a source without instructions', () => {
    const out = assembleForView('; nothing yet\n', { alu32: true });
    expect(out.ok && out.view.rows).toEqual([]);
  });
});

describe('problemAt', () => {
  it('marks the word at the column', () => {
    expect(problemAt('  r0 = bogus + 1', 1, 8, 'x')).toMatchObject({ startColumn: 8, endColumn: 13 });
  });
  it('marks the last character when the error is at the end of the line', () => {
    expect(problemAt('r0 = ', 1, 6, 'x')).toMatchObject({ startColumn: 4, endColumn: 5 });
    expect(problemAt('if r1 > r2 goto', 1, 16, 'x')).toMatchObject({ startColumn: 15, endColumn: 16 });
  });
  it('marks one column on an empty or missing line', () => {
    expect(problemAt('', 3, 1, 'x')).toMatchObject({ line: 3, startColumn: 1, endColumn: 2 });
  });
});
