import { describe, expect, it } from 'vitest';
import { migrate, readSaved, type Migrations, type Saved } from './persist';

const defaults: Saved = {
  version: 3,
  editor: { files: [{ name: 'prog.s', text: 'exit' }], activeFile: 'prog.s', exampleId: 'x' },
  view: { theme: 'dark', llvmAlu32: true },
  inputs: { object: null, kernelLog: null, run: null },
};
const saved: Saved = {
  version: 3,
  editor: { files: [{ name: 'prog.s', text: 'r0 = 1\nexit' }, { name: 'h.h', text: '' }], activeFile: 'h.h', exampleId: null },
  view: { theme: 'light', llvmAlu32: false },
  inputs: {
    object: { name: 'a.o', base64: 'f0VMRgIBAQ==' }, kernelLog: { name: 'v.log', text: 'processed 2 insns' },
    run: { packet: '0102', ctx: { pt_regs: '00ff' }, repeat: 10 },
  },
  savedAt: 1700000000000,
};

describe('readSaved', () => {
  it('reads back what was saved', () => {
    expect(readSaved(JSON.stringify(saved), defaults)).toEqual({ kind: 'ok', saved, repaired: [] });
  });

  it('says when nothing is saved', () => {
    expect(readSaved(null, defaults)).toEqual({ kind: 'none' });
  });

  it('drops damaged data, to be overwritten', () => {
    expect(readSaved('{"version":1,', defaults)).toMatchObject({ kind: 'unusable', preserve: false });
    expect(readSaved('[1]', defaults)).toMatchObject({ kind: 'unusable', preserve: false });
    expect(readSaved('{"editor":{}}', defaults)).toMatchObject({ kind: 'unusable', reason: 'unknown version undefined', preserve: false });
  });

  it('leaves a newer version alone', () => {
    expect(readSaved(JSON.stringify({ ...saved, version: 7 }), defaults)).toEqual({
      kind: 'unusable', reason: 'saved by a newer bpfplay (version 7; this one reads up to 3)', preserve: true,
    });
  });

  it('keeps the good fields of a partly damaged workspace', () => {
    const bad = { ...saved, editor: { ...saved.editor, activeFile: 'gone.s' }, view: { theme: 'purple', llvmAlu32: false } };
    expect(readSaved(JSON.stringify(bad), defaults)).toEqual({
      kind: 'ok',
      saved: { ...saved, editor: { ...saved.editor, activeFile: 'prog.s' }, view: { theme: 'dark', llvmAlu32: false } },
      repaired: ['editor.activeFile', 'view.theme'],
    });
  });

  it('drops files with duplicate, empty or unsafe names and keeps the others', () => {
    const dup = { ...saved, editor: { ...saved.editor, files: [{ name: 'a.h', text: '1' }, { name: 'a.h', text: '2' }], activeFile: 'a.h' } };
    const r = readSaved(JSON.stringify(dup), defaults);
    expect(r.kind === 'ok' && r.saved.editor.files).toEqual([{ name: 'a.h', text: '1' }]);
    const bad = { ...saved, editor: { ...saved.editor, files: [{ name: '', text: '1' }, { name: '<script>.h', text: '2' }, { name: 'ok.s', text: '3' }, { name: 'x.c', text: 4 }] } };
    const r2 = readSaved(JSON.stringify(bad), defaults);
    expect(r2).toMatchObject({ kind: 'ok', saved: { editor: { files: [{ name: 'ok.s', text: '3' }], activeFile: 'ok.s' } } });
    expect(r2.kind === 'ok' && r2.repaired).toContain('editor.files');
    const none = { ...saved, editor: { ...saved.editor, files: [{ name: '../x', text: '' }] } };
    const r3 = readSaved(JSON.stringify(none), defaults);
    expect(r3.kind === 'ok' && r3.saved.editor.files).toEqual(defaults.editor.files);
  });

  it('checks the inputs: an object must be base64, a log text, run inputs hex and a sane count', () => {
    const bad = { ...saved, inputs: { object: { name: 'a.o', base64: '<img src=x>' }, kernelLog: { name: 'l', text: 7 }, run: { packet: 'zz', ctx: {}, repeat: 1 } } };
    expect(readSaved(JSON.stringify(bad), defaults)).toMatchObject({
      kind: 'ok', saved: { inputs: { object: null, kernelLog: null, run: null } }, repaired: ['inputs.object', 'inputs.kernelLog', 'inputs.run'],
    });
    for (const run of [{ packet: '00', ctx: { 'a b': '00' }, repeat: 1 }, { packet: '00', ctx: {}, repeat: 0 }, { packet: '0', ctx: {}, repeat: 1 }, { packet: '00'.repeat(5000), ctx: {}, repeat: 1 }]) {
      expect(readSaved(JSON.stringify({ ...saved, inputs: { ...saved.inputs, run } }), defaults)).toMatchObject({ saved: { inputs: { run: null } }, repaired: ['inputs.run'] });
    }
  });

  it('reads version 1, as the first playground saved it, through the migration', () => {
    const v1 = {
      version: 1,
      editor: { files: [{ name: 'prog.s', text: 'r0 = 2\nexit' }], activeFile: 'prog.s', exampleId: null },
      view: { theme: 'light', llvmAlu32: false },
    };
    expect(readSaved(JSON.stringify(v1), defaults)).toEqual({
      kind: 'ok',
      saved: { ...v1, version: 3, inputs: { object: null, kernelLog: null, run: null } },
      repaired: [],
    });
  });

  it('reads version 2 (before run inputs) with the default inputs', () => {
    const v2 = { ...saved, version: 2, inputs: { object: null, kernelLog: null } };
    expect(readSaved(JSON.stringify(v2), defaults)).toEqual({ kind: 'ok', saved: { ...v2, version: 3, inputs: { object: null, kernelLog: null, run: null } }, repaired: [] });
  });
});

describe('migrate', () => {
  // A made-up history, to test the walk itself: v1 had `source`, v2 `files`, v3 `view`.
  const history: Migrations = {
    1: (old) => ({ files: [{ name: 'prog.s', text: old.source }] }),
    2: (old) => ({ ...old, view: { theme: 'dark' } }),
  };

  it('walks every step from the saved version to the current one', () => {
    expect(migrate({ version: 1, source: 'exit' }, history, 3)).toEqual({
      ok: true, data: { version: 3, files: [{ name: 'prog.s', text: 'exit' }], view: { theme: 'dark' } },
    });
    expect(migrate({ version: 2, files: [] }, history, 3)).toEqual({ ok: true, data: { version: 3, files: [], view: { theme: 'dark' } } });
    expect(migrate({ version: 3, x: 1 }, history, 3)).toEqual({ ok: true, data: { version: 3, x: 1 } });
  });

  it('refuses a version it has no way forward from', () => {
    expect(migrate({ version: 1 }, {}, 2)).toEqual({ ok: false, reason: 'no migration from version 1' });
    expect(migrate({ version: 0 }, history, 3)).toMatchObject({ ok: false });
    expect(migrate({ version: 1.5 }, history, 3)).toMatchObject({ ok: false });
  });
});
