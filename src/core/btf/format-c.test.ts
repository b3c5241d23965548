import { describe, expect, it } from 'vitest';
import { parseBtf } from './btf';
import { BtfBuilder } from './encode';
import { formatCDecl, formatCDefinition } from './format-c';
import { btfSignature } from './signature';

describe('BTF in C syntax', () => {
  const b = new BtfBuilder();
  const int = b.int('int', 4, 1);
  const char = b.int('char', 1, 2);
  const voidp = b.ptr(0);
  const proto = b.funcProto(int, [{ name: '', type: voidp }, { name: '', type: int }]);
  const fptr = b.ptr(proto);
  const cbs = b.array(fptr, int, 2);
  const name = b.array(char, int, 16);
  const pp = b.ptr(b.ptr(char));
  const st = b.struct('ops', 56, [
    { name: 'cbs', type: cbs, bitOffset: 0 },
    { name: 'name', type: name, bitOffset: 128 },
    { name: 'argv', type: pp, bitOffset: 256 },
    { name: 'n', type: int, bitOffset: 320 },
  ]);
  const fn = b.func('run', b.funcProto(int, [{ name: 'o', type: b.ptr(st) }]));
  const btf = parseBtf(b.encode());

  it('writes declarators back to front, as btf_dump does', () => {
    expect(formatCDecl(btf, cbs, 'cbs')).toBe('int (*cbs[2])(void *, int)');
    expect(formatCDecl(btf, name, 'name')).toBe('char name[16]');
    expect(formatCDecl(btf, pp, 'argv')).toBe('char **argv');
    expect(formatCDecl(btf, voidp)).toBe('void *');
  });

  it('defines structs with tabs, padding fields and trailing padding', () => {
    expect(formatCDefinition(btf, st)).toBe([
      'struct ops {',
      '\tint (*cbs[2])(void *, int);',
      '\tchar name[16];',
      '\tchar **argv;',
      '\tint n;',
      '\tlong: 64;',
      '}',
    ].join('\n'));
  });

  it('prints signatures as bpftool does above functions', () => {
    expect(btfSignature(btf, fn)).toBe('int run(struct ops * o)');
  });
});
