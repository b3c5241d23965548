import { afterEach, describe, expect, it, vi } from 'vitest';
import { ASM_EXAMPLES } from '../examples/asm-examples';
import { createPlaygroundStore, DEFAULT_STORAGE_KEY } from './create-store';
import type { StorageLike } from './persist';
import { activeText } from './slices/editor';
import { asmIsStale } from './slices/build';

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  writes = 0;
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.writes++; this.items.set(k, v); }
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

  it('saves the work after a pause and restores it in a new store', () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    const p = createPlaygroundStore({ storage, saveDelayMs: 200 });
    p.store.getState().setFileText('prog.s', 'r0 = 1\nexit');
    p.store.getState().setTheme('light');
    vi.advanceTimersByTime(199);
    expect(storage.writes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(storage.writes).toBe(1);
    const q = createPlaygroundStore({ storage });
    expect(q.restored.kind).toBe('ok');
    expect(activeText(q.store.getState())).toBe('r0 = 1\nexit');
    expect(q.store.getState().theme).toBe('light');
    expect(q.store.getState().asm.view?.rows).toHaveLength(2);
  });

  it('writes pending changes on saveNow and dispose, and nothing when nothing changed', () => {
    const storage = new MemoryStorage();
    const p = createPlaygroundStore({ storage, saveDelayMs: 10_000 });
    p.saveNow();
    expect(storage.writes).toBe(0);
    p.store.getState().loadExample('bounded-loop');
    p.dispose();
    expect(JSON.parse(storage.getItem(DEFAULT_STORAGE_KEY)!).editor.exampleId).toBe('bounded-loop');
    p.store.getState().setTheme('light');
    p.saveNow();
    expect(storage.writes).toBe(1 + 1); // dispose stops the subscription, not saveNow
  });

  it('does not overwrite a workspace saved by a newer version', () => {
    const storage = new MemoryStorage();
    storage.setItem(DEFAULT_STORAGE_KEY, JSON.stringify({ version: 99, anything: true }));
    const p = createPlaygroundStore({ storage });
    expect(p.restored).toMatchObject({ kind: 'unusable', preserve: true });
    p.store.getState().setFileText('prog.s', 'exit');
    p.saveNow();
    expect(JSON.parse(storage.getItem(DEFAULT_STORAGE_KEY)!).version).toBe(99);
  });

  it('keeps working when storage throws', () => {
    const storage: StorageLike = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
    const p = createPlaygroundStore({ storage });
    expect(p.restored.kind).toBe('unusable');
    p.store.getState().setFileText('prog.s', 'exit');
    expect(() => p.saveNow()).not.toThrow();
  });
});
