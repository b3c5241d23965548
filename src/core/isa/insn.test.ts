import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCorpus } from '../../../test/corpus';
import {
  checkInsn, checkProgram, decodeInsn, insnFromHex, insnToHex, InsnError, programFromBytes, programFromHex,
  programToBytes, programToHex, type Insn,
} from './insn';

const corpusFiles = ['conformance.json', 'verifier.json'].map((f) => [f, findCorpus(f)] as const);

describe('instruction encoding', () => {
  for (const [name, path] of corpusFiles) {
    it.skipIf(!path)(`round-trips every instruction of ${name} through decode and encode`, () => {
      const records = JSON.parse(readFileSync(path!, 'utf8')) as { insns: string[] }[];
      let n = 0;
      for (const r of records) {
        const insns = programFromHex(r.insns);
        expect(programToHex(insns)).toEqual(r.insns);
        expect(programFromBytes(programToBytes(insns)).map(insnToHex)).toEqual(r.insns);
        for (let pc = 0; pc < insns.length; pc++) decodeInsn(insns, pc); // never throws
        n += r.insns.length;
      }
      expect(n).toBeGreaterThan(1000);
    });
  }

  it('decodes into the meaning', () => {
    const d = (hex: string[]) => decodeInsn(programFromHex(hex), 0);
    expect(d(['bf12020000000000'])).toMatchObject({ kind: 'alu', op: 'mov', srcIsReg: true }); // off 2 is no movsx width
    expect(d(['bf12010001000000'])).toMatchObject({ kind: 'addr_space_cast', fromAs: 1, toAs: 0 });
    expect(d(['bf12080000000000'])).toMatchObject({ kind: 'alu', op: 'movsx', extBits: 8, dst: 2, src: 1 });
    expect(d(['3f12010000000000'])).toMatchObject({ kind: 'alu', op: 'sdiv', is64: true });
    expect(d(['dc01000010000000'])).toEqual({ kind: 'end', swap: 'be', bits: 16, dst: 1 });
    expect(d(['d701000040000000'])).toEqual({ kind: 'end', swap: 'bswap', bits: 64, dst: 1 });
    expect(d(['1811000005000000', '0000000007000000'])).toMatchObject({ kind: 'ld_imm64', pseudo: 1, imm: 5, imm2: 7, value: 0x700000005n });
    expect(d(['db21000051000000'])).toMatchObject({ kind: 'atomic', op: 'and', fetch: true, size: 8 });
    expect(d(['c321000000010000'])).toMatchObject({ kind: 'atomic', op: 'load_acquire', size: 4 });
    expect(d(['0600000005000000'])).toEqual({ kind: 'ja', long: true, offset: 5 });
    expect(d(['e500030000000000'])).toEqual({ kind: 'may_goto', offset: 3 });
    expect(d(['8510000002000000'])).toMatchObject({ kind: 'call', call: 'subprog', imm: 2 });
    expect(d(['9100000000000000'])).toMatchObject({ kind: 'ldx', signed: true, size: 1 });
    expect(d(['99000000000000'.padEnd(16, '0')])).toMatchObject({ kind: 'invalid', field: 'code' }); // ldsx of 8 bytes
    expect(d(['e400000000000000'])).toMatchObject({ kind: 'invalid', field: 'code' });
  });

  it('rejects reserved fields with the instruction index and the field', () => {
    const err = (hex: string[]): InsnError => {
      try { checkProgram(programFromHex(hex)); } catch (e) { return e as InsnError; }
      throw new Error('accepted');
    };
    const e = err(['b700000000000000', '0710000001000000', '9500000000000000']);
    expect(e.index).toBe(1);
    expect(e.field).toBe('src');
    expect(e.message).toBe('instruction 1 (opcode 0x07): src must be 0, is 1');
    expect(err(['9500010000000000']).field).toBe('off');
    expect(err(['1800000000000000']).message).toBe('instruction 0 (opcode 0x18): lddw is missing its second 8-byte slot');
    expect(err(['b70b000001000000', '9500000000000000']).message).toBe('instruction 0 (opcode 0xb7): invalid destination register r11');
    expect(err(['dc01000030000000', '9500000000000000']).message).toBe('instruction 0 (opcode 0xdc): byte-swap width must be 16, 32 or 64, is 48');
  });

  it('rejects every negative/unused-* conformance case', () => {
    const path = findCorpus('conformance.json');
    if (!path) return;
    const cases = (JSON.parse(readFileSync(path, 'utf8')) as { name: string; insns: string[] }[]).filter((c) => c.name.startsWith('negative/unused-'));
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) expect(() => checkProgram(programFromHex(c.insns)), c.name).toThrow(InsnError);
  });

  it('refuses bytes that are not whole instructions', () => {
    expect(() => programFromBytes(new Uint8Array(12))).toThrow('program is 12 bytes, not a multiple of 8 (truncated instruction at byte 8)');
    expect(() => insnFromHex('zz', 3)).toThrow('instruction 3: expected 16 hex digits, got "zz"');
  });

  it('checkInsn accepts every valid form', () => {
    const ok: Insn[][] = [
      programFromHex(['b700000001000000']), programFromHex(['bf21200000000000']), programFromHex(['1800000001000000', '0000000002000000']),
      programFromHex(['85200000ffffffff']), programFromHex(['c312000010010000']),
    ];
    for (const insns of ok) expect(() => checkInsn(insns, 0)).not.toThrow();
  });
});
