/**
 * Share links: the workspace's files, as JSON, compressed (deflate-raw) and base64url
 * encoded into the URL fragment (`#share=1.<data>`), so no server is involved and the
 * code never leaves the browser until the user sends the link.
 *
 * Reading a link is reading untrusted input: the size is bounded before and while
 * decompressing, and the result goes through the same field-by-field validation as a
 * saved workspace (file names checked, unknown fields ignored). The files only ever
 * become editor text; nothing from a link is run or inserted as HTML.
 */
import { CURRENT_VERSION, readRunInputs, readSavedValue, type Saved, type SavedRunInputs } from '../store/persist';
import type { WorkspaceFile } from './files';

export const SHARE_PREFIX = '#share=';
/** The format of the data after `#share=`: `1.` + base64url(deflate-raw(JSON)). */
const FORMAT = '1';
/** Longest fragment read (a URL of a few MB works in browsers, but nothing needs more). */
export const MAX_LINK_CHARS = 2_000_000;
/** Most bytes a link may decompress to (a zip bomb stops here). */
export const MAX_SHARED_BYTES = 8 * 1024 * 1024;

export interface SharedWorkspace {
  files: WorkspaceFile[];
  activeFile: string;
  /** The inputs of runs (packet, context), when the link has them. */
  runInputs?: SavedRunInputs;
}

/** The JSON inside a link. Short keys: the link is what people paste into chats. */
interface SharePayload {
  /** Files as [name, text] pairs. */
  f: [string, string][];
  /** The file that was open. */
  a: string;
  /** The inputs of runs, when they are not the defaults. */
  r?: SavedRunInputs;
}

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

// --- base64url ---------------------------------------------------------------------

export function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('the link holds characters that are not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new ShareLinkError('the link is not valid base64url');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// --- compression -------------------------------------------------------------------

async function pipeThrough(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(stream).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ShareLinkError(`the link's workspace is larger than ${limit / (1024 * 1024)} MB`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream('deflate-raw'));
}

export async function inflateRaw(bytes: Uint8Array, limit = MAX_SHARED_BYTES): Promise<Uint8Array> {
  try {
    return await pipeThrough(bytes, new DecompressionStream('deflate-raw'), limit);
  } catch (e) {
    if (e instanceof ShareLinkError) throw e;
    throw new ShareLinkError('the link is damaged (its data does not decompress)');
  }
}

// --- links -------------------------------------------------------------------------

/** The fragment (with `#share=`) for a workspace. */
export async function encodeShare(w: SharedWorkspace): Promise<string> {
  const payload: SharePayload = { f: w.files.map((f) => [f.name, f.text]), a: w.activeFile };
  if (w.runInputs) payload.r = w.runInputs;
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  return `${SHARE_PREFIX}${FORMAT}.${toBase64Url(await deflateRaw(bytes))}`;
}

/** True when a URL fragment is a share link (whether or not it is readable). */
export const isShareFragment = (hash: string): boolean => hash.startsWith(SHARE_PREFIX);

export interface DecodedShare {
  workspace: SharedWorkspace;
  /** What the validation dropped or repaired ("editor.files": a file with a bad name). */
  repaired: string[];
  /** How many files the link named. */
  linkFiles: number;
}

/** Reads a `#share=` fragment; throws a ShareLinkError saying what is wrong with it. */
export async function decodeShare(hash: string): Promise<DecodedShare> {
  if (!isShareFragment(hash)) throw new ShareLinkError('not a share link');
  const body = hash.slice(SHARE_PREFIX.length);
  if (body.length > MAX_LINK_CHARS) throw new ShareLinkError(`the link is longer than ${MAX_LINK_CHARS} characters`);
  const dot = body.indexOf('.');
  const format = dot < 0 ? '' : body.slice(0, dot);
  if (format !== FORMAT) throw new ShareLinkError(`unknown share link format ${JSON.stringify(format.slice(0, 10))} (this bpfplay reads ${FORMAT})`);
  const bytes = await inflateRaw(fromBase64Url(body.slice(dot + 1)));
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ShareLinkError('the link is damaged (its data is not JSON)');
  }
  const p = payload as Partial<SharePayload> | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.f)) throw new ShareLinkError('the link holds no files');
  // Through the saved-workspace validation: the same rules for names and texts.
  const asSaved = {
    version: CURRENT_VERSION,
    editor: {
      files: p.f.map((e) => (Array.isArray(e) ? { name: e[0], text: e[1] } : null)),
      activeFile: p.a,
      exampleId: null,
    },
    view: {},
    inputs: {},
  };
  const sentinel: Saved = {
    version: CURRENT_VERSION,
    editor: { files: [{ name: '\0', text: '' }], activeFile: '\0', exampleId: null },
    view: { theme: 'dark', llvmAlu32: true },
    inputs: { object: null, kernelLog: null, run: null },
  };
  const r = readSavedValue(asSaved, sentinel);
  if (r.kind !== 'ok' || r.saved.editor.files[0].name === '\0') throw new ShareLinkError('the link holds no usable files');
  // Inputs that do not read are dropped; the files still open.
  const runInputs = p.r !== undefined ? readRunInputs(p.r) : null;
  return {
    workspace: { files: r.saved.editor.files, activeFile: r.saved.editor.activeFile, ...(runInputs ? { runInputs } : {}) },
    repaired: r.repaired.filter((f) => f.startsWith('editor.')),
    linkFiles: p.f.length,
  };
}

/** A short, stable id of a link's data: names the slot the shared workspace is saved in. */
export function shareId(hash: string): string {
  // Two FNV-1a 32-bit hashes with different seeds: collisions do not matter much (a
  // collision reopens another link's saved edits), 64 bits make them unlikely.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < hash.length; i++) {
    const c = hash.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 13);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
