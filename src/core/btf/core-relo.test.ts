import { describe, expect, it } from 'vitest';
import { parseBtf } from './btf';
import { BtfBuilder } from './encode';
import { essentialNameLength, patchCoreInsn, resolveCoreRelo, typesAreCompat, CORE_POISON_IMM } from './core-relo';

describe('CO-RE relocation rules', () => {
  it('strips the last ___flavour suffix only (X___Y with X, Y not underscores)', () => {
    expect(essentialNameLength('task_struct___old')).toBe('task_struct'.length);
    expect(essentialNameLength('a___b___c')).toBe('a___b'.length);
    expect(essentialNameLength('____x')).toBe(5);
    expect(essentialNameLength('x____y')).toBe(6); // no X___Y split: the 4th underscore
    expect(essentialNameLength('plain')).toBe(5);
  });

  // local: struct s { int a; int b; }  target: struct s { long pad; int b; } plus struct s___2 with b elsewhere
  const local = new BtfBuilder();
  const lint = local.int('int', 4, 1);
  const ls = local.struct('s', 8, [{ name: 'a', type: lint, bitOffset: 0 }, { name: 'b', type: lint, bitOffset: 32 }]);
  const lb = parseBtf(local.encode());
  const targ = new BtfBuilder();
  const tint = targ.int('int', 4, 1);
  const tlong = targ.int('long', 8, 1);
  targ.struct('s', 16, [{ name: 'pad', type: tlong, bitOffset: 0 }, { name: 'b', type: tint, bitOffset: 64 }]);
  targ.struct('s___2', 16, [{ name: 'b', type: tint, bitOffset: 96 }]);
  const tb = parseBtf(targ.encode());

  it('refuses relocations whose candidates disagree (libbpf: ambiguity)', () => {
    expect(() => resolveCoreRelo(lb, { insnOff: 0, typeId: ls, accessStr: '0:1', kind: 0 }, tb, new Map(), "prog 'p': relo #0"))
      .toThrow(/prog 'p': relo #0: field offset ambiguity: 96 != 64/);
  });

  it('poisons what matches nowhere, and checks the value the compiler assumed', () => {
    const one = parseBtf((() => { const b = new BtfBuilder(); const i = b.int('int', 4, 1); b.struct('s', 16, [{ name: 'b', type: i, bitOffset: 64 }]); return b.encode(); })());
    const r = resolveCoreRelo(lb, { insnOff: 0, typeId: ls, accessStr: '0:0', kind: 0 }, one, new Map(), 'r');
    expect(r.res.poison).toBe(true);
    const insns = [{ code: 0x61, dst: 1, src: 1, off: 0, imm: 0 }];
    expect(patchCoreInsn(insns, 0, r.res, 'r')).toBe('poisoned');
    expect(insns[0]).toEqual({ code: 0x85, dst: 0, src: 0, off: 0, imm: CORE_POISON_IMM });
    const ok = resolveCoreRelo(lb, { insnOff: 0, typeId: ls, accessStr: '0:1', kind: 0 }, one, new Map(), 'r');
    const wrong = [{ code: 0x61, dst: 1, src: 1, off: 12, imm: 0 }];
    expect(() => patchCoreInsn(wrong, 0, ok.res, 'r')).toThrow(/unexpected insn #0 \(LDX\/ST\/STX\) value: got 12, exp 4 -> 8/);
    const right = [{ code: 0x61, dst: 1, src: 1, off: 4, imm: 0 }];
    expect(patchCoreInsn(right, 0, ok.res, 'r')).toBe('patched');
    expect(right[0].off).toBe(8);
  });

  it('treats structs as compatible by kind, ints regardless of size', () => {
    expect(typesAreCompat(lb, ls, tb, 3)).toBe(true);
    expect(typesAreCompat(lb, lint, tb, tlong)).toBe(true);
    expect(typesAreCompat(lb, lint, tb, 3)).toBe(false);
  });
});
