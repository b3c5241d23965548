/**
 * One store definition, one instance per mounted playground: a documentation page may
 * embed several, each with its own files and results. State is plain data (saved,
 * restored, later stepped through); live handles such as the Monaco editor stay in
 * components' refs.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_EXAMPLE, exampleById } from '../examples/asm-examples';
import { CURRENT_VERSION, readSaved, writeSaved, type ReadResult, type Saved, type StorageLike, type Theme } from './persist';
import { createBuildSlice, type BuildSlice } from './slices/build';
import { ASM_FILE, createEditorSlice, pickAsmFile, type EditorSlice } from './slices/editor';
import { createViewSlice, type ViewSlice } from './slices/view';

export type PlaygroundState = EditorSlice & BuildSlice & ViewSlice;

export interface PlaygroundOptions {
  /** Where the workspace is saved; null or absent: not saved. */
  storage?: StorageLike | null;
  /** Key in `storage`; several playgrounds on one page need different keys. */
  storageKey?: string;
  /** What a new workspace starts with (when nothing is saved). */
  exampleId?: string;
  theme?: Theme;
  /** Saves are batched: at most one per this many ms while the user types. */
  saveDelayMs?: number;
}

/**
 * Live, non-serialisable parts of a mounted playground, set by the components that own
 * them (the editor) and read by tests and the page's test hook. Not state: never saved,
 * never rendered from.
 */
export interface PlaygroundRuntime {
  /** Set once Monaco is mounted: tokenizes text with the BPF assembly grammar. */
  tokenize?: (text: string) => { offset: number; type: string }[][];
  /** Set once Monaco is mounted: the markers on a file (default: the open one). */
  markers?: (file?: string) => { line: number; startColumn: number; endColumn: number; message: string; severity: number }[];
  /** Set once Monaco is mounted: moves the keyboard focus into the editor. */
  focusEditor?: () => void;
  /** Set once Monaco is mounted: the file whose model the editor shows. */
  editorFile?: () => string | undefined;
}

export interface Playground {
  store: StoreApi<PlaygroundState>;
  runtime: PlaygroundRuntime;
  /** What was found in storage at creation. */
  restored: ReadResult;
  /** Writes pending changes now (on page hide). */
  saveNow(): void;
  /** Stops saving (on unmount). Pending changes are written first. */
  dispose(): void;
}

export const DEFAULT_STORAGE_KEY = 'bpfplay:workspace';

/** The saved projection of the state: a whitelist. */
export function toSaved(s: PlaygroundState): Saved {
  return {
    version: CURRENT_VERSION,
    editor: { files: s.files, activeFile: s.activeFile, exampleId: s.exampleId },
    view: { theme: s.theme, llvmAlu32: s.llvmAlu32 },
  };
}

export function createPlaygroundStore(opts: PlaygroundOptions = {}): Playground {
  const example = (opts.exampleId !== undefined ? exampleById(opts.exampleId) : undefined) ?? DEFAULT_EXAMPLE;
  const defaults: Saved = {
    version: CURRENT_VERSION,
    editor: { files: [{ name: ASM_FILE, text: example.source }], activeFile: ASM_FILE, exampleId: example.id },
    view: { theme: opts.theme ?? 'dark', llvmAlu32: true },
  };
  const storage = opts.storage ?? null;
  const key = opts.storageKey ?? DEFAULT_STORAGE_KEY;
  let restored: ReadResult = { kind: 'none' };
  if (storage) {
    try {
      restored = readSaved(storage.getItem(key), defaults);
    } catch (e) {
      restored = { kind: 'unusable', reason: `storage not readable: ${(e as Error).message}`, preserve: true };
    }
  }
  const initial = restored.kind === 'ok' ? restored.saved : defaults;

  const store = createStore<PlaygroundState>()((...a) => ({
    ...createEditorSlice(...a),
    ...createBuildSlice(...a),
    ...createViewSlice(...a),
    files: initial.editor.files,
    activeFile: initial.editor.activeFile,
    exampleId: initial.editor.exampleId,
    asmFile: pickAsmFile(initial.editor.files, initial.editor.activeFile, null),
    theme: initial.view.theme,
    llvmAlu32: initial.view.llvmAlu32,
  }));
  // Results are there for the first paint.
  store.getState().assemble();

  // Saving: never over a newer version's data; batched while typing.
  const canSave = storage !== null && !(restored.kind === 'unusable' && restored.preserve);
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = JSON.stringify(toSaved(store.getState()));
  const saveNow = () => {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (!canSave) return;
    const json = JSON.stringify(toSaved(store.getState()));
    if (json === last) return;
    if (writeSaved(storage, key, JSON.parse(json) as Saved)) last = json;
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (!canSave) return;
    if (s.files === prev.files && s.activeFile === prev.activeFile && s.exampleId === prev.exampleId && s.theme === prev.theme && s.llvmAlu32 === prev.llvmAlu32) return;
    if (timer === null) timer = setTimeout(saveNow, opts.saveDelayMs ?? 300);
  });
  // A restored-but-repaired workspace is written back in its clean form.
  if (restored.kind === 'ok' && restored.repaired.length) last = '';

  return {
    store,
    runtime: {},
    restored,
    saveNow,
    dispose: () => { saveNow(); unsubscribe(); },
  };
}
