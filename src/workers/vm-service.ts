/**
 * The VM worker's service: message types, runtime guards and handlers (the worker file,
 * vm.worker.ts, only serves these). Kept apart from the worker file so the page imports
 * the spec without the VM, and tests run the handlers in Node.
 *
 *   const vm = new WorkerClient(vmSpec, () => new Worker(new URL('./vm.worker.ts', import.meta.url), { type: 'module' }));
 *   const r = await vm.request('run', { object, program: 'xdp_prog', input: { data }, trace: true }, { channel: 'run' });
 *   const history = r.history && new ExecutionHistory(r.history);
 *
 * A run executes in slices of SLICE_INSNS instructions and yields to the worker's event
 * loop between them, so a `cancel` (or a newer request on the same channel) stops it
 * within a few milliseconds; progress reports count executed instructions.
 * With `session`, the worker keeps the VM (and so the maps) between runs of the same
 * object, and `mapEdits` change map entries before the run (the maps panel).
 */
import type { LoadedObject } from '../core/elf/loaded-object';
import type { HistoryData } from '../core/vm/history';
import { hexToBytes } from '../core/vm/maps';
import { Vm, type VmOptions } from '../core/vm/vm';
import type { ServiceSpec } from './protocol';
import type { Handlers } from './serve';

export const SLICE_INSNS = 250_000;

export interface MapEdit {
  map: string;
  key: string;
  /** New value (hex); absent to delete the entry. */
  value?: string;
}

export interface VmRunParams {
  object: LoadedObject;
  /** Program name, section or index (default: the first). */
  program?: string | number;
  input?: { data?: Uint8Array; ctx?: Uint8Array; mem?: Uint8Array };
  repeat?: number;
  trace?: boolean;
  options?: Pick<VmOptions, 'budget' | 'strict' | 'nrCpus' | 'cpu' | 'clock' | 'seed' | 'task'> & { helpers?: 'kernel' | 'ubpf' };
  /** Keeps the VM (and its maps) for later runs with the same session name. */
  session?: string;
  /** Starts the session afresh (new maps). */
  resetSession?: boolean;
  mapEdits?: MapEdit[];
}

export interface VmRunResult {
  ok: boolean;
  retval: number;
  /** Full r0, hex. */
  r0: string;
  error: { message: string; kind: string; program: string; insn: number } | null;
  dataOut: Uint8Array | null;
  ctxOut: Uint8Array | null;
  printk: string[];
  events: { kind: string; map: string; cpu?: number; data: Uint8Array }[];
  insnsExecuted: number;
  runs: number;
  nsPerRun: number | null;
  redirect: { ifindex: number; flags: number; map?: string } | null;
  /** Map contents after the run: {name: [[key_hex, value_hex], ...]}. */
  maps: Record<string, [string, string][]>;
  /** Edits that failed: [edit index, errno name or reason]. */
  editErrors: [number, string][];
  history: HistoryData | null;
}

export interface VmMethods {
  run: { params: VmRunParams; result: VmRunResult; progress: { executed: number } };
  /** Forgets a session's VM. */
  closeSession: { params: { session: string }; result: boolean };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isBytes = (v: unknown): boolean => v === undefined || v instanceof Uint8Array;
const isInsn = (v: unknown): boolean => isObj(v) && ['code', 'dst', 'src', 'off', 'imm'].every((k) => typeof v[k] === 'number');

export function isLoadedObject(v: unknown): v is LoadedObject {
  if (!isObj(v) || !Array.isArray(v.programs) || !Array.isArray(v.maps)) return false;
  return v.programs.every((p) => isObj(p) && typeof p.name === 'string' && typeof p.progType === 'number' && Array.isArray(p.insns) && p.insns.every(isInsn))
    && v.maps.every((m) => isObj(m) && typeof m.name === 'string' && typeof m.type === 'number' && typeof m.keySize === 'number' && typeof m.valueSize === 'number' && typeof m.maxEntries === 'number');
}

export function isVmRunParams(v: unknown): v is VmRunParams {
  if (!isObj(v) || !isLoadedObject(v.object)) return false;
  if (v.program !== undefined && typeof v.program !== 'string' && typeof v.program !== 'number') return false;
  if (v.input !== undefined && !(isObj(v.input) && isBytes(v.input.data) && isBytes(v.input.ctx) && isBytes(v.input.mem))) return false;
  if (v.repeat !== undefined && !(Number.isInteger(v.repeat) && (v.repeat as number) >= 1)) return false;
  if (v.trace !== undefined && typeof v.trace !== 'boolean') return false;
  if (v.options !== undefined && !isObj(v.options)) return false;
  if (v.session !== undefined && typeof v.session !== 'string') return false;
  if (v.mapEdits !== undefined && !(Array.isArray(v.mapEdits) && v.mapEdits.every((e) => isObj(e) && typeof e.map === 'string' && typeof e.key === 'string' && (e.value === undefined || typeof e.value === 'string')))) return false;
  return true;
}

export function isVmRunResult(v: unknown): v is VmRunResult {
  return isObj(v) && typeof v.ok === 'boolean' && typeof v.retval === 'number' && typeof v.r0 === 'string'
    && Array.isArray(v.printk) && Array.isArray(v.events) && typeof v.insnsExecuted === 'number' && isObj(v.maps)
    && (v.error === null || isObj(v.error)) && (v.history === null || isObj(v.history));
}

export const vmSpec: ServiceSpec<VmMethods> = {
  name: 'vm',
  methods: {
    run: { params: isVmRunParams, result: isVmRunResult },
    closeSession: {
      params: (v): v is { session: string } => isObj(v) && typeof v.session === 'string',
      result: (v): v is boolean => typeof v === 'boolean',
    },
  },
};

/** Thrown when the page cancels a run. */
export class RunCancelled extends Error {
  override name = 'RunCancelled';
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** The handlers, with their own session table (one per worker). */
export function createVmHandlers(): Handlers<VmMethods> {
  const sessions = new Map<string, { object: LoadedObject; vm: Vm }>();

  const vmFor = (p: VmRunParams): Vm => {
    const opts: VmOptions = { ...p.options };
    if (!p.session) return new Vm(p.object, opts);
    const known = sessions.get(p.session);
    if (known && !p.resetSession && known.object === p.object) return known.vm;
    if (known && !p.resetSession && JSON.stringify(known.object.programs.map((q) => q.insns)) === JSON.stringify(p.object.programs.map((q) => q.insns))) return known.vm;
    const vm = new Vm(p.object, opts);
    sessions.set(p.session, { object: p.object, vm });
    return vm;
  };

  return {
    run: async (p, ctx) => {
      const vm = vmFor(p);
      const editErrors: [number, string][] = [];
      (p.mapEdits ?? []).forEach((e, k) => {
        const mp = vm.map(e.map);
        if (!mp) { editErrors.push([k, `no map named ${e.map}`]); return; }
        try {
          const key = hexToBytes(e.key);
          const r = e.value === undefined ? mp.delete(key) : mp.updateUser(key, hexToBytes(e.value));
          if (r < 0) editErrors.push([k, `error ${-r}`]);
        } catch (err) {
          editErrors.push([k, (err as Error).message]);
        }
      });
      const session = vm.start(p.program ?? 0, { ...p.input, repeat: p.repeat, trace: p.trace });
      let total = 0;
      for (;;) {
        const before = session.executed;
        const done = session.advance(SLICE_INSNS);
        total += Math.max(0, session.executed - before);
        if (done) break;
        ctx.progress({ executed: total });
        await yieldToEventLoop();
        if (ctx.signal.aborted) {
          session.cancel();
          throw new RunCancelled('run cancelled');
        }
      }
      const r = session.result();
      return {
        ok: r.ok,
        retval: r.retval,
        r0: `0x${r.r0.toString(16)}`,
        error: r.error ? { ...r.error } : null,
        dataOut: r.dataOut ?? null,
        ctxOut: r.ctxOut ?? null,
        printk: r.printk,
        events: r.events.map((e) => ({ ...e })),
        insnsExecuted: r.insnsExecuted,
        runs: r.runs,
        nsPerRun: r.nsPerRun ?? null,
        redirect: r.redirect ?? null,
        maps: vm.dumpMaps(),
        editErrors,
        history: r.history?.data ?? null,
      };
    },
    closeSession: ({ session }) => sessions.delete(session),
  };
}

/** Buffers of a run result that can move to the page instead of being copied. */
export function vmTransferables(method: string, result: unknown): Transferable[] {
  if (method !== 'run' || !isObj(result)) return [];
  const r = result as unknown as VmRunResult;
  const out: ArrayBufferLike[] = [];
  if (r.dataOut) out.push(r.dataOut.buffer);
  if (r.ctxOut) out.push(r.ctxOut.buffer);
  const h = r.history;
  if (h) {
    for (const a of [h.slots, h.progs, h.depths, h.regOffsets, h.regDeltas, h.snapshots, h.writes, h.pool]) out.push(a.buffer);
    for (const reg of h.regions) out.push(reg.final.buffer);
  }
  // Only whole, distinct ArrayBuffers can be transferred.
  return [...new Set(out)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer) as Transferable[];
}

