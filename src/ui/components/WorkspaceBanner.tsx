/**
 * What the page says about the workspace it opened: a shared one (from a link, in a slot
 * of its own, with the way back to the user's own and the way to keep it), a link that
 * could not be read, or the user's previous workspace kept after keeping a shared one.
 */
import { useState } from 'react';

export interface SessionControls {
  kind: 'main' | 'shared';
  /** A share link was given but not readable: why. */
  linkProblem?: string;
  /** Files of the link that were dropped (bad names). */
  dropped?: number;
  /** The user just kept a shared workspace; the previous one can be restored. */
  justKept?: boolean;
  backToMine(): Promise<void>;
  keep(): Promise<void>;
  restorePrevious(): Promise<void>;
}

export function WorkspaceBanner({ session }: { session: SessionControls }) {
  const [busy, setBusy] = useState(false);
  const [hidden, setHidden] = useState(false);
  const run = (f: () => Promise<void>) => () => { setBusy(true); f().catch(() => setBusy(false)); };
  if (hidden) return null;
  if (session.kind === 'shared') {
    return (
      <div className="banner" role="region" aria-label="Shared workspace">
        <span>
          <strong>Shared workspace</strong> from a link. Your own workspace is kept as it was; edits here are saved with this link.
          {session.dropped ? ` ${session.dropped} file${session.dropped === 1 ? ' was' : 's were'} left out (names that are not allowed).` : ''}
        </span>
        <button type="button" className="button" disabled={busy} onClick={run(session.backToMine)}>Back to my workspace</button>
        <button type="button" className="button primary" disabled={busy} onClick={run(session.keep)}>Keep this as my workspace</button>
      </div>
    );
  }
  if (session.linkProblem) {
    return (
      <div className="banner warning" role="alert">
        <span>This link's workspace could not be opened: {session.linkProblem}. Showing your own workspace.</span>
        <button type="button" className="tab-action" aria-label="Dismiss" onClick={() => setHidden(true)}>×</button>
      </div>
    );
  }
  if (session.justKept) {
    return (
      <div className="banner" role="status">
        <span>The shared workspace is now yours. Your previous workspace is kept.</span>
        <button type="button" className="button" disabled={busy} onClick={run(session.restorePrevious)}>Restore my previous workspace</button>
        <button type="button" className="tab-action" aria-label="Dismiss" onClick={() => setHidden(true)}>×</button>
      </div>
    );
  }
  return null;
}
