/**
 * Where workspaces are kept: IndexedDB when the browser has it (no 5 MB limit, so an
 * imported object or a multi-megabyte verifier log fits), localStorage otherwise, memory
 * when neither works (private modes, sandboxed iframes). Each saved workspace is a JSON
 * text under a slot name (`main`, `shared`, ...).
 *
 * IndexedDB writes are asynchronous, and a tab being closed may not finish one. So the
 * page also writes a synchronous copy to localStorage when it is hidden (`writeNow`);
 * reading takes whichever copy is newer (`savedAt`).
 */

export interface WorkspaceStorage {
  readonly kind: 'indexeddb' | 'localstorage' | 'memory';
  read(slot: string): Promise<string | null>;
  /** Rejects when the text could not be stored (quota, storage disabled). */
  write(slot: string, json: string): Promise<void>;
  remove(slot: string): Promise<void>;
}

/** What localStorage offers; a Storage satisfies it. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem?(key: string): void;
}

export const LOCAL_PREFIX = 'bpfplay:';
/** The key the first versions of bpfplay saved their one workspace under. */
export const LEGACY_LOCAL_KEY = 'bpfplay:workspace';

const localKey = (slot: string) => (slot === 'main' ? LEGACY_LOCAL_KEY : `${LOCAL_PREFIX}workspace:${slot}`);

export function localStorageBackend(ls: StorageLike): WorkspaceStorage {
  return {
    kind: 'localstorage',
    read: async (slot) => ls.getItem(localKey(slot)),
    write: async (slot, json) => { ls.setItem(localKey(slot), json); },
    remove: async (slot) => { ls.removeItem?.(localKey(slot)); },
  };
}

export function memoryBackend(): WorkspaceStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    kind: 'memory',
    items,
    read: async (slot) => items.get(slot) ?? null,
    write: async (slot, json) => { items.set(slot, json); },
    remove: async (slot) => { items.delete(slot); },
  };
}

const DB_NAME = 'bpfplay';
const DB_VERSION = 1;
const STORE = 'workspaces';

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });

/** Opens (creating on first use) the bpfplay database; rejects when IndexedDB is unusable. */
export async function indexedDbBackend(idb: IDBFactory, dbName = DB_NAME): Promise<WorkspaceStorage> {
  const open = idb.open(dbName, DB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
  };
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB cannot be opened'));
    open.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
  // Another tab upgrading the schema: let it, this tab falls back to what it has.
  db.onversionchange = () => db.close();
  const tx = (mode: IDBTransactionMode) => db.transaction(STORE, mode).objectStore(STORE);
  const done = (t: IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      t.oncomplete = () => resolve();
      t.onabort = t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
    });
  return {
    kind: 'indexeddb',
    read: async (slot) => {
      const v = await request(tx('readonly').get(slot));
      return typeof v === 'string' ? v : null;
    },
    write: async (slot, json) => {
      const store = tx('readwrite');
      store.put(json, slot);
      await done(store.transaction);
    },
    remove: async (slot) => {
      const store = tx('readwrite');
      store.delete(slot);
      await done(store.transaction);
    },
  };
}

/** `savedAt` of a saved JSON text, 0 when absent or unreadable. */
export function savedAtOf(json: string | null): number {
  if (json === null) return -1;
  const m = /"savedAt":\s*(\d+)/.exec(json.slice(0, 200));
  if (m) return Number(m[1]);
  try {
    const v = (JSON.parse(json) as { savedAt?: unknown }).savedAt;
    return typeof v === 'number' ? v : 0;
  } catch {
    return 0;
  }
}

/**
 * The storage a page uses: IndexedDB with a localStorage copy written on page hide, or
 * localStorage alone, or memory. `read` returns the newer of the two copies.
 */
export interface PageStorage {
  readonly kind: WorkspaceStorage['kind'];
  read(slot: string): Promise<string | null>;
  write(slot: string, json: string): Promise<void>;
  remove(slot: string): Promise<void>;
  /** A synchronous best-effort copy (page hide); false when it did not fit. */
  writeNow(slot: string, json: string): boolean;
}

export function pageStorage(primary: WorkspaceStorage, ls: StorageLike | null): PageStorage {
  const local = ls ? localStorageBackend(ls) : null;
  return {
    kind: primary.kind,
    async read(slot) {
      const a = await primary.read(slot).catch(() => null);
      if (!local || primary.kind === 'localstorage') return a;
      const b = await local.read(slot).catch(() => null);
      return savedAtOf(b) > savedAtOf(a) ? b : a;
    },
    write: (slot, json) => primary.write(slot, json),
    async remove(slot) {
      await primary.remove(slot);
      if (local && primary.kind !== 'localstorage') await local.remove(slot).catch(() => undefined);
    },
    writeNow(slot, json) {
      if (!ls) return false;
      try {
        ls.setItem(localKey(slot), json);
        return true;
      } catch {
        return false; // over quota: the IndexedDB copy is what there is
      }
    },
  };
}

/** IndexedDB if it opens, else localStorage if it works, else memory. */
export async function openPageStorage(env: { indexedDB?: IDBFactory; localStorage?: StorageLike | null }): Promise<PageStorage> {
  let ls: StorageLike | null = null;
  try {
    ls = env.localStorage ?? null;
    ls?.getItem(LEGACY_LOCAL_KEY);
  } catch {
    ls = null; // disabled by the browser's privacy settings
  }
  if (env.indexedDB) {
    try {
      return pageStorage(await indexedDbBackend(env.indexedDB), ls);
    } catch {
      // Unusable (some private modes): fall through.
    }
  }
  if (ls) return pageStorage(localStorageBackend(ls), null);
  return pageStorage(memoryBackend(), null);
}
