/**
 * "Import log": paste a verifier log (bpftool -d prog load output, a libbpf debug log,
 * kbpf's JSON, or the bare kernel log at level 1 or 2), or pick a file. The log is read
 * as text only.
 */
import { useEffect, useRef, useState } from 'react';
import { usePlaygroundHandle } from '../store/context';

export function ImportLogPopover({ onClose }: { onClose(): void }) {
  const { store } = usePlaygroundHandle();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const file = useRef<HTMLInputElement | null>(null);
  useEffect(() => { area.current?.focus(); }, []);
  const read = (name: string, t: string) => {
    const p = store.getState().importLog(name, t);
    if (p) setProblem(p); else onClose();
  };
  return (
    <div className="popover import-log" role="dialog" aria-label="Import a verifier log" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onClose(); } }}>
      <div className="popover-head">
        <strong>Import a verifier log</strong>
        <button type="button" className="tab-action" aria-label="Close" onClick={onClose}>×</button>
      </div>
      <p className="popover-note">
        Paste what <code>bpftool -d prog load prog.o /sys/fs/bpf/p</code> printed, a libbpf debug log, kbpf's JSON, or the kernel's
        log itself (level 2 shows every step). It is read as text and kept with your workspace.
      </p>
      <textarea
        ref={area}
        className="log-paste"
        aria-label="Verifier log text"
        spellCheck={false}
        placeholder={'0: R1=ctx() R10=fp0\n0: (b7) r0 = 0                        ; R0=0\n...'}
        value={text}
        onChange={(e) => { setText(e.target.value); setProblem(null); }}
      />
      {problem && <p className="field-problem" role="alert">{problem}</p>}
      <div className="popover-actions">
        <button type="button" className="button" onClick={() => file.current?.click()}>Choose a file…</button>
        <input
          ref={file}
          type="file"
          hidden
          accept=".log,.txt,.json,text/plain,application/json"
          data-testid="import-log-input"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) read(f.name, await f.text());
          }}
        />
        <button type="button" className="button primary" disabled={text.trim() === ''} onClick={() => read('pasted log', text)}>Read log</button>
      </div>
    </div>
  );
}
