/**
 * The kernel-log parser against real verifier logs of Linux 6.18, recorded by
 * scripts/record-kernel-logs.sh (levels 1 and 2, kbpf JSON, bpftool -d output). The
 * expectations come from the logs themselves and the kernel's rules (the `processed`
 * count, what a helper call clobbers), not from the parser's own output.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kernelLogTrace, lineKind, parseKernelLog, parseStateText, unwrapLog, visitCounts } from '../src/core/trace/kernel-log';
import { parseRegValue } from '../src/core/trace/reg-text';

const DIR = new URL('./golden/kernel-logs/', import.meta.url);
const read = (name: string): string => {
  const raw = readFileSync(new URL(name, DIR));
  return name.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
};
const meta = (name: string) => JSON.parse(read(`${name}.meta.json`)) as {
  accepted: boolean; processed_insns: number;
  verifier_stats: { limit: number; max_states_per_insn: number; total_states: number; peak_states: number; mark_read: number };
};
const logs = readdirSync(DIR).filter((f) => /\.l[12]\.log(\.gz)?$/.test(f));

describe('every recorded log', () => {
  it('is there', () => { expect(logs.length).toBeGreaterThanOrEqual(20); });
  for (const f of logs) {
    const name = f.replace(/\.l[12]\.log(\.gz)?$/, '');
    it(`${f}: verdict and statistics as the kernel reported them`, () => {
      const p = parseKernelLog(read(f));
      const m = meta(name);
      expect(p.accepted).toBe(m.accepted);
      expect(p.summary).toEqual({
        processed: m.processed_insns, limit: m.verifier_stats.limit, maxStatesPerInsn: m.verifier_stats.max_states_per_insn,
        totalStates: m.verifier_stats.total_states, peakStates: m.verifier_stats.peak_states, markRead: m.verifier_stats.mark_read,
      });
      expect(p.level).toBe(f.includes('.l2.') ? 2 : 1);
      // Nothing left unclassified but the kernel's error message.
      const unknown = p.lines.filter((_, i) => lineKind(p, i) === 'other');
      expect(unknown).toEqual([]);
      expect(p.error === null).toBe(m.accepted);
    });
    if (f.includes('.l2.')) {
      it(`${f}: one step per processed instruction (pruned visits count too)`, () => {
        const p = parseKernelLog(read(f));
        expect(p.steps.length).toBe(meta(name).processed_insns);
      });
    }
  }
});

describe('states rebuilt from a rejected program (reject_null_deref, level 2)', () => {
  const p = parseKernelLog(read('reject_null_deref.l2.log'));
  const at = (pc: number) => p.steps.find((s) => s.pc === pc)!;

  it('finds the error, its instruction and its source line', () => {
    expect(p.error).toMatchObject({ text: "R0 invalid mem access 'map_value_or_null'", pc: 7, step: 6 });
    expect(p.steps[6]).toMatchObject({ kind: 'error', insn: '(79) r1 = *(u64 *)(r0 +0)' });
    expect(p.lines[p.steps[6].source!]).toBe('; *v += 1; @ reject_null_deref.bpf.c:18');
  });

  it('keeps registers and stack slots from earlier lines, and clobbers R1-R5 at a helper call', () => {
    const s = at(6).state.frames[0];
    expect(s.regs[0]).toBe('map_value_or_null(id=1,map=counts,ks=4,vs=8)');
    expect(s.regs.slice(1, 6)).toEqual([null, null, null, null, null]);
    expect(s.regs[10]).toBe('fp0');
    expect(s.stack).toEqual([{ off: -8, text: 'mmmm????' }]);
    const before = at(4).state.frames[0];
    expect(before.regs[1]).toBe('map_ptr(map=counts,ks=4,vs=8)');
    expect(before.regs[2]).toBe('fp-4');
  });

  it('reads the whole program from the live-register table', () => {
    expect(p.insns.map(([pc]) => pc)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    expect(p.insns.find(([pc]) => pc === 9)![1]).toBe('(7b) *(u64 *)(r0 +0) = r1');
  });

  it('is a TraceCursor with what each step changed', () => {
    const t = kernelLogTrace(p);
    expect(t.length).toBe(7);
    expect(t.pc(5)).toBe(6);
    expect(t.changes(5)).toEqual([{ kind: 'reg', frame: 0, reg: 0 }]);
    expect(t.changes(1)).toEqual([{ kind: 'stack', frame: 0, off: -8, size: 8 }]);
    expect(t.errorStep).toBe(6);
  });
});

describe('frames (subprog_calls, level 2)', () => {
  const p = parseKernelLog(read('subprog_calls.l2.log'));

  it('pushes a frame per call with the callee state the kernel printed', () => {
    const first28 = p.steps.find((s) => s.pc === 28)!;
    expect(first28.frame).toBe(2);
    const [f0, f1, f2] = first28.state.frames;
    expect(f2).toMatchObject({ frameno: 2, callsite: 20 });
    expect(f1).toMatchObject({ frameno: 1, callsite: 6 });
    expect(f0.regs[6]).toBe('ctx()');
    expect(f1.regs[6]).toBe('scalar(id=2,smin=smin32=0,smax=umax=smax32=umax32=15,var_off=(0x0; 0xf))');
    expect(f2.regs[1]).toBe('scalar(id=3,smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))');
  });

  it('pops it on return, with the caller state of "to caller at"', () => {
    const at21 = p.steps.find((s) => s.pc === 21)!;
    expect(at21.frame).toBe(1);
    expect(at21.state.frames).toHaveLength(2);
    expect(at21.state.frames[1].regs[0]).toBe('scalar(id=4,smin=smin32=0,smax=umax=smax32=umax32=0xfe01,var_off=(0x0; 0xffff))');
    const at7 = p.steps.find((s) => s.pc === 7)!;
    expect(at7.frame).toBe(0);
    expect(at7.state.frames).toHaveLength(1);
  });

  it('verifies a global function from a fresh state', () => {
    const at31 = p.steps.find((s) => s.pc === 31)!;
    expect(at31.startsPath).toBe(true);
    expect(at31.state.frames[0].regs[6]).toBeNull();
    expect(at31.state.frames[0].regs[0]).toBe('scalar(id=7)');
    expect(p.funcs).toEqual([{ index: 0, insn: 0 }, { index: 1, insn: 19 }, { index: 2, insn: 28 }, { index: 3, insn: 31 }]);
  });
});

describe('branches and pruning (loop_sum, level 2)', () => {
  const text = read('loop_sum.l2.log.gz');
  const p = parseKernelLog(text);
  it('has one pruned step per "safe" line, and paths that start at popped branches', () => {
    const safeLines = text.split('\n').filter((l) => /: safe$/.test(l)).length;
    expect(p.steps.filter((s) => s.kind === 'pruned')).toHaveLength(safeLines);
    const fromLines = text.split('\n').filter((l) => /^from \d+ to \d+: /.test(l));
    expect(p.steps.filter((s) => s.startsPath && s.pushedBy !== undefined)).toHaveLength(fromLines.length);
    // A popped branch's first state is the one the kernel printed on the "from" line.
    const k = p.lines.findIndex((l) => /^from \d+ to \d+: R/.test(l));
    const printed = parseStateText(p.lines[k].replace(/^from \d+ to \d+: /, ''));
    const first = p.steps[p.stepOfLine[k]];
    // Registers the step's own instruction did not print are as the "from" line says.
    const own = new Set(parseStateText(p.lines[first.line].split(/\s+; /)[1] ?? '').regs.map(([r]) => r));
    const kept = printed.regs.filter(([r]) => !own.has(r));
    expect(kept.length).toBeGreaterThan(0);
    for (const [r, v] of kept) expect(first.state.frames[0].regs[r]).toBe(v);
  });
  it('counts how often each instruction was processed', () => {
    const visits = visitCounts(p);
    expect([...visits.values()].reduce((a, b) => a + b, 0)).toBe(p.steps.filter((s) => s.kind !== 'pruned').length);
    expect(Math.max(...visits.values())).toBeGreaterThan(10);
  });
});

describe('the forms users paste', () => {
  it('bpftool -d prog load: the log between libbpf\'s markers, the program name, the two-line error', () => {
    const p = parseKernelLog(read('reject_pkt_bounds.bpftool.txt'));
    expect(p).toMatchObject({ format: 'libbpf', program: 'reject_pkt_bounds', level: 2, accepted: false });
    expect(p.error?.text).toBe('invalid access to packet, off=12 size=1, R1(id=0,off=12,r=0)\nR1 offset is outside of the packet');
    expect(p.error?.pc).toBe(1);
    expect(p.lines.some((l) => l.startsWith('libbpf:'))).toBe(false);
    expect(p.lines.filter((_, i) => lineKind(p, i) === 'stats')).toEqual(['verification time 32 usec', 'stack depth 0'].map((l) => expect.stringMatching(l.replace(/\d+/g, '\\d+'))));
  });

  it('bpftool -d of an accepted object with subprograms', () => {
    const p = parseKernelLog(read('subprog_calls.bpftool.txt'));
    expect(p).toMatchObject({ format: 'libbpf', program: 'subprog_calls', accepted: true });
  });

  it('kbpf JSON: the verifier_log field', () => {
    const p = parseKernelLog(read('reject_null_deref.kbpf.json'));
    expect(p).toMatchObject({ format: 'kbpf-json', program: 'reject_null_deref', accepted: false });
    expect(p.steps).toHaveLength(parseKernelLog(read('reject_null_deref.l2.log')).steps.length);
  });

  it('says when a log is cut off', () => {
    const text = read('reject_null_deref.l2.log').split('\n').slice(0, 20).join('\n');
    const p = parseKernelLog(text);
    expect(p.accepted).toBeNull();
    expect(p.notes.join()).toMatch(/cut off/);
    expect(unwrapLog('libbpf: prog \'x\': -- BEGIN PROG LOAD LOG --\n0: R1=ctx() R10=fp0\n').notes.join()).toMatch(/END PROG LOAD LOG/);
  });

  it('reads a 5 MB level-2 log quickly', () => {
    const text = read('long_loop.l2.log.gz');
    expect(text.length).toBeGreaterThan(4_000_000);
    const t0 = performance.now();
    const p = parseKernelLog(text);
    const ms = performance.now() - t0;
    expect(p.steps.length).toBe(6003);
    expect(p.steps.at(-2)!.state.frames[0].regs[1]).toBe('2000');
    expect(ms).toBeLessThan(3000);
  });
});

describe('states are readable through parseRegValue', () => {
  it('every register and stack text in the recorded level-2 logs has a type', () => {
    for (const f of logs.filter((x) => x.includes('.l2.') && !x.startsWith('long_loop'))) {
      for (const s of parseKernelLog(read(f)).steps) {
        for (const fr of s.state.frames) for (const r of fr.regs) if (r !== null) expect(parseRegValue(r).type, `${f}: ${r}`).not.toBe('');
      }
    }
  });
});
