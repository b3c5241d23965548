/**
 * The messages of the VM worker's `exec` method ("Run" as the playground does it; see
 * vm-exec.ts for the handler): types and runtime guards only, so the page imports them
 * without the VM, the loader or the verifier.
 */
import type { ServiceSpec } from './protocol';
import type { MapEdit, VmRunResult } from './vm-service';

/** What runs: an assembly file, or a program (by index) of an object file. */
export type RunTarget =
  | { kind: 'asm'; name: string; text: string }
  | { kind: 'object'; name: string; bytes: Uint8Array; program: number };

export interface ExecInput {
  /** Packet bytes (data_in) for skb and xdp programs. */
  data?: Uint8Array;
  /** Context bytes (ctx_in) for the other types. */
  ctx?: Uint8Array;
}

export interface ExecParams {
  target: RunTarget;
  input?: ExecInput;
  repeat?: number;
  /** Record every step (for stepping). */
  trace?: boolean;
  /** Run even though the verifier rejects the program. */
  runAnyway?: boolean;
  /** Names the VM (and its maps) kept between runs. */
  session: string;
  /** New maps, as if the object were loaded again. */
  resetSession?: boolean;
  mapEdits?: MapEdit[];
  /** Read (and edit) the maps without running. */
  mapsOnly?: boolean;
  /** Site root, for the kernel data files objects with CO-RE need. */
  siteBase?: string;
}

export interface ExecProgram {
  name: string;
  section: string;
  /** Kernel name of the program type: `xdp`, `socket_filter`. */
  progType: string;
  slots: number;
}

export interface ExecVerdict {
  accepted: boolean;
  /** The kernel's error line ('' when accepted). */
  error: string;
  errorInsn: number | null;
  errno: string;
}

/** How entries of a map may be changed from user space (BPF_MAP_UPDATE/DELETE_ELEM). */
export type MapEditing =
  /** Arrays: every index exists; values change, entries cannot be added or deleted. */
  | 'values'
  /** Hashes and tries: add, change and delete entries. */
  | 'entries'
  /** Queues, stacks, bloom filters: values are pushed (no key). */
  | 'push'
  | 'none';

export interface IntShape { size: number; signed: boolean }

export interface MapEntryView {
  key: string;
  value: string;
  /** Through BTF: `{packets: 3, bytes: 180}`. */
  keyText?: string;
  valueText?: string;
}

export interface MapView {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** The key and value types as C, from BTF. */
  keyType?: string;
  valueType?: string;
  /** Integer keys/values (from BTF, or by size without it) can be edited as numbers. */
  keyInt?: IntShape;
  valueInt?: IntShape;
  /** Whether the integer shapes come from BTF (else they are a guess by size). */
  fromBtf: boolean;
  editing: MapEditing;
  /** Why the map is shown without entries or edits (`records go to Output`). */
  note?: string;
  /** Global data (`.bss`, `.data`, `.rodata`). */
  global: boolean;
  entries: MapEntryView[];
}

export interface ExecResult {
  program: ExecProgram;
  verdict: ExecVerdict;
  /** The run's results; null when it did not run (rejected without run-anyway, mapsOnly, or runError). */
  run: VmRunResult | null;
  /** Why the program could not be started (bad input: a packet too short, a bad context). */
  runError: string | null;
  /** Maps before the run (after the edits) and after it. */
  mapsBefore: MapView[];
  maps: MapView[];
  /** The maps were created by this request (first run, the program changed, or a reset). */
  mapsFresh: boolean;
  /** Map edits that failed: [edit index, errno name or reason]. */
  editErrors: [number, string][];
}

export interface ExecMethods {
  exec: { params: ExecParams; result: ExecResult; progress: { executed: number } };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const isRunTarget = (v: unknown): v is RunTarget => {
  if (!isObj(v) || typeof v.name !== 'string') return false;
  if (v.kind === 'asm') return typeof v.text === 'string';
  return v.kind === 'object' && v.bytes instanceof Uint8Array && Number.isInteger(v.program) && (v.program as number) >= 0;
};

export const isExecParams = (v: unknown): v is ExecParams =>
  isObj(v) && isRunTarget(v.target) && typeof v.session === 'string'
  && (v.input === undefined || (isObj(v.input) && (v.input.data === undefined || v.input.data instanceof Uint8Array) && (v.input.ctx === undefined || v.input.ctx instanceof Uint8Array)))
  && (v.repeat === undefined || (Number.isInteger(v.repeat) && (v.repeat as number) >= 1 && (v.repeat as number) <= 10_000_000))
  && (v.mapEdits === undefined || Array.isArray(v.mapEdits));

export const isExecResult = (v: unknown): v is ExecResult =>
  isObj(v) && isObj(v.program) && isObj(v.verdict) && (v.run === null || isObj(v.run)) && Array.isArray(v.maps) && Array.isArray(v.mapsBefore);

export const execSpec: ServiceSpec<ExecMethods> = {
  name: 'vm',
  methods: { exec: { params: isExecParams, result: isExecResult } },
};

