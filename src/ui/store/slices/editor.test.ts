import { describe, expect, it } from 'vitest';
import { ASM_EXAMPLES } from '../../examples/asm-examples';
import { createPlaygroundStore } from '../create-store';
import { pickAsmFile } from './editor';

const names = (s: { files: { name: string }[] }) => s.files.map((f) => f.name);

describe('files of a workspace', () => {
  it('adds a file with starter text and opens it; refuses bad names', () => {
    const { store } = createPlaygroundStore();
    const s = store.getState();
    expect(s.addFile('prog.bpf.c')).toBeNull();
    expect(store.getState().activeFile).toBe('prog.bpf.c');
    expect(store.getState().files.at(-1)!.text).toContain('#include <linux/bpf.h>');
    expect(s.addFile('prog.bpf.c')).toMatch(/already exists/);
    expect(s.addFile('a b.h')).toMatch(/letters/);
    expect(s.addFile('common.h', '#define X 1\n')).toBeNull();
    expect(names(store.getState())).toEqual(['prog.s', 'prog.bpf.c', 'common.h']);
  });

  it('renames, keeping the open file open and the text', () => {
    const { store } = createPlaygroundStore();
    store.getState().addFile('a.h', 'A');
    expect(store.getState().renameFile('a.h', 'b.h')).toBeNull();
    expect(store.getState().activeFile).toBe('b.h');
    expect(store.getState().files.find((f) => f.name === 'b.h')!.text).toBe('A');
    expect(store.getState().renameFile('b.h', 'prog.s')).toMatch(/already exists/);
    expect(store.getState().renameFile('nope.h', 'x.h')).toMatch(/does not exist/);
  });

  it('deletes with undo, and never the last file', () => {
    const { store } = createPlaygroundStore();
    store.getState().addFile('a.h', 'A');
    store.getState().addFile('b.h', 'B');
    store.getState().openFile('a.h');
    store.getState().deleteFile('a.h');
    expect(names(store.getState())).toEqual(['prog.s', 'b.h']);
    expect(store.getState().activeFile).toBe('b.h');
    expect(store.getState().undoEntry?.what).toBe('Deleted a.h');
    store.getState().undo();
    expect(names(store.getState())).toEqual(['prog.s', 'a.h', 'b.h']);
    expect(store.getState().activeFile).toBe('a.h');
    expect(store.getState().undoEntry).toBeNull();
    store.getState().deleteFile('a.h');
    store.getState().deleteFile('b.h');
    store.getState().deleteFile('prog.s');
    expect(names(store.getState())).toEqual(['prog.s']);
  });

  it('keeps the user\'s assembly for undo when an example replaces it, until it is edited again', () => {
    const { store } = createPlaygroundStore();
    store.getState().setFileText('prog.s', 'r0 = 42\nexit');
    store.getState().loadExample('bounded-loop');
    expect(store.getState().undoEntry?.what).toMatch(/Replaced prog.s/);
    store.getState().undo();
    expect(store.getState().files[0].text).toBe('r0 = 42\nexit');
    // An unedited example is not worth an undo; an edit after the replacement drops it.
    store.getState().loadExample('bounded-loop');
    store.getState().dismissUndo();
    store.getState().loadExample('xdp-bounds');
    expect(store.getState().undoEntry).toBeNull();
    store.getState().setFileText('prog.s', 'exit');
    store.getState().loadExample('bounded-loop');
    store.getState().setFileText('prog.s', 'r0 = 1\nexit');
    expect(store.getState().undoEntry).toBeNull();
  });

  it('assembles the open .s file, or the last one opened while a C file is open', () => {
    const { store } = createPlaygroundStore();
    const s = store.getState();
    s.addFile('other.s', 'r0 = 3\nexit\n');
    s.assemble();
    expect(store.getState().asm.file).toBe('other.s');
    expect(store.getState().asm.view?.rows.map((r) => r.kernel)).toEqual(['0: (b7) r0 = 3', '1: (95) exit']);
    s.addFile('x.h');
    s.assemble();
    expect(store.getState().asm.file).toBe('other.s');
    s.openFile('prog.s');
    s.assemble();
    expect(store.getState().asm.file).toBe('prog.s');
    expect(store.getState().asm.view?.rows.length).toBe(11);
    // Another file's listing is not kept as "the last good one".
    s.setFileText('other.s', 'r0 +=');
    s.openFile('other.s');
    s.assemble();
    expect(store.getState().asm).toMatchObject({ file: 'other.s', view: null, problem: { line: 1 } });
  });

  it('picks the assembly file', () => {
    const f = (...n: string[]) => n.map((name) => ({ name, text: '' }));
    expect(pickAsmFile(f('a.c', 'b.s'), 'a.c', null)).toBe('b.s');
    expect(pickAsmFile(f('a.s', 'b.s'), 'b.s', 'a.s')).toBe('b.s');
    expect(pickAsmFile(f('a.s', 'b.s', 'c.h'), 'c.h', 'b.s')).toBe('b.s');
    expect(pickAsmFile(f('a.c'), 'a.c', 'gone.s')).toBeNull();
  });

  it('reveals a line in another file by opening it', () => {
    const { store } = createPlaygroundStore();
    store.getState().addFile('a.h');
    store.getState().revealLine(3, 'prog.s');
    expect(store.getState()).toMatchObject({ activeFile: 'prog.s', focusLine: 3, reveal: { file: 'prog.s', line: 3 } });
    expect(ASM_EXAMPLES.length).toBeGreaterThan(0);
  });
});
