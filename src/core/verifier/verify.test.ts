import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/parse';
import { objectFromInsns } from '../elf/loaded-object';
import { verifyProgram, verifyRaw } from './verify';

const SOCKET_FILTER = 1;
const XDP = 6;
const asm = (src: string) => assemble(src).insns;

describe('verifyProgram', () => {
  it('accepts a trivial program with the kernel summary line only (level 1)', () => {
    const r = verifyRaw({ insns: asm('r0 = 0\nexit'), progType: SOCKET_FILTER });
    expect(r.accepted).toBe(true);
    expect(r.errno).toBe(0);
    expect(r.error).toBe('');
    expect(r.log).toBe('processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n');
    expect(r.stats).toEqual({ processedInsns: 2, maxStatesPerInsn: 0, totalStates: 0, peakStates: 0 });
  });

  it('reports the error line, errno and instruction of a rejection', () => {
    const r = verifyRaw({ insns: asm('r0 = *(u64 *)(r1 + 8)\nexit'), progType: SOCKET_FILTER });
    expect(r.accepted).toBe(false);
    expect(r.errnoName).toBe('EACCES');
    expect(r.error).toBe('invalid bpf_context access off=8 size=8');
    expect(r.errorInsn).toBe(0);
    expect(r.log.split('\n').slice(0, 2)).toEqual(['0: R1=ctx() R10=fp0', '0: (79) r0 = *(u64 *)(r1 +8)']);
  });

  it('reports CFG errors with the instruction they name', () => {
    const r = verifyRaw({ insns: asm('r0 = 0\nexit\nr0 = 1\nexit'), progType: SOCKET_FILTER });
    expect(r.error).toBe('unreachable insn 2');
    expect(r.errorInsn).toBe(2);
    expect(r.errno).toBe(22);
  });

  it('builds the CFG for drawing', () => {
    const r = verifyRaw({ insns: asm('r0 = *(u32 *)(r1 + 0)\nif r0 > 10 goto +1\nr0 = 1\nexit'), progType: SOCKET_FILTER });
    expect(r.cfg.blocks.map((b) => [b.start, b.end])).toEqual([[0, 1], [2, 2], [3, 3]]);
    expect(r.cfg.edges).toEqual(expect.arrayContaining([
      { from: 0, to: 1, kind: 'fallthrough' }, { from: 0, to: 2, kind: 'taken' }, { from: 1, to: 2, kind: 'fallthrough' },
    ]));
  });

  it('labels back-edges and groups blocks by subprogram', () => {
    // main: loop calling a subprogram; subprogram: r0 = r1 + 1
    const r = verifyRaw({
      insns: asm('r6 = 0\nr1 = r6\ncall pc+4\nr6 += 1\nif r6 < 3 goto -4\nr0 = 0\nexit\nr0 = r1\nr0 += 1\nexit'),
      progType: SOCKET_FILTER, name: 'prog',
    });
    expect(r.accepted).toBe(true);
    expect(r.cfg.subprogs.map((s) => [s.start, s.name])).toEqual([[0, 'prog'], [7, 'func#1']]);
    expect(r.cfg.edges.some((e) => e.kind === 'back-edge')).toBe(true);
    expect(r.cfg.edges.some((e) => e.kind === 'call' && r.cfg.blocks[e.to].start === 7)).toBe(true);
  });

  it('takes a LoadedObject and the program type from it', () => {
    const obj = objectFromInsns({ insns: asm('r0 = 2\nexit'), progType: XDP });
    const r = verifyProgram(obj, 0);
    expect(r.accepted).toBe(true);
    // XDP allows any return value; socket filter too. A bad index is a programming error.
    expect(() => verifyProgram(obj, 3)).toThrow(RangeError);
  });

  it('stops at the instruction budget and can be cancelled', () => {
    const loop = asm('r0 = 0\nr0 += 1\nif r0 != 0 goto -2\nexit');
    const r = verifyRaw({ insns: loop, progType: SOCKET_FILTER }, { insnLimit: 1000 });
    expect(r.accepted).toBe(false);
    expect(r.error).toBe('BPF program is too large. Processed 1001 insn');
    let calls = 0;
    const c = verifyRaw({ insns: loop, progType: SOCKET_FILTER }, { shouldCancel: () => ++calls > 2 });
    expect(c.accepted).toBe(false);
    expect(c.errnoName).toBe('EAGAIN');
    expect(c.error).toBe('verification cancelled');
  });

  it('models unprivileged loads', () => {
    const leak = asm('r0 = r10\nexit');
    expect(verifyRaw({ insns: leak, progType: SOCKET_FILTER }).accepted).toBe(true);
    const u = verifyRaw({ insns: leak, progType: SOCKET_FILTER }, { privileged: false });
    expect(u.accepted).toBe(false);
    expect(u.error).toBe('R0 leaks addr as return value');
    expect(verifyRaw({ insns: asm('r0 = 0\nexit'), progType: XDP }, { privileged: false }).errnoName).toBe('EPERM');
  });
});
