/**
 * The embedded playground (embed.html): the same editor and panels as the full page, in
 * less chrome, shaped by the embed options: read-only, toolbar-less, a single-pane
 * "spoiler" (the code, and the result behind a button), which views exist, auto-run.
 * Every embed has its own store (one per mount), is never saved, and links to the full
 * playground with its code.
 */
import { useEffect, useState } from 'react';
import { EditorPane } from '../ui/editor/EditorPane';
import { MainViews, useAutoAssemble, type ViewId } from '../ui/App';
import { useShortcuts } from '../ui/components/shortcuts';
import { usePlayground, usePlaygroundHandle } from '../ui/store/context';
import { encodeShare } from '../ui/workspace/share';
import { sharedRunInputs } from '../ui/store/slices/run';
import type { EmbedOptions } from './options';

/** The full playground's URL with this embed's files in the fragment; refreshed as they change. */
function useFullPlaygroundHref(siteBase: string): string {
  const files = usePlayground((s) => s.files);
  const activeFile = usePlayground((s) => s.activeFile);
  const runInputs = usePlayground((s) => s.runInputs);
  const [href, setHref] = useState(new URL('./', siteBase).href);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      void encodeShare({ files, activeFile, runInputs: sharedRunInputs(runInputs) }).then((fragment) => { if (live) setHref(new URL(`./${fragment}`, siteBase).href); });
    }, 200);
    return () => { live = false; clearTimeout(t); };
  }, [files, activeFile, runInputs, siteBase]);
  return href;
}

function OpenFull({ siteBase, compact }: { siteBase: string; compact?: boolean }) {
  const href = useFullPlaygroundHref(siteBase);
  return (
    <a className={`open-full ${compact ? 'compact' : ''}`} href={href} target="_blank" rel="noopener noreferrer" data-testid="open-full">
      Open in full playground ↗
    </a>
  );
}

function VerifyButton() {
  const verify = usePlayground((s) => s.verify);
  const can = usePlayground((s) => s.asm.file !== null && s.asm.problem === null && (s.asm.view?.rows.length ?? 0) > 0);
  return (
    <button type="button" className="button primary small" disabled={!can} onClick={() => void verify()} aria-keyshortcuts="Control+Enter" title="Verify (Ctrl+Enter)">
      Verify
    </button>
  );
}

export function EmbedApp({ options, siteBase }: { options: EmbedOptions; siteBase: string }) {
  const { store } = usePlaygroundHandle();
  const theme = usePlayground((s) => s.theme);
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  const [showResult, setShowResult] = useState(false);
  useAutoAssemble();
  useShortcuts(store, root);
  const allowed: ViewId[] = options.panels;
  const canVerify = allowed.includes('log');

  useEffect(() => {
    if (options.autorun && canVerify) void store.getState().verify();
  }, [store, options.autorun, canVerify]);

  const results = <div className="panel-area"><MainViews allowed={allowed} /></div>;
  return (
    <div className={`playground embed ${options.spoiler ? 'spoiler' : ''}`} data-theme={theme} ref={setRoot}>
      {options.toolbar && (
        <div className="toolbar embed-toolbar" role="group" aria-label="Toolbar">
          <span className="brand-name small">bpfplay</span>
          {canVerify && <VerifyButton />}
          {options.spoiler && (
            <button type="button" className="button small" aria-pressed={showResult} onClick={() => setShowResult(!showResult)}>
              {showResult ? 'Show code' : 'Show result'}
            </button>
          )}
          <div className="toolbar-spacer" />
          <OpenFull siteBase={siteBase} />
        </div>
      )}
      <main className={`workspace embed-workspace ${options.spoiler ? 'single' : ''}`}>
        {(!options.spoiler || !showResult) && <EditorPane />}
        {(!options.spoiler || showResult) && results}
      </main>
      {!options.toolbar && (
        <div className="embed-corner">
          {options.spoiler && (
            <button type="button" className="button small" aria-pressed={showResult} onClick={() => setShowResult(!showResult)}>
              {showResult ? 'Show code' : 'Show result'}
            </button>
          )}
          <OpenFull siteBase={siteBase} compact />
        </div>
      )}
    </div>
  );
}
