import { describe, expect, it } from 'vitest';
import { ASM_EXAMPLES } from '../examples/asm-examples';
import { inspectObject } from '../object/inspect';
import { assembleForView } from './asm-view';
import { assembledObject } from './export-object';

describe('assembledObject', () => {
  it('writes an object the loader reads back to the same instructions and maps', () => {
    for (const ex of ASM_EXAMPLES) {
      const out = assembledObject(ex.source, 'prog.s');
      if (!out.ok) throw new Error(out.problem);
      expect(out.fileName).toBe('prog.o');
      const view = inspectObject(out.bytes, out.fileName);
      expect(view.loadError, ex.id).toBeNull();
      const asm = assembleForView(ex.source, { alu32: true });
      if (!asm.ok) throw new Error(asm.problem.message);
      const insns = view.programs[0].rows.filter((r) => r.kind === 'insn');
      expect(insns.map((r) => r.kind === 'insn' && `${r.pc}: ${r.text}`), ex.id).toEqual(asm.view.rows.map((r) => r.kernel));
      expect(view.maps.map((m) => m.name)).toEqual(asm.view.maps.map((m) => m.name));
    }
  });

  it('says why there is nothing to export', () => {
    expect(assembledObject('r0 +=', 'a.s')).toMatchObject({ ok: false, problem: expect.stringContaining('a.s does not assemble') });
    expect(assembledObject('; nothing', 'a.s')).toEqual({ ok: false, problem: 'a.s has no instructions' });
  });
});
