/** The toolbar: what the playground is working on, and the controls that apply to all of it. */
import { useState } from 'react';
import { ASM_EXAMPLES } from '../examples/asm-examples';
import { SharePopover } from './SharePopover';
import { ExportObjectButton, ImportObjectButton } from './ImportExport';
import { ImportLogPopover } from '../debugger/ImportLog';
import { usePlayground } from '../store/context';
import { activeText } from '../store/slices/editor';

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

function ImportLogButton() {
  const [open, setOpen] = useState(false);
  return (
    <span className="toolbar-anchor">
      <button type="button" className="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title="Paste or open a verifier log from a real kernel">
        Import log
      </button>
      {open && <ImportLogPopover onClose={() => setOpen(false)} />}
    </span>
  );
}

function ShareButton() {
  const [open, setOpen] = useState(false);
  return (
    <span className="toolbar-anchor">
      <button type="button" className="button" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} title="Copy a link that holds your files">
        Share
      </button>
      {open && <SharePopover onClose={() => setOpen(false)} />}
    </span>
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
    <div className="toolbar" role="group" aria-label="Toolbar">
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
      <div className="toolbar-spacer" />
      <SaveStatus />
      <ImportObjectButton onProblem={onProblem} />
      <ExportObjectButton onProblem={onProblem} />
      <ImportLogButton />
      <ShareButton />
      <button type="button" className="button" onClick={() => setTheme(other)} aria-label={`Switch to ${other} theme`} title={`Switch to ${other} theme`}>
        {theme === 'dark' ? '☀ Light' : '☾ Dark'}
      </button>
    </div>
  );
}
