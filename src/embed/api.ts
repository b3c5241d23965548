/**
 * The postMessage API between a page and an embedded playground (an iframe of
 * embed.html, usually made by `<bpf-playground>`).
 *
 *   page → playground  { source: 'bpfplay-host', id, type: 'load', files: [{name, text}], active? }
 *                      { source: 'bpfplay-host', id, type: 'verify' }      verify now; reply when done
 *                      { source: 'bpfplay-host', id, type: 'getResults' }
 *   playground → page  { source: 'bpfplay-embed', type: 'ready' }
 *                      { source: 'bpfplay-embed', type: 'reply', id, ok: true, results } | { ..., ok: false, error }
 *                      { source: 'bpfplay-embed', type: 'results', results }   after each verification
 *
 * Messages are data: every field is checked, file names follow the workspace rules,
 * and nothing in a message is run or inserted as HTML.
 */
import { fileNameProblem, MAX_FILES, type WorkspaceFile } from '../ui/workspace/files';

export const HOST = 'bpfplay-host';
export const EMBED = 'bpfplay-embed';
/** Most text a `load` may carry. */
export const MAX_LOAD_CHARS = 4 * 1024 * 1024;

export type HostMessage =
  | { source: typeof HOST; id: number; type: 'load'; files: WorkspaceFile[]; active?: string }
  | { source: typeof HOST; id: number; type: 'verify' }
  | { source: typeof HOST; id: number; type: 'getResults' };

export interface EmbedResults {
  files: WorkspaceFile[];
  /** The assembly file's listing, or why it does not assemble. */
  assembly: { file: string; error: string | null; instructions: { pc: number; kernel: string; llvm: string; line: number }[] } | null;
  /** The last verification (bpfplay's verifier), if any. */
  verification: { accepted: boolean | null; error: string | null; errorInsn: number | null; processed: number | null; log: string } | null;
}

export type EmbedMessage =
  | { source: typeof EMBED; type: 'ready' }
  | { source: typeof EMBED; type: 'reply'; id: number; ok: true; results: EmbedResults }
  | { source: typeof EMBED; type: 'reply'; id: number; ok: false; error: string }
  | { source: typeof EMBED; type: 'results'; results: EmbedResults };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A host message, checked; or why it is not one (null: not for us at all). */
export function readHostMessage(v: unknown): { ok: true; message: HostMessage } | { ok: false; id?: number; error: string } | null {
  if (!isObj(v) || v.source !== HOST) return null;
  const id = typeof v.id === 'number' && Number.isSafeInteger(v.id) ? v.id : undefined;
  if (id === undefined) return { ok: false, error: 'message without a numeric id' };
  if (v.type === 'verify' || v.type === 'getResults') return { ok: true, message: { source: HOST, id, type: v.type } };
  if (v.type !== 'load') return { ok: false, id, error: `unknown message type ${JSON.stringify(String(v.type).slice(0, 40))}` };
  if (!Array.isArray(v.files) || v.files.length === 0) return { ok: false, id, error: 'load: files must be a non-empty list' };
  if (v.files.length > MAX_FILES) return { ok: false, id, error: `load: at most ${MAX_FILES} files` };
  const files: WorkspaceFile[] = [];
  let chars = 0;
  for (const f of v.files) {
    if (!isObj(f) || typeof f.name !== 'string' || typeof f.text !== 'string') return { ok: false, id, error: 'load: each file is {name, text}' };
    const problem = fileNameProblem(f.name, files.map((g) => g.name));
    if (problem) return { ok: false, id, error: `load: ${f.name.slice(0, 60)}: ${problem}` };
    chars += f.text.length;
    files.push({ name: f.name, text: f.text });
  }
  if (chars > MAX_LOAD_CHARS) return { ok: false, id, error: `load: more than ${MAX_LOAD_CHARS} characters of text` };
  const active = typeof v.active === 'string' && files.some((f) => f.name === v.active) ? v.active : undefined;
  return { ok: true, message: { source: HOST, id, type: 'load', files, active } };
}

export function isEmbedMessage(v: unknown): v is EmbedMessage {
  if (!isObj(v) || v.source !== EMBED) return false;
  if (v.type === 'ready') return true;
  if (v.type === 'results') return isObj(v.results);
  return v.type === 'reply' && typeof v.id === 'number' && (v.ok === true ? isObj(v.results) : v.ok === false && typeof v.error === 'string');
}
