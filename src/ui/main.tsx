/**
 * The full-page playground: one playground, saved in IndexedDB (localStorage when there
 * is none), restored on the next visit.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PlaygroundProvider } from './store/context';
import { createPlaygroundStore, toSaved, type Playground } from './store/create-store';
import { activeText } from './store/slices/editor';
import { openPageStorage, type PageStorage } from './store/storage';
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

const SLOT = 'main';
const storage = await openPageStorage({ indexedDB: window.indexedDB as IDBFactory | undefined, localStorage: safeLocalStorage() });
const prefersLight = window.matchMedia?.('(prefers-color-scheme: light)').matches ?? false;
const playground = createPlaygroundStore({
  saved: await storage.read(SLOT),
  save: (json) => storage.write(SLOT, json),
  theme: prefersLight ? 'light' : 'dark',
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
