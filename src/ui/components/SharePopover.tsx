/**
 * "Share": the workspace's files, compressed into the link's fragment; the link is copied
 * to the clipboard and shown, selected, for copying by hand where the clipboard is not
 * available. Nothing is uploaded.
 */
import { useEffect, useRef, useState } from 'react';
import { usePlaygroundHandle } from '../store/context';
import { encodeShare } from '../workspace/share';
import { sharedRunInputs } from '../store/slices/run';

type State = { kind: 'working' } | { kind: 'ready'; url: string; copied: boolean } | { kind: 'failed'; message: string };

/** The full-playground URL for a fragment, from this page's location. */
export function playgroundUrl(fragment: string, base: string = location.href): string {
  const u = new URL(base);
  u.hash = fragment;
  return u.toString();
}

export function SharePopover({ onClose, base }: { onClose(): void; base?: string }) {
  const { store } = usePlaygroundHandle();
  const [state, setState] = useState<State>({ kind: 'working' });
  const inputRef = useRef<HTMLInputElement | null>(null);
  const closeRef = useRef<HTMLButtonElement | null>(null);
  const files = store.getState().files;
  const bytes = files.reduce((n, f) => n + f.text.length, 0);

  useEffect(() => {
    let live = true;
    const s = store.getState();
    encodeShare({ files: s.files, activeFile: s.activeFile, runInputs: sharedRunInputs(s.runInputs) })
      .then(async (fragment) => {
        const url = playgroundUrl(fragment, base);
        let copied = false;
        try {
          await navigator.clipboard.writeText(url);
          copied = true;
        } catch {
          // No clipboard permission (or not a secure context): the field below is selected instead.
        }
        if (live) setState({ kind: 'ready', url, copied });
      })
      .catch((e: unknown) => { if (live) setState({ kind: 'failed', message: (e as Error).message }); });
    return () => { live = false; };
  }, [store, base]);

  useEffect(() => {
    if (state.kind === 'ready') inputRef.current?.select();
    closeRef.current?.focus({ preventScroll: true });
  }, [state.kind]);

  return (
    <div
      className="popover share-popover"
      role="dialog"
      aria-label="Share"
      onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}
    >
      <div className="popover-head">
        <strong>Share</strong>
        <button ref={closeRef} type="button" className="tab-action" aria-label="Close" onClick={onClose}>×</button>
      </div>
      {state.kind === 'working' && <p>Making the link…</p>}
      {state.kind === 'failed' && <p className="field-problem" role="alert">The link could not be made: {state.message}</p>}
      {state.kind === 'ready' && (
        <>
          <p role="status" data-testid="share-status">
            {state.copied ? 'Link copied to the clipboard.' : 'Copy this link:'}
          </p>
          <input ref={inputRef} className="share-link" aria-label="Share link" readOnly value={state.url} onFocus={(e) => e.currentTarget.select()} />
          <p className="popover-note">
            The link holds your {files.length} file{files.length === 1 ? '' : 's'} ({Math.ceil(bytes / 1024)} KB of text, {Math.ceil(state.url.length / 1024)} KB as a link),
            compressed in the part after <code>#</code>, which browsers do not send to any server. Imported objects and logs are not included.
          </p>
        </>
      )}
    </div>
  );
}
