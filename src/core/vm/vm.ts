/**
 * `Vm`: runs the programs of a `LoadedObject` the way BPF_PROG_TEST_RUN does, on inputs the
 * user chooses, in a simulated machine (CPUs, a task, a clock, kernel memory for
 * probe_read). Maps live as long as the Vm and can be read and edited between runs.
 *
 *   const vm = new Vm(obj);
 *   const r = vm.run('xdp_count', { data: packet });
 *   r.retval, r.dataOut, vm.dumpMaps(), r.printk, r.events
 */
import type { LoadedObject } from '../elf/loaded-object';
import { PROG_TYPES } from '../isa/kernel-types';
import { buildContext, ContextError, memContext, type RunContext } from './context';
import { KERNEL_HELPERS, type HelperImpl } from './helpers';
import { ExecutionHistory, HistoryRecorder } from './history';
import { DEFAULT_BUDGET, faultRow, Machine, StopProgram, type StepTracer } from './interpreter';
import { ArrayMap, bytesToHex, createMap, MAP, MapDefError, MapOfMaps, RingBufMap, type MapHost, type VmMap } from './maps';
import { AddressSpace, LO_BASE, type Region, VmFault, type FaultKind } from './memory';
import { decodePrograms, type CodeImage, type LdImmBinder } from './program';
import { UBPF_TEST_HELPERS } from './ubpf-helpers';

export interface TaskInfo {
  pid: number;
  tgid: number;
  uid: number;
  gid: number;
  comm: string;
  /** What bpf_get_current_task returns (an address in the simulated kernel memory). */
  taskAddr: bigint;
  cgroupId: bigint;
}

export interface VmOptions {
  /** Instruction budget of one run (default 1,000,000). */
  budget?: number;
  /** Refuse structurally invalid programs at load (default); false runs them until the bad instruction. */
  strict?: boolean;
  /** Helper set: the kernel's (default), or uBPF's test helpers for the conformance suites. */
  helpers?: 'kernel' | 'ubpf' | ReadonlyMap<number, HelperImpl>;
  /** Simulated CPUs (per-CPU maps hold this many values; default 1) and the CPU the program runs on. */
  nrCpus?: number;
  cpu?: number;
  /** 'deterministic' (default): time advances 1 ns per executed instruction from `clockStartNs`. */
  clock?: 'deterministic' | 'real';
  clockStartNs?: bigint;
  /** Seed of bpf_get_prandom_u32. */
  seed?: number;
  task?: Partial<TaskInfo>;
  /** Synthetic stacks for get_stackid / get_stack (instruction pointers, innermost first). */
  kernelStack?: readonly bigint[];
  userStack?: readonly bigint[];
  /** Simulated memory for probe_read* (kernel or user addresses). */
  memory?: ReadonlyArray<{ addr: bigint; bytes: Uint8Array }>;
  /** At most this many printk lines and events are kept per run (the rest are counted). */
  maxRecords?: number;
}

export interface RunInput {
  /** Packet bytes (data_in) for skb and xdp programs. */
  data?: Uint8Array;
  /** Context bytes (ctx_in). */
  ctx?: Uint8Array;
  /** Arguments for tracing contexts (raw_tracepoint/tracing u64 arrays; kprobe/perf_event: di, si, dx, cx, r8, r9). */
  args?: readonly (bigint | number)[];
  /** Conformance mode: r1 points at a copy of these bytes, r2 holds their length. */
  mem?: Uint8Array;
  /** Runs the program this many times on the same context (like test_run's repeat). */
  repeat?: number;
  /** Overrides the instruction budget for this run. */
  budget?: number;
  /** Records every step into `RunResult.history` (one run: not with repeat > 1). */
  trace?: boolean;
  /** A custom tracer (instead of `trace`). */
  tracer?: StepTracer;
}

export interface VmEvent {
  kind: 'perf_event' | 'ringbuf';
  map: string;
  cpu?: number;
  data: Uint8Array;
}

export interface RunError {
  message: string;
  kind: FaultKind;
  /** Program and instruction (slot) where it happened. */
  program: string;
  insn: number;
}

export interface RunResult {
  ok: boolean;
  /** Full 64-bit r0 at exit. */
  r0: bigint;
  /** r0 as BPF_PROG_TEST_RUN reports it (u32). */
  retval: number;
  error?: RunError;
  dataOut?: Uint8Array;
  ctxOut?: Uint8Array;
  printk: string[];
  events: VmEvent[];
  /** Records beyond maxRecords that were not kept. */
  dropped: number;
  /** Instructions executed by the last run. */
  insnsExecuted: number;
  runs: number;
  /** Mean wall time per run (when repeat was given). */
  nsPerRun?: number;
  /** bpf_redirect / bpf_redirect_map target of the last run. */
  redirect?: { ifindex: number; flags: number; map?: string };
  /** Every step of the run, when it was traced. */
  history?: ExecutionHistory;
}

/** Per-run state the helpers use. */
export interface RunState {
  ctx: RunContext;
  program: number;
  printk: string[];
  events: VmEvent[];
  dropped: number;
  redirect?: { ifindex: number; flags: number; map?: string };
  /** Spin locks held: region id * 2^32 + offset. */
  locks: Set<number>;
}

const DEFAULT_TASK: TaskInfo = {
  pid: 1000,
  tgid: 1000,
  uid: 0,
  gid: 0,
  comm: 'bpfplay',
  taskAddr: 0xffff888100a00000n,
  cgroupId: 1n,
};

export class VmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VmError';
  }
}

export class Vm implements MapHost {
  readonly mem = new AddressSpace();
  readonly maps: VmMap[] = [];
  readonly image: CodeImage;
  readonly m: Machine;
  readonly nrCpus: number;
  cpu: number;
  readonly task: TaskInfo;
  readonly kernelStack: readonly bigint[];
  readonly userStack: readonly bigint[];
  /** Simulated memory for probe_read*, sorted by address. */
  memory: { addr: bigint; bytes: Uint8Array }[];
  budget: number;
  clock: 'deterministic' | 'real';
  clockStartNs: bigint;
  /** Instructions executed by earlier runs (the deterministic clock). */
  private clockInsns = 0;
  private rng: number;
  readonly maxRecords: number;
  /** The run in progress (for helpers). */
  cur: RunState | null = null;
  private readonly funcRegion: Region;

  constructor(readonly obj: LoadedObject, opts: VmOptions = {}) {
    this.nrCpus = Math.max(1, opts.nrCpus ?? 1);
    this.cpu = Math.min(opts.cpu ?? 0, this.nrCpus - 1);
    this.task = { ...DEFAULT_TASK, ...opts.task };
    this.kernelStack = opts.kernelStack ?? [0xffffffff81a01234n, 0xffffffff81a05678n, 0xffffffff81000abcn];
    this.userStack = opts.userStack ?? [0x401136n, 0x7f0000029d90n];
    this.memory = [...(opts.memory ?? [])].sort((a, b) => (a.addr < b.addr ? -1 : 1));
    this.budget = opts.budget ?? DEFAULT_BUDGET;
    this.clock = opts.clock ?? 'deterministic';
    this.clockStartNs = opts.clockStartNs ?? 1_000_000_000_000n;
    this.rng = (opts.seed ?? 1) >>> 0 || 1;
    this.maxRecords = opts.maxRecords ?? 10_000;

    obj.maps.forEach((def, i) => {
      try {
        this.maps.push(createMap(def, i, this));
      } catch (e) {
        if (e instanceof MapDefError) throw new VmError(e.message);
        throw e;
      }
    });
    for (const mp of this.maps) if (mp instanceof MapOfMaps) {
      try {
        mp.initSlots();
      } catch (e) {
        throw new VmError((e as Error).message);
      }
    }
    this.funcRegion = this.mem.add('func', 'func', new Uint8Array(0), false);

    const binder: LdImmBinder = {
      mapPtr: (i) => this.maps[i]?.ptr() ?? `lddw refers to map ${i}, but the object has ${this.maps.length} map(s)`,
      mapValuePtr: (i, off) => {
        const mp = this.maps[i];
        if (!mp) return `lddw refers to the value of map ${i}, but the object has ${this.maps.length} map(s)`;
        if (!(mp instanceof ArrayMap) || mp.def.maxEntries !== 1) return `lddw points into the value of map ${mp.name}, which is not a one-element array`;
        if (off < 0 || off >= mp.def.valueSize) return `lddw points at offset ${off} of map ${mp.name}, whose value is ${mp.def.valueSize} bytes`;
        return mp.valuePtr(off);
      },
      funcPtr: (row) => [(LO_BASE + row) | 0, this.funcRegion.ptrHi],
    };
    this.image = decodePrograms(obj.programs, binder, { strict: opts.strict ?? true });
    this.m = new Machine(this.image, this.mem);
    this.installHelpers(opts.helpers ?? 'kernel');
  }

  // ------------------------------------------------------------------------------------
  // MapHost

  mapByIndex(i: number): VmMap | undefined {
    return this.maps[i];
  }

  programIndex(name: string): number | undefined {
    const i = this.obj.programs.findIndex((p) => p.name === name || p.section === name);
    return i < 0 ? undefined : i;
  }

  /** The map with this name (or index). */
  map(nameOrIndex: string | number): VmMap | undefined {
    return typeof nameOrIndex === 'number' ? this.maps[nameOrIndex] : this.maps.find((m) => m.name === nameOrIndex);
  }

  /** Every map's entries as hex pairs (the CLI's `maps` output). */
  dumpMaps(): Record<string, [string, string][]> {
    const out: Record<string, [string, string][]> = {};
    for (const mp of this.maps) {
      if (mp.type === MAP.PERF_EVENT_ARRAY || mp.type === MAP.RINGBUF) continue;
      out[mp.name] = mp.entries().map(([k, v]) => [bytesToHex(k), bytesToHex(mp.percpu ? unpadPercpu(v, mp.def.valueSize, this.nrCpus) : v)]);
    }
    return out;
  }

  /** The entry row of a program that a function pointer (lddw src=4) names, if any. */
  funcRow(lo: number, hi: number): number | undefined {
    if (hi !== this.funcRegion.ptrHi) return undefined;
    const row = lo ^ LO_BASE;
    return row >= 0 && row * 8 < this.image.code.length ? row : undefined;
  }

  private installHelpers(set: VmOptions['helpers']): void {
    const table: ReadonlyMap<number, HelperImpl> = set === 'kernel' || set === undefined ? KERNEL_HELPERS : set === 'ubpf' ? UBPF_TEST_HELPERS : set;
    for (const [id, impl] of table) this.m.helpers[id] = { name: impl.name, fn: () => impl.fn(this) };
  }

  // ------------------------------------------------------------------------------------
  // Running

  /** Resolves a program by name, section or index. */
  program(p: string | number = 0): number {
    if (typeof p === 'number') {
      if (p < 0 || p >= this.obj.programs.length) throw new VmError(`no program ${p} (the object has ${this.obj.programs.length})`);
      return p;
    }
    const i = this.programIndex(p);
    if (i === undefined) throw new VmError(`no program named ${p} (have: ${this.obj.programs.map((q) => q.name).join(', ')})`);
    return i;
  }

  /** Runs a program to completion (all repeats). */
  run(prog: string | number, input: RunInput = {}): RunResult {
    const session = this.start(prog, input);
    session.advance(Infinity);
    return session.result();
  }

  /**
   * Starts a run that is executed in slices (`advance`), so a worker can answer messages
   * (cancel) between slices. Only one session may be active per Vm.
   */
  start(prog: string | number, input: RunInput = {}): RunSession {
    if (this.cur) throw new VmError('another run is in progress on this VM');
    return new RunSession(this, this.program(prog), input);
  }

  /** For RunSession: the clock advances by the instructions each run executed. */
  addClock(insns: number): void {
    this.clockInsns += insns;
  }

  // ------------------------------------------------------------------------------------
  // Services for helpers

  /** The current time for ktime_get_*_ns. */
  nowNs(): bigint {
    if (this.clock === 'real') return BigInt(Math.round(performance.now() * 1e6));
    return this.clockStartNs + BigInt(this.clockInsns + this.m.executed);
  }

  /** The next bpf_get_prandom_u32 value (xorshift32, seeded). */
  random(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  /** Appends a trace_pipe line for a printk message. */
  printk(msg: string): void {
    const st = this.cur;
    if (!st) return;
    const ns = this.nowNs();
    const secs = ns / 1_000_000_000n;
    const usecs = (ns % 1_000_000_000n) / 1000n;
    const comm = this.task.comm.slice(0, 15).padStart(16);
    const line = `${comm}-${String(this.task.pid).padEnd(7)} [${String(this.cpu).padStart(3, '0')}] ...1. ${String(secs).padStart(5)}.${String(usecs).padStart(6, '0')}: bpf_trace_printk: ${msg.replace(/\n$/, '')}`;
    if (st.printk.length < this.maxRecords) st.printk.push(line);
    else st.dropped++;
  }

  event(e: VmEvent): void {
    if (this.cur) pushRecord(this.cur, this.cur.events, e, this.maxRecords);
  }

  /** Reads simulated memory (probe_read): VM regions first, then the user's memory. */
  readAddress(addr: bigint, n: number): Uint8Array | undefined {
    const lo = Number(addr & 0xffffffffn) | 0;
    const hi = Number(addr >> 32n) | 0;
    const r = this.mem.resolve(lo, hi, n, false);
    if (typeof r !== 'string') {
      if (r.region.special) {
        try {
          return this.mem.readBytes(lo, hi, n);
        } catch {
          return undefined;
        }
      }
      return r.region.bytes.slice(r.off, r.off + n);
    }
    if (this.mem.regionOf(hi)) return undefined;
    for (const e of this.memory) {
      if (addr >= e.addr && addr + BigInt(n) <= e.addr + BigInt(e.bytes.length)) {
        const off = Number(addr - e.addr);
        return e.bytes.slice(off, off + n);
      }
    }
    return undefined;
  }

  /** Reads a NUL-terminated string of at most `max` bytes (without the NUL) from simulated memory. */
  readString(addr: bigint, max: number): Uint8Array | undefined {
    const out: number[] = [];
    for (let i = 0; i < max; i++) {
      const b = this.readAddress(addr + BigInt(i), 1);
      if (!b) return i === 0 ? undefined : new Uint8Array(out);
      if (b[0] === 0) return new Uint8Array(out);
      out.push(b[0]);
    }
    return new Uint8Array(out);
  }
}

function pushRecord(st: RunState, list: VmEvent[], e: VmEvent, max: number): void {
  if (list.length < max) list.push(e);
  else st.dropped++;
}

/** Per-CPU values come padded to 8 bytes each (the syscall's layout); the CLI shows them unpadded, back to back. */
function unpadPercpu(v: Uint8Array, valueSize: number, cpus: number): Uint8Array {
  const es = (valueSize + 7) & ~7;
  const out = new Uint8Array(valueSize * cpus);
  for (let c = 0; c < cpus; c++) out.set(v.subarray(c * es, c * es + valueSize), c * valueSize);
  return out;
}

/** The type name of a program, for messages. */
export const progTypeName = (t: number): string => PROG_TYPES.name(t) ?? `type ${t}`;

/** A run in progress (see `Vm.start`). */
export class RunSession {
  private readonly ctx: RunContext;
  private readonly state: RunState;
  private readonly recorder?: HistoryRecorder;
  private readonly repeat: number;
  private readonly budget: number;
  private runs = 0;
  /** Whether a run is under way (started but paused). */
  private inRun = false;
  private error: RunError | undefined;
  private history: ExecutionHistory | undefined;
  private elapsedMs = 0;
  private done = false;
  private closed = false;

  constructor(private readonly vm: Vm, private readonly pi: number, private readonly input: RunInput) {
    const p = vm.obj.programs[pi];
    for (const mp of vm.maps) mp.beginRun();
    try {
      this.ctx = input.mem !== undefined ? memContext(vm.mem, input.mem) : buildContext(vm.mem, p.progType, input);
    } catch (e) {
      if (e instanceof ContextError) throw new VmError(e.message);
      throw e;
    }
    this.repeat = Math.max(1, input.repeat ?? 1);
    if (input.trace && this.repeat > 1) {
      this.release();
      throw new VmError('a traced run records one run: leave out repeat');
    }
    this.budget = input.budget ?? vm.budget;
    this.state = { ctx: this.ctx, program: pi, printk: [], events: [], dropped: 0, locks: new Set() };
    this.recorder = input.trace ? new HistoryRecorder(vm) : undefined;
  }

  get finished(): boolean {
    return this.done;
  }

  /** Instructions executed so far by the run in progress (or the last one). */
  get executed(): number {
    return this.vm.m.executed;
  }

  /**
   * Executes at most about `maxInsns` instructions (a callback a helper runs finishes
   * first); returns true when every repeat has finished.
   */
  advance(maxInsns: number): boolean {
    if (this.done) return true;
    const vm = this.vm;
    const m = vm.m;
    const ctx = this.ctx;
    vm.cur = this.state;
    m.absLoader = ctx.skb ?? null;
    m.tracer = this.recorder ?? this.input.tracer ?? null;
    const t0 = performance.now();
    let quota = maxInsns;
    try {
      while (this.runs < this.repeat && !this.error && quota > 0) {
        if (!this.inRun) {
          this.state.redirect = undefined;
          this.state.locks.clear();
          m.reset(vm.image.programs[this.pi].entry, this.budget);
          m.R[2] = ctx.r1[0];
          m.R[3] = ctx.r1[1];
          if (ctx.r2) { m.R[4] = ctx.r2[0]; m.R[5] = ctx.r2[1]; }
          this.inRun = true;
        }
        const before = m.left;
        const pauseAt = quota >= before ? 0 : before - quota;
        let finished = true;
        try {
          finished = m.exec(0, pauseAt);
        } catch (e) {
          if (e instanceof StopProgram) {
            m.R[0] = e.r0lo;
            m.R[1] = e.r0hi;
          } else if (e instanceof VmFault) {
            const row = faultRow(e) ?? m.pc;
            const w = m.where(row);
            const name = vm.obj.programs[w.prog]?.name ?? vm.obj.programs[this.pi].name;
            this.error = { message: `${e.message} (insn ${w.slot})`, kind: e.kind, program: name, insn: w.slot };
          } else throw e;
        }
        quota -= before - m.left;
        if (!finished) break;
        this.inRun = false;
        this.runs++;
        vm.addClock(m.executed);
        for (const mp of vm.maps) mp.endRun();
      }
      if (this.runs >= this.repeat || this.error) {
        this.done = true;
        if (this.recorder) this.history = this.recorder.finish();
      }
    } finally {
      this.elapsedMs += performance.now() - t0;
      vm.cur = null;
      m.tracer = null;
    }
    return this.done;
  }

  /** The result; runs whatever is left first. Frees the run's memory regions. */
  result(): RunResult {
    if (!this.done) this.advance(Infinity);
    const vm = this.vm;
    const m = vm.m;
    const state = this.state;
    const events = state.events;
    for (const mp of vm.maps) if (mp instanceof RingBufMap) {
      for (const data of mp.drain()) pushRecord(state, events, { kind: 'ringbuf', map: mp.name, data }, vm.maxRecords);
    }
    const r0 = m.reg(0);
    const result: RunResult = {
      ok: !this.error,
      r0,
      retval: Number(r0 & 0xffffffffn),
      error: this.error,
      dataOut: this.ctx.dataOut(),
      ctxOut: this.ctx.ctxOut(),
      printk: state.printk,
      events,
      dropped: state.dropped,
      insnsExecuted: m.executed,
      runs: this.runs,
      nsPerRun: this.input.repeat !== undefined ? (this.elapsedMs * 1e6) / Math.max(1, this.runs) : undefined,
      redirect: state.redirect,
      history: this.history,
    };
    this.release();
    return result;
  }

  /** Abandons the run (cancelled): frees its memory regions. */
  cancel(): void {
    this.done = true;
    this.release();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    for (const r of this.ctx?.regions ?? []) this.vm.mem.release(r);
  }
}
