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
import { errnoName } from '../core/vm/errno';
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
  /** BPF_ANY (0, default), BPF_NOEXIST (1: add only), BPF_EXIST (2: change only), as the syscall takes. */
  flags?: number;
}

/** A memory region of a run, for naming pointers (`pkt+14`, `fp-8`). */
export interface RegionSnapshot {
  id: number;
  name: string;
  kind: string;
  /** Offset pointers are counted from (the packet's data, the stack's top). */
  origin: number;
  /** Accessible bytes [lo, end). */
  lo: number;
  end: number;
  /** What the region holds, for messages (`struct xdp_md`). */
  label: string | null;
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
  /** With a history: the regions of the run, to name pointer values. */
  regions?: RegionSnapshot[];
}

export interface VmMapsParams {
  object: LoadedObject;
  session: string;
  /** Options of the VM, when the request makes it. */
  options?: VmRunParams['options'];
  resetSession?: boolean;
  mapEdits?: MapEdit[];
}

export interface VmMapsResult {
  maps: Record<string, [string, string][]>;
  editErrors: [number, string][];
  /** The session's VM (and so its maps) was made by this request. */
  created: boolean;
}

export interface VmMethods {
  run: { params: VmRunParams; result: VmRunResult; progress: { executed: number } };
  /** A session's maps (made if needed), after applying edits: the Maps panel between runs. */
  maps: { params: VmMapsParams; result: VmMapsResult; progress: never };
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
  return isMapEdits(v.mapEdits);
}

const isMapEdits = (v: unknown): boolean => v === undefined || (Array.isArray(v) && v.every((e) => isObj(e) && typeof e.map === 'string' && typeof e.key === 'string'
  && (e.value === undefined || typeof e.value === 'string') && (e.flags === undefined || e.flags === 0 || e.flags === 1 || e.flags === 2)));

export const isVmMapsParams = (v: unknown): v is VmMapsParams =>
  isObj(v) && isLoadedObject(v.object) && typeof v.session === 'string' && (v.options === undefined || isObj(v.options)) && (v.resetSession === undefined || typeof v.resetSession === 'boolean') && isMapEdits(v.mapEdits);

export const isVmMapsResult = (v: unknown): v is VmMapsResult =>
  isObj(v) && isObj(v.maps) && Array.isArray(v.editErrors) && typeof v.created === 'boolean';

export function isVmRunResult(v: unknown): v is VmRunResult {
  return isObj(v) && typeof v.ok === 'boolean' && typeof v.retval === 'number' && typeof v.r0 === 'string'
    && Array.isArray(v.printk) && Array.isArray(v.events) && typeof v.insnsExecuted === 'number' && isObj(v.maps)
    && (v.error === null || isObj(v.error)) && (v.history === null || isObj(v.history));
}

export const vmSpec: ServiceSpec<VmMethods> = {
  name: 'vm',
  methods: {
    run: { params: isVmRunParams, result: isVmRunResult },
    maps: { params: isVmMapsParams, result: isVmMapsResult },
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

  const sessionVm = (p: Pick<VmRunParams, 'object' | 'options' | 'session' | 'resetSession'>): { vm: Vm; created: boolean } => {
    const opts: VmOptions = { ...p.options };
    if (!p.session) return { vm: new Vm(p.object, opts), created: true };
    const known = sessions.get(p.session);
    if (known && !p.resetSession && known.object === p.object) return { vm: known.vm, created: false };
    if (known && !p.resetSession && JSON.stringify(known.object.programs.map((q) => q.insns)) === JSON.stringify(p.object.programs.map((q) => q.insns))) return { vm: known.vm, created: false };
    const vm = new Vm(p.object, opts);
    sessions.set(p.session, { object: p.object, vm });
    return { vm, created: true };
  };
  const vmFor = (p: VmRunParams): Vm => sessionVm(p).vm;

  const applyEdits = (vm: Vm, edits: MapEdit[] = []): [number, string][] => {
    const editErrors: [number, string][] = [];
    edits.forEach((e, k) => {
      const mp = vm.map(e.map);
      if (!mp) { editErrors.push([k, `no map named ${e.map}`]); return; }
      try {
        const key = hexToBytes(e.key);
        const r = e.value === undefined ? mp.delete(key) : mp.updateUser(key, hexToBytes(e.value), e.flags ?? 0);
        if (r < 0) editErrors.push([k, errnoName(r)]);
      } catch (err) {
        editErrors.push([k, (err as Error).message]);
      }
    });
    return editErrors;
  };

  return {
    run: async (p, ctx) => {
      const vm = vmFor(p);
      const editErrors = applyEdits(vm, p.mapEdits);
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
      // The run's regions before result() frees the context and packet: they name pointers.
      const regions = p.trace ? regionSnapshots(vm) : undefined;
      const r = session.result();
      return {
        regions,
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
    maps: (p) => {
      const { vm, created } = sessionVm(p);
      const editErrors = applyEdits(vm, p.mapEdits);
      return { maps: vm.dumpMaps(), editErrors, created };
    },
    closeSession: ({ session }) => sessions.delete(session),
  };
}

function regionSnapshots(vm: Vm): RegionSnapshot[] {
  const out: RegionSnapshot[] = [];
  for (const r of vm.mem.regions) {
    if (r) out.push({ id: r.id, name: r.name, kind: r.kind, origin: r.origin, lo: r.lo, end: r.end, label: r.label });
  }
  return out;
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

