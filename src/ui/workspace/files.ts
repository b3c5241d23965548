/**
 * The files of a workspace: what kind each one is (by its extension, as clang and the
 * assembler would see it) and which names are acceptable. Pure, tested in Node.
 */

export interface WorkspaceFile {
  name: string;
  text: string;
}

/** `c`: a C translation unit; `header`: included by one; `asm`: BPF assembly; `text`: anything else. */
export type FileKind = 'c' | 'header' | 'asm' | 'text';

const KIND_BY_EXT: Readonly<Record<string, FileKind>> = {
  c: 'c',
  h: 'header',
  s: 'asm',
  S: 'asm',
  asm: 'asm',
};

export function fileKind(name: string): FileKind {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'text';
  return KIND_BY_EXT[name.slice(dot + 1)] ?? 'text';
}

/** The Monaco language of a file. */
export function languageOf(name: string): 'c' | 'bpf-asm' | 'plaintext' {
  const k = fileKind(name);
  return k === 'c' || k === 'header' ? 'c' : k === 'asm' ? 'bpf-asm' : 'plaintext';
}

export const MAX_FILE_NAME = 100;
export const MAX_FILES = 32;

/**
 * Path segments of letters, digits, `_`, `-`, `+`, `.`, not starting with a dot: what
 * `#include "net/hdr.h"` can name, and nothing that means something to a shell, a URL or
 * HTML.
 */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/;

/** Why `name` cannot be a new file's name (among `existing`), or null when it can. */
export function fileNameProblem(name: string, existing: readonly string[], renaming?: string): string | null {
  if (name === '') return 'a file needs a name';
  if (name.length > MAX_FILE_NAME) return `a file name has at most ${MAX_FILE_NAME} characters`;
  if (!NAME_RE.test(name)) return 'use letters, digits, _ - + . and / between folder names (not first)';
  if (name !== renaming && existing.includes(name)) return `${name} already exists`;
  return null;
}

/** A name like `header.h`, `header2.h`, ... that is not taken. */
export function freeName(wanted: string, existing: readonly string[]): string {
  if (!existing.includes(wanted)) return wanted;
  const dot = wanted.lastIndexOf('.');
  const stem = dot > 0 ? wanted.slice(0, dot) : wanted;
  const ext = dot > 0 ? wanted.slice(dot) : '';
  for (let n = 2; ; n++) {
    const candidate = `${stem}${n}${ext}`;
    if (!existing.includes(candidate)) return candidate;
  }
}

/** What a new file starts with, by kind. */
export function starterText(name: string): string {
  switch (fileKind(name)) {
    case 'c':
      return '// SPDX-License-Identifier: GPL-2.0\n#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n\n';
    case 'header': {
      const guard = `${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
      return `#ifndef ${guard}\n#define ${guard}\n\n#endif\n`;
    }
    case 'asm':
      return '; BPF assembly\n.section socket\n\n    r0 = 0\n    exit\n';
    default:
      return '';
  }
}
