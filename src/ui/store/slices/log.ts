/**
 * Log slice: a verifier log imported from a real kernel (`kernelLog`, saved with the
 * workspace), what the parser made of it, and the step the debugger shows. Stepping
 * moves through the log's steps in the order the verifier processed them; "Go to error"
 * jumps to the rejected instruction.
 */
import type { StateCreator } from 'zustand';
import type { ParsedKernelLog } from '../../../core/trace/kernel-log';
import type { PlaygroundState } from '../create-store';
import type { Services } from '../../services';

export interface LogState {
  status: 'none' | 'loading' | 'ready' | 'failed';
  parsed: ParsedKernelLog | null;
  error: string | null;
  /** The step shown in the state panels (null: none chosen yet). */
  step: number | null;
  /** The call frame shown (null: the step's own frame). */
  frame: number | null;
}

/** Logs larger than this are not read: a browser tab would struggle to show them. */
export const MAX_LOG_CHARS = 64 * 1024 * 1024;

export interface LogSlice {
  log: LogState;
  importLog(name: string, text: string): string | null;
  removeLog(): void;
  parseImportedLog(): Promise<void>;
  setLogStep(step: number | null): void;
  /** Moves `delta` steps (clamped). */
  stepLog(delta: number): void;
  goToLogError(): void;
  /** Selects the step a log line shows (a click in the log). */
  selectLogLine(line: number): void;
  setLogFrame(frame: number | null): void;
}

const NO_LOG: LogState = { status: 'none', parsed: null, error: null, step: null, frame: null };

export const createLogSlice = (services: Services): StateCreator<PlaygroundState, [], [], LogSlice> => (set, get) => {
  let generation = 0;
  const clamp = (s: number, p: ParsedKernelLog) => Math.max(0, Math.min(p.steps.length - 1, s));
  return {
    log: NO_LOG,
    importLog: (name, text) => {
      if (text.length > MAX_LOG_CHARS) return `${name} has ${(text.length / 1048576).toFixed(1)} M characters; logs up to ${MAX_LOG_CHARS / 1048576} M are read`;
      if (text.trim() === '') return 'the log is empty';
      set({ kernelLog: { name, text }, mainView: 'log' });
      void get().parseImportedLog();
      return null;
    },
    removeLog: () => {
      generation++;
      set((s) => ({ kernelLog: null, log: NO_LOG, mainView: s.mainView === 'log' ? (s.importedObject ? 'object' : 'asm') : s.mainView }));
    },
    parseImportedLog: async () => {
      const l = get().kernelLog;
      const mine = ++generation;
      if (!l) { set({ log: NO_LOG }); return; }
      set((s) => ({ log: { ...s.log, status: 'loading', error: null } }));
      try {
        const parsed = await services.parseKernelLog(l.text);
        if (mine !== generation) return;
        // Start at the error when there is one: that is what the user came to see.
        const step = parsed.error?.step ?? (parsed.steps.length ? 0 : null);
        set({ log: { status: 'ready', parsed, error: null, step, frame: null } });
      } catch (e) {
        if (mine === generation) set((s) => ({ log: { ...s.log, status: 'failed', error: (e as Error).message } }));
      }
    },
    setLogStep: (step) => set((s) => {
      const p = s.log.parsed;
      if (!p || step === null) return { log: { ...s.log, step: null, frame: null } };
      return { log: { ...s.log, step: clamp(step, p), frame: null } };
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
    setLogFrame: (frame) => set((s) => ({ log: { ...s.log, frame } })),
  };
};
