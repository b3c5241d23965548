import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElfObject } from './load-elf';
import { parseElf } from './elf64';
import { gunzipSync } from 'node:zlib';
import { parseBtf } from '../btf/btf';
import { registerShippedKernelData } from '../../cli/kernel-data';
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

  describe('malformed objects give one clear error naming the section and problem', () => {
    const good = bytes('xdp_pass.o');
    const withU16 = (off: number, v: number) => { const b = Uint8Array.from(good); new DataView(b.buffer).setUint16(off, v, true); return b; };
    const sectionOffset = (name: string) => parseElf(good).sectionByName(name)!.offset;
    it.each([
      ['truncated', good.slice(0, 100), /^ELF: section header table .* past the end of the file \(100 bytes\)$/],
      ['empty', new Uint8Array(0), /^ELF: file is 0 bytes, shorter than an ELF64 header \(64\)$/],
      ['built for x86-64', withU16(18, 62), /^ELF: machine 62 is not BPF \(247\)/],
      ['an executable, not an object', withU16(16, 2), /^ELF: ELF type 2 is not a relocatable object/],
      ['bad BTF magic', (() => { const b = Uint8Array.from(good); b[sectionOffset('.BTF')] = 0; return b; })(), /^\.BTF: bad magic 0xeb00 \(want 0xeb9f\)$/],
    ])('%s', (_what, input, want) => {
      let err: unknown;
      try {
        loadElfObject(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(Error);
      expect(['ElfError', 'BtfError', 'LoadError']).toContain((err as Error).name);
      expect((err as Error).message).toMatch(want);
    });

    it('a relocation pointing outside its section', () => {
      const f = parseElf(good);
      const rel = f.sections.find((s) => s.name.startsWith('.rel') && f.sections[s.info].flags & 0x4n)
        ?? f.sections.find((s) => s.name === '.rel.BTF.ext')!;
      const b = Uint8Array.from(good);
      new DataView(b.buffer).setBigUint64(rel.offset, 1n << 40n, true);
      expect(() => loadElfObject(b)).toThrow(new RegExp(`^ELF section ${rel.name.replace(/\./g, '\\.')}: relocation at offset 1099511627776 is outside `));
    });
  });

  describe('program types, load flags and attach targets by section (test/progs/sections_mix.bpf.c)', () => {
    registerShippedKernelData();
    const o = loadElfObject(bytes('sections_mix.o'), { objectName: 'sections_mix' });
    const by = (n: string) => o.programs.find((p) => p.name === n)!;
    it('sets BPF_F_SLEEPABLE and BPF_F_XDP_HAS_FRAGS where libbpf 1.1 does (SEC_SLEEPABLE, SEC_XDP_FRAGS)', () => {
      expect(o.programs.filter((p) => p.flags & 16).map((p) => p.name).sort()).toEqual(['lsm_bprm', 'sys']);
      expect(o.programs.filter((p) => p.flags & 32).map((p) => p.name)).toEqual(['frags']);
    });
    it('finds attach_btf_id as libbpf names the kernel types', () => {
      const k = parseBtf(gunzipSync(readFileSync(new URL('../../../public/kernel/6.18/vmlinux.btf.gz', import.meta.url))));
      const named = (n: string) => [k.types[by(n).attachBtfId!]?.kind, k.types[by(n).attachBtfId!]?.name];
      expect(named('fent')).toEqual(['func', 'do_unlinkat']);
      expect(named('fmodret')).toEqual(['func', 'security_file_open']);
      expect(named('lsm_open')).toEqual(['func', 'bpf_lsm_file_open']);
      expect(named('iter_task')).toEqual(['func', 'bpf_iter_task']);
      expect(by('kret').attachBtfId).toBeUndefined();
    });
  });
});
