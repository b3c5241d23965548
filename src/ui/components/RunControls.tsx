/**
 * The toolbar's execution controls: Run, and the debugger's Step back / Step / Run to
 * cursor / Reset. Step and Step back move through the trace in view: the verifier's in
 * the verifier log, the execution's elsewhere (made by a debugging run when there is
 * none). A button is shown only when it can do something.
 */
import { usePlayground, usePlaygroundHandle } from '../store/context';
import { steppingVerifier } from '../store/slices/run';
import type { StoreApi } from 'zustand';
import type { PlaygroundState } from '../store/create-store';

/** A program Run can run: an assembly file that assembles, or an object's program. */
export const canRun = (s: PlaygroundState): boolean =>
  (s.asm.view !== null && s.asm.problem === null && s.asm.view.rows.length > 0) || (s.object.view?.programs.length ?? 0) > 0;

export function RunControls() {
  const { store } = usePlaygroundHandle();
  const can = usePlayground(canRun);
  const running = usePlayground((s) => s.exec.status === 'running');
  const verifier = usePlayground((s) => steppingVerifier(s) && s.log.parsed !== null);
  const hasExec = usePlayground((s) => s.exec.result !== null || s.trace !== null || s.exec.status === 'running');
  if (!can && !hasExec) return null;
  const trace = verifier ? "the verifier's trace" : 'the execution';
  const s = () => store.getState();
  return (
    <div className="run-controls" role="group" aria-label="Run and step">
      <button
        type="button" className="button primary" disabled={!can} aria-busy={running} aria-keyshortcuts="Control+Shift+Enter"
        onClick={() => void s().run()} title="Run the program in bpfplay's VM on the Input (Ctrl+Shift+Enter)"
      >
        {running ? 'Running…' : 'Run'}
      </button>
      {can && (
        <>
          <button type="button" className="button icon" aria-label="Step back" aria-keyshortcuts="Shift+F10" title={`Step back through ${trace} (Shift+F10)`}
            onClick={() => (verifier ? s().stepLog(-1) : void s().stepExec(-1))}>⤺</button>
          <button type="button" className="button icon" aria-label="Step" aria-keyshortcuts="F10" title={`Step through ${trace} (F10)`}
            onClick={() => (verifier ? s().stepLog(1) : void s().stepExec(1))}>⤼</button>
          <button type="button" className="button icon" aria-label="Run to cursor" aria-keyshortcuts="Control+F10" title={`Run to the editor's cursor line in ${trace} (Ctrl+F10)`}
            onClick={() => void runToCursor(store)}>⇥</button>
        </>
      )}
      {hasExec && (
        <button type="button" className="button icon" aria-label="Reset" title="Reset: forget the run and its history, and make the maps anew" onClick={() => void s().resetExec()}>↺</button>
      )}
    </div>
  );
}

/** Run to cursor in the trace in view. */
export async function runToCursor(store: StoreApi<PlaygroundState>): Promise<void> {
  const s = store.getState();
  if (steppingVerifier(s) && s.log.parsed) {
    const { runToCursorVerifier } = await import('../run/run-actions');
    store.setState({ execNotice: runToCursorVerifier(store.getState()) });
    return;
  }
  await s.runToCursor();
}

/** What the last debugger command has to say, under the toolbar. */
export function RunNotice() {
  const notice = usePlayground((s) => s.execNotice);
  const dismiss = usePlayground((s) => s.dismissExecNotice);
  if (!notice) return null;
  return (
    <div className="banner" role="status" data-testid="exec-notice">
      <span>{notice}</span>
      <button type="button" className="tab-action" aria-label="Dismiss" onClick={dismiss}>×</button>
    </div>
  );
}
