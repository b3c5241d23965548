/**
 * One playground: toolbar, editor, and the panels that have something to show. The
 * panel area is a column that later panels (verifier DAG and log, registers, stack,
 * maps, xlated/jited listings, output, input) join as their results exist.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import { useShortcuts } from './components/shortcuts';
import { DropZone } from './components/ImportExport';
import { Tabs } from './components/Tabs';
import { ObjectPanel } from './panels/ObjectPanel';
import { LogPanel } from './debugger/LogPanel';
import { RegistersPanel, StackPanel } from './debugger/StatePanels';
import { JitedPanel, XlatedPanel } from './debugger/ListingPanels';
import { Toolbar } from './components/Toolbar';
import { RunNotice } from './components/RunControls';
import { EditorPane } from './editor/EditorPane';
import { DisassemblyPanel } from './panels/DisassemblyPanel';
import { WorkspaceBanner } from './components/WorkspaceBanner';
import { usePlayground, usePlaygroundHandle } from './store/context';

// Running and stepping through executions: their own chunk, loaded when first shown.
const RunView = lazy(() => import('./run/RunView'));
const ExecutionView = lazy(() => import('./run/ExecutionView'));
const loadingView = <p className="empty" role="status">Loading…</p>;

/** Assembles shortly after the user stops typing; at once when only the view mode changed. */
export function useAutoAssemble(delayMs = 150) {
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
        Add a <code>.s</code> file to write BPF assembly, or use <strong>Import .o</strong> to look at an object compiled with clang.
      </p>
    </section>
  );
}

/** A verifier log with the state panels below it. */
function LogView() {
  const hasStep = usePlayground((s) => s.log.step !== null);
  return (
    <div className="log-view">
      <LogPanel />
      {hasStep && (
        <div className="state-panels">
          <RegistersPanel />
          <StackPanel />
        </div>
      )}
    </div>
  );
}

/** Which views a playground may show (an embed may limit them). */
export type ViewId = 'asm' | 'object' | 'log' | 'xlated' | 'jited' | 'run' | 'exec';

/** The panel area: the assembly listing, and the imported object and log beside it as more views. */
export function MainViews({ allowed = ['asm', 'object', 'log', 'xlated', 'jited', 'run', 'exec'] }: { allowed?: readonly ViewId[] }) {
  const hasAsm = usePlayground((s) => s.asm.file !== null);
  const hasObject = usePlayground((s) => s.importedObject !== null);
  const hasLog = usePlayground((s) => s.kernelLog !== null || s.logDocs.verifier.status !== 'none');
  const hasListings = usePlayground((s) => !!s.logDocs.verifier.listings);
  const hasRun = usePlayground((s) => s.exec.status !== 'idle' || s.exec.result !== null
    || (s.asm.view !== null && s.asm.problem === null && s.asm.view.rows.length > 0) || (s.object.view?.programs.length ?? 0) > 0);
  const hasTrace = usePlayground((s) => s.trace !== null || (s.exec.status === 'running' && s.exec.traced));
  const mainView = usePlayground((s) => s.mainView);
  const setMainView = usePlayground((s) => s.setMainView);
  const asm = { id: 'asm', title: 'Disassembly', render: () => (hasAsm ? <DisassemblyPanel /> : <NothingToAssemble />) };
  const tabs = allowed.includes('asm') ? [asm] : [];
  if (hasObject && allowed.includes('object')) tabs.push({ id: 'object', title: 'Object', render: () => <ObjectPanel /> });
  if (hasLog && allowed.includes('log')) tabs.push({ id: 'log', title: 'Verifier log', render: () => <LogView /> });
  if (hasListings && allowed.includes('xlated')) tabs.push({ id: 'xlated', title: 'Xlated', render: () => <XlatedPanel /> });
  if (hasListings && allowed.includes('jited')) tabs.push({ id: 'jited', title: 'Jited', render: () => <JitedPanel /> });
  if (hasRun && allowed.includes('run')) tabs.push({ id: 'run', title: 'Run', render: () => <Suspense fallback={loadingView}><RunView /></Suspense> });
  if (hasTrace && allowed.includes('exec')) tabs.push({ id: 'exec', title: 'Execution', render: () => <Suspense fallback={loadingView}><ExecutionView /></Suspense> });
  if (tabs.length === 0) return null;
  if (tabs.length === 1) return tabs[0].render();
  return (
    <Tabs
      label="Views"
      idPrefix="views"
      className="main-views"
      selected={mainView}
      onSelect={(id) => setMainView(id as typeof mainView)}
      tabs={tabs}
    />
  );
}

/** A problem with something the user brought in (a file that is not an object). */
function ProblemBanner({ problem, onDismiss }: { problem: string; onDismiss(): void }) {
  return (
    <div className="banner warning" role="alert" data-testid="import-problem">
      <span>{problem}</span>
      <button type="button" className="tab-action" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}

export function App() {
  const theme = usePlayground((s) => s.theme);
  const { runtime, store } = usePlaygroundHandle();
  const [problem, setProblem] = useState<string | null>(null);
  const [root, setRoot] = useState<HTMLDivElement | null>(null);
  useShortcuts(store, root);
  const wide = usePlayground((s) => (s.mainView === 'log' && s.log.status !== 'none') || s.mainView === 'run' || s.mainView === 'exec');
  useAutoAssemble();
  useEffect(() => { performance.mark('bpfplay:shell-ready'); }, []);
  return (
    <DropZone onProblem={setProblem}>
      <div className="playground" data-theme={theme} ref={setRoot}>
        <Toolbar onProblem={setProblem} />
        {runtime.session && <WorkspaceBanner session={runtime.session} />}
        {problem && <ProblemBanner problem={problem} onDismiss={() => setProblem(null)} />}
        <RunNotice />
        <main className={`workspace ${wide ? 'wide-panels' : ''}`}>
          <EditorPane />
          <div className="panel-area">
            <MainViews />
          </div>
        </main>
      </div>
    </DropZone>
  );
}
