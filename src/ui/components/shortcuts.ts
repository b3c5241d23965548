/**
 * Keyboard shortcuts of the actions that exist: Verify (Ctrl+Enter / ⌘+Enter), Step (F10),
 * Step back (Shift+F10), Go to error (F8). They work from anywhere in the playground,
 * the editor included; each button names its shortcut (aria-keyshortcuts, title).
 */
import { useEffect } from 'react';
import type { StoreApi } from 'zustand';
import type { PlaygroundState } from '../store/create-store';

export interface Shortcut {
  /** As aria-keyshortcuts spells it. */
  keys: string;
  label: string;
  matches(e: KeyboardEvent): boolean;
  run(s: PlaygroundState): void;
}

export const SHORTCUTS: readonly Shortcut[] = [
  {
    keys: 'Control+Enter', label: 'Verify',
    matches: (e) => e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey,
    run: (s) => { if (s.asm.file !== null && s.asm.problem === null) void s.verify(); },
  },
  {
    keys: 'F10', label: 'Step',
    matches: (e) => e.key === 'F10' && !e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => s.stepLog(1),
  },
  {
    keys: 'Shift+F10', label: 'Step back',
    matches: (e) => e.key === 'F10' && e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => s.stepLog(-1),
  },
  {
    keys: 'F8', label: 'Go to error',
    matches: (e) => e.key === 'F8' && !e.shiftKey && !e.ctrlKey && !e.altKey,
    run: (s) => s.goToLogError(),
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
      sc.run(store.getState());
    };
    // Capture: Monaco would take Ctrl+Enter for itself.
    target.addEventListener('keydown', onKey, true);
    return () => target.removeEventListener('keydown', onKey, true);
  }, [store, root]);
}
