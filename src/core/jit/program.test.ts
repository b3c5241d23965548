import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/parse';
import { PROG_TYPES } from '../isa/kernel-types';
import { constantKeyTailCalls, functionStarts, tailCallReachable, usesPrivateStack } from './program';

const insnsOf = (text: string) => assemble(text).insns;

describe('function boundaries', () => {
  it('starts a function at every call target (dump form: the offset is in off)', () => {
    // call pc+2 to the function at 4, as bpftool dumps it: off = 2, imm = function index 1.
    const insns = insnsOf('r1 = 5\ncall pc+2\nr0 += 1\nexit\nr0 = r1\nr0 *= 2\nexit');
    insns[1] = { ...insns[1], off: 2, imm: 1 };
    expect(functionStarts(insns)).toEqual([0, 4]);
  });

  it('also reads the pre-verifier form (offset in imm)', () => {
    expect(functionStarts(insnsOf('call f\nexit\nf:\nr0 = 0\nexit'))).toEqual([0, 2]);
  });
});

describe('tail calls', () => {
  it('takes a key set by a move in the same straight run as constant', () => {
    const insns = insnsOf('r3 = 1\ncall bpf_tail_call\nr3 = r6\ncall bpf_tail_call\nr0 = 0\nexit');
    expect([...constantKeyTailCalls(insns)]).toEqual([1]);
  });

  it('does not look past a join point', () => {
    const insns = insnsOf('r3 = 1\nif r1 == 0 goto l\nr3 = 2\nl:\ncall bpf_tail_call\nr0 = 0\nexit');
    expect([...constantKeyTailCalls(insns)]).toEqual([]);
  });

  it('marks the callers on the stack after a tail-calling callee, and the tail-caller itself', () => {
    // main calls a (tail call) then b; b calls c. The flag stays set after a returns, so
    // b is on the stack when c's scan ends and gets marked; c is a leaf and does not.
    const insns = insnsOf(['call a', 'call b', 'exit', 'a:', 'call bpf_tail_call', 'exit', 'b:', 'call c', 'exit', 'c:', 'r0 = 0', 'exit'].join('\n'));
    const starts = functionStarts(insns);
    expect(starts).toEqual([0, 3, 5, 7]);
    expect(tailCallReachable(insns, starts)).toEqual([true, true, true, false]);
  });

  it('leaves programs without tail calls alone', () => {
    const insns = insnsOf('call a\nexit\na:\nr0 = 0\nexit');
    expect(tailCallReachable(insns, functionStarts(insns))).toEqual([false, false]);
  });
});

describe('private stack', () => {
  it('is for tracing program types with frames of 64 bytes or more', () => {
    expect(usesPrivateStack(PROG_TYPES.value('kprobe')!, 64)).toBe(true);
    expect(usesPrivateStack(PROG_TYPES.value('kprobe')!, 56)).toBe(false);
    expect(usesPrivateStack(PROG_TYPES.value('xdp')!, 256)).toBe(false);
  });
});
