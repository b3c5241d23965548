/**
 * "Run" as the playground does it, in the VM worker: load the program the user has (an
 * assembly file, or a program of an imported object), let bpfplay's verifier decide
 * whether the kernel would load it (a rejected program runs only when the user asks to
 * "run anyway"), run it with the VM service's `run` (same sessions, so maps persist
 * between runs and reset when the program changes), and send back what the panels show:
 * the verdict, the run's results, and every map before and after the run with keys and
 * values read through the object's BTF (hex when it has none).
 *
 * `exec` with `mapsOnly` only reads (and edits) the maps: the Maps panel between runs.
 */
import { loadInput } from '../core/input';
import { loadElfObject } from '../core/elf/load-elf';
import type { LoadedObject, MapDef } from '../core/elf/loaded-object';
import { parseBtf, type Btf } from '../core/btf/btf';
import { formatCDecl } from '../core/btf/format-c';
import { btfIntOf, compactBtfValue, readBtfValue } from '../core/btf/format-value';
import { MAP_TYPES, PROG_TYPES } from '../core/isa/kernel-types';
import { verifyProgram } from '../core/verifier/verify';
import { parseKernelLog } from '../core/trace/kernel-log';
import { hexToBytes } from '../core/vm/maps';
import type { HandlerContext, Handlers } from './serve';
import type { VmMethods } from './vm-service';
import type { ExecMethods, ExecParams, ExecProgram, ExecResult, ExecVerdict, IntShape, MapEditing, MapView, RunTarget } from './vm-exec-spec';

/** Thrown for a target that does not load; the message is for the user. */
export class TargetError extends Error {
  override name = 'TargetError';
}

export function loadTarget(t: RunTarget): { object: LoadedObject; program: number } {
  try {
    if (t.kind === 'asm') return { object: loadInput(new TextEncoder().encode(t.text), t.name), program: 0 };
    const object = loadElfObject(t.bytes, { objectName: t.name.replace(/\..*$/, '') });
    if (!object.programs[t.program]) throw new TargetError(`${t.name} has no program #${t.program}`);
    return { object, program: t.program };
  } catch (e) {
    if (e instanceof TargetError) throw e;
    throw new TargetError((e as Error).message);
  }
}

const ARRAY_TYPES = new Set(['array', 'percpu_array']);
const HASH_TYPES = new Set(['hash', 'percpu_hash', 'lru_hash', 'lru_percpu_hash', 'lpm_trie']);
const PUSH_TYPES = new Set(['queue', 'stack', 'bloom_filter']);
const RECORD_TYPES = new Set(['ringbuf', 'perf_event_array', 'user_ringbuf']);

function editingOf(type: string): { editing: MapEditing; note?: string } {
  if (ARRAY_TYPES.has(type)) return { editing: 'values' };
  if (HASH_TYPES.has(type)) return { editing: 'entries' };
  if (PUSH_TYPES.has(type)) return { editing: 'push' };
  if (RECORD_TYPES.has(type)) return { editing: 'none', note: 'records the program writes appear under Output' };
  return { editing: 'none', note: 'its values are kernel objects (programs, maps, sockets, devices): read-only here' };
}

const intBySize = (size: number): IntShape | undefined => ([1, 2, 4, 8].includes(size) ? { size, signed: false } : undefined);

/** Reads the object's BTF once per object (null when it has none or it does not parse). */
function objectBtf(obj: LoadedObject): Btf | null {
  if (!obj.btf) return null;
  try {
    return parseBtf(obj.btf);
  } catch {
    return null;
  }
}

function typeText(btf: Btf | null, id: number | undefined): string | undefined {
  if (!btf || !id) return undefined;
  try {
    return formatCDecl(btf, id);
  } catch {
    return undefined;
  }
}

function valueText(btf: Btf | null, id: number | undefined, hex: string, size: number, cpus = 1): string | undefined {
  if (!btf || !id) return undefined;
  try {
    const bytes = hexToBytes(hex);
    if (cpus > 1) return undefined;
    return compactBtfValue(readBtfValue(btf, id, bytes.subarray(0, size || bytes.length)));
  } catch {
    return undefined;
  }
}

/** The maps of `obj` with the entries of a dump (`Vm.dumpMaps`), for the Maps panel. */
export function mapViews(obj: LoadedObject, dump: Record<string, [string, string][]>, btf: Btf | null = objectBtf(obj)): MapView[] {
  return obj.maps.filter((m) => !m.innerTemplate).map((m: MapDef) => {
    const type = MAP_TYPES.name(m.type) ?? `type ${m.type}`;
    const { editing, note } = editingOf(type);
    const hasBtf = !!(btf && (m.btfKeyTypeId || m.btfValueTypeId));
    const intOf = (id: number | undefined, size: number): IntShape | undefined => {
      if (btf && id) {
        try {
          return btfIntOf(btf, id) ?? undefined;
        } catch {
          return undefined;
        }
      }
      return hasBtf ? undefined : intBySize(size);
    };
    return {
      name: m.name,
      type,
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      keyType: typeText(btf, m.btfKeyTypeId),
      valueType: typeText(btf, m.btfValueTypeId),
      keyInt: m.keySize ? intOf(m.btfKeyTypeId, m.keySize) : undefined,
      valueInt: intOf(m.btfValueTypeId, m.valueSize),
      fromBtf: hasBtf,
      editing: m.kind === 'rodata' ? 'none' : editing,
      note: m.kind === 'rodata' ? 'read-only global data (.rodata): fixed when the object is loaded' : note,
      global: m.kind !== 'user',
      entries: (dump[m.name] ?? []).map(([key, value]) => ({
        key,
        value,
        keyText: valueText(btf, m.btfKeyTypeId, key, m.keySize),
        valueText: valueText(btf, m.btfValueTypeId, value, m.valueSize),
      })),
    };
  });
}

/**
 * The `exec` handler over the VM service's handlers (its sessions); `prepare` runs before
 * loading (the worker fetches kernel data there).
 */
export function createExecHandlers(vm: Handlers<VmMethods>, prepare?: (p: ExecParams, ctx: HandlerContext<{ executed: number }>) => Promise<void>): Handlers<ExecMethods> {
  return {
    exec: async (p, ctx) => {
      await prepare?.(p, ctx);
      const { object, program } = loadTarget(p.target);
      const prog = object.programs[program];
      const btf = objectBtf(object);
      const info: ExecProgram = { name: prog.name, section: prog.section, progType: PROG_TYPES.name(prog.progType) ?? String(prog.progType), slots: prog.insns.length };
      let verdict: ExecVerdict;
      try {
        const v = verifyProgram(object, program, { logLevel: 1, trace: false, shouldCancel: () => ctx.signal.aborted });
        // The kernel's error can take several lines (`invalid access to packet ...` and why): as the log reader sees them.
        const error = v.accepted ? '' : (parseKernelLog(v.log).error?.text ?? v.error);
        verdict = { accepted: v.accepted, error, errorInsn: v.errorInsn ?? null, errno: v.errnoName };
      } catch (e) {
        verdict = { accepted: false, error: `bpfplay's verifier failed: ${(e as Error).message}`, errorInsn: null, errno: '' };
      }
      const options = { strict: !p.runAnyway };
      const base: Omit<ExecResult, 'mapsBefore' | 'maps' | 'mapsFresh' | 'editErrors'> = { program: info, verdict, run: null, runError: null };
      let before;
      try {
        before = await vm.maps({ object, session: p.session, resetSession: p.resetSession, mapEdits: p.mapEdits, options }, ctx as never);
      } catch (e) {
        // The VM refuses the program as it is (a structurally invalid one, without run-anyway).
        return { ...base, runError: (e as Error).message, mapsBefore: [], maps: [], mapsFresh: true, editErrors: [] };
      }
      const mapsBefore = mapViews(object, before.maps, btf);
      const done = (extra: Partial<ExecResult>): ExecResult => ({ ...base, mapsBefore, maps: mapsBefore, mapsFresh: before.created, editErrors: before.editErrors, ...extra });
      if (p.mapsOnly || (!verdict.accepted && !p.runAnyway)) return done({});
      try {
        const run = await vm.run({
          object, program, session: p.session, options,
          input: p.input, repeat: p.repeat, trace: p.trace,
        }, ctx);
        return done({ run, maps: mapViews(object, run.maps, btf) });
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'VmError' || name === 'VmLoadError' || name === 'ContextError') return done({ runError: (e as Error).message });
        throw e;
      }
    },
  };
}
