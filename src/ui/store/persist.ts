/**
 * What of a playground survives a reload, and how old saved forms are read.
 *
 * The saved form is versioned. `readSaved` parses, walks the migrations from the saved
 * version to `CURRENT_VERSION`, then validates field by field: a field that is missing or
 * malformed takes its default, the rest is kept (a damaged theme must not cost the user
 * their program). A version newer than this code knows is not read, and is not
 * overwritten either (an older tab must not destroy a newer tab's work).
 *
 * Only a whitelist of fields is written (`toSaved`): results, errors and UI focus are
 * recomputed, never stored.
 */

export const CURRENT_VERSION = 1;

import type { WorkspaceFile } from '../workspace/files';

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

export type Saved = SavedV1;

/** Migrations by the version they start from: `MIGRATIONS[n]` turns version n into n + 1. */
export type Migrations = Record<number, (old: Record<string, unknown>) => Record<string, unknown>>;

export const MIGRATIONS: Migrations = {};

/** Where saved playgrounds live; `localStorage` satisfies it. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

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
  if (!isObj(parsed)) return { kind: 'unusable', reason: 'not an object', preserve: false };
  const m = migrate(parsed, migrations);
  return m.ok ? validate(m.data, defaults) : { kind: 'unusable', reason: m.reason, preserve: m.newer === true };
}

/** Field-by-field check of a current-version object; bad fields take defaults. */
function validate(data: Record<string, unknown>, defaults: Saved): ReadResult {
  const repaired: string[] = [];
  const editor = isObj(data.editor) ? data.editor : (repaired.push('editor'), {});
  const view = isObj(data.view) ? data.view : (repaired.push('view'), {});

  let files = defaults.editor.files;
  if (Array.isArray(editor.files) && editor.files.length > 0 && editor.files.every((f) => isObj(f) && typeof f.name === 'string' && f.name !== '' && typeof f.text === 'string')) {
    const list = editor.files as SavedFile[];
    if (new Set(list.map((f) => f.name)).size === list.length) files = list.map((f) => ({ name: f.name, text: f.text }));
    else repaired.push('editor.files');
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

  return { kind: 'ok', saved: { version: 1, editor: { files, activeFile, exampleId }, view: { theme, llvmAlu32 } }, repaired };
}

export function writeSaved(storage: StorageLike, key: string, saved: Saved): boolean {
  try {
    storage.setItem(key, JSON.stringify(saved));
    return true;
  } catch {
    // Quota exceeded or storage disabled (private mode): the session goes on unsaved.
    return false;
  }
}
