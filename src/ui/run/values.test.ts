import { describe, expect, it } from 'vitest';
import { cellText, hexOfBytes, hexOfInt, intOfHex, mapChanges, parseCell } from './map-values';
import { inputKindOf, parseU64, readU64, writeU64, PT_REGS } from './context-layout';
import { pointerTarget, valueText } from './vm-state';
import { PT_REGS_ARG_OFFSETS } from '../../core/vm/context';
import type { MapView } from '../../workers/vm-exec-spec';
import type { RegionSnapshot } from '../../workers/vm-service';

const map = (over: Partial<MapView> = {}): MapView => ({
  name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16, fromBtf: false, editing: 'entries', global: false,
  keyInt: { size: 4, signed: false }, valueInt: { size: 8, signed: false }, entries: [], ...over,
});

describe('map keys and values', () => {
  it('reads and writes little-endian integers of their size and sign', () => {
    expect(intOfHex('2a000000', { size: 4, signed: false })).toBe(42n);
    expect(intOfHex('ffffffff', { size: 4, signed: true })).toBe(-1n);
    expect(hexOfInt('42', { size: 4, signed: false })).toEqual({ hex: '2a000000' });
    expect(hexOfInt('-1', { size: 2, signed: true })).toEqual({ hex: 'ffff' });
    expect(hexOfInt('0x100', { size: 1, signed: false })).toEqual({ problem: '0x100 does not fit in 1 byte (unsigned)' });
    expect(hexOfInt('x', { size: 4, signed: false })).toEqual({ problem: '"x" is not a number' });
  });

  it('takes hex for any cell, padded to the size', () => {
    expect(hexOfBytes('01 02', 4)).toEqual({ hex: '01020000' });
    expect(hexOfBytes('010203040506', 4)).toEqual({ problem: '6 bytes; this takes 4' });
    expect(parseCell(map(), 'value', '7')).toEqual({ hex: '0700000000000000' });
    expect(parseCell(map({ valueInt: undefined, valueSize: 3 }), 'value', 'aabbcc')).toEqual({ hex: 'aabbcc' });
    expect(cellText('0700000000000000', undefined, { size: 8, signed: false })).toBe('7');
    expect(cellText('0700', '{a: 7}', undefined)).toBe('{a: 7}');
  });

  it('finds what a run changed', () => {
    const before = map({ entries: [{ key: '01000000', value: '0100000000000000' }, { key: '02000000', value: '0000000000000000' }] });
    const now = map({ entries: [{ key: '01000000', value: '0200000000000000' }, { key: '03000000', value: '0000000000000000' }] });
    const c = mapChanges(now, before);
    expect([...c.changed]).toEqual([['01000000', '1']]);
    expect([...c.added]).toEqual(['03000000']);
    expect(c.removed).toEqual(['2']);
  });
});

describe('context fields', () => {
  it('puts kprobe arguments where PT_REGS_PARM1..6 read them (x86-64)', () => {
    expect(inputKindOf('kprobe')).toEqual({ kind: 'ctx', layout: PT_REGS });
    const di = PT_REGS.fields.find((f) => f.note === 'PT_REGS_PARM1')!;
    expect(di).toMatchObject({ name: 'di', offset: 112 });
    // The VM's own table (core/vm/context.ts) is what kprobe runs read.
    expect([1, 2, 3, 4, 5, 6].map((n) => PT_REGS.fields.find((f) => f.note === `PT_REGS_PARM${n}`)!.offset)).toEqual([...PT_REGS_ARG_OFFSETS]);
    const b = writeU64(new Uint8Array(0), 112, -2n, 168);
    expect(b.length).toBe(168);
    expect(readU64(b, 112)).toBe(0xfffffffffffffffen);
    expect(inputKindOf('xdp')).toEqual({ kind: 'packet' });
  });

  it('reads numbers the way people type them', () => {
    expect(parseU64('0x10')).toBe(16n);
    expect(parseU64('-1')).toBe(-1n);
    expect(parseU64('18446744073709551616')).toBeNull();
    expect(parseU64('1e3')).toBeNull();
  });
});

describe('concrete values', () => {
  const regions: RegionSnapshot[] = [
    { id: 5, name: 'fp', kind: 'stack', origin: 512, lo: 0, end: 512, label: null },
    { id: 9, name: 'pkt', kind: 'packet', origin: 256, lo: 256, end: 303, label: null },
  ];
  it('names pointers by their region and offset', () => {
    const ptr = (id: number, off: number) => (BigInt(0xff000000 + id) << 32n) | BigInt((0x80000000 + off) >>> 0);
    expect(pointerTarget(ptr(5, 504), regions)).toMatchObject({ text: 'fp-8', outside: false });
    expect(pointerTarget(ptr(5, 512), regions)).toMatchObject({ text: 'fp', outside: false });
    expect(pointerTarget(ptr(9, 270), regions)).toMatchObject({ text: 'pkt+14', outside: false });
    expect(pointerTarget(ptr(9, 400), regions)).toMatchObject({ text: 'pkt+144', outside: true });
    expect(pointerTarget(ptr(7, 0), regions)).toBeNull();
    expect(pointerTarget(42n, regions)).toBeNull();
    expect(valueText(0xffffffffffffffffn)).toEqual({ hex: '0xffffffffffffffff', dec: '-1' });
  });
});
