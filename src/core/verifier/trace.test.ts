import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/parse';
import { stepsAt } from '../trace/cursor';
import { verifyRaw } from './verify';
import { BPF_F_TEST_STATE_FREQ } from './env';

const SOCKET_FILTER = 1;

function verifyAsm(src: string, flags = 0) {
  return verifyRaw({ insns: assemble(src).insns, progType: SOCKET_FILTER, flags }, { logLevel: 2 });
}

// 0: r0 = skb->len; 1: if r0 > 10 goto 3; 2: r2 = 1; 3: r0 = 0; 4: exit
const BRANCHY = `
  r0 = *(u32 *)(r1 + 0)
  if r0 > 10 goto +1
  r2 = 1
  r0 = 0
  exit
`;

describe('verifier trace', () => {
  it('records every processed instruction, the branch it queued and the path switch', () => {
    const r = verifyAsm(BRANCHY);
    const t = r.trace!;
    expect(r.accepted).toBe(true);
    expect(t.length).toBe(r.stats.processedInsns);
    expect(Array.from({ length: t.length }, (_, s) => t.pc(s))).toEqual([0, 1, 2, 3, 4, 3, 4]);
    expect(t.pushed(1)).toEqual([3]);
    expect(t.kind(4)).toBe('exit');
    expect(t.startsPath(0)).toBe(true);
    expect(t.startsPath(5)).toBe(true);
    expect(t.pathParent(5)).toBe(1);
    expect(t.pathTo(6)).toEqual([0, 1, 5, 6]);
  });

  it('materialises full states in log notation, before and after a step', () => {
    const t = verifyAsm(BRANCHY).trace!;
    const s0 = t.state(0);
    expect(s0.frames).toHaveLength(1);
    expect(s0.frames[0].regs[1]).toBe('ctx()');
    expect(s0.frames[0].regs[10]).toBe('fp0');
    expect(s0.frames[0].regs[0]).toBe('scalar(smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(t.state(1).frames[0].regs[0]).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))');
    expect(t.state(2).frames[0].regs[2]).toBe('1');
    // the popped path starts from the state queued at insn 1: r0 > 10, no r2
    const before = t.stateBefore(5);
    expect(before.frames[0].regs[0]).toBe('scalar(smin=umin=umin32=11,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))');
    expect(before.frames[0].regs[2]).toBeNull();
    expect(t.state(5).frames[0].regs[0]).toBe('0');
    expect(t.changes(5)).toEqual([{ kind: 'reg', frame: 0, reg: 0 }]);
    expect(t.changes(2)).toEqual([{ kind: 'reg', frame: 0, reg: 2 }]);
  });

  it('records pruning hits with the state they matched', () => {
    const r = verifyAsm(BRANCHY, BPF_F_TEST_STATE_FREQ);
    const t = r.trace!;
    const pruned = Array.from({ length: t.length }, (_, s) => s).filter((s) => t.kind(s) === 'pruned');
    expect(pruned).toHaveLength(1);
    const p = t.prune(pruned[0])!;
    expect(t.pc(pruned[0])).toBe(3);
    // the checkpoint at insn 3 was cleaned: no register is live there (r10 always stays)
    expect(p.matched.frames[0].regs.slice(0, 10).every((x) => x === null)).toBe(true);
    expect(p.matched.frames[0].regs[10]).toBe('fp0');
    expect(p.checkpointStep).toBe(2);
  });

  it('keeps the stack slots', () => {
    const r = verifyAsm(`
      *(u64 *)(r10 - 8) = r1
      r0 = *(u64 *)(r10 - 8)
      r0 = 0
      exit
    `);
    const t = r.trace!;
    expect(r.accepted).toBe(true);
    expect(t.state(0).frames[0].stack).toEqual([{ off: -8, text: 'ctx()' }]);
    expect(t.changes(0)).toEqual([{ kind: 'stack', frame: 0, off: -8, size: 8 }]);
    expect(stepsAt(t, 1)).toEqual([1]);
  });

  it('ends with an error step on rejection', () => {
    const r = verifyAsm(`
      r0 = *(u64 *)(r1 + 1000)
      exit
    `);
    expect(r.accepted).toBe(false);
    const t = r.trace!;
    expect(t.errorStep).toBe(0);
    expect(t.kind(0)).toBe('error');
    expect(r.errorInsn).toBe(0);
  });

  it('is optional', () => {
    expect(verifyRaw({ insns: assemble('r0 = 0\nexit').insns, progType: SOCKET_FILTER }, { trace: false }).trace).toBeUndefined();
  });
});
