/**
 * The worker side of the protocol: a worker file is only
 *
 *   serveWorker(vmSpec, { run: (params, ctx) => runProgram(params) });
 *
 * Requests are checked (envelope and params), handlers run, and whatever they return or
 * throw goes back as a reply; errors travel as data (`ErrorInfo`), never as a crash.
 * `cancel` messages abort the request's `ctx.signal`, which long handlers may poll.
 */
import { errorToInfo, isToWorker, methodSpec, type FromWorker, type MethodMap, type ProgressOf, type ServiceSpec } from './protocol';

export interface HandlerContext<G> {
  /** Request id, for logs. */
  id: number;
  /** Sends a progress report to the caller (`onProgress`). */
  progress(progress: G): void;
  /** Aborted when the UI cancels the request (e.g. superseded by a newer one). */
  signal: AbortSignal;
}

export type Handlers<M extends MethodMap<M>> = {
  [K in keyof M & string]: (params: M[K]['params'], ctx: HandlerContext<ProgressOf<M, K>>) => M[K]['result'] | Promise<M[K]['result']>;
};

/** What `serveWorker` needs of the worker's global scope; `self` in a worker satisfies it. */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data?: unknown }) => void): void;
}

export interface ReplyOptions {
  /** Picks buffers of a result to transfer instead of copy (e.g. an ELF object's bytes). */
  transferables?: (method: string, result: unknown) => Transferable[];
}

export function serveWorker<M extends MethodMap<M>>(spec: ServiceSpec<M>, handlers: Handlers<M>, scope: WorkerScopeLike, opts: ReplyOptions = {}): void {
  const running = new Map<number, AbortController>();
  const send = (msg: FromWorker, transfer: Transferable[] = []) => scope.postMessage(msg, transfer);

  scope.addEventListener('message', (event) => {
    const msg = event.data;
    // A message we cannot route has no id to answer to: nothing sensible to do but drop it.
    if (!isToWorker(msg)) return;
    if (msg.kind === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const { id, method, params } = msg;
    const fail = (name: string, message: string) => send({ kind: 'reply', id, ok: false, error: { name, message } });
    const mspec = methodSpec(spec, method);
    const handler = Object.hasOwn(handlers, method)
      ? (handlers as Record<string, (p: unknown, c: HandlerContext<never>) => unknown>)[method]
      : undefined;
    if (!mspec || !handler) {
      fail('ProtocolError', `${spec.name} worker has no method ${method}`);
      return;
    }
    if (!mspec.params(params)) {
      fail('ProtocolError', `${spec.name} worker: invalid params for ${method}`);
      return;
    }
    const abort = new AbortController();
    running.set(id, abort);
    const ctx: HandlerContext<never> = {
      id,
      signal: abort.signal,
      progress: (progress) => send({ kind: 'progress', id, progress }),
    };
    Promise.resolve()
      .then(() => handler(params, ctx))
      .then(
        (result) => {
          try {
            send({ kind: 'reply', id, ok: true, result }, opts.transferables?.(method, result) ?? []);
          } catch (e) {
            fail('ProtocolError', `${spec.name} worker: ${method} result cannot be sent: ${(e as Error).message}`);
          }
        },
        (e: unknown) => send({ kind: 'reply', id, ok: false, error: errorToInfo(e) }),
      )
      .finally(() => running.delete(id));
  });
}
