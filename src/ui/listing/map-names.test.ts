import { describe, expect, it } from 'vitest';
import { formatKernelInsn, insnFromHex } from '../../core/index';
import { mapLoadNote, mapNameResolvers } from './map-names';

describe('mapNameResolvers', () => {
  const names = ['counter', '.data'];
  it('names a map load by the map, in bpftool shape', () => {
    // lddw r1, map 0 (src 1)
    const insns = ['1811000000000000', '0000000000000000'].map(insnFromHex);
    expect(formatKernelInsn(insns, 0, mapNameResolvers(names))).toBe('(18) r1 = map[counter]');
  });
  it('prints a pointer into a map value with its offset', () => {
    // lddw r2, map 1 value + 8 (src 2, second slot's imm = offset)
    const insns = ['1822000001000000', '0000000008000000'].map(insnFromHex);
    expect(formatKernelInsn(insns, 0, mapNameResolvers(names))).toBe('(18) r2 = map[.data][0]+8');
  });
  it('leaves plain constants alone and numbers unknown maps', () => {
    expect(formatKernelInsn(['1800000007000000', '0000000000000000'].map(insnFromHex), 0, mapNameResolvers(names))).toBe('(18) r0 = 0x7');
    expect(formatKernelInsn(['1811000005000000', '0000000000000000'].map(insnFromHex), 0, mapNameResolvers(names))).toBe('(18) r1 = map[#5]');
  });
  it('explains what the kernel and bpftool print instead', () => {
    expect(mapLoadNote('counter')).toMatch(/kernel address.*map\[id:N\]/);
    expect(mapLoadNote('.data', 8)).toMatch(/map\[id:N\]\[0\]\+8/);
  });
});
