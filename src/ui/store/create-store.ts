/**
 * One store definition, one instance per mounted playground: a documentation page may
 * embed several, each with its own files and results. State is plain data (saved,
 * restored, later stepped through); live handles such as the Monaco editor stay in
 * components' refs.
 *
 * Saving: the caller reads the saved text before creating the store (storage is
 * asynchronous, the store is not) and passes a `save` function; the store writes through
 * it at most once per `saveDelayMs` while the user works, and at once on `saveNow`.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_EXAMPLE, exampleById } from '../examples/asm-examples';
import { CURRENT_VERSION, readSaved, type ReadResult, type Saved, type Theme } from './persist';
import { createBuildSlice, type BuildSlice } from './slices/build';
import { ASM_FILE, createEditorSlice, pickAsmFile, type EditorSlice } from './slices/editor';
import { createInputsSlice, type InputsSlice } from './slices/inputs';
import { createObjectSlice, type ObjectSlice } from './slices/object';
import { createLogSlice, type LogSlice } from './slices/log';
import { noServices, type Services } from '../services';
import { createViewSlice, type ViewSlice } from './slices/view';
import { createRunSlice, DEFAULT_RUN_INPUTS, type RunInputs, type RunSlice } from './slices/run';
import type { WorkspaceFile } from '../workspace/files';
import type { SessionControls } from '../components/WorkspaceBanner';

export type PlaygroundState = EditorSlice & BuildSlice & ViewSlice & InputsSlice & ObjectSlice & LogSlice & RunSlice;

export interface PlaygroundOptions {
  /** The saved workspace (JSON text) to start from; null or absent: nothing saved. */
  saved?: string | null;
  /** Where saves go; absent: the workspace is not saved. Rejects when the save failed. */
  save?: (json: string) => Promise<void> | void;
  /** What a new workspace starts with (when nothing is saved): an example, or files. */
  exampleId?: string;
  files?: WorkspaceFile[];
  /** With `files`: the one to open. */
  activeFile?: string;
  /** With `files`: the inputs of runs (a share link's). */
  runInputs?: RunInputs;
  theme?: Theme;
  readOnly?: boolean;
  /** Saves are batched: at most one per this many ms while the user types. */
  saveDelayMs?: number;
  /** Where inspecting (and later compiling, running) happens; default: nowhere (it says so). */
  services?: Services;
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
  /** Set by the full page: which workspace it opened and how to switch (share links). */
  session?: SessionControls;
}

export interface Playground {
  store: StoreApi<PlaygroundState>;
  runtime: PlaygroundRuntime;
  /** What was found in the saved text at creation. */
  restored: ReadResult;
  /** Writes pending changes now; resolves when the write is done (or failed). */
  saveNow(): Promise<void>;
  /**
   * The saved form of the current state if it differs from the last one written, for a
   * synchronous copy when the page is hidden; null when there is nothing new.
   */
  pendingJson(): string | null;
  /** Stops saving (on unmount). Pending changes are written first. */
  dispose(): Promise<void>;
}

/** The saved projection of the state: a whitelist. */
export function toSaved(s: PlaygroundState, savedAt?: number): Saved {
  const saved: Saved = {
    version: CURRENT_VERSION,
    editor: { files: s.files, activeFile: s.activeFile, exampleId: s.exampleId },
    view: { theme: s.theme, llvmAlu32: s.llvmAlu32 },
    inputs: { object: s.importedObject, kernelLog: s.kernelLog, run: s.runInputs },
  };
  if (savedAt !== undefined) saved.savedAt = savedAt;
  return saved;
}

/** The parts of the state that are saved; a change to any of them schedules a save. */
const savedPartsChanged = (s: PlaygroundState, p: PlaygroundState): boolean =>
  s.files !== p.files || s.activeFile !== p.activeFile || s.exampleId !== p.exampleId || s.theme !== p.theme
  || s.llvmAlu32 !== p.llvmAlu32 || s.importedObject !== p.importedObject || s.kernelLog !== p.kernelLog || s.runInputs !== p.runInputs;

export function defaultSaved(opts: Pick<PlaygroundOptions, 'exampleId' | 'files' | 'activeFile' | 'theme' | 'runInputs'> = {}): Saved {
  const example = (opts.exampleId !== undefined ? exampleById(opts.exampleId) : undefined) ?? DEFAULT_EXAMPLE;
  const files = opts.files?.length ? opts.files : [{ name: ASM_FILE, text: example.source }];
  const activeFile = opts.activeFile !== undefined && files.some((f) => f.name === opts.activeFile) ? opts.activeFile : files[0].name;
  return {
    version: CURRENT_VERSION,
    editor: { files, activeFile, exampleId: opts.files?.length ? null : example.id },
    view: { theme: opts.theme ?? 'dark', llvmAlu32: true },
    inputs: { object: null, kernelLog: null, run: opts.runInputs ?? null },
  };
}

export function createPlaygroundStore(opts: PlaygroundOptions = {}): Playground {
  const defaults = defaultSaved(opts);
  const restored = readSaved(opts.saved ?? null, defaults);
  const initial = restored.kind === 'ok' ? restored.saved : defaults;

  const store = createStore<PlaygroundState>()((...a) => ({
    ...createEditorSlice(...a),
    ...createBuildSlice(...a),
    ...createViewSlice(...a),
    ...createInputsSlice(...a),
    ...createObjectSlice(opts.services ?? noServices)(...a),
    ...createLogSlice(opts.services ?? noServices)(...a),
    ...createRunSlice(opts.services ?? noServices)(...a),
    files: initial.editor.files,
    activeFile: initial.editor.activeFile,
    exampleId: initial.editor.exampleId,
    asmFile: pickAsmFile(initial.editor.files, initial.editor.activeFile, null),
    theme: initial.view.theme,
    llvmAlu32: initial.view.llvmAlu32,
    readOnly: opts.readOnly ?? false,
    importedObject: initial.inputs.object,
    kernelLog: initial.inputs.kernelLog,
    runInputs: initial.inputs.run ?? DEFAULT_RUN_INPUTS,
    mainView: initial.inputs.kernelLog ? 'log' : initial.inputs.object ? 'object' : 'asm',
  }));
  // Results are there for the first paint (the object's a moment later).
  store.getState().assemble();
  if (initial.inputs.object) void store.getState().inspectImported();
  if (initial.inputs.kernelLog) void store.getState().parseImportedLog();

  // Saving: never over a newer version's data; batched while typing; one write at a time.
  const save = opts.save;
  const canSave = save !== undefined && !(restored.kind === 'unusable' && restored.preserve);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const contentOf = () => JSON.stringify(toSaved(store.getState()));
  // A restored-but-repaired workspace is written back in its clean form.
  let lastWritten = restored.kind === 'ok' && restored.repaired.length ? '' : contentOf();
  /** What storage has confirmed (a write handed over may still be under way). */
  let lastConfirmed = lastWritten;
  let writing: Promise<void> = Promise.resolve();

  const pendingJson = (): string | null => {
    if (!canSave) return null;
    const content = contentOf();
    return content === lastConfirmed ? null : JSON.stringify(toSaved(store.getState(), Date.now()));
  };
  const saveNow = (): Promise<void> => {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (!canSave) return writing;
    const content = contentOf();
    if (content === lastWritten) return writing;
    const json = JSON.stringify(toSaved(store.getState(), Date.now()));
    lastWritten = content;
    writing = writing
      .then(() => save(json))
      .then(
        () => {
          lastConfirmed = content;
          if (store.getState().saveError !== null) store.getState().setSaveError(null);
        },
        (e: unknown) => {
          // Try again with the next change; say so meanwhile.
          if (lastWritten === content) lastWritten = '';
          store.getState().setSaveError(e instanceof Error ? e.message : String(e));
        },
      );
    return writing;
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (!canSave || !savedPartsChanged(s, prev)) return;
    if (timer === null) timer = setTimeout(() => { void saveNow(); }, opts.saveDelayMs ?? 300);
  });

  return {
    store,
    runtime: {},
    restored,
    saveNow,
    pendingJson,
    dispose: () => { const done = saveNow(); unsubscribe(); return done; },
  };
}
