/** React access to the playground a component belongs to. */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Playground, PlaygroundState } from './create-store';

const PlaygroundContext = createContext<Playground | null>(null);

export function PlaygroundProvider({ playground, children }: { playground: Playground; children: ReactNode }) {
  return <PlaygroundContext.Provider value={playground}>{children}</PlaygroundContext.Provider>;
}

export function usePlaygroundHandle(): Playground {
  const p = useContext(PlaygroundContext);
  if (!p) throw new Error('bpfplay: this component must be inside a <PlaygroundProvider>');
  return p;
}

/**
 * Reads the playground's state. Select primitives or stable references: a selector that
 * builds a new object each time makes React re-render forever.
 */
export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  return useStore(usePlaygroundHandle().store, selector);
}
