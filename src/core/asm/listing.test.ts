import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../elf/elf64';
import { formatObjdump } from './listing';

const objDir = new URL('../../../test/progs/obj/', import.meta.url);
const goldenDir = new URL('../../../test/golden/llvm-objdump/', import.meta.url);
const objects = readdirSync(objDir).filter((f) => f.endsWith('.o'));

describe('formatObjdump', () => {
  it('has 20+ clang-19 objects to compare', () => expect(objects.length).toBeGreaterThanOrEqual(20));

  for (const o of objects) {
    const name = o.replace(/\.o$/, '');
    it(`${o}: equals llvm-objdump-19 -d --no-show-raw-insn and -d --mcpu=v4`, () => {
      const elf = parseElf(readFileSync(new URL(o, objDir)));
      expect(formatObjdump(elf, { fileName: o })).toBe(readFileSync(new URL(`${name}.txt`, goldenDir), 'utf8'));
      expect(formatObjdump(elf, { fileName: o, alu32: true, rawBytes: true })).toBe(readFileSync(new URL(`${name}.raw.txt`, goldenDir), 'utf8'));
    });
  }
});
