// Our xlated programs against the kernel's, for every recorded program we can load
// (test/golden/xlated/*.json: bpftool's dumps of what the 6.18 kernel made of them).
// The program goes through our loader, facts analysis and rewrites; each of bpftool's
// forms must come out the same, given the kernel's map ids for our maps (by name):
//   plain, opcodes, linum, visual (text), -j opcodes, -j linum (JSON)
// printed with bpftool 7.1's instruction printer (Debian's bpftool predates ISA v4; the
// default `kernel` printer is checked against the same lines where they agree).
import { describe, expect, it } from 'vitest';
import { registerShippedKernelData } from '../../src/cli/kernel-data';
import { formatXlated, formatXlatedVisual, xlatedJson, xlatedProtos, xlateProgram } from '../../src/core/xlated';
import { loadSource, xlatedGoldens } from './golden';

registerShippedKernelData();
const files = xlatedGoldens();
const cases = files.flatMap((g) => g.programs.map((gp) => ({ g, gp, id: `${g.file.replace(/\.json$/, '')}/${gp.name}` })));

describe('xlated programs vs the kernel (bpftool prog dump xlated, recorded)', () => {
  let compared = 0;
  for (const { g, gp, id } of cases) {
    const loadable = !g.source.endsWith('.bpf.c');
    it.skipIf(!loadable)(id, () => {
      const obj = loadSource(g)!;
      const p = obj.programs.length === 1 ? obj.programs[0] : obj.programs.find((q) => q.name === gp.name || q.name.slice(0, 15) === gp.name);
      expect(p, `program ${gp.name} in ${g.source}`).toBeDefined();
      // Our placeholder map ids replaced by the kernel's, found by map name.
      const kernelId = new Map(gp.maps.map((m) => [m.name, m.id]));
      const x = xlateProgram(obj, p!, { mapId: (k) => kernelId.get(obj.maps[k].name) ?? 0x7fff0000 + k });
      const protos = xlatedProtos(obj, p!, x);
      const ours = (t: string) => t;
      const theirs = (t: string) => t;
      const legacy = { printer: 'bpftool-7.1' } as const;
      expect(ours(formatXlated(x, protos, legacy))).toBe(theirs(gp.bpftool.plain));
      expect(ours(formatXlated(x, protos, { ...legacy, opcodes: true })).split('\n').filter((l) => l.startsWith('       ')))
        .toEqual(theirs(gp.bpftool.opcodes).split('\n').filter((l) => l.startsWith('       ')).map((l) => l.replace(/\s+$/, '')));
      expect(ours(formatXlated(x, protos, { ...legacy, linum: true }))).toBe(theirs(gp.bpftool.linum));
      expect(ours(formatXlatedVisual(x, legacy))).toBe(theirs(gp.bpftool.visual));
      const json = (v: unknown) => JSON.parse(ours(JSON.stringify(v)));
      expect(json(xlatedJson(x, protos, { ...legacy, opcodes: true }))).toEqual(JSON.parse(theirs(JSON.stringify(gp.bpftool.json_opcodes))));
      expect(json(xlatedJson(x, protos, { ...legacy, linum: true }))).toEqual(JSON.parse(theirs(JSON.stringify(gp.bpftool.json_linum))));
      // The kernel printer differs only on the lines bpftool 7.1 cannot print.
      const k = ours(formatXlated(x, protos)).split('\n');
      const b = theirs(gp.bpftool.plain).split('\n');
      k.forEach((line, n) => {
        if (line !== b[n]) expect(b[n], `line ${n}`).toMatch(/BUG_|\(bf\) r\d+ = r\d+|\/=|%=|\(bc\) w\d+ = w\d+|\(b[fc]\) [rw]\d+ = [rw]\d+/);
      });
      compared++;
    });
  }
  it('compares at least 30 programs', () => expect(compared).toBeGreaterThanOrEqual(30));
});
