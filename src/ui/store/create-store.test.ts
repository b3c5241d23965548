import { afterEach, describe, expect, it, vi } from 'vitest';
import { ASM_EXAMPLES } from '../examples/asm-examples';
import { createPlaygroundStore } from './create-store';
import { activeText } from './slices/editor';
import { asmIsStale } from './slices/build';

/** One storage slot in memory, counting writes. */
class MemorySlot {
  text: string | null = null;
  writes = 0;
  save = async (json: string) => { this.writes++; this.text = json; };
}

afterEach(() => { vi.useRealTimers(); });

describe('createPlaygroundStore', () => {
  it('starts from the default example, already assembled', () => {
    const { store } = createPlaygroundStore();
    const s = store.getState();
    expect(s.exampleId).toBe(ASM_EXAMPLES[0].id);
    expect(activeText(s)).toBe(ASM_EXAMPLES[0].source);
    expect(s.asm.view?.rows.length).toBeGreaterThan(5);
    expect(s.asm.problem).toBeNull();
  });

  it('gives each mount its own state', () => {
    const a = createPlaygroundStore({ exampleId: 'xdp-bounds' });
    const b = createPlaygroundStore({ exampleId: 'bounded-loop' });
    a.store.getState().setFileText('prog.s', 'exit');
    expect(activeText(b.store.getState())).toBe(ASM_EXAMPLES.find((e) => e.id === 'bounded-loop')!.source);
  });

  it('keeps the last good listing, marked stale, while the source has an error', () => {
    const { store } = createPlaygroundStore();
    const s = store.getState();
    s.setFileText('prog.s', 'r0 = 7\nexit');
    s.assemble();
    const good = store.getState().asm.view;
    expect(good?.rows.map((r) => r.kernel)).toEqual(['0: (b7) r0 = 7', '1: (95) exit']);
    s.setFileText('prog.s', 'r0 = 7\nr0 +=\nexit');
    s.assemble();
    const t = store.getState();
    expect(t.asm.view).toBe(good);
    expect(t.asm.problem).toMatchObject({ line: 2 });
    expect(asmIsStale(t)).toBe(true);
  });

  it('re-disassembles when the llvm-objdump mode changes', () => {
    const { store } = createPlaygroundStore();
    store.getState().setFileText('prog.s', '*(u32 *)(r10 -4) = r1\nexit');
    store.getState().assemble();
    expect(store.getState().asm.view?.rows[0].llvm).toBe('*(u32 *)(r10 - 0x4) = w1');
    store.getState().setLlvmAlu32(false);
    store.getState().assemble();
    expect(store.getState().asm.view?.rows[0].llvm).toBe('*(u32 *)(r10 - 0x4) = r1');
  });

  it('saves the work after a pause and restores it in a new store', async () => {
    vi.useFakeTimers();
    const storage = new MemorySlot();
    const p = createPlaygroundStore({ save: storage.save, saveDelayMs: 200 });
    p.store.getState().setFileText('prog.s', 'r0 = 1\nexit');
    p.store.getState().setTheme('light');
    vi.advanceTimersByTime(199);
    expect(storage.writes).toBe(0);
    vi.advanceTimersByTime(1);
    await p.saveNow();
    expect(storage.writes).toBe(1);
    expect(JSON.parse(storage.text!)).toMatchObject({ version: 3, savedAt: expect.any(Number) });
    const q = createPlaygroundStore({ saved: storage.text });
    expect(q.restored.kind).toBe('ok');
    expect(activeText(q.store.getState())).toBe('r0 = 1\nexit');
    expect(q.store.getState().theme).toBe('light');
    expect(q.store.getState().asm.view?.rows).toHaveLength(2);
  });

  it('saves imported inputs with the files', async () => {
    const storage = new MemorySlot();
    const p = createPlaygroundStore({ save: storage.save });
    p.store.getState().setKernelLog({ name: 'x.log', text: '0: R1=ctx() R10=fp0' });
    p.store.getState().setImportedObject({ name: 'a.o', base64: 'f0VMRg==' });
    await p.saveNow();
    const q = createPlaygroundStore({ saved: storage.text });
    expect(q.store.getState().kernelLog).toEqual({ name: 'x.log', text: '0: R1=ctx() R10=fp0' });
    expect(q.store.getState().importedObject).toEqual({ name: 'a.o', base64: 'f0VMRg==' });
  });

  it('writes pending changes on saveNow and dispose, and nothing when nothing changed', async () => {
    const storage = new MemorySlot();
    const p = createPlaygroundStore({ save: storage.save, saveDelayMs: 10_000 });
    await p.saveNow();
    expect(storage.writes).toBe(0);
    expect(p.pendingJson()).toBeNull();
    p.store.getState().loadExample('bounded-loop');
    expect(JSON.parse(p.pendingJson()!).editor.exampleId).toBe('bounded-loop');
    await p.dispose();
    expect(JSON.parse(storage.text!).editor.exampleId).toBe('bounded-loop');
    expect(p.pendingJson()).toBeNull();
    p.store.getState().setTheme('light');
    await p.saveNow();
    expect(storage.writes).toBe(1 + 1); // dispose stops the subscription, not saveNow
  });

  it('does not overwrite a workspace saved by a newer version', async () => {
    const storage = new MemorySlot();
    const newer = JSON.stringify({ version: 99, anything: true });
    const p = createPlaygroundStore({ saved: newer, save: storage.save });
    expect(p.restored).toMatchObject({ kind: 'unusable', preserve: true });
    p.store.getState().setFileText('prog.s', 'exit');
    await p.saveNow();
    expect(storage.writes).toBe(0);
    expect(p.pendingJson()).toBeNull();
  });

  it('keeps working when saving fails, says so, and tries again with the next change', async () => {
    let fail = true;
    const storage = new MemorySlot();
    const p = createPlaygroundStore({ save: (json) => (fail ? Promise.reject(new Error('quota exceeded')) : storage.save(json)) });
    p.store.getState().setFileText('prog.s', 'exit');
    await p.saveNow();
    expect(p.store.getState().saveError).toBe('quota exceeded');
    expect(p.pendingJson()).not.toBeNull();
    fail = false;
    await p.saveNow();
    expect(p.store.getState().saveError).toBeNull();
    expect(JSON.parse(storage.text!).editor.files[0].text).toBe('exit');
  });

  it('writes a repaired workspace back in its clean form', async () => {
    const storage = new MemorySlot();
    const damaged = JSON.stringify({ version: 2, editor: { files: [{ name: 'prog.s', text: 'exit' }], activeFile: 'prog.s', exampleId: null }, view: { theme: 'mauve', llvmAlu32: true }, inputs: {} });
    const p = createPlaygroundStore({ saved: damaged, save: storage.save });
    expect(p.restored).toMatchObject({ kind: 'ok', repaired: ['view.theme'] });
    await p.saveNow();
    expect(JSON.parse(storage.text!).view.theme).toBe('dark');
  });
});
