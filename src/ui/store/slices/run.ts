/**
 * Run slice: running the program in the VM and stepping through the run.
 *
 *  - `runInputs`: the packet and context bytes runs use, and the "Run N times" count;
 *    saved with the workspace and carried by share links.
 *  - `exec`: the latest run (what ran, on which input, its verdict and results).
 *  - `trace`: the execution history of a debugging run (Step, Run to cursor) and the step
 *    shown; plain data from the worker, read through `ExecutionHistory` by the panels.
 *  - `maps`: the maps of the program's VM session as the Maps panel shows them, with the
 *    state before the last run or edit (what changed is highlighted).
 *  - `breakpoints`: source lines and instructions where Continue stops.
 *
 * The actions' work (choosing the target, talking to the VM worker, finding steps) is in
 * run/run-actions.ts, loaded on first use, so this slice costs the first bundle little.
 */
import type { StateCreator } from 'zustand';
import type { PlaygroundState } from '../create-store';
import type { Services } from '../../services';
import type { HistoryData } from '../../../core/vm/history';
import type { RegionSnapshot, MapEdit } from '../../../workers/vm-service';
import type { ExecResult, MapView } from '../../../workers/vm-exec-spec';

/** Inputs of runs, saved with the workspace and put in share links. */
export interface RunInputs {
  /** Packet bytes (hex) for socket, tc and XDP programs. */
  packet: string;
  /** Context bytes (hex) by layout id (`pt_regs`, `tracepoint`, `args`, ...) for the others. */
  ctx: Record<string, string>;
  /** How many times "Run N times" runs the program. */
  repeat: number;
}

/** The builder's first preset (IPv4 UDP 10.0.0.1:40000 → 10.0.0.2:53, "hello"); run-inputs.test.ts checks it. */
export const DEFAULT_PACKET_HEX = '02000000000202000000000108004500002100004000401126ca0a0000010a0000029c400035000d0b8a68656c6c6f';
export const DEFAULT_RUN_INPUTS: RunInputs = { packet: DEFAULT_PACKET_HEX, ctx: {}, repeat: 1000 };

/** The inputs a share link carries: none when they are the defaults (shorter links). */
export const sharedRunInputs = (r: RunInputs): RunInputs | undefined =>
  (r.packet === DEFAULT_PACKET_HEX && !Object.keys(r.ctx).length && r.repeat === DEFAULT_RUN_INPUTS.repeat ? undefined : r);

/** What runs: an assembly file or a program of the imported object. */
export interface RunTargetInfo {
  /** `asm:prog.s`, `obj:xdp_count_proto.o:0`. */
  key: string;
  title: string;
  /** Kernel name of the program type, when known before loading. */
  progType: string | null;
  /** The assembly file (asm targets). */
  file?: string;
  /** The object's program index (object targets). */
  program?: number;
}

export interface ExecState {
  status: 'idle' | 'running' | 'done' | 'failed';
  /** What the result is of. */
  target: RunTargetInfo | null;
  /** The source (assembly text, or the object's base64) and input (hex) that ran. */
  source: string;
  input: string;
  result: ExecResult | null;
  /** Why the request failed as a whole (the worker, or a target that does not load). */
  error: string | null;
  /** Instructions executed so far by the run under way. */
  progress: number | null;
  /** The run was of a program the verifier rejects, on request. */
  anyway: boolean;
  /** Runs of the latest result (more than 1: "Run N times"). */
  repeat: number;
  traced: boolean;
}

export interface TraceState {
  data: HistoryData;
  regions: RegionSnapshot[];
  /** The step shown. */
  step: number;
  targetKey: string;
  source: string;
  input: string;
}

export interface MapsState {
  /** The target the maps belong to. */
  targetKey: string | null;
  views: MapView[];
  /** The maps before the last run or edit: what changed is highlighted. */
  before: MapView[] | null;
  /** What made the last change: a run, or an edit. */
  cause: 'run' | 'edit' | 'load' | null;
  /** The VM session (and so the maps) was made anew by the last request. */
  fresh: boolean;
  loading: boolean;
}

export type Breakpoint =
  | { kind: 'line'; file: string; line: number }
  | { kind: 'insn'; target: string; pc: number };

export const sameBreakpoint = (a: Breakpoint, b: Breakpoint): boolean =>
  a.kind === 'line' ? b.kind === 'line' && a.file === b.file && a.line === b.line : b.kind === 'insn' && a.target === b.target && a.pc === b.pc;

export interface RunSlice {
  runInputs: RunInputs;
  /** The target the user chose (null: picked automatically). */
  runTargetKey: string | null;
  exec: ExecState;
  trace: TraceState | null;
  maps: MapsState;
  breakpoints: Breakpoint[];
  /** What the last debugger command has to say ("line 9 does not run after this step"). */
  execNotice: string | null;
  setRunInputs(patch: Partial<RunInputs>): void;
  setRunTarget(key: string | null): void;
  /** Runs the program (fast, no history); `repeat` runs it that many times; `anyway` runs a rejected program. */
  run(opts?: { repeat?: number; anyway?: boolean }): Promise<void>;
  /** Moves through the execution `delta` steps; without a history, records one first (a debugging run). */
  stepExec(delta: number): Promise<void>;
  setExecStep(step: number): void;
  /** To the next step at a breakpoint (or the end). */
  continueExec(): Promise<void>;
  /** To the next step that runs the line under the editor's cursor. */
  runToCursor(): Promise<void>;
  /** Forgets the run and its history and makes the maps anew. */
  resetExec(): Promise<void>;
  /** Stops the run under way. */
  stopRun(): void;
  toggleBreakpoint(bp: Breakpoint): void;
  /** Reads the maps of the current target's session (made if needed). */
  loadMaps(): Promise<void>;
  /** Changes map entries; resolves to what went wrong, or null. */
  editMaps(edits: MapEdit[]): Promise<string | null>;
  dismissExecNotice(): void;
}

const IDLE: ExecState = { status: 'idle', target: null, source: '', input: '', result: null, error: null, progress: null, anyway: false, repeat: 1, traced: false };

export const createRunSlice = (services: Services): StateCreator<PlaygroundState, [], [], RunSlice> => (set, get) => {
  /** The VM sessions of this playground (a page may hold several). */
  const session = `pg${Math.random().toString(36).slice(2, 10)}`;
  const api = () => ({ set, get, services, session });
  const actions = () => import('../../run/run-actions');
  return {
    runInputs: DEFAULT_RUN_INPUTS,
    runTargetKey: null,
    exec: IDLE,
    trace: null,
    maps: { targetKey: null, views: [], before: null, cause: null, fresh: false, loading: false },
    breakpoints: [],
    execNotice: null,
    setRunInputs: (patch) => set((s) => ({ runInputs: { ...s.runInputs, ...patch } })),
    setRunTarget: (runTargetKey) => set({ runTargetKey }),
    run: async (opts) => (await actions()).run(api(), opts),
    stepExec: async (delta) => (await actions()).stepExec(api(), delta),
    setExecStep: (step) => set((s) => (s.trace ? { trace: { ...s.trace, step: Math.max(0, Math.min(s.trace.data.steps - 1, step)) }, execNotice: null } : {})),
    continueExec: async () => (await actions()).continueExec(api()),
    runToCursor: async () => (await actions()).runToCursor(api()),
    resetExec: async () => (await actions()).resetExec(api()),
    stopRun: () => {
      services.cancelExec();
      set((s) => (s.exec.status === 'running' ? { exec: { ...s.exec, status: s.exec.result ? 'done' : 'idle', progress: null }, execNotice: 'Run stopped.' } : {}));
    },
    toggleBreakpoint: (bp) => set((s) => ({
      breakpoints: s.breakpoints.some((b) => sameBreakpoint(b, bp)) ? s.breakpoints.filter((b) => !sameBreakpoint(b, bp)) : [...s.breakpoints, bp],
    })),
    loadMaps: async () => { await (await actions()).loadMaps(api()); },
    editMaps: async (edits) => (await actions()).editMaps(api(), edits),
    dismissExecNotice: () => set({ execNotice: null }),
  };
};

/** Views that follow the verifier's trace (the listings show its current step). */
const VERIFIER_VIEWS = new Set(['log', 'dag', 'xlated', 'jited']);

/** Which trace Step / Step back / Run to cursor move through: the one in view. */
export const steppingVerifier = (s: Pick<PlaygroundState, 'mainView'>): boolean => VERIFIER_VIEWS.has(s.mainView);
