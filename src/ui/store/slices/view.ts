/**
 * View slice: how things are shown. Theme and llvm-objdump mode are saved; the focused
 * source line and reveal requests are per session.
 */
import type { StateCreator } from 'zustand';
import type { Theme } from '../persist';
import type { PlaygroundState } from '../create-store';
import { pickAsmFile } from './editor';

export interface RevealRequest {
  /** The file to open (null: the one that is open). */
  file: string | null;
  line: number;
  /** Increases with every request, so asking for the same line twice reveals it twice. */
  seq: number;
}

/** What the main panel shows: the assembly listing, an imported object, a verifier log. */
export type MainView = 'asm' | 'object' | 'log' | 'xlated' | 'jited' | 'run' | 'exec';

export interface ViewSlice {
  mainView: MainView;
  setMainView(v: MainView): void;
  theme: Theme;
  llvmAlu32: boolean;
  /** The editor does not take edits (an embed's option). */
  readOnly: boolean;
  /** Why the last save failed (storage full or disabled); null when saved. */
  saveError: string | null;
  setSaveError(e: string | null): void;
  /** The editor's cursor line (in the open file): listing rows from it are highlighted. */
  focusLine: number | null;
  /** Asks the editor to show and select a line (from a click in a panel). */
  reveal: RevealRequest | null;
  setTheme(theme: Theme): void;
  setLlvmAlu32(on: boolean): void;
  setFocusLine(line: number | null): void;
  /** Opens `file` (when given) and shows and selects `line` in it. */
  revealLine(line: number, file?: string | null): void;
}

export const createViewSlice: StateCreator<PlaygroundState, [], [], ViewSlice> = (set) => ({
  mainView: 'asm',
  setMainView: (mainView) => set({ mainView }),
  theme: 'dark',
  llvmAlu32: true,
  readOnly: false,
  saveError: null,
  setSaveError: (saveError) => set({ saveError }),
  focusLine: null,
  reveal: null,
  setTheme: (theme) => set({ theme }),
  setLlvmAlu32: (llvmAlu32) => set({ llvmAlu32 }),
  setFocusLine: (focusLine) => set((s) => (s.focusLine === focusLine ? {} : { focusLine })),
  revealLine: (line, file = null) =>
    set((s) => {
      const open = file !== null && file !== s.activeFile && s.files.some((f) => f.name === file);
      return {
        reveal: { file, line, seq: (s.reveal?.seq ?? 0) + 1 },
        focusLine: line,
        ...(open ? { activeFile: file, asmFile: pickAsmFile(s.files, file, s.asmFile) } : {}),
      };
    }),
});
