/**
 * The Monaco editor bound to the playground store (the lazily loaded chunk).
 *
 * One Monaco model per file, owned by this mount: their URIs carry the mount's id, so two
 * playgrounds on one page never share a model, and each file keeps its own undo history
 * and view state (scroll, cursor, folds) while another tab is open.
 *
 * Store → editor: file texts (applied as undoable edits when they change from outside,
 * e.g. an example or the test hook), the open file, the theme, the assembler's error as a
 * marker on the assembly file, reveal requests from panels. Editor → store: text edits,
 * the cursor line.
 */
import { useEffect, useRef } from 'react';
import { BPF_ASM_LANGUAGE_ID } from './bpf-asm-language';
import { monaco } from './monaco-setup';
import { usePlayground, usePlaygroundHandle } from '../store/context';
import { languageOf } from '../workspace/files';
import { currentSourceLocation } from '../debugger/source-location';

type CodeEditor = monaco.editor.IStandaloneCodeEditor;
type Model = monaco.editor.ITextModel;

const MARKER_OWNER = 'bpf-asm';
let mounts = 0;

interface FileModel {
  model: Model;
  viewState: monaco.editor.ICodeEditorViewState | null;
}

export default function MonacoEditor() {
  const playground = usePlaygroundHandle();
  const files = usePlayground((s) => s.files);
  const activeFile = usePlayground((s) => s.activeFile);
  const theme = usePlayground((s) => s.theme);
  const asm = usePlayground((s) => s.asm);
  const reveal = usePlayground((s) => s.reveal);
  const readOnly = usePlayground((s) => s.readOnly);
  const stepFile = usePlayground((s) => currentSourceLocation(s)?.file ?? null);
  const stepLine = usePlayground((s) => currentSourceLocation(s)?.line ?? null);
  const stepDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const breakpoints = usePlayground((s) => s.breakpoints);
  const breakpointDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const hostRef = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<CodeEditor | null>(null);
  const modelsRef = useRef(new Map<string, FileModel>());
  const mountIdRef = useRef(0);
  /** Set while the store's text is being written into a model, so the echo is not sent back. */
  const applyingRef = useRef(false);

  const uriOf = (name: string) => monaco.Uri.from({ scheme: 'bpfplay', authority: `w${mountIdRef.current}`, path: `/${name}` });

  // Create the editor once per mount; dispose it and this mount's models on unmount.
  useEffect(() => {
    mountIdRef.current = ++mounts;
    const models = modelsRef.current;
    const editor = monaco.editor.create(hostRef.current!, {
      model: null,
      fontSize: 13,
      fontFamily: "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace",
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      automaticLayout: true,
      tabSize: 4,
      renderLineHighlight: 'all',
      fixedOverflowWidgets: true,
      // Breakpoints: a click in the glyph margin (or F9) sets one on the line.
      glyphMargin: true,
    });
    editorRef.current = editor;
    const { store } = playground;
    const sub = [
      editor.onDidChangeCursorPosition((e) => store.getState().setFocusLine(e.position.lineNumber)),
      editor.onMouseDown((e) => {
        if (e.target.type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN || !e.target.position) return;
        const name = [...models].find(([, m]) => m.model === editor.getModel())?.[0];
        if (name !== undefined) store.getState().toggleBreakpoint({ kind: 'line', file: name, line: e.target.position.lineNumber });
      }),
      editor.onDidChangeModelContent(() => {
        if (applyingRef.current) return;
        const model = editor.getModel();
        const name = [...models].find(([, m]) => m.model === model)?.[0];
        if (name !== undefined && model) store.getState().setFileText(name, model.getValue());
      }),
    ];
    playground.runtime.tokenize = (t) =>
      monaco.editor.tokenize(t, BPF_ASM_LANGUAGE_ID).map((line) => line.map((tok) => ({ offset: tok.offset, type: tok.type })));
    playground.runtime.markers = (file) => {
      const name = file ?? store.getState().activeFile;
      const m = models.get(name);
      if (!m) return [];
      return monaco.editor.getModelMarkers({ resource: m.model.uri }).map((k) => ({
        line: k.startLineNumber, startColumn: k.startColumn, endColumn: k.endColumn, message: k.message, severity: k.severity,
      }));
    };
    playground.runtime.focusEditor = () => editor.focus();
    playground.runtime.editorFile = () => [...models].find(([, m]) => m.model === editor.getModel())?.[0];
    performance.mark('bpfplay:editor-ready');
    return () => {
      for (const d of sub) d.dispose();
      playground.runtime.tokenize = undefined;
      playground.runtime.markers = undefined;
      playground.runtime.editorFile = undefined;
      playground.runtime.focusEditor = undefined;
      stepDecorations.current = null;
      breakpointDecorations.current = null;
      editor.dispose();
      for (const m of models.values()) m.model.dispose();
      models.clear();
      editorRef.current = null;
    };
  }, [playground]);

  // Files → models: create, update from outside, rename (a new model), delete.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const models = modelsRef.current;
    const names = new Set(files.map((f) => f.name));
    for (const [name, m] of models) {
      if (names.has(name)) continue;
      if (editor.getModel() === m.model) editor.setModel(null);
      m.model.dispose();
      models.delete(name);
    }
    for (const f of files) {
      const m = models.get(f.name);
      if (!m) {
        models.set(f.name, { model: monaco.editor.createModel(f.text, languageOf(f.name), uriOf(f.name)), viewState: null });
      } else if (m.model.getValue() !== f.text) {
        // A change from outside the editor: one undoable edit, cursor kept where it can be.
        applyingRef.current = true;
        try {
          m.model.pushEditOperations([], [{ range: m.model.getFullModelRange(), text: f.text }], () => null);
          m.model.pushStackElement();
        } finally {
          applyingRef.current = false;
        }
      }
    }
  }, [files]);

  // The open file: save the view state of the one left, restore the one opened.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const models = modelsRef.current;
    const next = models.get(activeFile);
    const current = editor.getModel();
    if (!next || current === next.model) return;
    for (const m of models.values()) if (m.model === current) m.viewState = editor.saveViewState();
    editor.setModel(next.model);
    if (next.viewState) editor.restoreViewState(next.viewState);
    editor.updateOptions({ ariaLabel: `${activeFile}: ${languageOf(activeFile) === 'c' ? 'C' : languageOf(activeFile) === 'bpf-asm' ? 'BPF assembly' : 'text'}` });
    playground.store.getState().setFocusLine(editor.getPosition()?.lineNumber ?? null);
  }, [activeFile, files, playground]);

  useEffect(() => { monaco.editor.setTheme(theme === 'dark' ? 'bpfplay-dark' : 'bpfplay-light'); }, [theme]);
  useEffect(() => { editorRef.current?.updateOptions({ readOnly }); }, [readOnly]);

  // The assembler's error as a marker on the assembly file; none elsewhere.
  useEffect(() => {
    for (const [name, m] of modelsRef.current) {
      const problem = name === asm.file ? asm.problem : null;
      monaco.editor.setModelMarkers(m.model, MARKER_OWNER, problem ? [{
        severity: monaco.MarkerSeverity.Error,
        message: problem.message,
        startLineNumber: problem.line,
        startColumn: problem.startColumn,
        endLineNumber: problem.line,
        endColumn: problem.endColumn,
        source: 'bpf asm',
      }] : []);
    }
  }, [asm, files]);

  // The debugger's current step: its line marked in the file it came from.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    stepDecorations.current ??= editor.createDecorationsCollection();
    const model = editor.getModel();
    const name = playground.runtime.editorFile?.();
    if (!model || stepFile === null || stepLine === null || name !== stepFile || stepLine > model.getLineCount()) {
      stepDecorations.current.clear();
      return;
    }
    stepDecorations.current.set([{
      range: new monaco.Range(stepLine, 1, stepLine, 1),
      options: { isWholeLine: true, className: 'current-step-line', linesDecorationsClassName: 'current-step-glyph' },
    }]);
    editor.revealLineInCenterIfOutsideViewport(stepLine);
  }, [stepFile, stepLine, activeFile, files, playground]);

  // Breakpoints on lines of the open file.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    breakpointDecorations.current ??= editor.createDecorationsCollection();
    const name = playground.runtime.editorFile?.();
    const lines = breakpoints.flatMap((b) => (b.kind === 'line' && b.file === name ? [b.line] : []));
    breakpointDecorations.current.set(lines.map((line) => ({
      range: new monaco.Range(line, 1, line, 1),
      options: { glyphMarginClassName: 'breakpoint-glyph', glyphMarginHoverMessage: { value: 'Breakpoint: Continue (F8) stops here. Click to remove.' } },
    })));
  }, [breakpoints, activeFile, files, playground]);

  // A panel asked to show a source line (the store has opened its file already).
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || !reveal) return;
    const model = editor.getModel();
    if (!model || reveal.line < 1 || reveal.line > model.getLineCount()) return;
    editor.revealLineInCenterIfOutsideViewport(reveal.line);
    editor.setSelection(new monaco.Selection(reveal.line, 1, reveal.line, model.getLineMaxColumn(reveal.line)));
    editor.focus();
  }, [reveal]);

  return <div ref={hostRef} className="monaco-host" data-testid="monaco-host" />;
}
