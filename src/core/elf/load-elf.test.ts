import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElfObject } from './load-elf';
import { MAP_TYPES } from '../isa/kernel-types';

const bytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test/progs/obj/${name}`, import.meta.url)));

describe('loadElfObject', () => {
  // libbpf 1.x refuses this object, so there is no libbpf golden: the expectations are the
  // C source's definitions and llvm-objdump's relocations (lddw at slots 7 and 18).
  it('reads legacy struct bpf_map_def maps (test/progs/legacy_maps.bpf.c) in symbol order', () => {
    const o = loadElfObject(bytes('legacy_maps.o'), { objectName: 'legacy_maps' });
    expect(o.maps.map((m) => [m.name, MAP_TYPES.name(m.type), m.keySize, m.valueSize, m.maxEntries, m.flags, m.section])).toEqual([
      ['legacy_counts', 'array', 4, 8, 4, 0, 'maps'],
      ['legacy_hash', 'hash', 4, 4, 64, 1, 'maps'],
    ]);
    const lddw = o.programs[0].insns.flatMap((i, k) => (i.code === 0x18 ? [[k, i.src, i.imm]] : []));
    expect(lddw).toEqual([[7, 1, 0], [18, 1, 1]]);
    expect(o.warnings).toEqual([expect.stringMatching(/^section maps: legacy map definitions .* libbpf 1\.0\+ refuses/)]);
  });

  it('records map-in-map templates after the object\'s maps and static slots by name', () => {
    const o = loadElfObject(bytes('maps_btf.o'), { objectName: 'maps_btf' });
    const tables = o.maps.find((m) => m.name === 'tables')!;
    const tmpl = o.maps[tables.innerMap!];
    expect(tmpl).toMatchObject({ name: 'tables.inner', innerTemplate: true, keySize: 4, valueSize: 4, maxEntries: 16 });
    expect(o.maps.indexOf(tmpl)).toBe(o.maps.length - 1);
    expect(tables.initSlots).toEqual([{ slot: 1, map: o.maps.findIndex((m) => m.name === 'inner_b') }]);
    expect(o.maps.find((m) => m.name === 'bpfplay_pinned')).toMatchObject({ pinning: 1, pinPath: '/sys/fs/bpf/bpfplay_pinned' });
    expect(o.maps.find((m) => m.name === 'seen')).toMatchObject({ mapExtra: 3n, keySize: 0, valueSize: 4 });
    expect(o.maps.find((m) => m.name === 'events')).toMatchObject({ maxEntries: 8192 });
  });

  it('initialises PROG_ARRAY slots with program names (test/progs/tail_calls.bpf.c)', () => {
    const o = loadElfObject(bytes('tail_calls.o'), { objectName: 'tail_calls' });
    expect(o.maps.find((m) => m.name === 'jump_table')!.initSlots).toEqual([{ slot: 0, program: 'tail_pass' }, { slot: 1, program: 'tail_drop' }]);
  });
});
