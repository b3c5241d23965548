import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globalVariables, setGlobalVariable } from './globals';
import { loadElfObject } from './load-elf';
import { programToHex } from '../isa/insn';

const obj = () => loadElfObject(new Uint8Array(readFileSync(new URL('../../../test/progs/obj/knobs.o', import.meta.url))), { objectName: 'knobs' });

describe('global variables (test/progs/knobs.bpf.c)', () => {
  // Offsets and sizes as `llvm-objdump-19 -t knobs.o` lists the symbols.
  it('lists the variables of each data section, static and hidden ones included', () => {
    const vars = globalVariables(obj()).map((v) => `${v.section}:${v.name}@${v.offset}+${v.size}`);
    expect(vars).toEqual([
      '.rodata:min_len@0+4', '.rodata:verbose@4+1', '.rodata:tag@5+8', '.rodata:knobs.____fmt@13+15', '.rodata:port@28+2',
      '.bss:hidden_total@0+8', '.bss:total@8+8', '.data:ratio@0+4',
    ]);
  });

  it('sets const volatile knobs before load, leaving the original alone', () => {
    const o = obj();
    const rodata = o.maps.findIndex((m) => m.section === '.rodata');
    const before = Buffer.from(o.maps[rodata].initial!).toString('hex');
    let o2 = setGlobalVariable(o, 'min_len', 100);
    o2 = setGlobalVariable(o2, 'verbose', true);
    o2 = setGlobalVariable(o2, 'tag', 'dns');
    o2 = setGlobalVariable(o2, 'port', 5353);
    const want = Buffer.from(before, 'hex');
    want.set([100, 0, 0, 0, 1, 0x64, 0x6e, 0x73, 0, 0, 0, 0, 0], 0);
    want.set([0xe9, 0x14], 28);
    expect(Buffer.from(o2.maps[rodata].initial!).toString('hex')).toBe(want.toString('hex'));
    expect(Buffer.from(o.maps[rodata].initial!).toString('hex')).toBe(before);
    expect(o.maps[rodata].frozen).toBe(true);
    expect(programToHex(o2.programs[0].insns)).toEqual(programToHex(o.programs[0].insns));
  });

  it('refuses values that do not fit and names it cannot find', () => {
    const o = obj();
    expect(() => setGlobalVariable(o, 'verbose', 256)).toThrow(/does not fit in 1 bytes/);
    expect(() => setGlobalVariable(o, 'tag', 'too long a tag')).toThrow(/holds 7 characters/);
    expect(() => setGlobalVariable(o, 'nope', 1)).toThrow(/no global variable 'nope' \(known: .*min_len/);
    expect(() => setGlobalVariable(o, 'min_len', 1.5)).toThrow(/not an integer/);
  });
});
