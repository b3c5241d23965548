/**
 * Differential test of the ELF loader against libbpf and the kernel, from the goldens of
 * scripts/record-loader-golden.mjs (test/golden/loader/NAME.json):
 *
 * - the instructions of every program equal what libbpf 1.1 sent to the kernel (map file
 *   descriptors replaced by map indices in libbpf's map order);
 * - map names and order are libbpf's, and definitions equal what the kernel shows
 *   (`bpftool map show`), with global data's initial bytes (`bpftool map dump`);
 * - where the kernel did not change the program's length, every instruction it does not
 *   rewrite equals the kernel's xlated one (helper calls and memory accesses are the
 *   kernel's rewrites: ctx conversion, call addresses); bpf-to-bpf calls are checked
 *   through the callee offset the kernel prints.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../src/core/btf/btf';
import { btfSignature } from '../src/core/btf/signature';
import { sourceAnnotations } from '../src/core/btf/source-lines';
import { loadElfObject } from '../src/core/elf/load-elf';
import { insnFromHex, programToHex } from '../src/core/isa/insn';
import { ATTACH_TYPES, MAP_TYPES, PROG_TYPES } from '../src/core/isa/kernel-types';
import { registerShippedKernelData } from '../src/cli/kernel-data';

// kfuncs, ksyms, __kconfig and CO-RE resolve against the shipped 6.18 data, as in the CLI.
registerShippedKernelData();

const root = fileURLToPath(new URL('..', import.meta.url));
const goldenDir = join(root, 'test/golden/loader');
const objDir = join(root, 'test/progs/obj');

interface GoldenMap { name: string; kernel?: { name: string; type: string; key_size: number; value_size: number; max_entries: number; flags: number; initial?: string | null } }
interface GoldenProg {
  name: string; section: string; prog_type: string | number; expected_attach_type: string | null; prog_flags: number;
  insns: string[]; xlated?: string[];
  /** false: a SEC("?...") program, which libbpf neither relocates nor loads. */
  loaded?: boolean;
  linum?: { insn: number; src: string; file: string; line: number; col: number }[];
  protos?: { insn: number; proto: string }[];
}
interface Golden { object: string; maps: GoldenMap[]; programs: GoldenProg[]; libbpf_error?: string }

const BPF_F_SLEEPABLE = 1 << 4;
const BPF_F_XDP_HAS_FRAGS = 1 << 5;
const POST_1_1_SECTIONS = ['tcx/', 'netkit/', 'kprobe.session', 'uprobe.multi', 'uretprobe.multi'];

const goldens = readdirSync(goldenDir).filter((f) => f.endsWith('.json')).sort();

const load = (g: Golden) => loadElfObject(new Uint8Array(readFileSync(join(objDir, g.object))), { objectName: g.object.replace(/\.o$/, '') });

describe('loader vs libbpf 1.1 and the 6.18 kernel', () => {
  it('has goldens for every test object', () => {
    const objects = readdirSync(objDir).filter((f) => f.endsWith('.o')).map((f) => f.replace(/\.o$/, '.json')).sort();
    expect(goldens.length).toBeGreaterThanOrEqual(34);
    expect(goldens).toEqual(objects);
  });

  for (const f of goldens) {
    const g: Golden = JSON.parse(readFileSync(join(goldenDir, f), 'utf8'));
    if (g.libbpf_error) {
      // libbpf 1.1 refuses the object; bpfplay loads it the way older libbpf did and says so.
      it(`${g.object}: loads what libbpf 1.1 refuses (${g.libbpf_error}), with a warning`, () => {
        const obj = load(g);
        expect(obj.programs.length).toBeGreaterThan(0);
        expect(obj.warnings?.join('\n')).toMatch(/libbpf 1\.0\+ refuses/);
      });
      continue;
    }
    it(`${g.object}: programs and instructions are what libbpf sent`, () => {
      const obj = load(g);
      expect(obj.programs.map((p) => p.name)).toEqual(g.programs.map((p) => p.name));
      for (const [k, gp] of g.programs.entries()) {
        const p = obj.programs[k];
        expect(p.section).toBe(gp.section);
        if (typeof gp.prog_type === 'number' && gp.prog_type === 0) {
          // A section libbpf 1.1 does not know but later libbpf does (tcx/, netkit/, ...):
          // bpfplay follows the newer table, as the 6.18 kernel supports these hooks.
          expect(POST_1_1_SECTIONS.some((x) => gp.section.startsWith(x)), gp.section).toBe(true);
          continue;
        }
        expect(PROG_TYPES.name(p.progType)).toBe(gp.prog_type);
        expect(p.expectedAttachType === undefined ? null : ATTACH_TYPES.name(p.expectedAttachType)).toBe(gp.expected_attach_type);
        // kbpf reports bpf_program__flags(); libbpf adds BPF_F_SLEEPABLE / BPF_F_XDP_HAS_FRAGS
        // to the load attributes only (libbpf_prepare_prog_load), so those two are not in it.
        expect(p.flags & ~(BPF_F_SLEEPABLE | BPF_F_XDP_HAS_FRAGS)).toBe(gp.prog_flags);
        if (gp.loaded === false) {
          expect(p.autoload).toBe(false);
          continue;
        }
        expect(programToHex(p.insns)).toEqual(gp.insns);
      }
    });

    it(`${g.object}: maps as libbpf names and orders them, as the kernel defines them`, () => {
      const obj = load(g);
      expect(obj.maps.filter((m) => !m.innerTemplate).map((m) => m.name)).toEqual(g.maps.map((m) => m.name));
      g.maps.forEach((gm, k) => {
        if (!gm.kernel) return;
        const m = obj.maps[k];
        expect({ name: m.name.slice(0, 15), type: MAP_TYPES.name(m.type), key_size: m.keySize, value_size: m.valueSize, max_entries: m.maxEntries, flags: m.flags })
          .toEqual({ name: gm.kernel.name, type: gm.kernel.type, key_size: gm.kernel.key_size, value_size: gm.kernel.value_size, max_entries: gm.kernel.max_entries, flags: gm.kernel.flags });
        if (gm.kernel.initial) expect(Buffer.from(m.initial ?? []).toString('hex')).toBe(gm.kernel.initial);
      });
    });
  }

  it('agrees with the kernel xlated instructions it does not rewrite', () => {
    let compared = 0;
    let programs = 0;
    for (const f of goldens) {
      const g: Golden = JSON.parse(readFileSync(join(goldenDir, f), 'utf8'));
      if (g.libbpf_error) continue;
      const obj = load(g);
      for (const gp of g.programs) {
        if (!gp.xlated) continue;
        const p = obj.programs.find((q) => q.name === gp.name)!;
        if (gp.xlated.length !== p.insns.length) continue; // the kernel inserted instructions (inlining)
        programs++;
        p.insns.forEach((ours, k) => {
          if (k > 0 && p.insns[k - 1].code === 0x18) return; // second half of lddw: compared with the first
          const theirs = insnFromHex(gp.xlated![k]);
          const cls = ours.code & 7;
          const where = `${g.object} ${gp.name} insn ${k}`;
          if (ours.code === 0x85) {
            expect(theirs.code, where).toBe(0x85);
            // bpf-to-bpf call: the kernel's dump keeps the relative offset in `off`.
            if (ours.src === 1) expect(theirs.off, where).toBe(ours.imm);
            return;
          }
          if (cls === 1 || cls === 2 || cls === 3) {
            expect(theirs.code & 7, where).toBe(cls); // memory access: ctx conversion may change size and offset
            return;
          }
          expect(programToHex([ours]), where).toEqual(programToHex([theirs]));
          if (ours.code === 0x18) expect(programToHex([p.insns[k + 1]]), where).toEqual([gp.xlated![k + 1]]);
          compared++;
        });
      }
    }
    expect(programs).toBeGreaterThanOrEqual(20);
    expect(compared).toBeGreaterThan(200);
  });

  it('annotates instructions with the source lines and signatures bpftool prints (dump xlated linum)', () => {
    let aligned = 0;
    let subsequence = 0;
    for (const f of goldens) {
      const g: Golden = JSON.parse(readFileSync(join(goldenDir, f), 'utf8'));
      if (g.libbpf_error) continue;
      const obj = load(g);
      const btf = obj.btf ? parseBtf(obj.btf) : undefined;
      for (const gp of g.programs) {
        if (!gp.linum || !gp.xlated) continue;
        const p = obj.programs.find((q) => q.name === gp.name)!;
        const ours = sourceAnnotations(p.insns, p.lineInfo).map((a) => ({ insn: a.insn, src: a.text, file: a.line.file, line: a.line.line, col: a.line.col }));
        const sigs = p.funcInfo.map((fi) => ({ insn: fi.insnOff, proto: btfSignature(btf!, fi.btfTypeId!) }));
        if (gp.xlated.length === p.insns.length) {
          expect(ours, `${g.object} ${gp.name}`).toEqual(gp.linum);
          expect(sigs, `${g.object} ${gp.name}`).toEqual(gp.protos);
          aligned++;
        } else {
          // The kernel inserted or removed instructions (and their line info): the lines it
          // kept are ours, in our order.
          const strip = (l: { insn: number }[]) => l.map(({ insn: _i, ...r }) => JSON.stringify(r));
          const mine = strip(ours);
          let k = 0;
          for (const l of strip(gp.linum)) {
            while (k < mine.length && mine[k] !== l) k++;
            expect(k < mine.length, `${g.object} ${gp.name}: bpftool's line ${l} is not among ours in order`).toBe(true);
            k++;
          }
          expect(sigs.map((x) => x.proto), `${g.object} ${gp.name}`).toEqual(gp.protos!.map((x) => x.proto));
          subsequence++;
        }
      }
    }
    expect(aligned).toBeGreaterThanOrEqual(20);
    expect(aligned + subsequence).toBeGreaterThanOrEqual(32);
  });
});
