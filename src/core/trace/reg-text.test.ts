import { describe, expect, it } from 'vitest';
import { parseLogNumber, parseRegValue, parseStackSlot, splitTopLevel } from './reg-text';

describe('parseRegValue', () => {
  it('reads known scalars, precise or not', () => {
    expect(parseRegValue('5')).toMatchObject({ type: 'scalar', value: 5n, precise: false });
    expect(parseRegValue('P2')).toMatchObject({ type: 'scalar', value: 2n, precise: true });
    expect(parseRegValue('-3')).toMatchObject({ type: 'scalar', value: -3n });
    expect(parseRegValue('0xffff888185254800')).toMatchObject({ type: 'scalar', value: 0xffff888185254800n });
  });

  it('reads ranges, merged keys and the tnum (from a 6.18 log)', () => {
    const v = parseRegValue('scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(v).toMatchObject({
      type: 'scalar', id: 1,
      ranges: { smin: 0n, smax: 0xffffffffn, umax: 0xffffffffn },
      varOff: { value: 0n, mask: 0xffffffffn },
    });
    expect(parseRegValue('scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))').ranges)
      .toEqual({ smin: 0n, smin32: 0n, smax: 255n, umax: 255n, smax32: 255n, umax32: 255n });
  });

  it('gives signed bounds their sign', () => {
    expect(parseRegValue('scalar(smin=0xffffffff80000000,smax=0x7fffffff)').ranges).toEqual({ smin: -0x80000000n, smax: 0x7fffffffn });
    expect(parseRegValue('scalar(smin32=0x80000000,smax32=-1)').ranges).toEqual({ smin32: -0x80000000n, smax32: -1n });
  });

  it('reads pointers: stack, packet, map values, context, BTF ids', () => {
    expect(parseRegValue('fp-8')).toMatchObject({ type: 'fp', off: -8n });
    expect(parseRegValue('fp0')).toMatchObject({ type: 'fp', off: 0n });
    expect(parseRegValue('fp[1]-16')).toMatchObject({ type: 'fp', frame: 1, off: -16n });
    expect(parseRegValue('pkt(off=34,r=34)')).toMatchObject({ type: 'pkt', off: 34n, range: 34n });
    expect(parseRegValue('pkt(r=0)')).toMatchObject({ type: 'pkt', range: 0n });
    expect(parseRegValue('ctx()')).toMatchObject({ type: 'ctx', extra: {} });
    expect(parseRegValue('map_value_or_null(id=1,map=counts,ks=4,vs=8)')).toMatchObject({
      type: 'map_value_or_null', id: 1, map: { name: 'counts', keySize: 4, valueSize: 8 },
    });
    expect(parseRegValue('map_value(map=table,ks=4,vs=64,smin=0,smax=umax=0x7fffffff8,smax32=0x7ffffff8,umax32=0xfffffff8,var_off=(0x0; 0x7fffffff8))'))
      .toMatchObject({ type: 'map_value', map: { name: 'table' }, ranges: { smax: 0x7fffffff8n, umax32: 0xfffffff8n }, varOff: { mask: 0x7fffffff8n } });
    expect(parseRegValue('scalar(id=2+4)')).toMatchObject({ id: 2, idDelta: 4 });
    expect(parseRegValue('ptr_or_null_task_struct(id=3,ref_obj_id=3)')).toMatchObject({ type: 'ptr_or_null_task_struct', id: 3, refObjId: 3 });
  });

  it('keeps what it does not know', () => {
    expect(parseRegValue('mem(sz=16,weird=x)')).toMatchObject({ type: 'mem', size: 16n, extra: { weird: 'x' } });
    expect(parseRegValue('pkt_end')).toMatchObject({ type: 'pkt_end' });
  });
});

describe('parseStackSlot', () => {
  it('reads byte types, first character for the highest byte', () => {
    expect(parseStackSlot('mmmm????').bytes).toEqual(['misc', 'misc', 'misc', 'misc', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(parseStackSlot('00000000').bytes.every((b) => b === 'zero')).toBe(true);
  });
  it('reads spilled registers, with the byte types below a narrow spill', () => {
    expect(parseStackSlot('ctx()')).toMatchObject({ spilled: { type: 'ctx' } });
    expect(parseStackSlot('1')).toMatchObject({ spilled: { type: 'scalar', value: 1n } });
    expect(parseStackSlot('0')).toMatchObject({ spilled: { value: 0n } });
    const narrow = parseStackSlot('????scalar(smin=0,smax=umax=255)');
    expect(narrow.bytes).toEqual(['invalid', 'invalid', 'invalid', 'invalid', 'spill', 'spill', 'spill', 'spill']);
    expect(narrow.spilled?.ranges.umax).toBe(255n);
    expect(parseStackSlot('mmmm0').spilled?.value).toBe(0n);
  });
});

describe('helpers', () => {
  it('split at top-level commas and read log numbers', () => {
    expect(splitTopLevel('a=1,var_off=(0x0; 0xf),b')).toEqual(['a=1', 'var_off=(0x0; 0xf)', 'b']);
    expect(parseLogNumber('0x10')).toBe(16n);
    expect(parseLogNumber('x')).toBeUndefined();
  });
});
