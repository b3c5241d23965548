import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElfObject, loadInput } from '../../core/index';
import { programListings } from './listings';

const obj = (name: string) => loadElfObject(new Uint8Array(readFileSync(new URL(`../../../test/progs/obj/${name}.o`, import.meta.url))), { objectName: name });

describe('programListings', () => {
  it('gives the xlated listing with opcodes and source lines, each instruction tied to its loaded one', () => {
    const o = obj('xdp_count_proto');
    const l = programListings(o, o.programs[0]);
    // Context access rewritten: ctx->data_end (u32 at +4) becomes a u64 load at +8 (KERNEL-FACTS).
    const first = l.xlated.findIndex((x) => x.kind === 'insn');
    expect(l.xlated[first]).toEqual({ text: '   0: (79) r2 = *(u64 *)(r1 +8)', kind: 'insn', origin: 0 });
    expect(l.xlated[first + 1]).toEqual({ text: '       79 12 08 00 00 00 00 00', kind: 'bytes', origin: 0 });
    expect(l.xlated.some((x) => x.kind === 'source' && x.text.includes('[file:'))).toBe(true);
    expect(l.xlated.filter((x) => x.kind === 'insn').length).toBeLessThanOrEqual(l.xlatedInsns);
    expect(l.tag).toMatch(/^[0-9a-f]{16}$/);
  });

  it('gives the jited listing, machine instructions tied to the loaded instruction they implement', () => {
    const o = obj('xdp_count_proto');
    const l = programListings(o, o.programs[0]);
    expect(l.jited).not.toBeNull();
    const insns = l.jited!.filter((x) => x.kind === 'insn');
    // The prologue belongs to no instruction; the first load (ctx->data_end) to instruction 0.
    expect(insns[0]).toMatchObject({ text: '   0:\tnopl   0x0(%rax,%rax,1)', origin: null });
    expect(insns.find((x) => x.origin !== null)).toMatchObject({ text: '  13:\tmov    0x8(%rdi),%rsi', origin: 0 });
    const origins = new Set(insns.map((x) => x.origin));
    for (const x of l.xlated.filter((y) => y.kind === 'insn')) expect(origins.has(x.origin), x.text).toBe(true);
    expect(l.jitedBytes).toBeGreaterThan(100);
  });

  it('handles subprograms (one function each) and assembly input', () => {
    const o = obj('subprog_calls');
    const l = programListings(o, o.programs[0]);
    expect(l.jited!.filter((x) => /^bpf_prog_[0-9a-f]+/.test(x.text))).toHaveLength(4);
    const a = loadInput(new TextEncoder().encode('r0 = 2\nexit\n'), 'x.s');
    const la = programListings(a, a.programs[0]);
    expect(la.xlated.filter((x) => x.kind === 'insn').map((x) => x.text)).toEqual(['   0: (b7) r0 = 2', '   1: (95) exit']);
  });
});
