/**
 * What of a playground survives a reload, and how old saved forms are read.
 *
 * The saved form is versioned. `readSaved` parses, walks the migrations from the saved
 * version to `CURRENT_VERSION`, then validates field by field: a field that is missing or
 * malformed takes its default, the rest is kept (a damaged theme must not cost the user
 * their program; one file with a bad name must not cost them the others). A version newer
 * than this code knows is not read, and is not overwritten either (an older tab must not
 * destroy a newer tab's work).
 *
 * The same validation reads workspaces from share links: nothing in a saved form is
 * trusted because it has the right shape.
 *
 * Only a whitelist of fields is written (`toSaved`): results, errors and UI focus are
 * recomputed, never stored.
 */
import { fileNameProblem, MAX_FILES, type WorkspaceFile } from '../workspace/files';

export const CURRENT_VERSION = 3;

export type SavedFile = WorkspaceFile;

export type Theme = 'dark' | 'light';

/** Version 1: one or more files, the active one, the example they came from, view options. */
export interface SavedV1 {
  version: 1;
  editor: {
    files: SavedFile[];
    activeFile: string;
    exampleId: string | null;
  };
  view: {
    theme: Theme;
    /** llvm-objdump `--mcpu=v3` (ALU32 forms) rather than the default CPU. */
    llvmAlu32: boolean;
  };
}

/** An object imported with "Import .o". */
export interface SavedObject {
  name: string;
  /** The file's bytes, base64. */
  base64: string;
}

/** A verifier log imported from a real kernel. */
export interface SavedKernelLog {
  name: string;
  text: string;
}

/**
 * Version 2: version 1 plus the inputs that are not files (an imported object, an
 * imported kernel log) and the time of the save, so the newer of two copies wins.
 */
export interface SavedV2 extends Omit<SavedV1, 'version'> {
  version: 2;
  /** `Date.now()` of the save. */
  savedAt?: number;
  inputs: {
    object: SavedObject | null;
    kernelLog: SavedKernelLog | null;
  };
}

/** The inputs of runs: packet and context bytes (hex), and the "Run N times" count. */
export interface SavedRunInputs {
  packet: string;
  ctx: Record<string, string>;
  repeat: number;
}

/** Version 3: version 2 plus the inputs of runs (Input panel). */
export interface SavedV3 extends Omit<SavedV2, 'version' | 'inputs'> {
  version: 3;
  inputs: SavedV2['inputs'] & { run: SavedRunInputs | null };
}

export type Saved = SavedV3;

/** Migrations by the version they start from: `MIGRATIONS[n]` turns version n into n + 1. */
export type Migrations = Record<number, (old: Record<string, unknown>) => Record<string, unknown>>;

export const MIGRATIONS: Migrations = {
  // Version 2 added `inputs`; nothing of version 1 changes meaning.
  1: (old) => ({ ...old, inputs: { object: null, kernelLog: null } }),
  // Version 3 added `inputs.run`; absent means the default inputs.
  2: (old) => ({ ...old, inputs: { ...(isObj(old.inputs) ? old.inputs : {}), run: null } }),
};

export type ReadResult =
  | { kind: 'none' }
  | { kind: 'ok'; saved: Saved; repaired: string[] }
  /**
   * Not readable. `preserve`: saved by a newer bpfplay, so it must not be overwritten;
   * otherwise it is damaged and the next save replaces it.
   */
  | { kind: 'unusable'; reason: string; preserve: boolean };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export type MigrateResult = { ok: true; data: Record<string, unknown> } | { ok: false; reason: string; newer?: boolean };

/** Brings a parsed saved object to the current version. */
export function migrate(data: Record<string, unknown>, migrations: Migrations = MIGRATIONS, current = CURRENT_VERSION): MigrateResult {
  let v = data.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) return { ok: false, reason: `unknown version ${JSON.stringify(v)}` };
  if (v > current) return { ok: false, reason: `saved by a newer bpfplay (version ${v}; this one reads up to ${current})`, newer: true };
  let out = data;
  while (v < current) {
    const step = migrations[v];
    if (!step) return { ok: false, reason: `no migration from version ${v}` };
    v++;
    out = { ...step(out), version: v };
  }
  return { ok: true, data: out };
}

export function readSaved(raw: string | null, defaults: Saved, migrations: Migrations = MIGRATIONS): ReadResult {
  if (raw === null) return { kind: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'unusable', reason: 'not JSON', preserve: false };
  }
  return readSavedValue(parsed, defaults, migrations);
}

/** `readSaved` of an already parsed value. */
export function readSavedValue(parsed: unknown, defaults: Saved, migrations: Migrations = MIGRATIONS): ReadResult {
  if (!isObj(parsed)) return { kind: 'unusable', reason: 'not an object', preserve: false };
  const m = migrate(parsed, migrations);
  return m.ok ? validate(m.data, defaults) : { kind: 'unusable', reason: m.reason, preserve: m.newer === true };
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX_RE = /^(?:[0-9a-f]{2})*$/;
/** The most packet bytes a test run takes (a page), and context bytes kept per layout. */
const MAX_PACKET_HEX = 2 * 4096;
const MAX_CTX_HEX = 2 * 1024;

/** Run inputs from untrusted data: whole and well-formed, or null. */
export function readRunInputs(v: unknown): SavedRunInputs | null {
  if (!isObj(v) || typeof v.packet !== 'string' || !HEX_RE.test(v.packet) || v.packet.length > MAX_PACKET_HEX) return null;
  if (!isObj(v.ctx) || !Number.isInteger(v.repeat) || (v.repeat as number) < 1 || (v.repeat as number) > 10_000_000) return null;
  const ctx: Record<string, string> = {};
  for (const [k, x] of Object.entries(v.ctx)) {
    if (!/^[a-z_]{1,20}$/.test(k) || typeof x !== 'string' || !HEX_RE.test(x) || x.length > MAX_CTX_HEX) return null;
    ctx[k] = x;
  }
  return { packet: v.packet, ctx, repeat: v.repeat as number };
}

/** Field-by-field check of a current-version object; bad fields take defaults. */
function validate(data: Record<string, unknown>, defaults: Saved): ReadResult {
  const repaired: string[] = [];
  const editor = isObj(data.editor) ? data.editor : (repaired.push('editor'), {});
  const view = isObj(data.view) ? data.view : (repaired.push('view'), {});

  let files = defaults.editor.files;
  if (Array.isArray(editor.files)) {
    // Each file on its own: one with a bad name or text is dropped, the others kept.
    const list: SavedFile[] = [];
    for (const f of editor.files.slice(0, MAX_FILES)) {
      if (!isObj(f) || typeof f.name !== 'string' || typeof f.text !== 'string') continue;
      if (fileNameProblem(f.name, list.map((g) => g.name)) !== null) continue;
      list.push({ name: f.name, text: f.text });
    }
    if (list.length !== editor.files.length) repaired.push('editor.files');
    if (list.length) files = list;
  } else if (isObj(data.editor)) repaired.push('editor.files');

  let activeFile = files[0].name;
  if (typeof editor.activeFile === 'string' && files.some((f) => f.name === editor.activeFile)) activeFile = editor.activeFile;
  else if (isObj(data.editor)) repaired.push('editor.activeFile');

  let exampleId: string | null = null;
  if (typeof editor.exampleId === 'string' || editor.exampleId === null) exampleId = editor.exampleId;
  else if (isObj(data.editor)) repaired.push('editor.exampleId');

  let theme = defaults.view.theme;
  if (view.theme === 'dark' || view.theme === 'light') theme = view.theme;
  else if (isObj(data.view)) repaired.push('view.theme');

  let llvmAlu32 = defaults.view.llvmAlu32;
  if (typeof view.llvmAlu32 === 'boolean') llvmAlu32 = view.llvmAlu32;
  else if (isObj(data.view)) repaired.push('view.llvmAlu32');

  const inputs = isObj(data.inputs) ? data.inputs : (repaired.push('inputs'), {});
  let object: SavedObject | null = null;
  const o = inputs.object;
  if (isObj(o) && typeof o.name === 'string' && typeof o.base64 === 'string' && BASE64_RE.test(o.base64)) object = { name: o.name, base64: o.base64 };
  else if (o !== null && o !== undefined) repaired.push('inputs.object');
  let kernelLog: SavedKernelLog | null = null;
  const l = inputs.kernelLog;
  if (isObj(l) && typeof l.name === 'string' && typeof l.text === 'string') kernelLog = { name: l.name, text: l.text };
  else if (l !== null && l !== undefined) repaired.push('inputs.kernelLog');

  let run: SavedRunInputs | null = null;
  if (inputs.run !== null && inputs.run !== undefined) {
    run = readRunInputs(inputs.run);
    if (!run) repaired.push('inputs.run');
  }

  const saved: Saved = { version: 3, editor: { files, activeFile, exampleId }, view: { theme, llvmAlu32 }, inputs: { object, kernelLog, run } };
  if (typeof data.savedAt === 'number' && Number.isFinite(data.savedAt)) saved.savedAt = data.savedAt;
  return { kind: 'ok', saved, repaired };
}
