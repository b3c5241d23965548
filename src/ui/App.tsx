/**
 * One playground: toolbar, editor, and the panels that have something to show. The
 * panel area is a column that later panels (verifier DAG and log, registers, stack,
 * maps, xlated/jited listings, output, input) join as their results exist.
 */
import { useEffect } from 'react';
import { Toolbar } from './components/Toolbar';
import { EditorPane } from './editor/EditorPane';
import { DisassemblyPanel } from './panels/DisassemblyPanel';
import { usePlayground, usePlaygroundHandle } from './store/context';

/** Assembles shortly after the user stops typing; at once when only the view mode changed. */
function useAutoAssemble(delayMs = 150) {
  const { store } = usePlaygroundHandle();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.files !== prev.files || s.activeFile !== prev.activeFile) {
        clearTimeout(timer);
        timer = setTimeout(() => store.getState().assemble(), delayMs);
      } else if (s.llvmAlu32 !== prev.llvmAlu32) {
        clearTimeout(timer);
        store.getState().assemble();
      }
    });
    return () => { unsubscribe(); clearTimeout(timer); };
  }, [store, delayMs]);
}

export function App() {
  const theme = usePlayground((s) => s.theme);
  useAutoAssemble();
  useEffect(() => { performance.mark('bpfplay:shell-ready'); }, []);
  return (
    <div className="playground" data-theme={theme}>
      <Toolbar />
      <main className="workspace">
        <EditorPane />
        <div className="panel-area">
          <DisassemblyPanel />
        </div>
      </main>
    </div>
  );
}
