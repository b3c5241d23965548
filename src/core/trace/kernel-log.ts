/**
 * A verifier log from a real kernel, read back into steps: what users paste from
 * `bpftool -d prog load`, a libbpf debug log, or kbpf's JSON, at log level 1 or 2.
 *
 * Per processed instruction: its index and text, the source line before it
 * (`; text @ file:line`), and the register / stack state after it. The kernel prints
 * only the registers an instruction touched (its "scratched" ones), so the full state
 * is rebuilt as the log goes: the first state (`0: R1=ctx() R10=fp0`), each line's
 * updates, the full states the kernel prints at branch points (`from 6 to 17: ...`),
 * calls and returns (`caller:` / `callee:` / `returning from callee:` / `to caller
 * at N:`), and what a helper call clobbers (R1-R5). Pruned paths (`safe`), frames
 * (`frame1:`), the error message and the summary statistics are kept too.
 *
 * The states use the verifier trace's own shape (`VerifierStepState`: registers and
 * stack slots in log notation), so the debugger shows a pasted log and our verifier's
 * trace with the same panels, through the same `TraceCursor`.
 */
import type { Change, TraceCursor } from './cursor';
import type { VerifierFrameView, VerifierStepKind, VerifierStepState } from '../verifier/trace';
import { splitTopLevel } from './reg-text';

export const LOG_LINE_KINDS = [
  'other', 'insn', 'state', 'source', 'branch', 'prune', 'call', 'error', 'summary', 'stats', 'precise',
  'liveness', 'live-regs', 'func', 'scc', 'tool', 'blank',
] as const;
export type LogLineKind = (typeof LOG_LINE_KINDS)[number];
const KIND_CODE = Object.fromEntries(LOG_LINE_KINDS.map((k, i) => [k, i])) as Record<LogLineKind, number>;

export interface KernelLogStep {
  pc: number;
  /** Line of the log (index into `lines`) that shows the step. */
  line: number;
  /** Call depth (0 = main program). */
  frame: number;
  kind: VerifierStepKind;
  /** The instruction's text, e.g. `(07) r2 += -4` (empty for a pruned step). */
  insn: string;
  state: VerifierStepState;
  /** Line of the `; source @ file:line` shown before the step, if any. */
  source?: number;
  /** The step starts a path (the program's start, or a branch the verifier popped). */
  startsPath: boolean;
  /** For a popped branch: the step that queued it. */
  pushedBy?: number;
  /** Branch targets this step queued (`from <pc> to <target>` later in the log). */
  pushed?: number[];
}

export interface KernelLogSummary {
  processed: number;
  limit: number;
  maxStatesPerInsn: number;
  totalStates: number;
  peakStates: number;
  markRead?: number;
}

export interface ParsedKernelLog {
  /** Where the log came from: a bare kernel log, bpftool / libbpf debug output, kbpf JSON. */
  format: 'kernel' | 'libbpf' | 'kbpf-json';
  /** 2 when the log has level-2 detail (every instruction, branch points, the live-register table). */
  level: 1 | 2;
  /** The program's name, when the wrapper says it (libbpf's `prog 'name'`, kbpf's `name`). */
  program?: string;
  lines: string[];
  /** Per line: its kind (`LOG_LINE_KINDS[code]`). */
  kinds: Uint8Array;
  /** Per line: the step it shows or belongs to (-1: none). */
  stepOfLine: Int32Array;
  steps: KernelLogStep[];
  /** The rejection: the kernel's message lines, and where. Null when accepted or unknown. */
  error: { text: string; lines: number[]; step?: number; pc?: number } | null;
  summary: KernelLogSummary | null;
  /** True: accepted; false: rejected; null: the log does not say (cut off). */
  accepted: boolean | null;
  /** Instruction texts the log shows, by index (the live-register table has the whole program). */
  insns: [number, string][];
  /** Subprograms: `func#N @insn`. */
  funcs: { index: number; insn: number }[];
  /** Things worth telling the user about the log itself. */
  notes: string[];
}

export const lineKind = (p: ParsedKernelLog, line: number): LogLineKind => LOG_LINE_KINDS[p.kinds[line]] ?? 'other';

// ---------------------------------------------------------------------------------------
// Unwrapping: the log inside bpftool / libbpf output or kbpf's JSON

interface Unwrapped { text: string; format: ParsedKernelLog['format']; program?: string; notes: string[] }

const BEGIN = /^libbpf: prog '([^']*)': -- BEGIN PROG LOAD LOG --$/;
const END = '-- END PROG LOAD LOG --';

export function unwrapLog(input: string): Unwrapped {
  const notes: string[] = [];
  const trimmed = input.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      const list = Array.isArray(v) ? v : [v];
      const withLog = list.filter((x): x is { verifier_log: string; name?: string } =>
        typeof x === 'object' && x !== null && typeof (x as { verifier_log?: unknown }).verifier_log === 'string');
      if (withLog.length) {
        if (withLog.length > 1) notes.push(`the JSON holds ${withLog.length} programs' logs; showing the first (${withLog[0].name ?? 'unnamed'})`);
        return { text: withLog[0].verifier_log, format: 'kbpf-json', program: withLog[0].name, notes };
      }
    } catch {
      // Not JSON after all: a log that starts with a brace is unlikely, but read it as text.
    }
  }
  const lines = input.split(/\r?\n/);
  const begin = lines.findIndex((l) => BEGIN.test(l));
  if (begin >= 0) {
    const program = BEGIN.exec(lines[begin])![1];
    let end = lines.indexOf(END, begin + 1);
    if (end < 0) {
      end = lines.length;
      notes.push('the libbpf output ends before "-- END PROG LOAD LOG --": the log may be cut off');
    }
    const more = lines.slice(end + 1).filter((l) => BEGIN.test(l)).length;
    if (more) notes.push(`the output holds ${more + 1} programs' logs; showing the first (${program})`);
    return { text: lines.slice(begin + 1, end).join('\n'), format: 'libbpf', program, notes };
  }
  if (lines.some((l) => l.startsWith('libbpf: '))) {
    return { text: lines.filter((l) => !l.startsWith('libbpf: ')).join('\n'), format: 'libbpf', notes };
  }
  return { text: input, format: 'kernel', notes };
}

// ---------------------------------------------------------------------------------------
// States in log notation

export interface ParsedState {
  /** `frameN:` prefix, if any. */
  frame?: number;
  regs: [number, string][];
  stack: [number, string][];
  /** Anything else (`refs=1,2`, `cb`). */
  extra: string[];
}

/** `frame1: R1=ctx() R10=fp0 fp-8=mmmm????` → its parts. */
export function parseStateText(text: string): ParsedState {
  const out: ParsedState = { regs: [], stack: [], extra: [] };
  let t = text.trim();
  const f = /^frame(\d+): ?/.exec(t);
  if (f) {
    out.frame = Number(f[1]);
    t = t.slice(f[0].length);
  }
  for (const tok of splitTopLevel(t, ' ')) {
    const eq = tok.indexOf('=');
    if (eq < 0) { out.extra.push(tok); continue; }
    // Older kernels mark liveness on the name: R1_w=, fp-8_rw=.
    const key = tok.slice(0, eq).replace(/_(w|r|rw)$/, '');
    const value = tok.slice(eq + 1);
    const reg = /^R(\d+)$/.exec(key);
    const fp = /^fp(-\d+)$/.exec(key);
    if (reg && Number(reg[1]) <= 10) out.regs.push([Number(reg[1]), value]);
    else if (fp) out.stack.push([Number(fp[1]), value]);
    else out.extra.push(tok);
  }
  return out;
}

const emptyFrame = (frameno: number, callsite: number): VerifierFrameView => ({
  frameno, callsite, regs: Array<string | null>(11).fill(null), stack: [],
});

/** A copy of `f` with the parsed updates applied (or replacing it, when `full`). */
function applyToFrame(f: VerifierFrameView, s: ParsedState, full: boolean): VerifierFrameView {
  const regs = full ? Array<string | null>(11).fill(null) : f.regs.slice();
  for (const [r, v] of s.regs) regs[r] = v;
  let stack = full ? [] : f.stack.slice();
  for (const [off, v] of s.stack) {
    const k = stack.findIndex((x) => x.off === off);
    if (k >= 0) stack[k] = { off, text: v };
    else stack.push({ off, text: v });
  }
  stack = stack.sort((a, b) => b.off - a.off);
  return { frameno: f.frameno, callsite: f.callsite, regs, stack };
}

function clobberCallerSaved(f: VerifierFrameView): VerifierFrameView {
  const regs = f.regs.slice();
  for (let r = 1; r <= 5; r++) regs[r] = null;
  return { ...f, regs };
}

// ---------------------------------------------------------------------------------------
// The parser

const RE_INSN = /^(\d+): \(([0-9a-f]{2})\) (.*?)(?:\s+; (.*))?$/;
const RE_STATE = /^(\d+): (.*)$/;
const RE_BRANCH = /^from (\d+) to (\d+)(?: \(speculative execution\))?: (.*)$/;
const RE_SOURCE = /^; (.*) @ ([^\s@]+):(\d+)$/;
const RE_SUMMARY = /^processed (\d+) insns \(limit (\d+)\) max_states_per_insn (\d+) total_states (\d+) peak_states (\d+)(?: mark_read (\d+))?/;
const RE_LIVE_ROW = /^\s*(?:\d+\s+)?(\d+): [.0-9]{10} \(([0-9a-f]{2})\) (.*)$/;
const RE_FUNC = /^func#(\d+) @(\d+)$/;
const RE_STATS = /^(verification time \d+ usec|stack depth [\d+]+|insns processed)/;
const RE_GLOBAL_ASSUMED = /^Func#\d+ \('[^']*'\) is global and assumed valid\.$/;
const RE_GLOBAL_SAFE = /^Func#\d+ \('[^']*'\) is safe for any args that match its prototype$/;
const RE_VALIDATING = /^Validating \S+ func#\d+\.\.\.$/;

/** A helper or kfunc call (not a bpf-to-bpf call): R1-R5 are not readable after it. */
const isHelperCall = (insnText: string): boolean => /^call (?!pc[+-])/.test(insnText);

export function parseKernelLog(input: string): ParsedKernelLog {
  const un = unwrapLog(input);
  const lines = un.text.replace(/\n+$/, '').split(/\r?\n/);
  const kinds = new Uint8Array(lines.length);
  const stepOfLine = new Int32Array(lines.length).fill(-1);
  const steps: KernelLogStep[] = [];
  const insns = new Map<number, string>();
  const funcs: { index: number; insn: number }[] = [];
  let summary: KernelLogSummary | null = null;
  let level: 1 | 2 = 1;

  let frames: VerifierFrameView[] = [];
  let cur = 0;
  let pendingSource: number | undefined;
  let startsPath = true;
  let pushedBy: number | undefined;
  /** After `caller:` etc.: what the next indented state line is. */
  let block: 'caller' | 'callee' | 'returning' | 'to-caller' | null = null;
  let inLiveTable = false;
  const lastStepAt = new Map<number, number>();

  const frameAt = (k: number): VerifierFrameView => {
    while (frames.length <= k) frames.push(emptyFrame(frames.length, steps.length ? steps[steps.length - 1].pc : -1));
    return frames[k];
  };
  const setFrame = (k: number, f: VerifierFrameView) => {
    frameAt(k);
    frames = frames.slice();
    frames[k] = f;
  };
  const snapshot = (): VerifierStepState => ({ frames: frames.slice(0, cur + 1), speculative: false });
  const addStep = (line: number, pc: number, kind: VerifierStepKind, insn: string): KernelLogStep => {
    const step: KernelLogStep = { pc, line, frame: cur, kind, insn, state: snapshot(), startsPath };
    if (pendingSource !== undefined) {
      step.source = pendingSource;
      stepOfLine[pendingSource] = steps.length;
    }
    if (pushedBy !== undefined) step.pushedBy = pushedBy;
    pendingSource = undefined;
    startsPath = false;
    pushedBy = undefined;
    stepOfLine[line] = steps.length;
    lastStepAt.set(pc, steps.length);
    steps.push(step);
    return step;
  };
  const applyState = (text: string, full: boolean, defaultFrame = cur): number => {
    const s = parseStateText(text);
    const k = s.frame ?? defaultFrame;
    setFrame(k, applyToFrame(frameAt(k), s, full));
    return k;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let kind: LogLineKind = 'other';
    let m: RegExpExecArray | null;
    if (line.trim() === '') {
      kind = 'blank';
      inLiveTable = false;
    } else if (line === 'Live regs before insn:') {
      kind = 'live-regs';
      inLiveTable = true;
      level = 2;
    } else if (inLiveTable && (m = RE_LIVE_ROW.exec(line))) {
      kind = 'live-regs';
      insns.set(Number(m[1]), `(${m[2]}) ${m[3]}`);
    } else if ((m = RE_INSN.exec(line))) {
      inLiveTable = false;
      kind = 'insn';
      const pc = Number(m[1]);
      const text = `(${m[2]}) ${m[3].trimEnd()}`;
      insns.set(pc, text);
      if (block !== null) block = null;
      if (frames.length === 0) frameAt(0);
      if (isHelperCall(m[3])) setFrame(cur, clobberCallerSaved(frameAt(cur)));
      if (m[4] !== undefined) cur = applyState(m[4], false);
      const exit = /^exit$/.test(m[3].trim()) && cur === 0;
      addStep(i, pc, exit ? 'exit' : 'insn', text);
    } else if ((m = RE_BRANCH.exec(line))) {
      const from = Number(m[1]);
      const to = Number(m[2]);
      const pusher = lastStepAt.get(from);
      if (pusher !== undefined) (steps[pusher].pushed ??= []).push(to);
      startsPath = true;
      pushedBy = pusher;
      block = null;
      if (m[3].trim() === 'safe') {
        kind = 'prune';
        if (pusher !== undefined) {
          frames = steps[pusher].state.frames.slice();
          cur = frames.length - 1;
        }
        addStep(i, to, 'pruned', '');
      } else {
        kind = 'branch';
        level = 2;
        const s = parseStateText(m[3]);
        const k = s.frame ?? 0;
        frames = (pusher !== undefined ? steps[pusher].state.frames : frames).slice(0, k);
        cur = k;
        // A popped branch in a callee keeps its callsite.
        const callsite = (pusher !== undefined ? steps[pusher].state.frames[k]?.callsite : undefined) ?? -1;
        setFrame(k, applyToFrame(emptyFrame(k, callsite), s, true));
        stepOfLine[i] = steps.length; // the path's first step comes next
      }
    } else if ((m = RE_SOURCE.exec(line))) {
      kind = 'source';
      pendingSource = i;
    } else if ((m = RE_SUMMARY.exec(line))) {
      kind = 'summary';
      summary = {
        processed: Number(m[1]), limit: Number(m[2]), maxStatesPerInsn: Number(m[3]), totalStates: Number(m[4]), peakStates: Number(m[5]),
        ...(m[6] !== undefined ? { markRead: Number(m[6]) } : {}),
      };
    } else if (line === 'caller:' || line === 'callee:' || line === 'returning from callee:' || /^to caller at \d+:$/.test(line)) {
      kind = 'call';
      level = 2;
      block = line === 'caller:' ? 'caller' : line === 'callee:' ? 'callee' : line === 'returning from callee:' ? 'returning' : 'to-caller';
    } else if (block !== null && line.startsWith(' ')) {
      kind = 'call';
      const s = parseStateText(line);
      const k = s.frame ?? 0;
      if (block === 'callee') {
        frames = frames.slice(0, k);
        setFrame(k, applyToFrame(emptyFrame(k, steps.length ? steps[steps.length - 1].pc : -1), s, true));
        cur = k;
      } else if (block === 'to-caller') {
        frames = frames.slice(0, k + 1);
        setFrame(k, applyToFrame(frameAt(k), s, true));
        cur = k;
      } else {
        setFrame(k, applyToFrame(frameAt(k), s, true));
      }
    } else if ((m = RE_STATE.exec(line))) {
      const pc = Number(m[1]);
      const rest = m[2];
      block = null;
      if (rest.trim() === 'safe') {
        kind = 'prune';
        addStep(i, pc, 'pruned', '');
      } else if (/^(frame\d+: ?)?(R\d+|fp-\d+)/.test(rest.trim())) {
        kind = 'state';
        if (frames.length === 0 || (steps.length === 0 && pc === 0 && !/^frame/.test(rest))) {
          // The program's first state: everything else is uninitialised.
          frames = [];
          cur = applyState(rest, true, 0);
        } else {
          cur = applyState(rest, false);
        }
        stepOfLine[i] = steps.length;
      } else kind = 'other';
    } else if ((m = RE_FUNC.exec(line))) {
      kind = 'func';
      level = 2;
      funcs.push({ index: Number(m[1]), insn: Number(m[2]) });
    } else if (RE_GLOBAL_ASSUMED.test(line)) {
      kind = 'func';
      setFrame(cur, clobberCallerSaved(frameAt(cur)));
    } else if (RE_GLOBAL_SAFE.test(line)) {
      kind = 'func';
    } else if (RE_VALIDATING.test(line)) {
      // A global subprogram is verified on its own, from a fresh state.
      kind = 'func';
      frames = [];
      cur = 0;
      startsPath = true;
    } else if (line.startsWith('mark_precise: ') || /^frame \d+: propagating /.test(line)) {
      kind = 'precise';
      level = 2;
    } else if (/^\(\d+(,\d+)?\) (frame \d+ insn \d+|live stack update)/.test(line)) {
      kind = 'liveness';
    } else if (/^SCC (enter|exit) /.test(line)) {
      kind = 'scc';
    } else if (RE_STATS.test(line)) {
      kind = 'stats';
    } else if (line.startsWith('libbpf: ') || line.startsWith('Error: ') || line.startsWith('Warning: ')) {
      kind = 'tool';
    }
    kinds[i] = KIND_CODE[kind];
    if (stepOfLine[i] < 0 && steps.length && (kind === 'precise' || kind === 'liveness' || kind === 'call')) stepOfLine[i] = steps.length - 1;
  }

  // The error: the unclassified lines after the last step, up to the summary.
  const lastStepLine = steps.length ? steps[steps.length - 1].line : -1;
  const errorLines: number[] = [];
  for (let i = lastStepLine + 1; i < lines.length; i++) {
    const k = LOG_LINE_KINDS[kinds[i]];
    if (k === 'summary') break;
    if (k === 'other') errorLines.push(i);
  }
  let error: ParsedKernelLog['error'] = null;
  let accepted: boolean | null = summary ? true : null;
  if (errorLines.length) {
    accepted = false;
    for (const l of errorLines) kinds[l] = KIND_CODE.error;
    error = { text: errorLines.map((l) => lines[l]).join('\n'), lines: errorLines };
    const last = steps[steps.length - 1];
    if (last && last.kind !== 'exit' && last.kind !== 'pruned') {
      last.kind = 'error';
      error.step = steps.length - 1;
      error.pc = last.pc;
      for (const l of errorLines) stepOfLine[l] = steps.length - 1;
    } else {
      // Errors before any instruction (the CFG check) name the instruction in the text.
      const at = /\binsn (\d+)\b/.exec(error.text);
      if (at) error.pc = Number(at[1]);
    }
  }
  if (!summary) un.notes.push('no "processed N insns" line: the log may be cut off (a log buffer too small?)');
  if (summary && summary.processed >= summary.limit) un.notes.push('the verifier stopped at its instruction limit (1,000,000 processed)');

  return {
    format: un.format,
    level,
    program: un.program,
    lines,
    kinds,
    stepOfLine,
    steps,
    error,
    summary,
    accepted,
    insns: [...insns].sort((a, b) => a[0] - b[0]),
    funcs,
    notes: un.notes,
  };
}

// ---------------------------------------------------------------------------------------
// The log's steps as a TraceCursor

export interface KernelLogTrace extends TraceCursor<VerifierStepState> {
  kind(step: number): VerifierStepKind;
  /** The log line showing the step. */
  line(step: number): number;
  startsPath(step: number): boolean;
  /** The step whose state the step started from (the previous one, or the branch's pusher). */
  parent(step: number): number | undefined;
  readonly errorStep: number | undefined;
}

export function kernelLogTrace(p: Pick<ParsedKernelLog, 'steps' | 'error'>): KernelLogTrace {
  const steps = p.steps;
  const parent = (s: number): number | undefined => {
    const st = steps[s];
    if (!st) return undefined;
    if (st.startsPath) return st.pushedBy;
    return s > 0 ? s - 1 : undefined;
  };
  return {
    length: steps.length,
    pc: (s) => steps[s].pc,
    frame: (s) => steps[s].frame,
    state: (s) => steps[s].state,
    kind: (s) => steps[s].kind,
    line: (s) => steps[s].line,
    startsPath: (s) => steps[s].startsPath,
    parent,
    errorStep: p.error?.step,
    changes(s) {
      const now = steps[s]?.state;
      const q = parent(s);
      const before = q !== undefined ? steps[q].state : undefined;
      if (!now) return [];
      return diffStates(before, now);
    },
  };
}

/** The registers and stack slots whose text differs between two states. */
export function diffStates(before: VerifierStepState | undefined, now: VerifierStepState): Change[] {
  const out: Change[] = [];
  now.frames.forEach((f, k) => {
    const b = before?.frames[k];
    if (b === f) return;
    for (let r = 0; r < 11; r++) if ((b?.regs[r] ?? null) !== f.regs[r] && f.regs[r] !== null) out.push({ kind: 'reg', frame: k, reg: r });
    for (const slot of f.stack) {
      if (b?.stack.find((x) => x.off === slot.off)?.text !== slot.text) out.push({ kind: 'stack', frame: k, off: slot.off, size: 8 });
    }
  });
  return out;
}

/** How many times the log shows each instruction processed (the verifier's work per instruction). */
export function visitCounts(p: Pick<ParsedKernelLog, 'steps'>): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of p.steps) if (s.kind !== 'pruned') out.set(s.pc, (out.get(s.pc) ?? 0) + 1);
  return out;
}
