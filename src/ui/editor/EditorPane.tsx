/**
 * The "Editor" region: the workspace's files as tabs over one Monaco editor. Monaco is
 * its own chunk (React.lazy); until it arrives the open file is shown read-only, so the
 * page is useful from the first paint.
 */
import { lazy, Suspense } from 'react';
import { usePlayground } from '../store/context';
import { activeText } from '../store/slices/editor';
import { FileTabs, UndoNote } from './FileTabs';

const MonacoEditor = lazy(() => import('./MonacoEditor'));

function SourcePreview() {
  const text = usePlayground(activeText);
  return (
    <pre className="source-preview" aria-busy="true" data-testid="editor-loading">{text}</pre>
  );
}

export function EditorPane() {
  return (
    <section role="region" aria-label="Editor" className="panel editor-pane">
      <header className="panel-header editor-header">
        <h2 className="panel-title">Editor</h2>
        <FileTabs />
      </header>
      <UndoNote />
      <div className="panel-body editor-body">
        <Suspense fallback={<SourcePreview />}>
          <MonacoEditor />
        </Suspense>
      </div>
    </section>
  );
}
