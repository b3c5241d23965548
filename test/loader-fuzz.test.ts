/**
 * Fuzzing the ELF loader with mutated copies of the real test objects (seeded, so a
 * failure replays): whatever the bytes, loading either succeeds or throws one of the
 * loader's own errors (ElfError, BtfError, LoadError) with a one-line message, and
 * never takes long. Mutations aim at the structures the loader walks: the ELF and
 * section headers, symbols, relocations, .BTF, .BTF.ext and .maps, plus plain byte
 * flips and truncation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BtfError } from '../src/core/btf/btf';
import { ElfError, parseElf } from '../src/core/elf/elf64';
import { loadElfObject } from '../src/core/elf/load-elf';
import { LoadError } from '../src/core/elf/load-error';
import { registerShippedKernelData } from '../src/cli/kernel-data';

registerShippedKernelData();

const root = fileURLToPath(new URL('..', import.meta.url));
const objDir = join(root, 'test/progs/obj');
const objects = readdirSync(objDir).filter((f) => f.endsWith('.o')).sort().map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(objDir, f))) }));

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = (b: Uint8Array, r: () => number) => { bytes: Uint8Array; what: string };
const pick = (r: () => number, n: number): number => Math.floor(r() * n);
const interesting = [0, 1, 2, 3, 4, 7, 8, 0x7f, 0x80, 0xff, 0xfe, 0x10, 0x40];

/** Byte ranges of the sections worth aiming at, by name. */
function regions(bytes: Uint8Array): { name: string; off: number; size: number }[] {
  const f = parseElf(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const out = [{ name: 'ELF header', off: 0, size: 64 }, { name: 'section headers', off: shoff, size: f.sections.length * 64 }];
  for (const s of f.sections) {
    if (s.size && s.type !== 8 && (s.name === '.BTF' || s.name === '.BTF.ext' || s.name === '.maps' || s.name === '.symtab' || s.name.startsWith('.rel') || s.flags & 0x4n)) {
      out.push({ name: s.name, off: s.offset, size: s.size });
    }
  }
  return out;
}

const MUTATIONS: Mutation[] = [
  (b, r) => {
    const out = Uint8Array.from(b);
    const n = 1 + pick(r, 8);
    for (let k = 0; k < n; k++) out[pick(r, out.length)] = pick(r, 256);
    return { bytes: out, what: `${n} random bytes` };
  },
  (b, r) => {
    const len = pick(r, b.length);
    return { bytes: b.slice(0, len), what: `truncated to ${len}` };
  },
  (b, r) => {
    const out = Uint8Array.from(b);
    const reg = regions(b);
    const g = reg[pick(r, reg.length)];
    const n = 1 + pick(r, 4);
    for (let k = 0; k < n; k++) out[g.off + pick(r, g.size)] = interesting[pick(r, interesting.length)];
    return { bytes: out, what: `${n} bytes of ${g.name}` };
  },
  (b, r) => {
    // A 32-bit field of a region set to a boundary value (offsets, sizes, counts, type ids).
    const out = Uint8Array.from(b);
    const reg = regions(b);
    const g = reg[pick(r, reg.length)];
    const at = g.off + 4 * pick(r, Math.max(1, Math.floor(g.size / 4)));
    const v = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 24, 4096, g.size, g.size + 1][pick(r, 9)];
    if (at + 4 <= out.length) new DataView(out.buffer).setUint32(at, v >>> 0, true);
    return { bytes: out, what: `u32 at ${at} (${g.name}) = ${v}` };
  },
];

const OUR_ERRORS = [ElfError, BtfError, LoadError];

describe('loader fuzz: mutated real objects', () => {
  it('has objects to mutate', () => expect(objects.length).toBeGreaterThanOrEqual(34));

  it('loads or fails with one clear loader error, never anything else and never slowly (3000 mutations, seed 1)', () => {
    const r = rng(1);
    let loaded = 0;
    let refused = 0;
    let slowest = 0;
    const byClass = new Map<string, number>();
    for (let k = 0; k < 3000; k++) {
      const o = objects[pick(r, objects.length)];
      const m = MUTATIONS[pick(r, MUTATIONS.length)](o.bytes, r);
      const t0 = performance.now();
      try {
        loadElfObject(m.bytes, { objectName: 'fuzz' });
        loaded++;
      } catch (e) {
        const where = `mutation #${k} of ${o.name} (${m.what})`;
        if (!OUR_ERRORS.some((c) => e instanceof c)) throw new Error(`${where} threw ${(e as Error)?.name}: ${(e as Error)?.message}\n${(e as Error)?.stack}`);
        const msg = (e as Error).message;
        expect(msg.length, where).toBeGreaterThan(5);
        expect(msg.includes('\n'), `${where}: ${msg}`).toBe(false);
        byClass.set((e as Error).name, (byClass.get((e as Error).name) ?? 0) + 1);
        refused++;
      }
      slowest = Math.max(slowest, performance.now() - t0);
    }
    expect(loaded).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(1000);
    expect(byClass.size).toBe(3);
    expect(slowest).toBeLessThan(2000);
  }, 60_000);
});
