/**
 * The "Editor" region. Monaco is its own chunk (React.lazy); until it arrives the source
 * is shown read-only, so the page is useful from the first paint.
 */
import { lazy, Suspense } from 'react';
import { usePlayground } from '../store/context';
import { activeText } from '../store/slices/editor';

const MonacoEditor = lazy(() => import('./MonacoEditor'));

function SourcePreview() {
  const text = usePlayground(activeText);
  return (
    <pre className="source-preview" aria-busy="true" data-testid="editor-loading">{text}</pre>
  );
}

export function EditorPane() {
  const activeFile = usePlayground((s) => s.activeFile);
  return (
    <section role="region" aria-label="Editor" className="panel editor-pane">
      <header className="panel-header">
        <h2 className="panel-title">Editor</h2>
        <div className="panel-summary"><span className="file-tab" title="BPF assembly (kernel, llvm or uBPF syntax)">{activeFile}</span></div>
      </header>
      <div className="panel-body editor-body">
        <Suspense fallback={<SourcePreview />}>
          <MonacoEditor />
        </Suspense>
      </div>
    </section>
  );
}
