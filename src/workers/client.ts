/**
 * The UI side of a worker: a promise per request, and the rules that keep a slow or
 * broken worker from wedging the page.
 *
 *  - Each request gets a fresh id; its reply resolves (or rejects) exactly that promise.
 *  - Requests may name a `channel` (e.g. 'compile'): a newer request on the same channel
 *    supersedes the older ones, which reject with `SupersededError`, and their replies are
 *    dropped when they arrive (the rust-playground "sequence number" rule: the user only
 *    ever sees the result of the latest edit).
 *  - Each request has a timeout. A worker that does not answer in time is presumed hung
 *    (a sync computation cannot be interrupted): it is terminated, every request waiting
 *    on it rejects, and the next request spawns a fresh worker.
 *  - A worker that crashes (uncaught error, undecodable or malformed message) is treated
 *    the same way.
 *
 * The client does not know about `Worker` itself: it gets a `spawn` function, so tests
 * run it in Node against a fake. In the app (Vite bundles the worker as its own chunk):
 *
 *   const vm = new WorkerClient(vmSpec, () => new Worker(new URL('./vm.worker.ts', import.meta.url), { type: 'module' }));
 *   const result = await vm.request('run', params, { channel: 'run', onProgress: (p) => ... });
 *
 * and the worker file is `serveWorker(vmSpec, { run: ... }, self)` (serve.ts).
 */
import {
  isFromWorker, methodSpec, type ErrorInfo, type FromWorker, type MethodMap, type ProgressOf, type RequestMessage, type ServiceSpec,
} from './protocol';

/** What the client needs of a worker; a DOM `Worker` satisfies it. */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: WorkerEventLike) => void): void;
}

/** The parts of MessageEvent / ErrorEvent the client reads. */
export interface WorkerEventLike {
  data?: unknown;
  message?: string;
  preventDefault?(): void;
}

export interface ClientOptions {
  /** Default per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Called when a worker is terminated for cause (timeout, crash), e.g. to tell the user. */
  onRestart?: (reason: WorkerFailure) => void;
}

export interface RequestOptions<G> {
  timeoutMs?: number;
  /** Newer requests on the same channel supersede older ones. */
  channel?: string;
  transfer?: Transferable[];
  onProgress?: (progress: G) => void;
}

// ---------------------------------------------------------------------------------------
// Errors the client rejects with. All extend WorkerClientError so callers can tell them
// apart from errors the worker itself reported (WorkerRequestError).

export class WorkerClientError extends Error {
  override name = 'WorkerClientError';
}

/** The worker ran the request and reported an error (e.g. an AsmError); details in `info`. */
export class WorkerRequestError extends WorkerClientError {
  override name = 'WorkerRequestError';
  constructor(readonly info: ErrorInfo) {
    super(info.message);
  }
}

/** A newer request on the same channel replaced this one; usually not worth showing. */
export class SupersededError extends WorkerClientError {
  override name = 'SupersededError';
}

export type WorkerFailureKind = 'timeout' | 'crash' | 'protocol' | 'terminated';

/** The worker failed as a whole (hung, crashed, misbehaved, or was terminated). */
export class WorkerFailure extends WorkerClientError {
  override name = 'WorkerFailure';
  constructor(readonly kind: WorkerFailureKind, message: string) {
    super(message);
  }
}

/** The worker answered with a result that does not have the declared shape. */
export class ProtocolError extends WorkerClientError {
  override name = 'ProtocolError';
}

interface Pending {
  id: number;
  method: string;
  channel?: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: unknown) => void;
  timer: ReturnType<typeof setTimeout>;
  /** The worker incarnation the request was sent to. */
  worker: WorkerLike;
}

export interface ClientStats {
  /** Workers spawned so far (1 + restarts, once used). */
  spawned: number;
  /** Replies and progress messages that arrived for requests nobody waits for any more. */
  dropped: number;
}

export class WorkerClient<M extends MethodMap<M>> {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private disposed = false;
  readonly stats: ClientStats = { spawned: 0, dropped: 0 };
  private readonly timeoutMs: number;

  constructor(
    private readonly spec: ServiceSpec<M>,
    private readonly spawn: () => WorkerLike,
    private readonly options: ClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Number of requests waiting for a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  request<K extends keyof M & string>(method: K, params: M[K]['params'], opts: RequestOptions<ProgressOf<M, K>> = {}): Promise<M[K]['result']> {
    if (this.disposed) return Promise.reject(new WorkerFailure('terminated', `${this.spec.name} worker client is disposed`));
    if (!methodSpec(this.spec, method)) return Promise.reject(new ProtocolError(`${this.spec.name} worker has no method ${method}`));
    const id = this.nextId++;
    if (opts.channel !== undefined) {
      // Everything still pending on this channel is older than `id`: superseded.
      for (const p of [...this.pending.values()]) {
        if (p.channel === opts.channel) {
          this.settle(p.id)?.reject(new SupersededError(`${this.spec.name}: ${p.method} #${p.id} superseded by #${id}`));
          this.post(p.worker, { kind: 'cancel', id: p.id });
        }
      }
    }
    let worker: WorkerLike;
    try {
      worker = this.ensureWorker();
    } catch (e) {
      return Promise.reject(new WorkerFailure('crash', `${this.spec.name} worker could not start: ${(e as Error).message}`));
    }
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(() => this.fail('timeout', `${this.spec.name} worker did not answer ${method} #${id} within ${timeoutMs} ms`, id), timeoutMs);
      this.pending.set(id, {
        id, method, channel: opts.channel, resolve, reject, timer, worker,
        onProgress: opts.onProgress as ((p: unknown) => void) | undefined,
      });
      const message: RequestMessage = { kind: 'request', id, method, params };
      try {
        worker.postMessage(message, opts.transfer ?? []);
      } catch (e) {
        // DataCloneError: the params cannot be sent. The worker is fine.
        this.settle(id)?.reject(new ProtocolError(`${this.spec.name}: cannot send ${method} params: ${(e as Error).message}`));
      }
    });
  }

  /** Cancels the requests pending on `channel` (they reject with SupersededError); false when there were none. */
  cancel(channel: string): boolean {
    let any = false;
    for (const p of [...this.pending.values()]) {
      if (p.channel !== channel) continue;
      any = true;
      this.settle(p.id)?.reject(new SupersededError(`${this.spec.name}: ${p.method} #${p.id} cancelled`));
      this.post(p.worker, { kind: 'cancel', id: p.id });
    }
    return any;
  }

  /** Terminates the worker; pending requests reject. The next request spawns a new one. */
  terminate(reason = 'terminated by the page'): void {
    this.fail('terminated', `${this.spec.name} worker ${reason}`);
  }

  /** Terminates and refuses further requests. */
  dispose(): void {
    this.terminate('disposed');
    this.disposed = true;
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const w = this.spawn();
    this.stats.spawned++;
    this.worker = w;
    w.addEventListener('message', (ev) => this.onMessage(w, ev.data));
    w.addEventListener('messageerror', () => {
      if (this.worker === w) this.fail('protocol', `${this.spec.name} worker sent a message that could not be decoded`);
    });
    w.addEventListener('error', (ev) => {
      ev.preventDefault?.();
      if (this.worker === w) this.fail('crash', `${this.spec.name} worker crashed: ${ev.message ?? 'unknown error'}`);
    });
    return w;
  }

  private onMessage(from: WorkerLike, data: unknown): void {
    if (from !== this.worker) { this.stats.dropped++; return; } // a terminated incarnation
    if (!isFromWorker(data)) {
      this.fail('protocol', `${this.spec.name} worker sent a malformed message: ${preview(data)}`);
      return;
    }
    const msg: FromWorker = data;
    const p = this.pending.get(msg.id);
    if (!p) { this.stats.dropped++; return; }
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.progress);
      return;
    }
    this.settle(msg.id);
    if (!msg.ok) {
      p.reject(new WorkerRequestError(msg.error));
      return;
    }
    const guard = methodSpec(this.spec, p.method)?.result;
    if (guard && !guard(msg.result)) {
      p.reject(new ProtocolError(`${this.spec.name} worker returned a ${p.method} result of the wrong shape: ${preview(msg.result)}`));
      return;
    }
    p.resolve(msg.result);
  }

  /** Removes a pending request and its timer; returns it if it was still pending. */
  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    clearTimeout(p.timer);
    this.pending.delete(id);
    return p;
  }

  /**
   * The worker as a whole failed: terminate it and reject everything it owed. The request
   * that caused it (if any) gets the failure itself; the others are told why they died too.
   */
  private fail(kind: WorkerFailureKind, message: string, culprit?: number): void {
    const w = this.worker;
    this.worker = null;
    if (w) {
      try { w.terminate(); } catch { /* already gone */ }
    }
    const failure = new WorkerFailure(kind, message);
    for (const id of [...this.pending.keys()]) {
      const p = this.settle(id)!;
      p.reject(id === culprit || culprit === undefined ? failure : new WorkerFailure(kind, `${p.method} #${id} lost: ${message}`));
    }
    if (kind !== 'terminated' && w) this.options.onRestart?.(failure);
  }

  private post(w: WorkerLike, message: unknown): void {
    if (w !== this.worker) return;
    try { w.postMessage(message); } catch { /* best effort */ }
  }
}

function preview(v: unknown): string {
  let s: string;
  try { s = JSON.stringify(v) ?? String(v); } catch { s = String(v); }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
