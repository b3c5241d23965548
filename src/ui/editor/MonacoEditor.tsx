/**
 * The Monaco editor bound to the playground store (the lazily loaded chunk).
 *
 * Store → editor: the active file's text (as an undoable edit when it changes from
 * outside, e.g. an example or the test hook), the theme, the assembler's error as a
 * marker, reveal requests from panels. Editor → store: text edits, the cursor line.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { BPF_ASM_LANGUAGE_ID } from './bpf-asm-language';
import { monaco } from './monaco-setup';
import { usePlayground, usePlaygroundHandle } from '../store/context';
import { activeText } from '../store/slices/editor';

type CodeEditor = Parameters<OnMount>[0];

const MARKER_OWNER = 'bpf-asm';

export default function MonacoEditor() {
  const playground = usePlaygroundHandle();
  const activeFile = usePlayground((s) => s.activeFile);
  const text = usePlayground(activeText);
  const theme = usePlayground((s) => s.theme);
  const problem = usePlayground((s) => s.asm.problem);
  const reveal = usePlayground((s) => s.reveal);
  const editorRef = useRef<CodeEditor | null>(null);
  const [mounted, setMounted] = useState(false);

  const onMount: OnMount = (editor) => {
    editorRef.current = editor;
    const { store } = playground;
    editor.onDidChangeCursorPosition((e) => store.getState().setFocusLine(e.position.lineNumber));
    playground.runtime.tokenize = (t) =>
      monaco.editor.tokenize(t, BPF_ASM_LANGUAGE_ID).map((line) => line.map((tok) => ({ offset: tok.offset, type: tok.type })));
    playground.runtime.markers = () =>
      monaco.editor.getModelMarkers({ owner: MARKER_OWNER }).filter((m) => m.resource.toString() === editor.getModel()?.uri.toString()).map((m) => ({
        line: m.startLineNumber, startColumn: m.startColumn, endColumn: m.endColumn, message: m.message, severity: m.severity,
      }));
    setMounted(true);
    performance.mark('bpfplay:editor-ready');
  };

  useEffect(() => () => {
    playground.runtime.tokenize = undefined;
    playground.runtime.markers = undefined;
  }, [playground]);

  // The assembler's error as a marker on the active file.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, problem ? [{
      severity: monaco.MarkerSeverity.Error,
      message: problem.message,
      startLineNumber: problem.line,
      startColumn: problem.startColumn,
      endLineNumber: problem.line,
      endColumn: problem.endColumn,
      source: 'bpf asm',
    }] : []);
  }, [problem, mounted, activeFile]);

  // A panel asked to show a source line.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    const model = editor.getModel();
    if (!model || reveal.line < 1 || reveal.line > model.getLineCount()) return;
    editor.revealLineInCenterIfOutsideViewport(reveal.line);
    editor.setSelection(new monaco.Selection(reveal.line, 1, reveal.line, model.getLineMaxColumn(reveal.line)));
    editor.focus();
  }, [reveal, mounted]);

  return (
    <Editor
      path={activeFile}
      language={BPF_ASM_LANGUAGE_ID}
      value={text}
      theme={theme === 'dark' ? 'bpfplay-dark' : 'bpfplay-light'}
      onChange={(v) => playground.store.getState().setFileText(activeFile, v ?? '')}
      onMount={onMount}
      loading={null}
      options={{
        fontSize: 13,
        fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: 4,
        renderLineHighlight: 'all',
        fixedOverflowWidgets: true,
        ariaLabel: `${activeFile}: BPF assembly`,
      }}
    />
  );
}
