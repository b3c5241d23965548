/**
 * Editor slice: the user's files (`prog.bpf.c`, headers, `.s` files), which one is open,
 * and the file actions. What a delete or an example replaces can be brought back
 * (`undo`) until the next such action: nothing the user wrote disappears on one click.
 * Undo only puts those files back; it is dropped as soon as one of them is edited again,
 * so it never overwrites newer text.
 */
import type { StateCreator } from 'zustand';
import { ASM_EXAMPLES, exampleById } from '../../examples/asm-examples';
import { fileKind, fileNameProblem, MAX_FILES, starterText, type WorkspaceFile } from '../../workspace/files';
import type { PlaygroundState } from '../create-store';

export const ASM_FILE = 'prog.s';

export interface UndoEntry {
  /** What happened, for the "Undo" note: "Deleted common.h". */
  what: string;
  /** The files to put back, with their places among the tabs. */
  files: { file: WorkspaceFile; index: number }[];
  activeFile: string;
  exampleId: string | null;
}

export interface EditorSlice {
  files: WorkspaceFile[];
  activeFile: string;
  /** The example the files were last loaded from (null: the user's own). */
  exampleId: string | null;
  /** The assembly file shown in the listings: the active one, or the last `.s` file opened. */
  asmFile: string | null;
  /** The last delete or replacement, for undo. */
  undoEntry: UndoEntry | null;
  setFileText(name: string, text: string): void;
  openFile(name: string): void;
  /** Adds a file (with starter text for its kind) and opens it; returns the problem with the name, or null. */
  addFile(name: string, text?: string): string | null;
  /** Renames a file; returns the problem with the new name, or null. */
  renameFile(from: string, to: string): string | null;
  /** Deletes a file (not the last one); `undo` brings it back. */
  deleteFile(name: string): void;
  undo(): void;
  dismissUndo(): void;
  /** Replaces the assembly file with an example's source. */
  loadExample(id: string): void;
  /** Replaces all files (a shared workspace, an embed's initial files). */
  replaceFiles(files: WorkspaceFile[], activeFile?: string, exampleId?: string | null): void;
}

export const activeText = (s: Pick<EditorSlice, 'files' | 'activeFile'>): string =>
  s.files.find((f) => f.name === s.activeFile)?.text ?? '';

export const fileText = (s: Pick<EditorSlice, 'files'>, name: string | null): string | undefined =>
  name === null ? undefined : s.files.find((f) => f.name === name)?.text;

const isPristineExample = (text: string): boolean => ASM_EXAMPLES.some((e) => e.source === text);

/** The assembly file to show for a file list and the file that is open. */
export function pickAsmFile(files: readonly WorkspaceFile[], active: string, previous: string | null): string | null {
  if (fileKind(active) === 'asm' && files.some((f) => f.name === active)) return active;
  if (previous !== null && files.some((f) => f.name === previous)) return previous;
  return files.find((f) => fileKind(f.name) === 'asm')?.name ?? null;
}

export const createEditorSlice: StateCreator<PlaygroundState, [], [], EditorSlice> = (set, get) => ({
  files: [],
  activeFile: ASM_FILE,
  exampleId: null,
  asmFile: null,
  undoEntry: null,
  setFileText: (name, text) =>
    set((s) => {
      const k = s.files.findIndex((f) => f.name === name);
      if (k < 0) return {};
      if (s.files[k].text === text) return {};
      const files = s.files.slice();
      files[k] = { name, text };
      const undoEntry = s.undoEntry?.files.some((f) => f.file.name === name) ? null : s.undoEntry;
      return { files, undoEntry };
    }),
  openFile: (name) =>
    set((s) => (s.activeFile === name || !s.files.some((f) => f.name === name)
      ? {}
      : { activeFile: name, asmFile: pickAsmFile(s.files, name, s.asmFile) })),
  addFile: (name, text) => {
    const s = get();
    if (s.files.length >= MAX_FILES) return `a workspace holds at most ${MAX_FILES} files`;
    const problem = fileNameProblem(name, s.files.map((f) => f.name));
    if (problem) return problem;
    const files = [...s.files, { name, text: text ?? starterText(name) }];
    set({ files, activeFile: name, asmFile: pickAsmFile(files, name, s.asmFile) });
    return null;
  },
  renameFile: (from, to) => {
    const s = get();
    const k = s.files.findIndex((f) => f.name === from);
    if (k < 0) return `${from} does not exist`;
    if (from === to) return null;
    const problem = fileNameProblem(to, s.files.map((f) => f.name), from);
    if (problem) return problem;
    const files = s.files.slice();
    files[k] = { name: to, text: files[k].text };
    const activeFile = s.activeFile === from ? to : s.activeFile;
    set({ files, activeFile, asmFile: pickAsmFile(files, activeFile, s.asmFile === from ? to : s.asmFile) });
    return null;
  },
  deleteFile: (name) =>
    set((s) => {
      const index = s.files.findIndex((f) => f.name === name);
      if (index < 0 || s.files.length === 1) return {};
      const files = s.files.filter((f) => f.name !== name);
      const activeFile = s.activeFile === name ? files[Math.min(index, files.length - 1)].name : s.activeFile;
      return {
        files,
        activeFile,
        asmFile: pickAsmFile(files, activeFile, s.asmFile === name ? null : s.asmFile),
        undoEntry: { what: `Deleted ${name}`, files: [{ file: s.files[index], index }], activeFile: s.activeFile, exampleId: s.exampleId },
      };
    }),
  undo: () =>
    set((s) => {
      const u = s.undoEntry;
      if (!u) return {};
      const files = s.files.slice();
      for (const { file, index } of u.files) {
        const k = files.findIndex((f) => f.name === file.name);
        if (k >= 0) files[k] = file;
        else files.splice(Math.min(index, files.length), 0, file);
      }
      const activeFile = files.some((f) => f.name === u.activeFile) ? u.activeFile : s.activeFile;
      return { files, activeFile, asmFile: pickAsmFile(files, activeFile, s.asmFile), exampleId: u.exampleId, undoEntry: null };
    }),
  dismissUndo: () => set({ undoEntry: null }),
  loadExample: (id) => {
    const ex = exampleById(id);
    if (!ex) throw new Error(`no example ${id}`);
    set((s) => {
      const k = s.files.findIndex((f) => f.name === ASM_FILE);
      const files = s.files.slice();
      let undoEntry = s.undoEntry;
      if (k < 0) files.push({ name: ASM_FILE, text: ex.source });
      else {
        const old = files[k];
        // Text the user wrote (not an example as it came) is kept for undo.
        if (old.text !== ex.source && !isPristineExample(old.text)) {
          undoEntry = { what: `Replaced ${ASM_FILE} with an example`, files: [{ file: old, index: k }], activeFile: s.activeFile, exampleId: s.exampleId };
        }
        files[k] = { name: ASM_FILE, text: ex.source };
      }
      return { files, activeFile: ASM_FILE, asmFile: ASM_FILE, exampleId: id, undoEntry };
    });
  },
  replaceFiles: (files, activeFile, exampleId = null) => {
    if (!files.length) return;
    const active = activeFile !== undefined && files.some((f) => f.name === activeFile) ? activeFile : files[0].name;
    set({ files, activeFile: active, asmFile: pickAsmFile(files, active, null), exampleId, undoEntry: null });
  },
});
