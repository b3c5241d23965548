import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseElf } from '../elf/elf64';
import { BtfError, parseBtf } from './btf';
import { parseBtfExt } from './btf-ext';
import { BtfBuilder } from './encode';

const objBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test/progs/obj/${name}`, import.meta.url)));

describe('parseBtf', () => {
  it('reads what the encoder writes', () => {
    const b = new BtfBuilder();
    const u32 = b.int('unsigned int', 4, 0);
    const p = b.ptr(u32);
    const arr = b.array(u32, u32, 3);
    const st = b.struct('pair', 8, [{ name: 'a', type: u32, bitOffset: 0 }, { name: 'b', type: u32, bitOffset: 32 }]);
    const btf = parseBtf(b.encode());
    expect(btf.type(u32)).toEqual({ kind: 'int', name: 'unsigned int', size: 4, encoding: 0, bitOffset: 0, bits: 32 });
    expect(btf.type(p)).toEqual({ kind: 'ptr', name: '', type: u32 });
    expect(btf.resolveSize(arr)).toBe(12);
    expect(btf.resolveSize(st)).toBe(8);
    expect(btf.alignOf(st)).toBe(4);
    expect(btf.findByName('pair', 'struct')).toBe(st);
  });

  it('reads clang objects: every type of every test object parses', () => {
    const f = parseElf(objBytes('core_task.o'));
    const btf = parseBtf(f.sectionByName('.BTF')!.data);
    expect(btf.count).toBeGreaterThan(10);
    const task = btf.findByName('task_struct', 'struct');
    expect(task).toBeDefined();
    const ext = parseBtfExt(f.sectionByName('.BTF.ext')!.data, btf.strings);
    expect(ext.lineInfo.length).toBeGreaterThan(0);
    expect(ext.coreRelos.flatMap((s) => s.records).length).toBeGreaterThan(0);
  });

  it('rejects malformed BTF with a BtfError that says what is wrong', () => {
    const good = new BtfBuilder();
    good.ptr(7);
    expect(() => parseBtf(good.encode())).toThrow(/refers to type \[7\], which does not exist/);
    expect(() => parseBtf(new Uint8Array(10))).toThrow(BtfError);
    const bytes = new BtfBuilder().encode();
    bytes[0] = 0x12;
    expect(() => parseBtf(bytes)).toThrow(/bad magic/);
    const b = new BtfBuilder();
    b.int('int', 4, 1);
    const t = b.encode();
    new DataView(t.buffer).setUint32(12, 100, true); // type_len past the strings
    expect(() => parseBtf(t)).toThrow(BtfError);
  });

  it('detects modifier loops instead of hanging', () => {
    const b = new BtfBuilder();
    // [1] typedef -> [2] const -> [1]: encoded by hand through the builder's pointer kind
    const nameOff = b.str('loop');
    const bytes = b.encode();
    const words = [nameOff, (8 << 24), 2, 0, (10 << 24), 1];
    const typeSec = new Uint8Array(words.length * 4);
    words.forEach((w, k) => new DataView(typeSec.buffer).setUint32(k * 4, w >>> 0, true));
    const strs = bytes.subarray(24);
    const out = new Uint8Array(24 + typeSec.length + strs.length);
    out.set(bytes.subarray(0, 24));
    const dv = new DataView(out.buffer);
    dv.setUint32(12, typeSec.length, true);
    dv.setUint32(16, typeSec.length, true);
    out.set(typeSec, 24);
    out.set(strs, 24 + typeSec.length);
    const btf = parseBtf(out);
    expect(() => btf.skipModsAndTypedefs(1)).toThrow(/too long/);
    expect(() => btf.resolveSize(1)).toThrow(BtfError);
  });
});
