/**
 * Build slice: what the core made of the source. In assembly mode that is the assembler's
 * listing or its error. The last good listing is kept while the source has an error, so
 * the panel does not flicker while the user types; it is marked stale.
 */
import type { StateCreator } from 'zustand';
import { assembleForView, type AsmProblem, type AsmView } from '../../assembly/asm-view';
import type { PlaygroundState } from '../create-store';
import { fileText } from './editor';

export interface AsmBuild {
  /** The listing of the last source that assembled (maybe not the current one). */
  view: AsmView | null;
  /** The error in the current source, if any. */
  problem: AsmProblem | null;
  /** The file and source text this state describes (null: the workspace has no assembly file). */
  file: string | null;
  source: string;
  /** llvm-objdump mode the listing was made with. */
  alu32: boolean;
}

export interface BuildSlice {
  asm: AsmBuild;
  /** Assembles the assembly file now (the UI debounces calls while typing). */
  assemble(): void;
}

export const createBuildSlice: StateCreator<PlaygroundState, [], [], BuildSlice> = (set, get) => ({
  asm: { view: null, problem: null, file: null, source: '', alu32: true },
  assemble: () => {
    const s = get();
    const file = s.asmFile;
    const source = fileText(s, file);
    const alu32 = s.llvmAlu32;
    if (file === null || source === undefined) {
      if (s.asm.file !== null || s.asm.view) set({ asm: { view: null, problem: null, file: null, source: '', alu32 } });
      return;
    }
    if (s.asm.file === file && s.asm.source === source && s.asm.alu32 === alu32 && (s.asm.view || s.asm.problem)) return;
    const out = assembleForView(source, { alu32 });
    // Another file's last good listing is not "the last good listing" of this one.
    const previous = s.asm.file === file ? s.asm.view : null;
    set({
      asm: out.ok
        ? { view: out.view, problem: null, file, source, alu32 }
        : { view: previous, problem: out.problem, file, source, alu32 },
    });
  },
});

/** True when the listing shown is older than the source (the source has an error). */
export const asmIsStale = (s: Pick<BuildSlice, 'asm'>): boolean => s.asm.problem !== null && s.asm.view !== null;
