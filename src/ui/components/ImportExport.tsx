/**
 * Bringing files in and out: "Import .o" (file picker, or a file dropped anywhere on the
 * playground) and "Export .o" (the assembled program as an object file).
 */
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { usePlayground, usePlaygroundHandle } from '../store/context';
import type { PlaygroundState } from '../store/create-store';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
export const isElf = (b: Uint8Array): boolean => ELF_MAGIC.every((x, k) => b[k] === x);

export async function fileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** Offers bytes as a download named `fileName`. */
export function downloadBytes(bytes: Uint8Array, fileName: string, type = 'application/x-object'): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Text, not binary: no NUL bytes and valid UTF-8 in the first 64 KB. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 65536);
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? head.subarray(0, head.lastIndexOf(10) + 1 || head.length) : head);
    return true;
  } catch {
    return false;
  }
}

/**
 * What to do with a file the user gave us: an ELF object is imported as an object, a
 * text file as a verifier log; returns a problem or null.
 */
export async function importFile(s: PlaygroundState, file: File): Promise<string | null> {
  const bytes = await fileBytes(file);
  if (isElf(bytes)) return s.importObject(file.name, bytes);
  if (looksLikeText(bytes)) return s.importLog(file.name, new TextDecoder().decode(bytes));
  return `${file.name} is neither an ELF object nor a text log (Import .o reads objects made by clang -target bpf)`;
}

export function ImportObjectButton({ onProblem }: { onProblem(p: string | null): void }) {
  const { store } = usePlaygroundHandle();
  const input = useRef<HTMLInputElement | null>(null);
  return (
    <>
      <button type="button" className="button" onClick={() => input.current?.click()} title="Open an ELF object compiled with clang -target bpf">
        Import .o
      </button>
      <input
        ref={input}
        type="file"
        accept=".o,application/x-object,application/octet-stream"
        hidden
        data-testid="import-object-input"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onProblem(await importFile(store.getState(), file));
        }}
      />
    </>
  );
}

export function ExportObjectButton({ onProblem }: { onProblem(p: string | null): void }) {
  const { store } = usePlaygroundHandle();
  const can = usePlayground((s) => s.asm.file !== null && s.asm.problem === null && (s.asm.view?.rows.length ?? 0) > 0);
  return (
    <button
      type="button"
      className="button"
      disabled={!can}
      title={can ? 'Download the assembled program as an ELF object (loads with bpftool / libbpf)' : 'Nothing assembled to export'}
      onClick={async () => {
        const s = store.getState();
        const file = s.asm.file;
        const text = s.files.find((f) => f.name === file)?.text;
        if (file === null || text === undefined) return;
        // The object writer is its own chunk: only exporting needs it.
        const { assembledObject } = await import('../assembly/export-object');
        const out = assembledObject(text, file);
        if (out.ok) { downloadBytes(out.bytes, out.fileName); onProblem(null); } else onProblem(out.problem);
      }}
    >
      Export .o
    </button>
  );
}

/** The playground as a drop target for files. */
export function DropZone({ children, onProblem }: { children: ReactNode; onProblem(p: string | null): void }) {
  const { store } = usePlaygroundHandle();
  const [over, setOver] = useState(false);
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  return (
    <div
      className={`drop-zone ${over ? 'drag-over' : ''}`}
      onDragOver={(e) => { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; setOver(true); } }}
      onDragLeave={(e) => { if (e.currentTarget === e.target || !e.currentTarget.contains(e.relatedTarget as Node)) setOver(false); }}
      onDrop={async (e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) onProblem(await importFile(store.getState(), file));
      }}
    >
      {children}
      {over && <div className="drop-overlay" aria-hidden="true">Drop a <code>.o</code> file or a verifier log to import it</div>}
    </div>
  );
}
