/**
 * Log slice: the verifier logs the debugger steps through, and the step it shows.
 *
 * Two sources, one set of panels: a log imported from a real kernel (`kernelLog`, saved
 * with the workspace) and the log of bpfplay's own verifier ("Verify"), which is in the
 * kernel's format and is read by the same parser. `log` is the one shown (the panels
 * read only it); `logDocs` keeps both, so switching back keeps each one's step.
 * Stepping moves through the steps in the order the verifier processed them.
 */
import type { StateCreator } from 'zustand';
import type { ParsedKernelLog } from '../../../core/trace/kernel-log';
import type { PlaygroundState } from '../create-store';
import type { Services, VerifyRequest } from '../../services';
import type { ProgramListings } from '../../debugger/listings';

export type LogSource = 'imported' | 'verifier';

export interface LogState {
  status: 'none' | 'loading' | 'ready' | 'failed';
  parsed: ParsedKernelLog | null;
  error: string | null;
  /** The step shown in the state panels (null: none chosen yet). */
  step: number | null;
  /** The call frame shown (null: the step's own frame). */
  frame: number | null;
  /** What the log is of: the imported file's name, or "prog.s" for a verification. */
  title: string;
  /** For a verification: the assembly file verified (its lines map to instructions). */
  asmFile?: string;
  /** For an accepted verification: the xlated and jited listings. */
  listings?: ProgramListings | null;
  listingError?: string;
}

/** Logs larger than this are not read: a browser tab would struggle to show them. */
export const MAX_LOG_CHARS = 64 * 1024 * 1024;

export interface LogSlice {
  log: LogState;
  logSource: LogSource;
  logDocs: Record<LogSource, LogState>;
  importLog(name: string, text: string): string | null;
  removeLog(): void;
  parseImportedLog(): Promise<void>;
  /** Runs bpfplay's verifier on the assembly file (or a program of the imported object). */
  verify(target?: VerifyRequest): Promise<void>;
  showLog(source: LogSource): void;
  setLogStep(step: number | null): void;
  /** Moves `delta` steps (clamped). */
  stepLog(delta: number): void;
  goToLogError(): void;
  /** Selects the step a log line shows (a click in the log). */
  selectLogLine(line: number): void;
  setLogFrame(frame: number | null): void;
}

const NO_LOG: LogState = { status: 'none', parsed: null, error: null, step: null, frame: null, title: '' };

export const createLogSlice = (services: Services): StateCreator<PlaygroundState, [], [], LogSlice> => (set, get) => {
  const generation: Record<LogSource, number> = { imported: 0, verifier: 0 };
  const clamp = (s: number, p: ParsedKernelLog) => Math.max(0, Math.min(p.steps.length - 1, s));
  /** Updates one document, and the shown log when it is that one. */
  const setDoc = (source: LogSource, f: (d: LogState) => LogState, extra: Partial<PlaygroundState> = {}) =>
    set((s) => {
      const doc = f(s.logDocs[source]);
      const logDocs = { ...s.logDocs, [source]: doc };
      const showing = (extra.logSource ?? s.logSource) === source;
      return { ...extra, logDocs, ...(showing ? { log: doc } : {}) };
    });
  const active = () => get().logSource;
  const readyState = (parsed: ParsedKernelLog, title: string, asmFile?: string): LogState => ({
    status: 'ready', parsed, error: null, title, asmFile,
    // Start at the error when there is one: that is what the user came to see.
    step: parsed.error?.step ?? (parsed.steps.length ? 0 : null),
    frame: null,
  });

  return {
    log: NO_LOG,
    logSource: 'imported',
    logDocs: { imported: NO_LOG, verifier: NO_LOG },
    importLog: (name, text) => {
      if (text.length > MAX_LOG_CHARS) return `${name} has ${(text.length / 1048576).toFixed(1)} M characters; logs up to ${MAX_LOG_CHARS / 1048576} M are read`;
      if (text.trim() === '') return 'the log is empty';
      set({ kernelLog: { name, text }, mainView: 'log' });
      setDoc('imported', (d) => d, { logSource: 'imported' });
      void get().parseImportedLog();
      return null;
    },
    removeLog: () => {
      generation.imported++;
      const s = get();
      const other = s.logDocs.verifier.status !== 'none';
      setDoc('imported', () => NO_LOG, {
        kernelLog: null,
        logSource: other ? 'verifier' : 'imported',
        log: other ? s.logDocs.verifier : NO_LOG,
        mainView: s.mainView === 'log' && !other ? (s.importedObject ? 'object' : 'asm') : s.mainView,
      });
    },
    parseImportedLog: async () => {
      const l = get().kernelLog;
      const mine = ++generation.imported;
      if (!l) { setDoc('imported', () => NO_LOG); return; }
      setDoc('imported', (d) => ({ ...d, status: 'loading', error: null, title: l.name }));
      try {
        const parsed = await services.parseKernelLog(l.text);
        if (mine === generation.imported) setDoc('imported', () => readyState(parsed, l.name));
      } catch (e) {
        if (mine === generation.imported) setDoc('imported', (d) => ({ ...d, status: 'failed', error: (e as Error).message }));
      }
    },
    verify: async (target) => {
      const s = get();
      let request = target;
      if (!request) {
        const file = s.asm.file;
        const text = s.files.find((f) => f.name === file)?.text;
        if (file === null || text === undefined) return;
        request = { kind: 'asm', name: file, text };
      }
      const mine = ++generation.verifier;
      const title = request.kind === 'asm' ? request.name : `${request.name}, program ${request.program}`;
      const asmFile = request.kind === 'asm' ? request.name : undefined;
      setDoc('verifier', (d) => ({ ...d, status: 'loading', error: null, title, asmFile }), { logSource: 'verifier', mainView: 'log' });
      try {
        const v = await services.verify(request);
        if (mine === generation.verifier) setDoc('verifier', () => ({ ...readyState(v.log, title, asmFile), listings: v.listings, listingError: v.listingError }));
      } catch (e) {
        if (mine === generation.verifier) setDoc('verifier', (d) => ({ ...d, status: 'failed', error: (e as Error).message, parsed: null, step: null }));
      }
    },
    showLog: (source) => {
      const s = get();
      set({ logSource: source, log: s.logDocs[source], mainView: 'log' });
    },
    setLogStep: (step) => setDoc(active(), (d) => {
      if (!d.parsed || step === null) return { ...d, step: null, frame: null };
      return { ...d, step: clamp(step, d.parsed), frame: null };
    }),
    stepLog: (delta) => {
      const { log } = get();
      if (!log.parsed || !log.parsed.steps.length) return;
      get().setLogStep((log.step ?? (delta > 0 ? -1 : log.parsed.steps.length)) + delta);
    },
    goToLogError: () => {
      const p = get().log.parsed;
      if (p?.error?.step !== undefined) get().setLogStep(p.error.step);
    },
    selectLogLine: (line) => {
      const p = get().log.parsed;
      const s = p?.stepOfLine[line];
      if (p && s !== undefined && s >= 0 && s < p.steps.length) get().setLogStep(s);
    },
    setLogFrame: (frame) => setDoc(active(), (d) => ({ ...d, frame })),
  };
};
