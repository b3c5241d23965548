import { describe, expect, it } from 'vitest';
import { fileKind, fileNameProblem, freeName, languageOf, starterText } from './files';

describe('fileKind and languageOf', () => {
  it('go by the extension', () => {
    expect(['prog.bpf.c', 'vmlinux.h', 'prog.s', 'boot.S', 'x.asm', 'notes.txt', 'Makefile', '.c'].map(fileKind))
      .toEqual(['c', 'header', 'asm', 'asm', 'asm', 'text', 'text', 'text']);
    expect(['prog.bpf.c', 'a.h', 'prog.s', 'README'].map(languageOf)).toEqual(['c', 'c', 'bpf-asm', 'plaintext']);
  });
});

describe('fileNameProblem', () => {
  const existing = ['prog.bpf.c', 'prog.s'];
  it('accepts plain names and folders', () => {
    expect(fileNameProblem('common.h', existing)).toBeNull();
    expect(fileNameProblem('net/hdr-v2.h', existing)).toBeNull();
  });
  it('refuses empty, duplicate, hidden, odd and overlong names', () => {
    expect(fileNameProblem('', existing)).toMatch(/needs a name/);
    expect(fileNameProblem('prog.s', existing)).toMatch(/already exists/);
    expect(fileNameProblem('.hidden', existing)).toMatch(/letters/);
    expect(fileNameProblem('../etc/passwd', existing)).toMatch(/letters/);
    expect(fileNameProblem('a b.c', existing)).toMatch(/letters/);
    expect(fileNameProblem('<img src=x>.h', existing)).toMatch(/letters/);
    expect(fileNameProblem('a//b.h', existing)).toMatch(/letters/);
    expect(fileNameProblem(`${'x'.repeat(99)}.h`, existing)).toMatch(/at most 100/);
  });
  it('lets a file keep its own name when renaming', () => {
    expect(fileNameProblem('prog.s', existing, 'prog.s')).toBeNull();
  });
});

describe('freeName and starterText', () => {
  it('numbers a taken name', () => {
    expect(freeName('header.h', ['header.h', 'header2.h'])).toBe('header3.h');
    expect(freeName('x', ['x'])).toBe('x2');
    expect(freeName('new.s', [])).toBe('new.s');
  });
  it('starts a header with an include guard and C with the usual includes', () => {
    expect(starterText('net/hdr.h')).toBe('#ifndef NET_HDR_H\n#define NET_HDR_H\n\n#endif\n');
    expect(starterText('prog.bpf.c')).toContain('#include <bpf/bpf_helpers.h>');
    expect(starterText('t.s')).toContain('exit');
  });
});
