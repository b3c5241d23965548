import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countDiagnostics, parseClangDiagnostics } from './diagnostics';

// stderr recorded from clang-19 (test/golden/clang-diagnostics/RECORDED_WITH.md).
const rec = (name: string) => readFileSync(new URL(`../../../test/golden/clang-diagnostics/${name}`, import.meta.url), 'utf8');

describe('parseClangDiagnostics', () => {
  it('reads errors, ranges, notes and the include chain', () => {
    const ds = parseClangDiagnostics(rec('bad.stderr'));
    expect(ds.map((d) => [d.file, d.line, d.column, d.severity])).toEqual([
      ['./inc.h', 1, 44, 'error'],
      ['bad.bpf.c', 11, 67, 'error'],
      ['bad.bpf.c', 11, 9, 'error'],
    ]);
    expect(ds[0].message).toBe('expected expression');
    expect(ds[0].includedFrom).toEqual([{ file: 'bad.bpf.c', line: 3 }]);
    expect(ds[1].ranges).toEqual([{ startLine: 11, startCol: 52, endLine: 11, endCol: 63 }, { startLine: 11, startCol: 67, endLine: 11, endCol: 68 }]);
    expect(ds[1].notes).toHaveLength(1);
    expect(ds[1].notes[0]).toMatchObject({ file: './inc.h', line: 1, column: 12, severity: 'note', message: "'helper_in_h' declared here" });
    expect(ds[2].message).toBe("use of undeclared identifier 'undeclared_var'");
    expect(countDiagnostics(ds)).toEqual({ errors: 3, warnings: 0 });
  });

  it('reads fix-its and warning options', () => {
    const ds = parseClangDiagnostics(rec('warning.stderr'));
    expect(ds.map((d) => [d.severity, d.option])).toEqual([['warning', '-Wparentheses'], ['warning', '-Wunused-variable']]);
    expect(ds[0].notes.map((n) => n.fixits)).toEqual([
      [{ file: 'warn.c', range: { startLine: 1, startCol: 32, endLine: 1, endCol: 32 }, text: '(' },
        { file: 'warn.c', range: { startLine: 1, startCol: 37, endLine: 1, endCol: 37 }, text: ')' }],
      [{ file: 'warn.c', range: { startLine: 1, startCol: 34, endLine: 1, endCol: 35 }, text: '==' }],
    ]);
    const fix = parseClangDiagnostics(rec('fix.stderr'));
    expect(fix[0].fixits).toEqual([{ file: 'fix.c', range: { startLine: 1, startCol: 24, endLine: 1, endCol: 24 }, text: ';' }]);
  });

  it('reads backend errors and driver errors without a location', () => {
    const stack = parseClangDiagnostics(rec('stack.stderr'));
    expect(stack[0]).toMatchObject({ file: 'stack.bpf.c', line: 8, column: 9, severity: 'error' });
    expect(stack[0].message).toMatch(/^Looks like the BPF stack limit is exceeded/);
    const missing = parseClangDiagnostics(rec('missing.stderr'));
    expect(missing.map((d) => [d.file, d.severity, d.message])).toEqual([
      ['', 'error', "no such file or directory: 'nonexist.c'"],
      ['', 'error', 'no input files'],
    ]);
  });

  it('ignores what is not a diagnostic', () => {
    expect(parseClangDiagnostics('   10 |   x = 1;\n      |   ^\n2 errors generated.\n')).toEqual([]);
  });
});
