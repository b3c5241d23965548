// The x86-64 disassembler against GNU objdump (binutils 2.40, -D -b binary -m i386:x86-64):
// - recorded: objdump's text for every kernel JIT image in test/golden/jit and for our JIT's
//   code on other machine configurations (test/golden/jit-objdump/variants.json);
// - live, when objdump is installed: our JIT's images for every recorded program, whole
//   and per function at its kernel address (as bpftool shows them), plus bytes outside
//   the JIT's repertoire.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jitProgram } from '../../src/core/jit/program';
import { disassembleX86, formatObjdumpLines, objdumpAddressWidth } from '../../src/core/jit/x86/disasm';
import { goldenFiles, jitInputOf, kernelAddressesOf } from './golden';

const files = goldenFiles();
const ours = (bytes: Uint8Array, base = 0n): string => formatObjdumpLines(bytes, disassembleX86(bytes, base));

describe('x86 disassembler vs recorded objdump', () => {
  for (const g of files) {
    for (const p of g.programs) {
      it(`kernel image ${g.file}/${p.name}`, () => {
        expect(ours(Buffer.from(p.jited, 'hex'))).toBe(p.objdump);
      });
    }
  }
  const variants = JSON.parse(readFileSync(new URL('../golden/jit-objdump/variants.json', import.meta.url), 'utf8'));
  for (const v of variants.variants) {
    it(`our JIT, ${v.variant}`, () => {
      expect(ours(Buffer.from(v.hex, 'hex'))).toBe(v.objdump);
    });
  }

  it('widens the address column as objdump does', () => {
    // objdump prints 4 hex digits below 0x1000 bytes and 8 from there (checked with objdump 2.40).
    expect(objdumpAddressWidth(0xfff)).toBe(4);
    expect(objdumpAddressWidth(0x1000)).toBe(8);
    expect(objdumpAddressWidth(0x10010)).toBe(8);
  });
});

const objdumpAvailable = spawnSync('objdump', ['--version']).status === 0;
if (!objdumpAvailable) console.warn('live objdump tests skipped: GNU objdump (binutils) is not installed');

describe.skipIf(!objdumpAvailable)('x86 disassembler vs live objdump', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'bpfplay-objdump-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  let n = 0;
  const objdump = (bytes: Uint8Array, vma?: bigint): string => {
    const f = join(tmp, `b${n++}.bin`);
    writeFileSync(f, bytes);
    const args = ['-D', '-b', 'binary', '-m', 'i386:x86-64'];
    if (vma !== undefined) args.push(`--adjust-vma=0x${vma.toString(16)}`);
    const out = spawnSync('objdump', [...args, f]).stdout.toString();
    return out.split('\n').filter((l) => /^ *[0-9a-f]+:\t/.test(l)).join('\n') + '\n';
  };
  /** Only the instruction text column (bpftool shows it with function-relative pcs). */
  const texts = (listing: string): string[] => listing.split('\n').filter((l) => l.split('\t').length === 3).map((l) => l.split('\t')[2]);

  it('prints our JIT images as objdump does', () => {
    const all = files.flatMap((g) => g.programs.map((p) => jitProgram(jitInputOf(p)).image));
    const bytes = Buffer.concat(all.map((i) => Buffer.from(i)));
    expect(bytes.length).toBeGreaterThan(4096); // the 8-digit address column too
    expect(ours(bytes)).toBe(objdump(bytes));
  });

  it('prints each function at its kernel address as objdump does (bpftool targets)', () => {
    let checked = 0;
    for (const g of files) {
      for (const p of g.programs) {
        const r = jitProgram(jitInputOf(p), { addresses: kernelAddressesOf(g, p) });
        for (const f of r.functions) {
          const bytes = r.image.subarray(f.offset, f.offset + f.length);
          expect(texts(ours(bytes, f.address))).toEqual(texts(objdump(bytes, f.address)));
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('says (bad) for bytes it does not know, as objdump does for undefined opcodes', () => {
    const bytes = Uint8Array.from([0x06, 0x07, 0x90, 0x27]);
    expect(ours(bytes)).toBe(objdump(bytes));
  });
});
