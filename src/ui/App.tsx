/**
 * One playground: toolbar, editor, and the panels that have something to show. The
 * panel area is a column that later panels (verifier DAG and log, registers, stack,
 * maps, xlated/jited listings, output, input) join as their results exist.
 */
import { useEffect } from 'react';
import { Toolbar } from './components/Toolbar';
import { EditorPane } from './editor/EditorPane';
import { DisassemblyPanel } from './panels/DisassemblyPanel';
import { WorkspaceBanner } from './components/WorkspaceBanner';
import { usePlayground, usePlaygroundHandle } from './store/context';

/** Assembles shortly after the user stops typing; at once when only the view mode changed. */
function useAutoAssemble(delayMs = 150) {
  const { store } = usePlaygroundHandle();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.files !== prev.files || s.asmFile !== prev.asmFile) {
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

/** Said where results would be when the workspace has no assembly file. */
function NothingToAssemble() {
  const c = usePlayground((s) => s.files.find((f) => f.name.endsWith('.c'))?.name);
  return (
    <section role="status" className="panel notice-panel" data-testid="no-asm">
      <p>
        {c ? <><code>{c}</code> is C. Compiling it needs clang.wasm, which this build of bpfplay does not have yet. </> : 'No assembly file. '}
        Add a <code>.s</code> file to write BPF assembly.
      </p>
    </section>
  );
}

export function App() {
  const theme = usePlayground((s) => s.theme);
  const hasAsm = usePlayground((s) => s.asm.file !== null);
  const { runtime } = usePlaygroundHandle();
  useAutoAssemble();
  useEffect(() => { performance.mark('bpfplay:shell-ready'); }, []);
  return (
    <div className="playground" data-theme={theme}>
      <Toolbar />
      {runtime.session && <WorkspaceBanner session={runtime.session} />}
      <main className="workspace">
        <EditorPane />
        <div className="panel-area">
          {hasAsm ? <DisassemblyPanel /> : <NothingToAssemble />}
        </div>
      </main>
    </div>
  );
}
