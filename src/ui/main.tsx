/**
 * The full-page playground: one playground, saved in IndexedDB (localStorage when there
 * is none), restored on the next visit. A share link (`#share=...`) opens the link's
 * workspace in a slot of its own (workspace/session.ts), never over the user's work.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PlaygroundProvider } from './store/context';
import { createPlaygroundStore, toSaved, type Playground } from './store/create-store';
import { activeText } from './store/slices/editor';
import { openPageStorage, type PageStorage } from './store/storage';
import type { SessionControls } from './components/WorkspaceBanner';
import { isShareFragment } from './workspace/share';
import { keepShared, MAIN_SLOT, openWorkspace, PREVIOUS_SLOT, swapPrevious } from './workspace/session';
import { inspectWorkerForTests, workerServices } from './services';
import './styles.css';

/**
 * A hook for end-to-end tests and for people at the console: set the editor text without
 * typing, read what the page shows. Not an API for pages that embed bpfplay.
 */
export interface BpfplayTestHook {
  setSource(text: string): void;
  getSource(): string;
  loadExample(id: string): void;
  /** The saved form of the workspace. */
  saved(): ReturnType<typeof toSaved>;
  /** Writes pending changes to storage now. */
  flushSave(): Promise<void>;
  /** Where the workspace is saved. */
  storageKind(): PageStorage['kind'];
  /** Tokens of `text` in the BPF assembly grammar; undefined until the editor is loaded. */
  tokenize(text: string): { offset: number; type: string }[][] | undefined;
  /** Markers on a file (default: the open one); undefined until the editor is loaded. */
  markers(file?: string): ReturnType<NonNullable<Playground['runtime']['markers']>> | undefined;
  editorReady(): boolean;
  /** Reads the imported object again and makes the inspect worker crash while it does. */
  crashInspectWorkerDuringNextRequest(): Promise<void>;
  inspectWorkersSpawned(): number;
}

declare global {
  interface Window {
    bpfplay?: BpfplayTestHook;
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // disabled by the browser's privacy settings
  }
}

const storage = await openPageStorage({ indexedDB: window.indexedDB as IDBFactory | undefined, localStorage: safeLocalStorage() });
const opening = await openWorkspace(storage, location.hash);
const SLOT = opening.slot;

/** The theme is the user's, not the workspace's: a shared workspace opens in the user's theme. */
function savedTheme(json: string | null): 'dark' | 'light' | undefined {
  try {
    const t = (JSON.parse(json ?? 'null') as { view?: { theme?: unknown } } | null)?.view?.theme;
    return t === 'dark' || t === 'light' ? t : undefined;
  } catch {
    return undefined;
  }
}
const prefersLight = window.matchMedia?.('(prefers-color-scheme: light)').matches ?? false;
const mainSaved = opening.kind === 'main' ? opening.saved : await storage.read(MAIN_SLOT);
const playground = createPlaygroundStore({
  saved: opening.saved,
  files: opening.kind === 'shared' ? opening.workspace.files : undefined,
  activeFile: opening.kind === 'shared' ? opening.workspace.activeFile : undefined,
  runInputs: opening.kind === 'shared' ? opening.workspace.runInputs : undefined,
  save: (json) => storage.write(SLOT, json),
  services: workerServices(new URL('./', document.baseURI).href),
  theme: savedTheme(mainSaved) ?? (prefersLight ? 'light' : 'dark'),
});
if (playground.restored.kind === 'unusable') console.warn(`bpfplay: saved workspace not used: ${playground.restored.reason}`);
if (storage.kind === 'memory') playground.store.getState().setSaveError('this browser lets the page store nothing');

// An IndexedDB write may not finish while a tab closes: keep a synchronous copy as the page goes.
const onHide = () => {
  const json = playground.pendingJson();
  if (json !== null) storage.writeNow(SLOT, json);
  void playground.saveNow();
};
window.addEventListener('pagehide', onHide);
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') onHide(); });

// Switching workspaces reloads the page: the one place that decides what opens is above.
const KEPT_FLAG = 'bpfplay:kept';
const withoutFragment = () => `${location.pathname}${location.search}`;
let justKept = false;
try {
  justKept = sessionStorage.getItem(KEPT_FLAG) === '1' && opening.kind === 'main' && (await storage.read(PREVIOUS_SLOT)) !== null;
  sessionStorage.removeItem(KEPT_FLAG);
} catch {
  // No sessionStorage: the "restore" offer is not shown.
}
const session: SessionControls = {
  kind: opening.kind,
  linkProblem: opening.kind === 'main' ? opening.linkProblem : undefined,
  dropped: opening.kind === 'shared' ? opening.dropped : undefined,
  justKept,
  backToMine: async () => {
    await playground.saveNow();
    location.assign(withoutFragment());
  },
  keep: async () => {
    await playground.saveNow();
    await keepShared(storage, JSON.stringify(toSaved(playground.store.getState())));
    try { sessionStorage.setItem(KEPT_FLAG, '1'); } catch { /* the offer to restore is a nicety */ }
    location.assign(withoutFragment());
  },
  restorePrevious: async () => {
    await playground.saveNow();
    await swapPrevious(storage);
    location.reload();
  },
};
playground.runtime.session = session;
if (opening.kind === 'main' && opening.linkProblem) console.warn(`bpfplay: share link not opened: ${opening.linkProblem}`);
// A share link pasted into this tab's address bar: open it as a fresh page would.
window.addEventListener('hashchange', () => {
  if (isShareFragment(location.hash) || opening.kind === 'shared') void playground.saveNow().then(() => location.reload());
});

window.bpfplay = {
  setSource: (text) => {
    const s = playground.store.getState();
    s.setFileText(s.activeFile, text);
  },
  getSource: () => activeText(playground.store.getState()),
  loadExample: (id) => playground.store.getState().loadExample(id),
  saved: () => toSaved(playground.store.getState()),
  flushSave: () => playground.saveNow(),
  storageKind: () => storage.kind,
  tokenize: (text) => playground.runtime.tokenize?.(text),
  markers: (file) => playground.runtime.markers?.(file),
  editorReady: () => playground.runtime.tokenize !== undefined,
  crashInspectWorkerDuringNextRequest: async () => {
    const done = playground.store.getState().inspectImported();
    inspectWorkerForTests.crash();
    await done;
  },
  inspectWorkersSpawned: () => inspectWorkerForTests.spawned(),
};

// The page background follows the playground's theme.
const applyTheme = (theme: string) => { document.documentElement.dataset.theme = theme; };
applyTheme(playground.store.getState().theme);
playground.store.subscribe((s, prev) => { if (s.theme !== prev.theme) applyTheme(s.theme); });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PlaygroundProvider playground={playground}>
      <App />
    </PlaygroundProvider>
  </StrictMode>,
);
