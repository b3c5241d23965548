import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElfObject } from '../elf/load-elf';
import { parseBtf } from './btf';
import { btfValueJson, compactBtfValue, readBtfValue, type BtfValue } from './format-value';

/**
 * bpftool's `-j map dump` of maps written by scripts/record-map-dump-golden.mjs; its
 * numbers are stored as "#<text>" so u64 values stay exact.
 */
const DIR = new URL('../../../test/golden/map-dump/', import.meta.url);
const goldens = readdirSync(DIR).filter((f) => f.endsWith('.json'));

interface Golden {
  object: string;
  maps: { name: string; type: string; entries: { key: string; value: string; formatted: Record<string, unknown> }[] }[];
}

/** Our value in the golden's convention. */
function exact(v: BtfValue): unknown {
  switch (v.kind) {
    case 'number': return `#${v.text}`;
    case 'string': return v.text;
    case 'bool': return v.value;
    case 'array': return v.items.map(exact);
    case 'object': return Object.fromEntries(v.fields.map(([k, x]) => [k, exact(x)]));
  }
}

const bytes = (hex: string) => new Uint8Array(Buffer.from(hex, 'hex'));

describe('map keys and values through BTF, as bpftool prints them', () => {
  it('has goldens', () => { expect(goldens.length).toBeGreaterThanOrEqual(8); });
  for (const f of goldens) {
    it(f, () => {
      const g = JSON.parse(readFileSync(new URL(f, DIR), 'utf8')) as Golden;
      const objPath = g.object === 'values.o' ? '../../../test/fixtures/btf-values/values.o' : `../../../test/progs/obj/${g.object}`;
      const obj = loadElfObject(new Uint8Array(readFileSync(new URL(objPath, import.meta.url))), { objectName: g.object.replace(/\.o$/, '') });
      const btf = parseBtf(obj.btf!);
      let compared = 0;
      for (const m of g.maps) {
        // libbpf names global-data maps after the object (`globals.bss`) but the dump after the section.
        const def = obj.maps.find((d) => d.name === m.name) ?? obj.maps.find((d) => m.name.includes('.') && d.name.endsWith(m.name.slice(m.name.indexOf('.'))));
        expect(def, `map ${m.name}`).toBeDefined();
        for (const e of m.entries) {
          if ('key' in e.formatted) {
            expect(exact(readBtfValue(btf, def!.btfKeyTypeId!, bytes(e.key))), `${m.name} key ${e.key}`).toEqual(e.formatted.key);
            compared++;
          }
          const want = 'values' in e.formatted ? (e.formatted.values as { value: unknown }[])[0].value : e.formatted.value;
          expect(exact(readBtfValue(btf, def!.btfValueTypeId!, bytes(e.value))), `${m.name} value ${e.value}`).toEqual(want);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(0);
    });
  }

  it('prints compactly for the Maps panel, and as JSON', () => {
    const g = JSON.parse(readFileSync(new URL('values.json', DIR), 'utf8')) as Golden;
    const obj = loadElfObject(new Uint8Array(readFileSync(new URL('../../../test/fixtures/btf-values/values.o', import.meta.url))), { objectName: 'values' });
    const btf = parseBtf(obj.btf!);
    const recs = obj.maps.find((m) => m.name === 'recs')!;
    const e = g.maps.find((m) => m.name === 'recs')!.entries.find((x) => x.key === '01000000')!;
    const v = readBtfValue(btf, recs.btfValueTypeId!, bytes(e.value));
    expect(compactBtfValue(v)).toBe('{name: "eth0", color: GREEN, ok: true, sc: -1, uc: 254, s: -100, f: {a: "0x5", b: "0x1f", c: "0x1", d: "0x1"}, un: {u: 287454020, h: [13124, 4386]}, arr: [1, 2, 3], ptr: 9833440827789222417, big: -8, c: 65}'.replace('color: GREEN', 'color: "GREEN"'));
    expect(btfValueJson(v)).toMatch(/^\{"name":"eth0","color":"GREEN",/);
  });
});
