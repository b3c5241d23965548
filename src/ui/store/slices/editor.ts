/**
 * Editor slice: the user's files. Assembly mode edits one file, `prog.s`; the list form is
 * there for the C mode and its headers.
 */
import type { StateCreator } from 'zustand';
import { exampleById } from '../../examples/asm-examples';
import type { SavedFile } from '../persist';
import type { PlaygroundState } from '../create-store';

export const ASM_FILE = 'prog.s';

export interface EditorSlice {
  files: SavedFile[];
  activeFile: string;
  /** The example the files were last loaded from (null: the user's own). */
  exampleId: string | null;
  setFileText(name: string, text: string): void;
  /** Replaces the assembly file with an example's source. */
  loadExample(id: string): void;
}

export const activeText = (s: Pick<EditorSlice, 'files' | 'activeFile'>): string =>
  s.files.find((f) => f.name === s.activeFile)?.text ?? '';

export const createEditorSlice: StateCreator<PlaygroundState, [], [], EditorSlice> = (set) => ({
  files: [],
  activeFile: ASM_FILE,
  exampleId: null,
  setFileText: (name, text) =>
    set((s) => {
      const k = s.files.findIndex((f) => f.name === name);
      if (k < 0) return { files: [...s.files, { name, text }] };
      if (s.files[k].text === text) return {};
      const files = s.files.slice();
      files[k] = { name, text };
      return { files };
    }),
  loadExample: (id) => {
    const ex = exampleById(id);
    if (!ex) throw new Error(`no example ${id}`);
    set((s) => ({
      files: [...s.files.filter((f) => f.name !== ASM_FILE), { name: ASM_FILE, text: ex.source }],
      activeFile: ASM_FILE,
      exampleId: id,
    }));
  },
});
