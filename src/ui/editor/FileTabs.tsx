/**
 * The workspace's files as tabs: open, add, rename (F2 or the pencil), delete (with undo).
 * Names are checked by `fileNameProblem`; the problem is shown beside the field and the
 * name is not taken until it is fixed.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { usePlayground, usePlaygroundHandle } from '../store/context';
import { fileKind, freeName, type FileKind } from '../workspace/files';

const KIND_LABEL: Record<FileKind, string> = { c: 'C source', header: 'C header', asm: 'BPF assembly', text: 'text' };

/** A name field: Enter commits, Escape cancels, blur commits when valid. */
function NameField({ initial, label, onCommit, onCancel }: {
  initial: string;
  label: string;
  onCommit(name: string): string | null;
  onCancel(): void;
}) {
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const ref = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    // Select the stem, as file managers do: typing replaces `header`, keeps `.h`.
    const dot = initial.indexOf('.');
    el.setSelectionRange(0, dot > 0 ? dot : initial.length);
  }, [initial]);
  const commit = () => {
    const p = onCommit(value.trim());
    setProblem(p);
    return p === null;
  };
  return (
    <span className="name-field">
      <input
        ref={ref}
        aria-label={label}
        aria-invalid={problem !== null}
        aria-describedby={problem ? 'file-name-problem' : undefined}
        value={value}
        spellCheck={false}
        onChange={(e) => { setValue(e.target.value); setProblem(null); }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') { e.preventDefault(); commit(); } else if (e.key === 'Escape') { e.preventDefault(); onCancel(); }
        }}
        onBlur={() => { if (value.trim() === initial || !commit()) onCancel(); }}
      />
      {problem && <span id="file-name-problem" className="field-problem" role="alert">{problem}</span>}
    </span>
  );
}

export function FileTabs() {
  const files = usePlayground((s) => s.files);
  const activeFile = usePlayground((s) => s.activeFile);
  const readOnly = usePlayground((s) => s.readOnly);
  const openFile = usePlayground((s) => s.openFile);
  const { runtime } = usePlaygroundHandle();
  const addFile = usePlayground((s) => s.addFile);
  const renameFile = usePlayground((s) => s.renameFile);
  const deleteFile = usePlayground((s) => s.deleteFile);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const tabRefs = useRef(new Map<string, HTMLButtonElement>());
  const names = files.map((f) => f.name);

  const focusTab = (name: string) => requestAnimationFrame(() => tabRefs.current.get(name)?.focus());
  const onTabKey = (e: KeyboardEvent, name: string) => {
    const k = names.indexOf(name);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = names[(k + (e.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
      openFile(next);
      focusTab(next);
    } else if (e.key === 'F2' && !readOnly) {
      e.preventDefault();
      setRenaming(name);
    } else if (e.key === 'Delete' && !readOnly && files.length > 1) {
      e.preventDefault();
      deleteFile(name);
    }
  };

  return (
    <div className="file-tabs">
      <div role="tablist" aria-label="Files" className="tab-list">
        {files.map((f) => {
          const active = f.name === activeFile;
          if (renaming === f.name) {
            return (
              <NameField
                key={f.name}
                initial={f.name}
                label={`New name for ${f.name}`}
                onCommit={(to) => {
                  const p = renameFile(f.name, to);
                  if (p === null) { setRenaming(null); focusTab(to); }
                  return p;
                }}
                onCancel={() => { setRenaming(null); focusTab(f.name); }}
              />
            );
          }
          return (
            <span key={f.name} className={`file-tab-wrap ${active ? 'active' : ''}`}>
              <button
                ref={(el) => { if (el) tabRefs.current.set(f.name, el); else tabRefs.current.delete(f.name); }}
                type="button"
                role="tab"
                id={`tab-${f.name}`}
                aria-selected={active}
                tabIndex={active ? 0 : -1}
                className="file-tab"
                data-kind={fileKind(f.name)}
                title={`${f.name}: ${KIND_LABEL[fileKind(f.name)]}${readOnly ? '' : ' (F2 renames, Delete deletes)'}`}
                onClick={(e) => {
                  openFile(f.name);
                  // A click means "edit this file" (as in code editors); keyboard users stay on the tabs.
                  if (e.detail > 0) requestAnimationFrame(() => runtime.focusEditor?.());
                }}
                onDoubleClick={() => { if (!readOnly) setRenaming(f.name); }}
                onKeyDown={(e) => onTabKey(e, f.name)}
              >
                {f.name}
              </button>
              {active && !readOnly && (
                <>
                  <button type="button" className="tab-action" aria-label={`Rename ${f.name}`} title="Rename (F2)" onClick={() => setRenaming(f.name)}>✎</button>
                  {files.length > 1 && (
                    <button type="button" className="tab-action" aria-label={`Delete ${f.name}`} title="Delete (can be undone)" onClick={() => deleteFile(f.name)}>×</button>
                  )}
                </>
              )}
            </span>
          );
        })}
      </div>
      {!readOnly && (adding ? (
        <NameField
          initial={freeName(names.includes('prog.bpf.c') ? 'header.h' : 'prog.bpf.c', names)}
          label="New file name"
          onCommit={(name) => {
            const p = addFile(name);
            if (p === null) setAdding(false);
            return p;
          }}
          onCancel={() => setAdding(false)}
        />
      ) : (
        <button type="button" className="tab-action add-file" aria-label="New file" title="New file (.c, .h or .s)" onClick={() => setAdding(true)}>+</button>
      ))}
    </div>
  );
}

/** "Deleted common.h · Undo", while the last delete or replacement can be undone. */
export function UndoNote() {
  const entry = usePlayground((s) => s.undoEntry);
  const undo = usePlayground((s) => s.undo);
  const dismiss = usePlayground((s) => s.dismissUndo);
  if (!entry) return null;
  return (
    <div className="undo-note" role="status">
      <span>{entry.what}.</span>
      <button type="button" className="link" onClick={undo}>Undo</button>
      <button type="button" className="tab-action" aria-label="Dismiss" onClick={dismiss}>×</button>
    </div>
  );
}
