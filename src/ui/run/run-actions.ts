/**
 * The run slice's actions (store/slices/run.ts), loaded on first use: choose the target
 * and input, ask the VM worker, and move through the execution history.
 *
 * Run is a plain (fast) run. Step, Continue and Run to cursor need a history: without one
 * for the current program and input they make a debugging run first (a real run: the
 * maps change as with Run) and then move in its history.
 */
import type { PlaygroundState } from '../store/create-store';
import type { Services } from '../services';
import type { ExecState, RunTargetInfo } from '../store/slices/run';
import type { MapEdit } from '../../workers/vm-service';
import type { MapView } from '../../workers/vm-exec-spec';
import { breakpointPcs, currentTarget, pcsOfLine, runInputFor, type TargetChoice } from './targets';

type SetState = (p: Partial<PlaygroundState> | ((s: PlaygroundState) => Partial<PlaygroundState>)) => void;

export interface RunApi {
  set: SetState;
  get: () => PlaygroundState;
  services: Services;
  /** This playground's prefix for VM session names. */
  session: string;
}

const info = (t: TargetChoice): RunTargetInfo => ({ key: t.key, title: t.title, progType: t.progType, file: t.file, program: t.program });
const sessionOf = (api: RunApi, t: RunTargetInfo) => `${api.session}:${t.key}`;
const isSuperseded = (e: unknown) => (e as Error)?.name === 'SupersededError';

/** Why nothing can run, for the toolbar's title and the Output panel. */
export function nothingToRun(s: PlaygroundState): string {
  if (s.asm.problem && s.asm.file) return `${s.asm.file} does not assemble (line ${s.asm.problem.line}: ${s.asm.problem.message})`;
  if (s.importedObject && s.object.status === 'loading') return `${s.importedObject.name} is being read`;
  if (s.importedObject && s.object.view && !s.object.view.programs.length) return `${s.importedObject.name} has no program the loader accepts`;
  return 'no program: write BPF assembly in a .s file, or import an object';
}

interface Started { t: TargetChoice; inputKey: string }

/** Runs the current target; returns what ran, or null when nothing did (no target, superseded, failed). */
async function execRun(api: RunApi, opts: { repeat?: number; anyway?: boolean; trace?: boolean }): Promise<Started | null> {
  const { set, get, services } = api;
  const s = get();
  const t = currentTarget(s);
  if (!t) {
    set({ execNotice: `Nothing to run: ${nothingToRun(s)}.` });
    return null;
  }
  const { input, key: inputKey } = runInputFor(s, t.progType);
  const repeat = Math.max(1, opts.repeat ?? 1);
  const anyway = opts.anyway ?? (s.exec.anyway && s.exec.target?.key === t.key);
  const running: ExecState = {
    ...s.exec, status: 'running', target: info(t), source: t.source, input: inputKey, error: null, progress: 0, anyway, repeat, traced: !!opts.trace,
  };
  set({ exec: running, execNotice: null });
  try {
    const r = await services.exec(
      { target: t.request(), input, repeat: repeat > 1 ? repeat : undefined, trace: opts.trace, runAnyway: anyway, session: sessionOf(api, t) },
      (executed) => set((st) => (st.exec.status === 'running' ? { exec: { ...st.exec, progress: executed } } : {})),
    );
    const history = opts.trace && r.run?.history ? r.run.history : null;
    set((st) => ({
      exec: { ...running, status: 'done', result: r, progress: null },
      maps: { targetKey: t.key, views: r.maps, before: r.mapsBefore, cause: 'run', fresh: r.mapsFresh, loading: false },
      // A new run makes an older history stale (its maps are not these); a debugging run brings its own.
      trace: history ? { data: history, regions: r.run?.regions ?? [], step: 0, targetKey: t.key, source: t.source, input: inputKey } : null,
      execNotice: opts.trace && !r.run ? debugProblem(r) : st.execNotice,
    }));
    return { t, inputKey };
  } catch (e) {
    if (isSuperseded(e)) return null;
    set({ exec: { ...running, status: 'failed', error: (e as Error).message, progress: null } });
    return null;
  }
}

function debugProblem(r: { verdict: { accepted: boolean }; runError: string | null }): string {
  if (r.runError) return `The program could not start: ${r.runError}`;
  if (!r.verdict.accepted) return 'The verifier rejects this program, so it did not run: use "Run anyway" (Output) to debug it regardless.';
  return 'The program did not run.';
}

export async function run(api: RunApi, opts: { repeat?: number; anyway?: boolean } = {}): Promise<void> {
  api.set({ mainView: 'run' as PlaygroundState['mainView'] });
  await execRun(api, opts);
}

/** True when the history is of the current target, program text and input. */
export function traceIsCurrent(s: PlaygroundState): boolean {
  const tr = s.trace;
  if (!tr) return false;
  const t = currentTarget(s);
  return !!t && t.key === tr.targetKey && t.source === tr.source && runInputFor(s, t.progType).key === tr.input;
}

/** A history for the current program and input, made by a debugging run when there is none. */
async function ensureTrace(api: RunApi): Promise<boolean> {
  if (traceIsCurrent(api.get())) return true;
  api.set({ mainView: 'exec' as PlaygroundState['mainView'] });
  const started = await execRun(api, { trace: true });
  return !!started && api.get().trace !== null;
}

export async function stepExec(api: RunApi, delta: number): Promise<void> {
  const fresh = !traceIsCurrent(api.get());
  if (!(await ensureTrace(api))) return;
  const tr = api.get().trace!;
  // A fresh history starts at its first step (forwards) or its last (backwards).
  const step = fresh ? (delta > 0 ? 0 : tr.data.steps - 1) : tr.step + delta;
  api.get().setExecStep(step);
  api.set({ mainView: 'exec' as PlaygroundState['mainView'] });
}

function nextStepIn(pcs: Set<number>, s: PlaygroundState, from: number): number | undefined {
  const tr = s.trace!;
  for (let k = from + 1; k < tr.data.steps; k++) if (pcs.has(tr.data.slots[k])) return k;
  return undefined;
}

export async function continueExec(api: RunApi): Promise<void> {
  const fresh = !traceIsCurrent(api.get());
  if (!(await ensureTrace(api))) return;
  const s = api.get();
  const tr = s.trace!;
  const t = currentTarget(s)!;
  const pcs = breakpointPcs(s, t);
  const from = fresh ? -1 : tr.step;
  const k = nextStepIn(pcs, s, from);
  if (k === undefined) {
    s.setExecStep(tr.data.steps - 1);
    api.set({ execNotice: pcs.size ? 'No breakpoint is reached after this step: at the end of the run.' : 'No breakpoints set: at the end of the run. Click a line number in the editor or the listing to set one.' });
  } else s.setExecStep(k);
  api.set({ mainView: 'exec' as PlaygroundState['mainView'] });
}

/** The editor's cursor line as a file and line (the open file). */
function cursorLine(s: PlaygroundState): { file: string; line: number } | null {
  return s.focusLine === null ? null : { file: s.activeFile, line: s.focusLine };
}

export async function runToCursor(api: RunApi): Promise<void> {
  const s0 = api.get();
  const cur = cursorLine(s0);
  const t0 = currentTarget(s0);
  if (!cur || !t0) {
    api.set({ execNotice: 'Put the editor\'s cursor on a line first: Run to cursor stops at it.' });
    return;
  }
  if (!pcsOfLine(s0, t0, cur.file, cur.line).length) {
    api.set({ execNotice: `Line ${cur.line} of ${cur.file} has no instruction of ${t0.title}.` });
    return;
  }
  const fresh = !traceIsCurrent(s0);
  if (!(await ensureTrace(api))) return;
  const s = api.get();
  const t = currentTarget(s)!;
  const k = nextStepIn(new Set(pcsOfLine(s, t, cur.file, cur.line)), s, fresh ? -1 : s.trace!.step);
  if (k === undefined) api.set({ execNotice: `Line ${cur.line} does not run ${fresh ? 'in this run' : 'after this step'}.` });
  else s.setExecStep(k);
  api.set({ mainView: 'exec' as PlaygroundState['mainView'] });
}

/** Run to cursor in the verifier's log: the next step the verifier spent on the cursor's line. */
export function runToCursorVerifier(s: PlaygroundState): string | null {
  const p = s.log.parsed;
  const cur = cursorLine(s);
  if (!p || !cur) return 'Put the editor\'s cursor on a line first.';
  const file = s.log.asmFile;
  if (file === undefined || file !== cur.file) return `Run to cursor follows ${file ?? 'the verified file'}'s lines.`;
  const pcs = new Set(pcsOfLine(s, { key: `asm:${file}`, title: file, progType: null, file }, cur.file, cur.line));
  for (let k = (s.log.step ?? -1) + 1; k < p.steps.length; k++) {
    if (pcs.has(p.steps[k].pc)) { s.setLogStep(k); return null; }
  }
  return `The verifier does not reach line ${cur.line} after this step.`;
}

export async function resetExec(api: RunApi): Promise<void> {
  const s = api.get();
  api.services.cancelExec();
  api.set({ exec: { ...s.exec, status: 'idle', result: null, error: null, progress: null, anyway: false, traced: false }, trace: null, execNotice: null });
  await loadMaps(api, { reset: true });
}

export async function loadMaps(api: RunApi, opts: { reset?: boolean; edits?: MapEdit[] } = {}): Promise<[number, string][] | null> {
  const { set, get, services } = api;
  const s = get();
  const t = currentTarget(s);
  if (!t) return null;
  set((st) => ({ maps: { ...st.maps, loading: true } }));
  try {
    const r = await services.exec({ target: t.request(), session: sessionOf(api, t), mapsOnly: true, resetSession: opts.reset, mapEdits: opts.edits, runAnyway: s.exec.anyway });
    set((st) => ({
      maps: {
        targetKey: t.key, views: r.maps, fresh: r.mapsFresh, loading: false,
        before: opts.edits && st.maps.targetKey === t.key ? st.maps.views : null,
        cause: opts.edits ? 'edit' : 'load',
      },
    }));
    return r.editErrors;
  } catch (e) {
    set((st) => ({ maps: { ...st.maps, loading: false } }));
    if (isSuperseded(e)) return null;
    throw e;
  }
}

export async function editMaps(api: RunApi, edits: MapEdit[]): Promise<string | null> {
  try {
    const errors = await loadMaps(api, { edits });
    if (!errors?.length) return null;
    const views = api.get().maps.views;
    return errors.map(([k, errno]) => editProblem(edits[k], errno, views.find((m) => m.name === edits[k].map))).join('; ');
  } catch (e) {
    return (e as Error).message;
  }
}

/** An edit's error as the syscall's errno and what it means for that map. */
export function editProblem(e: MapEdit, errno: string, map: MapView | undefined): string {
  const what = e.value === undefined ? 'delete' : e.flags === 1 ? 'add' : e.flags === 2 ? 'change' : 'update';
  const why: Record<string, string> = {
    EEXIST: 'an entry with this key is there already (BPF_NOEXIST)',
    ENOENT: e.value === undefined ? 'no entry has this key' : 'no entry has this key (BPF_EXIST changes existing entries only)',
    E2BIG: map && (map.type === 'array' || map.type === 'percpu_array') ? `the index is not below max_entries (${map.maxEntries})` : `the map is full (max_entries ${map?.maxEntries ?? '?'})`,
    EINVAL: map && (map.type === 'array' || map.type === 'percpu_array') && e.value === undefined ? 'array entries cannot be deleted: set the value to zero instead' : 'the kernel refuses these arguments',
    EPERM: 'the map is read-only',
  };
  return `${what} ${e.map}[${e.key}]: ${errno}${why[errno] ? `: ${why[errno]}` : ''}`;
}
