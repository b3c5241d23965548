import { describe, expect, it } from 'vitest';
import { LEGACY_LOCAL_KEY, memoryBackend, openPageStorage, pageStorage, savedAtOf, type StorageLike } from './storage';

class FakeLocalStorage implements StorageLike {
  items = new Map<string, string>();
  quota = Infinity;
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) {
    if (v.length > this.quota) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(k, v);
  }
  removeItem(k: string) { this.items.delete(k); }
}

const at = (t: number, text = 'x') => JSON.stringify({ version: 2, savedAt: t, text });

describe('savedAtOf', () => {
  it('reads the time of a save, 0 without one, -1 for nothing', () => {
    expect(savedAtOf(at(1234))).toBe(1234);
    expect(savedAtOf('{"version":1}')).toBe(0);
    expect(savedAtOf('not json')).toBe(0);
    expect(savedAtOf(null)).toBe(-1);
  });
});

describe('pageStorage', () => {
  it('reads the newer of the primary copy and the page-hide copy', async () => {
    const primary = memoryBackend();
    const ls = new FakeLocalStorage();
    const s = pageStorage(primary, ls);
    await s.write('main', at(100, 'primary'));
    expect(s.writeNow('main', at(200, 'on hide'))).toBe(true);
    expect(JSON.parse((await s.read('main'))!).text).toBe('on hide');
    await s.write('main', at(300, 'primary again'));
    expect(JSON.parse((await s.read('main'))!).text).toBe('primary again');
  });

  it('takes over what the first playground saved in localStorage', async () => {
    const ls = new FakeLocalStorage();
    ls.setItem(LEGACY_LOCAL_KEY, '{"version":1,"editor":{}}');
    const s = pageStorage(memoryBackend(), ls);
    expect(await s.read('main')).toBe('{"version":1,"editor":{}}');
    expect(await s.read('shared')).toBeNull();
  });

  it('says when the page-hide copy does not fit', () => {
    const ls = new FakeLocalStorage();
    ls.quota = 10;
    expect(pageStorage(memoryBackend(), ls).writeNow('main', at(1))).toBe(false);
    expect(pageStorage(memoryBackend(), null).writeNow('main', at(1))).toBe(false);
  });

  it('keeps slots apart and removes them', async () => {
    const ls = new FakeLocalStorage();
    const s = pageStorage(memoryBackend(), ls);
    await s.write('main', at(1, 'mine'));
    await s.write('shared', at(2, 'theirs'));
    s.writeNow('shared', at(3, 'theirs, later'));
    expect(JSON.parse((await s.read('main'))!).text).toBe('mine');
    await s.remove('shared');
    expect(await s.read('shared')).toBeNull();
  });
});

describe('openPageStorage', () => {
  it('falls back to localStorage without IndexedDB, and to memory without either', async () => {
    const ls = new FakeLocalStorage();
    expect((await openPageStorage({ localStorage: ls })).kind).toBe('localstorage');
    const denied: StorageLike = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const mem = await openPageStorage({ localStorage: denied });
    expect(mem.kind).toBe('memory');
    await mem.write('main', 'x');
    expect(await mem.read('main')).toBe('x');
  });

  it('falls back when IndexedDB refuses to open', async () => {
    const failing = {
      open() {
        const req: Record<string, unknown> = { error: new DOMException('no', 'InvalidStateError') };
        queueMicrotask(() => (req.onerror as () => void)());
        return req;
      },
    } as unknown as IDBFactory;
    expect((await openPageStorage({ indexedDB: failing, localStorage: new FakeLocalStorage() })).kind).toBe('localstorage');
  });
});
