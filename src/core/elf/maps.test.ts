import { describe, expect, it } from 'vitest';
import { internalMapName, objectNameFromPath } from './maps';

describe('internalMapName (libbpf internal_map_name)', () => {
  // Examples from libbpf's own comment on the naming rule, and names the 6.18 kernel showed.
  it.each([
    ['my_object_name', '.rodata', 'my_objec.rodata'],
    ['my_object_name', '.bss', 'my_objec.bss'],
    ['my_object_name', '.kconfig', 'my_obje.kconfig'],
    ['my_object_name', '.rodata.abracadabra', '.rodata.abracad'],
    ['globals', '.rodata', 'globals.rodata'],
    ['tail_calls', '.bss', 'tail_cal.bss'],
    ['globals', '.data.stats', '.data.stats'],
    ['a-b', '.data', 'a_b.data'],
    ['', '.bss', '.bss'],
  ])('%s + %s -> %s', (obj, sec, want) => {
    expect(internalMapName(obj, sec)).toBe(want);
  });

  it('takes the object name from a path as libbpf does', () => {
    expect(objectNameFromPath('/x/y/globals.o')).toBe('globals');
    expect(objectNameFromPath('prog.bpf.o')).toBe('prog');
    expect(objectNameFromPath('')).toBe('');
  });
});
