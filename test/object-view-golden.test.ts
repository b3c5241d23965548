/**
 * The playground's object views against the tools they imitate: sections, symbols and
 * relocations against `llvm-readelf-19 -S -s -r --wide`, BTF against `bpftool btf dump
 * file` (goldens recorded by scripts/record-object-view-goldens.sh).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatBtfRaw } from '../src/core/btf/format-raw';
import { parseBtf, parseElf } from '../src/core/index';
import { inspectObject, needsKernelData } from '../src/ui/object/inspect';

const OBJ = new URL('./progs/obj/', import.meta.url);
const GOLDEN = new URL('./golden/', import.meta.url);
const objBytes = (name: string) => new Uint8Array(readFileSync(new URL(`${name}.o`, OBJ)));

describe('BTF as bpftool btf dump prints it', () => {
  const goldens = readdirSync(new URL('btf-raw/', GOLDEN)).filter((f) => f.endsWith('.txt'));
  it('has goldens for every test object', () => {
    expect(goldens.length).toBe(readdirSync(OBJ).filter((f) => f.endsWith('.o')).length);
  });
  for (const g of goldens) {
    const name = g.replace(/\.txt$/, '');
    it(name, () => {
      const elf = parseElf(objBytes(name));
      const btf = parseBtf(elf.sectionByName('.BTF')!.data);
      const ours: string[] = [];
      for (let id = 1; id < btf.count; id++) ours.push(...formatBtfRaw(btf, id));
      expect(ours.join('\n')).toBe(readFileSync(new URL(`btf-raw/${g}`, GOLDEN), 'utf8').trimEnd());
    });
  }
});

interface ReadelfGolden {
  sections: string[][];
  symbols: string[][];
  relocs: Map<string, string[][]>;
}

function readReadelf(text: string): ReadelfGolden {
  const out: ReadelfGolden = { sections: [], symbols: [], relocs: new Map() };
  let mode: 'none' | 'sections' | 'symbols' | 'relocs' = 'none';
  let relocSection = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('Section Headers:')) { mode = 'sections'; continue; }
    const rel = /^Relocation section '([^']+)'/.exec(line);
    if (rel) { mode = 'relocs'; relocSection = rel[1]; out.relocs.set(relocSection, []); continue; }
    if (/^Symbol table/.test(line)) { mode = 'symbols'; continue; }
    if (line.startsWith('Key to Flags')) { mode = 'none'; continue; }
    if (mode === 'sections') {
      // [Nr] Name Type Address Off Size ES Flg Lk Inf Al; Name may be empty, Flg may be empty.
      const m = /^\s+\[\s*(\d+)\] (\S*)\s+(\S+)\s+([0-9a-f]{16}) ([0-9a-f]{6}) ([0-9a-f]{6}) ([0-9a-f]{2}) ([A-Za-z ]{3}) +(\d+) +(\d+) +(\d+)$/.exec(line);
      if (m) out.sections.push([m[1], m[2], m[3], m[5], m[6], m[7], m[8].trim(), m[9], m[10], m[11]]);
    } else if (mode === 'symbols') {
      const m = /^\s+(\d+): ([0-9a-f]{16})\s+(\d+) (\S+)\s+(\S+)\s+(\S+)\s+(\S+) ?(.*)$/.exec(line);
      if (m) out.symbols.push(m.slice(1, 9));
    } else if (mode === 'relocs') {
      const m = /^([0-9a-f]{16})\s+[0-9a-f]{16} (\S+)\s+[0-9a-f]{16} (.*)$/.exec(line);
      if (m) out.relocs.get(relocSection)!.push([m[1], m[2], m[3]]);
    }
  }
  return out;
}

describe('ELF sections, symbols and relocations as llvm-readelf shows them', () => {
  const goldens = readdirSync(new URL('readelf/', GOLDEN)).filter((f) => f.endsWith('.txt'));
  it('has goldens', () => { expect(goldens.length).toBeGreaterThanOrEqual(5); });
  for (const g of goldens) {
    const name = g.replace(/\.txt$/, '');
    it(name, () => {
      const want = readReadelf(readFileSync(new URL(`readelf/${g}`, GOLDEN), 'utf8'));
      const v = inspectObject(objBytes(name), `${name}.o`);
      expect(want.sections.length).toBeGreaterThan(5);
      const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
      expect(v.sections.map((s) => [String(s.index), s.name, s.type, h(s.offset, 6), h(s.size, 6), h(s.entsize, 2), s.flags, String(s.link), String(s.info), String(s.align)]))
        .toEqual(want.sections);
      expect(v.symbols.map((s) => [String(s.index), s.value, String(s.size), s.type, s.bind, s.visibility, s.section, s.name])).toEqual(want.symbols);
      // Every non-DWARF relocation list, entry for entry.
      const ours = new Map(v.relocations.map((r) => [r.section, r.relocs.map((x) => [h(x.offset, 16), x.type, x.symbol])]));
      for (const [sec, list] of want.relocs) expect(ours.get(sec), sec).toEqual(list);
      expect(ours.size).toBe(want.relocs.size);
    });
  }
});

describe('inspectObject', () => {
  it('lists programs with source lines, map names and signatures', () => {
    const v = inspectObject(objBytes('globals'), 'globals.o');
    expect(v.loadError).toBeNull();
    const p = v.programs[0];
    expect(p).toMatchObject({ name: 'globals', section: 'socket', progType: 'socket_filter' });
    expect(p.rows[0]).toEqual({ kind: 'func', text: 'int globals(struct __sk_buff * skb)' });
    expect(p.rows[1]).toEqual({ kind: 'source', text: 'packets++;', file: 'globals.bpf.c', line: 14, col: 9 });
    expect(p.rows[2]).toEqual({ kind: 'insn', pc: 0, text: '(18) r2 = map[globals.bss][0]+0', map: 'globals.bss', valueOff: 0 });
    // One source row per run of instructions on a line.
    const sources = p.rows.filter((r) => r.kind === 'source').map((r) => r.kind === 'source' && r.line);
    expect(sources).toEqual([...new Set(sources)]);
  });

  it('shows global data with its variables and values', () => {
    const v = inspectObject(objBytes('globals'), 'globals.o');
    const rodata = v.maps.find((m) => m.name === 'globals.rodata')!;
    expect(rodata).toMatchObject({ type: 'array', kind: 'rodata', frozen: true });
    expect(rodata.vars.find((x) => x.name === 'min_len')).toMatchObject({ type: 'volatile const __u32 min_len', size: 4 });
    expect(rodata.vars.find((x) => x.name === 'min_len')!.value).toMatch(/^\d+$/);
  });

  it('names key and value types of BTF-defined maps', () => {
    const v = inspectObject(objBytes('maps_btf'), 'maps_btf.o');
    expect(v.maps.length).toBeGreaterThan(0);
    expect(v.maps.some((m) => m.keyType !== undefined && m.valueType !== undefined)).toBe(true);
  });

  it('keeps sections and BTF when the loader refuses, and says why', () => {
    const bytes = objBytes('globals');
    // Break the program section's first relocation: make it point at an instruction that is not an lddw.
    const elf = parseElf(bytes);
    const rel = elf.sections.find((s) => s.name === '.relsocket')!;
    const broken = Uint8Array.from(bytes);
    new DataView(broken.buffer).setBigUint64(rel.offset, 16n, true);
    const v = inspectObject(broken, 'broken.o');
    expect(v.loadError).toBeTruthy();
    expect(v.sections.length).toBeGreaterThan(5);
    expect(v.btf?.types.length).toBeGreaterThan(5);
  });

  it('says what is wrong with a file that is not ELF', () => {
    expect(inspectObject(new TextEncoder().encode('hello'), 'x.o').elfError).toMatch(/ELF/);
  });
});

describe('needsKernelData', () => {
  it('is true for CO-RE, kfuncs and __kconfig, false for plain objects', () => {
    expect(['core_task', 'kfunc_ksym', 'knobs', 'globals', 'xdp_count_proto', 'subprog_calls'].map((n) => [n, needsKernelData(objBytes(n))]))
      .toEqual([['core_task', true], ['kfunc_ksym', true], ['knobs', true], ['globals', false], ['xdp_count_proto', false], ['subprog_calls', false]]);
  });
});
