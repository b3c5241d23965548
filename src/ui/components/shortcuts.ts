/**
 * Keyboard shortcuts of the actions that exist: Verify (Ctrl+Enter / ⌘+Enter), Run
 * (Ctrl+Shift+Enter), Step (F10), Step back (Shift+F10), Run to cursor (Ctrl+F10), Go to
 * error / Continue (F8), breakpoint (F9). Stepping keys move through the trace in view
 * (the verifier's in the verifier log, the execution's elsewhere). They work from anywhere
 * in the playground, the editor included; each button names its shortcut.
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { PlaygroundState } from '../store/create-store';
import { steppingVerifier } from '../store/slices/run';
import { canRun, runToCursor } from './RunControls';

export interface Shortcut {
  /** As aria-keyshortcuts spells it. */
  keys: string;
  label: string;
  matches(e: KeyboardEvent): boolean;
  run(s: PlaygroundState, store: StoreApi<PlaygroundState>): void;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: 'Control+Enter', label: 'Verify',
    matches: (e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey,
    run: (s) => { if (s.asm.file !== null && s.asm.problem === null) void s.verify(); },
  },
  {
    keys: 'Control+Shift+Enter', label: 'Run',
    matches: (e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey,
    run: (s) => { if (canRun(s)) void s.run(); },
  },
  {
    keys: 'F10', label: 'Step',
    matches: (e) => e.key === 'F10' && !e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => (steppingVerifier(s) ? s.stepLog(1) : void s.stepExec(1)),
  },
  {
    keys: 'Shift+F10', label: 'Step back',
    matches: (e) => e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => (steppingVerifier(s) ? s.stepLog(-1) : void s.stepExec(-1)),
  },
  {
    keys: 'Control+F10', label: 'Run to cursor',
    matches: (e) => e.key === 'F10' && e.ctrlKey && !e.shiftKey && !e.altKey,
    run: (_s, store) => void runToCursor(store),
  },
  {
    keys: 'F8', label: 'Go to error (verifier) / Continue to the next breakpoint (execution)',
    matches: (e) => e.key === 'F8' && !e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => (steppingVerifier(s) ? s.goToLogError() : void s.continueExec()),
  },
  {
    keys: 'F9', label: 'Breakpoint on the cursor line',
    matches: (e) => e.key === 'F9' && !e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => { if (s.focusLine !== null) s.toggleBreakpoint({ kind: 'line', file: s.activeFile, line: s.focusLine }); },
  },
];

export const shortcutOf = (label: string): string | undefined => SHORTCUTS.find((s) => s.label === label)?.keys;

/**
 * Listens on the playground's document: the full page and each embed (an iframe) have one
 * playground per document, so the keys are that playground's wherever the focus is.
 */
export function useShortcuts(store: StoreApi<PlaygroundState>, root: HTMLElement | null): void {
  useEffect(() => {
    if (!root) return;
    const target = root.ownerDocument.defaultView ?? window;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const sc = SHORTCUTS.find((s) => s.matches(e));
      if (!sc) return;
      e.preventDefault();
      sc.run(store.getState(), store);
    };
    // Capture: Monaco would take Ctrl+Enter for itself.
    target.addEventListener('keydown', onKey, true);
    return () => target.removeEventListener('keydown', onKey, true);
  }, [store, root]);
}
