import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProtocolError, SupersededError, WorkerClient, WorkerFailure, WorkerRequestError, type WorkerEventLike, type WorkerLike } from './client';
import { isFromWorker, isToWorker, type ServiceSpec } from './protocol';
import { serveWorker, type Handlers, type WorkerScopeLike } from './serve';

// A test service: echo, a deferred method the test resolves by hand, a hang, a crash.
interface TestMethods {
  double: { params: { n: number }; result: { n: number } };
  slow: { params: { tag: string }; result: string; progress: number };
  hang: { params: null; result: never };
  fail: { params: null; result: never };
  bad: { params: null; result: { n: number } };
}
const isN = (v: unknown): v is { n: number } => typeof v === 'object' && v !== null && typeof (v as { n: unknown }).n === 'number';
const any = (v: unknown): v is never => (void v, true);
const spec: ServiceSpec<TestMethods> = {
  name: 'test',
  methods: {
    double: { params: isN, result: isN },
    slow: { params: (v): v is { tag: string } => typeof (v as { tag?: unknown })?.tag === 'string', result: (v): v is string => typeof v === 'string' },
    hang: { params: (v): v is null => v === null, result: any },
    fail: { params: (v): v is null => v === null, result: any },
    bad: { params: (v): v is null => v === null, result: isN },
  },
};

class ThrownWithFields extends Error {
  override name = 'AsmError';
  constructor(readonly line: number, readonly column: number) { super(`${line}:${column}: expected a register`); }
}

/**
 * A worker and its global scope in one process. Messages cross by structured clone on
 * a microtask, as they would between threads. `crash()` fires the worker's error event.
 */
class FakeWorker implements WorkerLike {
  terminated = false;
  readonly received: unknown[] = [];
  private listeners = new Map<string, ((e: WorkerEventLike) => void)[]>();
  private scopeListeners: ((e: { data?: unknown }) => void)[] = [];
  /** Deferred `slow` requests by tag, resolved by the test. */
  readonly deferred = new Map<string, { resolve(s: string): void; progress(n: number): void; signal: AbortSignal }>();

  constructor(handlers?: Partial<Handlers<TestMethods>>) {
    const scope: WorkerScopeLike = {
      postMessage: (m) => { const c = structuredClone(m); queueMicrotask(() => this.emit('message', { data: c })); },
      addEventListener: (_t, l) => { this.scopeListeners.push(l); },
    };
    serveWorker(spec, {
      double: ({ n }) => ({ n: 2 * n }),
      slow: ({ tag }, ctx) => new Promise<string>((resolve) => this.deferred.set(tag, { resolve, progress: ctx.progress, signal: ctx.signal })),
      hang: () => new Promise<never>(() => {}),
      fail: () => { throw new ThrownWithFields(3, 7); },
      bad: () => ({ n: 'not a number' }) as unknown as { n: number },
      ...handlers,
    }, scope);
  }
  postMessage(message: unknown): void {
    if (this.terminated) return;
    const c = structuredClone(message);
    this.received.push(c);
    queueMicrotask(() => { if (!this.terminated) for (const l of this.scopeListeners) l({ data: c }); });
  }
  terminate(): void { this.terminated = true; }
  addEventListener(type: string, listener: (e: WorkerEventLike) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** Delivers an event to the UI side even after terminate (a late message in flight). */
  emit(type: string, e: WorkerEventLike): void {
    for (const l of this.listeners.get(type) ?? []) l(e);
  }
}

function setup(opts: { timeoutMs?: number } = {}) {
  const workers: FakeWorker[] = [];
  const restarts: WorkerFailure[] = [];
  const client = new WorkerClient(spec, () => { const w = new FakeWorker(); workers.push(w); return w; }, {
    timeoutMs: opts.timeoutMs ?? 1000,
    onRestart: (f) => restarts.push(f),
  });
  return { client, workers, restarts };
}

const flush = () => new Promise<void>((r) => setTimeout(r, 0));

describe('WorkerClient', () => {
  it('resolves each request with its own reply, with increasing ids', async () => {
    const { client, workers } = setup();
    const [a, b] = await Promise.all([client.request('double', { n: 2 }), client.request('double', { n: 21 })]);
    expect(a).toEqual({ n: 4 });
    expect(b).toEqual({ n: 42 });
    expect(workers).toHaveLength(1);
    expect(workers[0].received.map((m) => (m as { id: number }).id)).toEqual([1, 2]);
    expect(client.inFlight).toBe(0);
  });

  it('routes replies that arrive out of order to the right callers', async () => {
    const { client, workers } = setup();
    const first = client.request('slow', { tag: 'first' });
    const second = client.request('slow', { tag: 'second' });
    await flush();
    workers[0].deferred.get('second')!.resolve('two');
    workers[0].deferred.get('first')!.resolve('one');
    expect(await first).toBe('one');
    expect(await second).toBe('two');
  });

  it('rejects with the error the worker threw, as data with its fields', async () => {
    const { client } = setup();
    const e = await client.request('fail', null).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerRequestError);
    expect((e as WorkerRequestError).info).toEqual({ name: 'AsmError', message: '3:7: expected a register', data: { line: 3, column: 7 } });
  });

  it('supersedes older requests on a channel and drops their late replies', async () => {
    const { client, workers } = setup();
    const old = client.request('slow', { tag: 'old' }, { channel: 'build' });
    const other = client.request('slow', { tag: 'other' }, { channel: 'run' });
    const latest = client.request('slow', { tag: 'new' }, { channel: 'build' });
    await expect(old).rejects.toBeInstanceOf(SupersededError);
    await flush();
    // The worker was told, and may stop early.
    expect(workers[0].deferred.get('old')!.signal.aborted).toBe(true);
    workers[0].deferred.get('old')!.resolve('stale');
    workers[0].deferred.get('new')!.resolve('fresh');
    workers[0].deferred.get('other')!.resolve('unrelated');
    expect(await latest).toBe('fresh');
    expect(await other).toBe('unrelated');
    expect(client.stats.dropped).toBe(1);
  });

  it('reports progress to the caller', async () => {
    const { client, workers } = setup();
    const seen: number[] = [];
    const p = client.request('slow', { tag: 'x' }, { onProgress: (n) => seen.push(n) });
    await flush();
    const d = workers[0].deferred.get('x')!;
    d.progress(10);
    d.progress(90);
    await flush();
    d.resolve('done');
    expect(await p).toBe('done');
    expect(seen).toEqual([10, 90]);
  });

  describe('with fake timers', () => {
    beforeEach(() => { vi.useFakeTimers(); });
    afterEach(() => { vi.useRealTimers(); });

    it('terminates a worker that does not answer in time and spawns a fresh one', async () => {
      const { client, workers, restarts } = setup({ timeoutMs: 500 });
      const hung = client.request('hang', null).catch((x: unknown) => x);
      const bystander = client.request('slow', { tag: 'b' }).catch((x: unknown) => x);
      await vi.advanceTimersByTimeAsync(499);
      expect(workers[0].terminated).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const e = await hung;
      expect(e).toBeInstanceOf(WorkerFailure);
      expect((e as WorkerFailure).kind).toBe('timeout');
      expect((e as Error).message).toBe('test worker did not answer hang #1 within 500 ms');
      expect((await bystander) as Error).toBeInstanceOf(WorkerFailure);
      expect(((await bystander) as Error).message).toMatch(/^slow #2 lost: test worker did not answer hang #1/);
      expect(workers[0].terminated).toBe(true);
      expect(restarts.map((r) => r.kind)).toEqual(['timeout']);
      // A late reply from the dead worker changes nothing.
      workers[0].emit('message', { data: { kind: 'reply', id: 1, ok: true, result: null } });
      expect(client.stats.dropped).toBe(1);
      const again = client.request('double', { n: 5 });
      await vi.advanceTimersByTimeAsync(0);
      expect(await again).toEqual({ n: 10 });
      expect(workers).toHaveLength(2);
      expect(client.stats.spawned).toBe(2);
    });

    it('a per-request timeout overrides the default', async () => {
      const { client } = setup({ timeoutMs: 10_000 });
      const e = client.request('hang', null, { timeoutMs: 50 }).catch((x: unknown) => x);
      await vi.advanceTimersByTimeAsync(50);
      expect(((await e) as WorkerFailure).kind).toBe('timeout');
    });
  });

  it('rejects everything pending when the worker crashes, then respawns', async () => {
    const { client, workers, restarts } = setup();
    const a = client.request('slow', { tag: 'a' }).catch((x: unknown) => x);
    await flush();
    let prevented = false;
    workers[0].emit('error', { message: 'Uncaught RangeError: out of memory', preventDefault: () => { prevented = true; } });
    const e = (await a) as WorkerFailure;
    expect(e).toBeInstanceOf(WorkerFailure);
    expect(e.kind).toBe('crash');
    expect(e.message).toBe('test worker crashed: Uncaught RangeError: out of memory');
    expect(prevented).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(restarts).toHaveLength(1);
    expect(await client.request('double', { n: 1 })).toEqual({ n: 2 });
    expect(workers).toHaveLength(2);
  });

  it('treats a malformed message as a broken worker', async () => {
    const { client, workers } = setup();
    const a = client.request('slow', { tag: 'a' }).catch((x: unknown) => x);
    await flush();
    workers[0].emit('message', { data: { kind: 'reply', id: 1, ok: 'yes' } });
    const e = (await a) as WorkerFailure;
    expect(e.kind).toBe('protocol');
    expect(e.message).toMatch(/malformed message: \{"kind":"reply","id":1,"ok":"yes"\}/);
    expect(workers[0].terminated).toBe(true);
  });

  it('rejects a result of the wrong shape without killing the worker', async () => {
    const { client, workers } = setup();
    await expect(client.request('bad', null)).rejects.toBeInstanceOf(ProtocolError);
    expect(workers[0].terminated).toBe(false);
    expect(await client.request('double', { n: 3 })).toEqual({ n: 6 });
  });

  it('reports invalid params and unknown methods as errors from the worker', async () => {
    const { client } = setup();
    const e = (await client.request('double', { n: 'x' } as unknown as { n: number }).catch((x: unknown) => x)) as WorkerRequestError;
    expect(e.info).toEqual({ name: 'ProtocolError', message: 'test worker: invalid params for double' });
    await expect(client.request('nope' as 'double', { n: 1 })).rejects.toThrow('test worker has no method nope');
  });

  it('rejects params that cannot be cloned without sending them', async () => {
    const { client, workers } = setup();
    await expect(client.request('double', { n: 1, f: () => 1 } as unknown as { n: number })).rejects.toBeInstanceOf(ProtocolError);
    expect(workers[0].terminated).toBe(false);
  });

  it('terminate() rejects pending requests; dispose() refuses new ones', async () => {
    const { client, workers, restarts } = setup();
    const a = client.request('slow', { tag: 'a' });
    client.terminate();
    await expect(a).rejects.toMatchObject({ kind: 'terminated' });
    expect(restarts).toHaveLength(0);
    expect(await client.request('double', { n: 4 })).toEqual({ n: 8 });
    client.dispose();
    expect(workers[1].terminated).toBe(true);
    await expect(client.request('double', { n: 4 })).rejects.toThrow('disposed');
  });
});

describe('protocol guards', () => {
  it('accept the messages of the protocol and nothing else', () => {
    expect(isToWorker({ kind: 'request', id: 1, method: 'run', params: null })).toBe(true);
    expect(isToWorker({ kind: 'cancel', id: 3 })).toBe(true);
    expect(isToWorker({ kind: 'request', id: 0, method: 'run', params: null })).toBe(false);
    expect(isToWorker({ kind: 'request', id: 1, method: '', params: null })).toBe(false);
    expect(isToWorker({ kind: 'request', id: 1, method: 'run' })).toBe(false);
    expect(isToWorker({ kind: 'request', id: 1.5, method: 'run', params: 1 })).toBe(false);
    expect(isFromWorker({ kind: 'reply', id: 2, ok: true, result: undefined })).toBe(true);
    expect(isFromWorker({ kind: 'reply', id: 2, ok: false, error: { name: 'E', message: 'm' } })).toBe(true);
    expect(isFromWorker({ kind: 'reply', id: 2, ok: false, error: { message: 'm' } })).toBe(false);
    expect(isFromWorker({ kind: 'reply', id: 2, ok: true })).toBe(false);
    expect(isFromWorker({ kind: 'progress', id: 2, progress: 0.5 })).toBe(true);
    expect(isFromWorker(['reply', 2])).toBe(false);
    expect(isFromWorker(null)).toBe(false);
  });
});

// A DOM Worker must satisfy WorkerLike, and a worker's global scope WorkerScopeLike
// (checked by the type checker, not at run time).
export type WorkerSatisfiesWorkerLike = Worker extends WorkerLike ? true : never;
export type ScopeSatisfiesWorkerScopeLike = DedicatedWorkerGlobalScope extends WorkerScopeLike ? true : never;
const typeChecks: [WorkerSatisfiesWorkerLike, ScopeSatisfiesWorkerScopeLike] = [true, true];
void typeChecks;
