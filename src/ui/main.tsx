/** The full-page playground: one playground, saved in localStorage. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { PlaygroundProvider } from './store/context';
import { createPlaygroundStore, toSaved, type Playground } from './store/create-store';
import { activeText } from './store/slices/editor';
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
  /** Tokens of `text` in the BPF assembly grammar; undefined until the editor is loaded. */
  tokenize(text: string): { offset: number; type: string }[][] | undefined;
  /** Markers on the active file; undefined until the editor is loaded. */
  markers(): ReturnType<NonNullable<Playground['runtime']['markers']>> | undefined;
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

const prefersLight = window.matchMedia?.('(prefers-color-scheme: light)').matches ?? false;
const playground = createPlaygroundStore({ storage: safeLocalStorage(), theme: prefersLight ? 'light' : 'dark' });
if (playground.restored.kind === 'unusable') console.warn(`bpfplay: saved workspace not used: ${playground.restored.reason}`);

// Batched saves would lose the last keystrokes on reload; write them as the page goes.
window.addEventListener('pagehide', () => playground.saveNow());
document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') playground.saveNow(); });

window.bpfplay = {
  setSource: (text) => {
    const s = playground.store.getState();
    s.setFileText(s.activeFile, text);
  },
  getSource: () => activeText(playground.store.getState()),
  loadExample: (id) => playground.store.getState().loadExample(id),
  saved: () => toSaved(playground.store.getState()),
  tokenize: (text) => playground.runtime.tokenize?.(text),
  markers: () => playground.runtime.markers?.(),
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
