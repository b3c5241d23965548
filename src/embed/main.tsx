/**
 * embed.html: one playground in an iframe, for documentation pages (usually made by
 * `<bpf-playground>`, see element.ts). Files come from the fragment (share-link format),
 * options from the query (options.ts); the page that embeds it talks to it with the
 * postMessage API (api.ts). Nothing is saved.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PlaygroundProvider } from '../ui/store/context';
import { createPlaygroundStore, type PlaygroundState } from '../ui/store/create-store';
import { workerServices } from '../ui/services';
import { decodeShare, isShareFragment } from '../ui/workspace/share';
import { EMBED, readHostMessage, type EmbedMessage, type EmbedResults } from './api';
import { EmbedApp } from './EmbedApp';
import { parseEmbedOptions } from './options';
import '../ui/styles.css';

const options = parseEmbedOptions(location.search);
const siteBase = new URL('./', document.baseURI).href;
let linkProblem: string | undefined;
let files;
let activeFile;
let runInputs;
if (isShareFragment(location.hash)) {
  try {
    const d = await decodeShare(location.hash);
    files = d.workspace.files;
    activeFile = d.workspace.activeFile;
    runInputs = d.workspace.runInputs;
  } catch (e) {
    linkProblem = (e as Error).message;
  }
}
const prefersLight = window.matchMedia?.('(prefers-color-scheme: light)').matches ?? false;
const playground = createPlaygroundStore({
  files,
  activeFile,
  runInputs,
  exampleId: options.exampleId,
  readOnly: options.readOnly,
  theme: options.theme ?? (prefersLight ? 'light' : 'dark'),
  services: workerServices(siteBase),
});
if (linkProblem) console.warn(`bpfplay embed: files not read from the fragment: ${linkProblem}`);
document.documentElement.dataset.theme = playground.store.getState().theme;

/** What the embedding page can read: files, the listing, the last verification. */
function results(s: PlaygroundState): EmbedResults {
  const asm = s.asm;
  const v = s.logDocs.verifier;
  return {
    files: s.files.map((f) => ({ name: f.name, text: f.text })),
    assembly: asm.file === null ? null : {
      file: asm.file,
      error: asm.problem ? `line ${asm.problem.line}: ${asm.problem.message}` : null,
      instructions: asm.problem ? [] : (asm.view?.rows ?? []).map((r) => ({ pc: r.pc, kernel: r.kernel, llvm: r.llvm, line: r.line })),
    },
    verification: v.status === 'none' || v.status === 'loading' ? null : {
      accepted: v.parsed?.accepted ?? null,
      error: v.parsed?.error?.text ?? v.error,
      errorInsn: v.parsed?.error?.pc ?? null,
      processed: v.parsed?.summary?.processed ?? null,
      log: v.parsed?.lines.join('\n') ?? '',
    },
  };
}

/** Resolves when the verification now running (if any) has finished. */
function verificationDone(): Promise<void> {
  return new Promise((resolve) => {
    const check = (s: PlaygroundState) => s.logDocs.verifier.status !== 'loading';
    if (check(playground.store.getState())) { resolve(); return; }
    const unsub = playground.store.subscribe((s) => { if (check(s)) { unsub(); resolve(); } });
  });
}

// The postMessage API: only the page that embeds us may drive us; replies go back to its origin.
let hostOrigin: string | null = null;
const post = (m: EmbedMessage, origin = hostOrigin ?? '*') => window.parent.postMessage(m, origin);
window.addEventListener('message', (ev) => {
  if (ev.source !== window.parent || window.parent === window) return;
  const r = readHostMessage(ev.data);
  if (!r) return;
  const origin = ev.origin === 'null' ? '*' : ev.origin;
  hostOrigin = origin;
  if (!r.ok) {
    if (r.id !== undefined) post({ source: EMBED, type: 'reply', id: r.id, ok: false, error: r.error }, origin);
    return;
  }
  const m = r.message;
  const s = playground.store.getState();
  const reply = () => post({ source: EMBED, type: 'reply', id: m.id, ok: true, results: results(playground.store.getState()) }, origin);
  if (m.type === 'getResults') reply();
  else if (m.type === 'load') {
    s.replaceFiles(m.files, m.active);
    s.assemble();
    reply();
  } else {
    s.assemble();
    void s.verify().then(verificationDone).then(reply);
  }
});
// Each finished verification is announced to the embedding page.
playground.store.subscribe((s, prev) => {
  if (s.logDocs.verifier.status === 'ready' && prev.logDocs.verifier.status !== 'ready' && hostOrigin) {
    post({ source: EMBED, type: 'results', results: results(s) });
  }
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PlaygroundProvider playground={playground}>
      <EmbedApp options={options} siteBase={siteBase} />
    </PlaygroundProvider>
  </StrictMode>,
);
if (window.parent !== window) post({ source: EMBED, type: 'ready' }, '*');
