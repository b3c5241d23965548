/**
 * The message protocol between the UI thread and a worker (compiler, VM).
 *
 * Every message is a plain, structured-cloneable object tagged by `kind`:
 *
 *   UI → worker   { kind: 'request', id, method, params }    run `method` on `params`
 *                 { kind: 'cancel', id }                     the UI no longer wants request `id`
 *   worker → UI   { kind: 'reply', id, ok: true, result }     request `id` succeeded
 *                 { kind: 'reply', id, ok: false, error }     request `id` failed (error as data)
 *                 { kind: 'progress', id, progress }          request `id` is under way (e.g. bytes of clang.wasm)
 *
 * `id`s are chosen by the client, increase monotonically for the life of the page (across
 * worker restarts), and are how replies find their caller: a reply whose id the client no
 * longer waits for (superseded, timed out, from a terminated worker) is dropped.
 *
 * A service (one kind of worker) is described by a `ServiceSpec`: its name and, per
 * method, runtime guards for params and result. The types of params/result/progress
 * come from a `MethodMap`, e.g.
 *
 *   interface VmMethods { run: { params: RunParams; result: RunResult; progress: never } }
 *   const vmSpec: ServiceSpec<VmMethods> = { name: 'vm', methods: { run: { params: isRunParams, result: isRunResult } } };
 *
 * Both sides check what they receive: the envelope with `isToWorker` / `isFromWorker`,
 * the payload with the service's guards. Nothing is trusted because it has the right type.
 */

/** Per method: the shapes of its params, its result and its progress reports. */
export interface MethodShape { params: unknown; result: unknown; progress?: unknown }

/**
 * The constraint on a service's method table, written `M extends MethodMap<M>` so that
 * plain interfaces (without an index signature) qualify.
 */
export type MethodMap<M> = { [K in keyof M]: MethodShape };

export type Guard<T> = (value: unknown) => value is T;

export interface MethodSpec<P, R> {
  /** Checks params on arrival in the worker. */
  params: Guard<P>;
  /** Checks the result on arrival in the UI. */
  result: Guard<R>;
}

export interface ServiceSpec<M extends MethodMap<M>> {
  /** Names the worker in error messages: "compiler worker timed out after 30000 ms". */
  name: string;
  methods: { [K in keyof M & string]: MethodSpec<M[K]['params'], M[K]['result']> };
}

/** The spec of `method`, looked up by a string that arrived in a message. */
export function methodSpec<M extends MethodMap<M>>(spec: ServiceSpec<M>, method: string): MethodSpec<unknown, unknown> | undefined {
  const methods = spec.methods as Record<string, MethodSpec<unknown, unknown>>;
  return Object.hasOwn(methods, method) ? methods[method] : undefined;
}

export type ProgressOf<M extends MethodMap<M>, K extends keyof M> = M[K] extends { progress: infer G } ? G : never;

// ---------------------------------------------------------------------------------------
// Envelopes

export interface RequestMessage {
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}

export interface CancelMessage {
  kind: 'cancel';
  id: number;
}

export type ToWorker = RequestMessage | CancelMessage;

/** An error carried as data: what was thrown in the worker, minus its prototype. */
export interface ErrorInfo {
  /** `Error.name` (e.g. `AsmError`, `InputError`, `TypeError`). */
  name: string;
  message: string;
  /**
   * The error's own enumerable fields that survive structured cloning, e.g. an
   * `AsmError`'s `line`, `column`, `detail`. Absent when there are none.
   */
  data?: Record<string, unknown>;
}

export interface ReplyOk {
  kind: 'reply';
  id: number;
  ok: true;
  result: unknown;
}

export interface ReplyError {
  kind: 'reply';
  id: number;
  ok: false;
  error: ErrorInfo;
}

export interface ProgressMessage {
  kind: 'progress';
  id: number;
  progress: unknown;
}

export type FromWorker = ReplyOk | ReplyError | ProgressMessage;

// ---------------------------------------------------------------------------------------
// Guards

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Request ids are positive safe integers. */
export const isRequestId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function isErrorInfo(v: unknown): v is ErrorInfo {
  return isObject(v) && typeof v.name === 'string' && typeof v.message === 'string' && (v.data === undefined || isObject(v.data));
}

export function isToWorker(v: unknown): v is ToWorker {
  if (!isObject(v) || !isRequestId(v.id)) return false;
  if (v.kind === 'request') return typeof v.method === 'string' && v.method.length > 0 && 'params' in v;
  return v.kind === 'cancel';
}

export function isFromWorker(v: unknown): v is FromWorker {
  if (!isObject(v) || !isRequestId(v.id)) return false;
  if (v.kind === 'progress') return 'progress' in v;
  if (v.kind !== 'reply') return false;
  if (v.ok === true) return 'result' in v;
  return v.ok === false && isErrorInfo(v.error);
}

// ---------------------------------------------------------------------------------------
// Errors as data

const CLONEABLE_PRIMITIVE = new Set(['string', 'number', 'boolean', 'bigint']);

/** Turns anything thrown into an `ErrorInfo` that survives `postMessage`. */
export function errorToInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    const data: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'name' || k === 'message' || k === 'stack') continue;
      if (v === null || CLONEABLE_PRIMITIVE.has(typeof v)) data[k] = v;
    }
    return Object.keys(data).length ? { name: e.name, message: e.message, data } : { name: e.name, message: e.message };
  }
  return { name: 'Error', message: typeof e === 'string' ? e : `non-Error value thrown: ${String(e)}` };
}
