/**
 * From a whole xlated program to the functions the JIT compiles, with the facts the
 * JIT needs that the instructions do not carry: function boundaries, stack depths,
 * which functions keep the tail-call counter, which tail calls are direct, which run on
 * a private stack.
 *
 * The instructions are in the form `bpftool prog dump xlated` shows (and the kernel
 * reports in `xlated_prog_insns`): a bpf-to-bpf call has the callee's function index in
 * `imm` and the pc-relative offset in `off`; a callback address (`lddw` src 4) has the
 * pc-relative offset in `imm` and the function index in the second slot's `imm`; a tail
 * call is `call 12`; map loads name the map in `imm`.
 *
 * What the verifier knows better (stack depths; direct tail calls; PROBE_MEM loads) can
 * be passed in; otherwise it is derived here, as documented at each function.
 */
import { BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC } from '../isa/opcodes';
import { insnStarts, isLdImm64, type Insn } from '../isa/insn';
import { PROG_TYPES } from '../isa/kernel-types';
import { JitError } from './x86/emit';
import { isTailCall, type JitFunction } from './x86/do-jit';
import { jitFunctions, type JitOptions, type JitResult } from './x86/compile';

export interface JitProgramInput {
  /** The xlated program (dump form, see above). */
  insns: readonly Insn[];
  /** `BPF_PROG_TYPE_*`: decides whether large frames move to a private stack. */
  progType: number;
  /** Stack depth of each function, as the verifier computed it. */
  stackDepths: readonly number[];
  /** Slot where each function starts; default: 0 and every call / callback target. */
  funcStarts?: readonly number[];
  /** Slots of tail calls with a constant key; default: `constantKeyTailCalls`. */
  directTailCalls?: ReadonlySet<number>;
  /** Slots of loads through BTF pointers (PROBE_MEM); default none. */
  probeMem?: ReadonlySet<number>;
  /** Per function; default: `tailCallReachable`. */
  tailCallReachable?: readonly boolean[];
  /** Per function; default: `usesPrivateStack`. */
  privateStack?: readonly boolean[];
}

const isPseudoCall = (i: Insn): boolean => i.code === 0x85 && i.src === BPF_PSEUDO_CALL;
const isPseudoFunc = (i: Insn): boolean => isLdImm64(i) && i.src === BPF_PSEUDO_FUNC;

/** Where a call or callback load at `pc` goes (dump form: the offset is in `off` for calls, `imm` for callbacks). */
export function calleeSlot(insns: readonly Insn[], pc: number): number | undefined {
  const i = insns[pc];
  if (isPseudoCall(i)) return pc + (i.off !== 0 ? i.off : i.imm) + 1;
  if (isPseudoFunc(i)) return pc + i.imm + 1;
  return undefined;
}

/** Function starts: slot 0 and every target of a bpf-to-bpf call or callback load. */
export function functionStarts(insns: readonly Insn[]): number[] {
  const starts = new Set([0]);
  for (let pc = 0; pc < insns.length; pc++) {
    const t = calleeSlot(insns, pc);
    if (t !== undefined) {
      if (t <= 0 || t >= insns.length) throw new JitError(`call at ${pc} goes to ${t}, outside the program`, pc);
      starts.add(t);
    }
    if (isLdImm64(insns[pc])) pc++;
  }
  return [...starts].sort((a, b) => a - b);
}

/**
 * Tail calls whose key (r3) is set by `r3 = K` / `w3 = K` earlier in the same straight
 * run of code. The verifier makes a tail call direct when the key is the same in-range
 * constant on every path; this sees the common case without the verifier's state.
 */
export function constantKeyTailCalls(insns: readonly Insn[]): Set<number> {
  const starts = insnStarts(insns);
  const jumpTargets = new Set<number>();
  for (const pc of starts) {
    const i = insns[pc];
    const cls = i.code & 7;
    const op = i.code & 0xf0;
    if ((cls === 5 || cls === 6) && op !== 0x80 && op !== 0x90) jumpTargets.add(pc + (i.code === 0x06 ? i.imm : i.off) + 1);
  }
  const out = new Set<number>();
  starts.forEach((pc, n) => {
    if (!isTailCall(insns[pc])) return;
    for (let k = n - 1; k >= 0; k--) {
      if (jumpTargets.has(starts[k + 1])) return; // another path joins here
      const i = insns[starts[k]];
      const cls = i.code & 7;
      if (cls === 5 || cls === 6) return; // a jump, call or exit ends the straight run
      if (cls === 3 && (i.code & 0xe0) === 0xc0 && i.src === 3 && i.imm & 1) return; // atomic fetch into r3
      if (i.dst !== 3 || cls === 2 || cls === 3) continue; // stores do not write r3
      if ((i.code === 0xb7 || i.code === 0xb4) && i.imm >= 0) out.add(pc);
      return;
    }
  });
  return out;
}

/**
 * Which functions keep the tail-call counter (`tail_call_reachable`), as the verifier's
 * check_max_stack_depth decides it: a depth-first walk of the calls from the main
 * program; once it has entered a function that tail-calls, every function then on the
 * call stack at the end of a function's scan is marked (the flag stays set for the rest
 * of the walk). A function that tail-calls itself keeps the counter too.
 */
export function tailCallReachable(insns: readonly Insn[], starts: readonly number[]): boolean[] {
  const n = starts.length;
  const funcOf = (slot: number): number => {
    const k = starts.indexOf(slot);
    if (k < 0) throw new JitError(`no function starts at ${slot}`);
    return k;
  };
  const end = (f: number): number => (f + 1 < n ? starts[f + 1] : insns.length);
  const hasTailCall = starts.map((s, f) => insns.slice(s, end(f)).some(isTailCall));
  const marked = new Array<boolean>(n).fill(false);
  let reachable = false;
  const stack: number[] = [];
  const walk = (f: number): void => {
    if (stack.length >= 8) throw new JitError('the call stack is too deep');
    for (let pc = starts[f]; pc < end(f); pc++) {
      const t = calleeSlot(insns, pc);
      if (t !== undefined) {
        const callee = funcOf(t);
        if (hasTailCall[callee]) reachable = true;
        stack.push(f);
        walk(callee);
        stack.pop();
      }
      if (isLdImm64(insns[pc])) pc++;
    }
    if (reachable) for (const g of stack) marked[g] = true;
  };
  walk(0);
  return marked.map((m, f) => m || hasTailCall[f]);
}

const PRIVATE_STACK_TYPES = new Set(['kprobe', 'tracepoint', 'perf_event', 'raw_tracepoint'].map((t) => PROG_TYPES.value(t)));
/** BPF_PRIV_STACK_MIN_SIZE */
const PRIVATE_STACK_MIN = 64;

/** Tracing programs run functions with frames of 64 bytes or more on a per-CPU private stack. */
export const usesPrivateStack = (progType: number, stackDepth: number): boolean =>
  PRIVATE_STACK_TYPES.has(progType) && stackDepth >= PRIVATE_STACK_MIN;

/** Splits a program into the JIT's functions, deriving what is not given. */
export function jitFunctionsOf(p: JitProgramInput): JitFunction[] {
  const starts = p.funcStarts ? [...p.funcStarts] : functionStarts(p.insns);
  if (p.stackDepths.length !== starts.length) {
    throw new JitError(`${p.stackDepths.length} stack depths for ${starts.length} functions (starting at ${starts.join(', ')})`);
  }
  const direct = p.directTailCalls ?? constantKeyTailCalls(p.insns);
  const probe = p.probeMem ?? new Set<number>();
  const reach = p.tailCallReachable ?? tailCallReachable(p.insns, starts);
  return starts.map((s, f) => {
    const e = f + 1 < starts.length ? starts[f + 1] : p.insns.length;
    const local = (set: ReadonlySet<number>): Set<number> => new Set([...set].filter((x) => x >= s && x < e).map((x) => x - s));
    return {
      index: f,
      insns: p.insns.slice(s, e),
      stackDepth: p.stackDepths[f],
      tailCallReachable: reach[f],
      privateStack: p.privateStack?.[f] ?? usesPrivateStack(p.progType, p.stackDepths[f]),
      directTailCalls: local(direct),
      probeMem: local(probe),
    };
  });
}

/** JITs a whole xlated program. */
export function jitProgram(p: JitProgramInput, opts: JitOptions = {}): JitResult {
  return jitFunctions(jitFunctionsOf(p), opts);
}
