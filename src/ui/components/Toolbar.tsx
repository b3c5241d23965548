/** The toolbar: what the playground is working on, and the controls that apply to all of it. */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { SHORTCUTS } from './shortcuts';
import { ASM_EXAMPLES } from '../examples/asm-examples';
import { SharePopover } from './SharePopover';
import { ExportObjectButton, ImportObjectButton } from './ImportExport';
import { ImportLogPopover } from '../debugger/ImportLog';
import { usePlayground } from '../store/context';
import { activeText } from '../store/slices/editor';
import { RunControls } from './RunControls';

/** Shown only when the work is not being saved. */
function SaveStatus() {
  const error = usePlayground((s) => s.saveError);
  if (error === null) return null;
  return (
    <span className="save-status" role="status" title={`Your work is not being saved: ${error}. Use Share to keep a copy.`}>
      ⚠ Not saved: {error}
    </span>
  );
}

/** Runs bpfplay's verifier on the assembly file; the result opens in the Verifier log view. */
function VerifyButton() {
  const verify = usePlayground((s) => s.verify);
  const can = usePlayground((s) => s.asm.file !== null && s.asm.problem === null && (s.asm.view?.rows.length ?? 0) > 0);
  const busy = usePlayground((s) => s.logDocs.verifier.status === 'loading');
  return (
    <button
      type="button"
      className="button primary"
      disabled={!can}
      aria-busy={busy}
      onClick={() => void verify()}
      aria-keyshortcuts="Control+Enter"
      title={can ? 'Verify the assembly program with bpfplay\'s verifier (Linux 6.18\'s rules) — Ctrl+Enter' : 'Nothing assembled to verify'}
    >
      {busy ? 'Verifying…' : 'Verify'}
    </button>
  );
}

/** A toolbar button that opens a popover; closing it puts the focus back on the button. */
function PopoverButton({ label, title, children }: { label: string; title: string; children(close: () => void): ReactNode }) {
  // A symbol as the label: the title is the button's name.
  const name = /^\W+$/u.test(label) ? title : undefined;
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement | null>(null);
  const close = () => { setOpen(false); requestAnimationFrame(() => button.current?.focus()); };
  return (
    <span className="toolbar-anchor">
      <button ref={button} type="button" className="button" aria-label={name} aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title={title}>
        {label}
      </button>
      {open && children(close)}
    </span>
  );
}

function ShortcutsHelp({ onClose }: { onClose(): void }) {
  const close = useRef<HTMLButtonElement | null>(null);
  useEffect(() => { close.current?.focus(); }, []);
  const rows: [string, string][] = [
    ...SHORTCUTS.map((s): [string, string] => [s.keys.replace('Control', 'Ctrl'), s.label]),
    ['↑ / ↓, Home / End', 'in the verifier log: previous / next step, first / last'],
    ['← / →', 'on the file tabs (and view tabs): the previous / next one'],
    ['F2, Delete', 'on a file tab: rename, delete (with undo)'],
    ['Escape', 'close a popover'],
  ];
  return (
    <div className="popover" role="dialog" aria-label="Keyboard shortcuts" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="popover-head">
        <strong>Keyboard shortcuts</strong>
        <button ref={close} type="button" className="tab-action" aria-label="Close" onClick={onClose}>×</button>
      </div>
      <table className="data-table shortcuts-table">
        <tbody>{rows.map(([k, what]) => <tr key={k}><th scope="row"><kbd>{k}</kbd></th><td>{what}</td></tr>)}</tbody>
      </table>
      <p className="popover-note">Every control is reachable with Tab; the editor keeps Tab for indenting (Ctrl+M switches that off, as in VS Code).</p>
    </div>
  );
}

function ImportLogButton() {
  return (
    <PopoverButton label="Import log" title="Paste or open a verifier log from a real kernel">
      {(close) => <ImportLogPopover onClose={close} />}
    </PopoverButton>
  );
}

function ShareButton() {
  return (
    <PopoverButton label="Share" title="Copy a link that holds your files">
      {(close) => <SharePopover onClose={close} />}
    </PopoverButton>
  );
}

export function Toolbar({ onProblem }: { onProblem(p: string | null): void }) {
  const exampleId = usePlayground((s) => s.exampleId);
  // Edited since it was loaded: the picker says so, so it does not claim the example is what is shown.
  const edited = usePlayground((s) => s.exampleId !== null && activeText(s) !== ASM_EXAMPLES.find((e) => e.id === s.exampleId)?.source);
  const loadExample = usePlayground((s) => s.loadExample);
  const theme = usePlayground((s) => s.theme);
  const setTheme = usePlayground((s) => s.setTheme);
  const other = theme === 'dark' ? 'light' : 'dark';
  return (
    <header className="toolbar" role="banner">
      <div className="toolbar-inner" role="group" aria-label="Toolbar">
      <div className="brand">
        <span className="brand-name">bpfplay</span>
        <span className="brand-mode" title="Assembly mode: BPF assembly in, instructions and both disassembly syntaxes out">Assembly</span>
      </div>
      <label className="toolbar-field">
        <span>Example</span>
        <select
          aria-label="Example"
          data-testid="example-select"
          value={exampleId ?? ''}
          onChange={(e) => { if (e.target.value) loadExample(e.target.value); }}
        >
          {exampleId === null && <option value="">Your program</option>}
          {ASM_EXAMPLES.map((ex) => (
            <option key={ex.id} value={ex.id} title={ex.summary}>{ex.title}{edited && ex.id === exampleId ? ' (edited)' : ''}</option>
          ))}
        </select>
      </label>
      <VerifyButton />
      <RunControls />
      <div className="toolbar-spacer" />
      <SaveStatus />
      <ImportObjectButton onProblem={onProblem} />
      <ExportObjectButton onProblem={onProblem} />
      <ImportLogButton />
      <ShareButton />
      <PopoverButton label="⌨" title="Keyboard shortcuts">
        {(close) => <ShortcutsHelp onClose={close} />}
      </PopoverButton>
      <button type="button" className="button" onClick={() => setTheme(other)} aria-label={`Switch to ${other} theme`} title={`Switch to ${other} theme`}>
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
      </div>
    </header>
  );
}
