import { describe, expect, it } from 'vitest';
import { describeReg, describeSlot, num, tnumPattern } from './describe';

describe('describeReg', () => {
  it('puts scalars in words', () => {
    expect(describeReg('5')).toMatchObject({ kind: 'scalar', summary: '= 5' });
    expect(describeReg('P1')).toMatchObject({ kind: 'scalar (precise)', summary: '= 1' });
    const d = describeReg('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
    expect(d.summary).toBe('0 … 255');
    expect(d.details).toEqual([
      ['signed 64-bit', '0 … 255'], ['unsigned 64-bit', '0 … 255'], ['signed 32-bit', '0 … 255'], ['unsigned 32-bit', '0 … 255'],
      ['known bits (tnum)', '0xxx  (value 0, unknown mask 255)'],
    ]);
    expect(describeReg('scalar()').summary).toBe('any value');
    expect(describeReg('scalar(smin=0xffffffff80000000,smax=0x7fffffff)').summary).toBe('-0x80000000 … 0x7fffffff');
  });

  it('puts pointers in words, with what to do about NULL', () => {
    expect(describeReg('fp-8')).toMatchObject({ kind: 'stack pointer', summary: 'fp-8' });
    expect(describeReg('fp0')).toMatchObject({ kind: 'stack pointer', summary: 'fp0' });
    expect(describeReg('pkt(off=14,r=14)')).toMatchObject({ kind: 'packet pointer', summary: 'packet +14, 14 bytes checked' });
    expect(describeReg('ctx()')).toMatchObject({ kind: 'context pointer', summary: '' });
    const m = describeReg('map_value_or_null(id=1,map=counts,ks=4,vs=8)');
    expect(m).toMatchObject({ kind: 'map value pointer or NULL', summary: 'counts', maybeNull: true });
    expect(m.details).toContainEqual(['NULL', 'may be NULL: compare it with 0 before using it']);
    expect(describeReg('map_value(map=table,ks=4,vs=64,smin=0,smax=umax=0x7fffffff8,var_off=(0x0; 0x7fffffff8))').summary).toBe('table + variable offset');
    expect(describeReg('trusted_ptr_or_null_task_struct(id=2)')).toMatchObject({ kind: 'trusted pointer to struct task_struct or NULL', maybeNull: true });
  });
});

describe('describeSlot', () => {
  it('names byte kinds and spilled registers', () => {
    expect(describeSlot('mmmm????').summary).toBe('data (misc) + not written');
    expect(describeSlot('00000000').summary).toBe('zero');
    expect(describeSlot('ctx()').summary).toBe('spilled context pointer');
    expect(describeSlot('1').summary).toBe('spilled scalar = 1');
  });
});

describe('number forms', () => {
  it('are short and exact', () => {
    expect(num(255n)).toBe('255');
    expect(num(0x10000n)).toBe('0x10000');
    expect(num(-0x80000000n)).toBe('-0x80000000');
    expect(tnumPattern(0x10n, 0xf0fn)).toBe('0xx1x');
    expect(tnumPattern(0x5n, 0x2n)).toBe('0x?');
  });
});
