/**
 * Execution history: what a traced run did at every step, kept compact enough for a
 * million steps, and read back through the shared `TraceCursor` so the UI can step
 * forwards, backwards and jump.
 *
 * Recorded per step: the instruction (slot, program) and call depth; the registers the
 * step changed (deltas, with a full register snapshot every SNAPSHOT_EVERY steps); the
 * bytes it wrote (old and new bytes, so memory can be rolled back from the final state or
 * forward again); the helper it called and what it returned.
 *
 * Reconstructing step s: registers = nearest snapshot at or before s plus at most
 * SNAPSHOT_EVERY deltas; a region's bytes = its bytes at the step last asked for, moved to
 * s by undoing or redoing the writes in between (so stepping by one is cheap).
 *
 * All storage is typed arrays and plain objects (`HistoryData`), so a worker can post a
 * history to the page, which rebuilds the cursor with `new ExecutionHistory(data)`.
 */
import type { Change, TraceCursor } from '../trace/cursor';
import type { StepTracer } from './interpreter';
import { bytesToHex } from './maps';
import type { Region, RegionKind } from './memory';
import { F_PROG, F_SLOT, ROW } from './program';
import type { Vm } from './vm';

/** Steps between full register snapshots. */
export const SNAPSHOT_EVERY = 256;

/** The VM's state after a step. */
export interface VmState {
  step: number;
  /** Slot the step executed, and its program. */
  pc: number;
  program: string;
  /** Call depth (0 = the program's own frame). */
  frame: number;
  /** r0-r10 after the step, unsigned 64-bit. */
  regs: bigint[];
  /** Stack bytes of frames 0..frame after the step (512 bytes each; byte 0 is fp-512). */
  stacks: Uint8Array[];
  /** Bytes of a region the run wrote (packet, context, map values, ...) after the step, by name. */
  region(name: string): Uint8Array | undefined;
  /** The helper the step called, with its result. */
  helper?: HelperRecord;
}

export interface HelperRecord {
  id: number;
  name: string;
  /** r0 after the call, as a hex string. */
  r0: string;
  /** For map helpers: the map and the key (hex). */
  map?: string;
  key?: string;
}

export interface RegionInfo {
  id: number;
  name: string;
  kind: RegionKind;
  /** Offset that messages count from (fp for stacks, data for the packet). */
  origin: number;
  /** Stack frame number, -1 for others. */
  frame: number;
  /** Bytes after the last step. */
  final: Uint8Array;
}

/** A history as plain data (structured-clone friendly). */
export interface HistoryData {
  steps: number;
  programs: string[];
  /** Map names by index in the object. */
  maps: string[];
  slots: Int32Array;
  progs: Uint16Array;
  depths: Uint8Array;
  /** regOffsets[s]..regOffsets[s+1]: the register deltas of step s in regDeltas (triples reg, lo, hi). */
  regOffsets: Uint32Array;
  regDeltas: Int32Array;
  /** Registers (22 int32 halves) before steps 0, K, 2K, ... */
  snapshots: Int32Array;
  /** Writes, 6 int32 each: step, region id, offset, size, pool offset, zero-fill flag. */
  writes: Int32Array;
  /** Old bytes, then (unless zero-fill) new bytes, of each write. */
  pool: Uint8Array;
  regions: RegionInfo[];
  helpers: [number, HelperRecord][];
  outputs: [number, 'printk' | 'event'][];
}

const W = 6;
const MAP_HELPERS = new Set([1, 2, 3, 87, 88, 89, 195]);

class GrowI32 {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    const b = new Int32Array(Math.max(min, this.a.length * 2));
    b.set(this.a);
    this.a = b;
  }
  done(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

class GrowU8 {
  a = new Uint8Array(4096);
  n = 0;
  reserve(k: number): number {
    if (this.n + k > this.a.length) {
      const b = new Uint8Array(Math.max(this.n + k, this.a.length * 2));
      b.set(this.a);
      this.a = b;
    }
    const at = this.n;
    this.n += k;
    return at;
  }
  push(v: number): void {
    this.a[this.reserve(1)] = v;
  }
  done(): Uint8Array {
    return this.a.slice(0, this.n);
  }
}

/** The tracer that records a run; `finish()` turns it into an ExecutionHistory. */
export class HistoryRecorder implements StepTracer {
  private n = 0;
  private readonly slots = new GrowI32();
  private readonly progs = new GrowI32();
  private readonly depths = new GrowU8();
  private readonly regOffsets = new GrowI32();
  private readonly regDeltas = new GrowI32();
  private readonly snapshots = new GrowI32();
  private readonly writes = new GrowI32();
  private readonly pool = new GrowU8();
  /** Writes of the current step still waiting for their new bytes. */
  private pending: number[] = [];
  private readonly prev = new Int32Array(22);
  private readonly regions = new Map<number, Region>();
  private readonly helpers: [number, HelperRecord][] = [];
  private readonly outputs: [number, 'printk' | 'event'][] = [];
  private printkSeen = 0;
  private eventsSeen = 0;

  constructor(private readonly vm: Vm) {
    this.regOffsets.push(0);
  }

  step(row: number): void {
    const R = this.vm.m.R;
    if (this.n > 0) this.endStep();
    else this.prev.set(R);
    if (this.n % SNAPSHOT_EVERY === 0) for (let k = 0; k < 22; k++) this.snapshots.push(R[k]);
    const code = this.vm.image.code;
    this.slots.push(code[row * ROW + F_SLOT]);
    this.progs.push(code[row * ROW + F_PROG]);
    this.depths.push(this.vm.m.depth);
    this.n++;
  }

  write(region: Region, off: number, size: number): void {
    if (!this.regions.has(region.id)) this.regions.set(region.id, region);
    if (this.n === 0 || size <= 0) return; // before the first step: the initial state
    const b = region.bytes;
    // A new frame's stack is zeroed: keep only the span of old bytes that were not zero.
    if (region.kind === 'stack' && off === 0 && size === b.length) {
      let lo = 0;
      let hi = b.length;
      while (lo < hi && b[lo] === 0) lo++;
      while (hi > lo && b[hi - 1] === 0) hi--;
      if (lo === hi) return;
      const at = this.pool.reserve(hi - lo);
      this.pool.a.set(b.subarray(lo, hi), at);
      this.pushWrite(region.id, lo, hi - lo, at, 1);
      return;
    }
    const at = this.pool.reserve(2 * size);
    this.pool.a.set(b.subarray(off, off + size), at);
    this.pending.push(this.writes.n);
    this.pushWrite(region.id, off, size, at, 0);
  }

  private pushWrite(id: number, off: number, size: number, at: number, zero: number): void {
    const w = this.writes;
    w.push(this.n - 1);
    w.push(id);
    w.push(off);
    w.push(size);
    w.push(at);
    w.push(zero);
  }

  helper(id: number, name: string): void {
    const m = this.vm.m;
    const rec: HelperRecord = { id, name, r0: `0x${m.reg(0).toString(16)}` };
    if (MAP_HELPERS.has(id)) {
      const r = m.argRegion(1);
      const mp = r?.region.kind === 'map' ? (r.region.owner as { name: string; def: { keySize: number } }) : undefined;
      if (mp) {
        rec.map = mp.name;
        if (mp.def.keySize > 0 && id !== 87 && id !== 88 && id !== 89) {
          try {
            rec.key = bytesToHex(this.vm.mem.readBytes(m.argLo(2), m.argHi(2), mp.def.keySize));
          } catch {
            // an unreadable key already made the helper fail
          }
        }
      }
    }
    this.helpers.push([this.n - 1, rec]);
  }

  /** Completes the step in progress: register deltas, new bytes of its writes, outputs. */
  private endStep(): void {
    const R = this.vm.m.R;
    const prev = this.prev;
    for (let k = 0; k < 22; k += 2) {
      if (R[k] !== prev[k] || R[k + 1] !== prev[k + 1]) {
        this.regDeltas.push(k >> 1);
        this.regDeltas.push(R[k]);
        this.regDeltas.push(R[k + 1]);
        prev[k] = R[k];
        prev[k + 1] = R[k + 1];
      }
    }
    this.regOffsets.push(this.regDeltas.n);
    const w = this.writes.a;
    for (const i of this.pending) {
      const region = this.regions.get(w[i + 1])!;
      const off = w[i + 2];
      const size = w[i + 3];
      this.pool.a.set(region.bytes.subarray(off, off + size), w[i + 4] + size);
    }
    this.pending = [];
    const st = this.vm.cur;
    if (st) {
      if (st.printk.length > this.printkSeen) { this.outputs.push([this.n - 1, 'printk']); this.printkSeen = st.printk.length; }
      if (st.events.length > this.eventsSeen) { this.outputs.push([this.n - 1, 'event']); this.eventsSeen = st.events.length; }
    }
  }

  /** Ends recording (call before the run's regions are freed). */
  finish(): ExecutionHistory {
    if (this.n > 0) this.endStep();
    for (const s of this.vm.m.stacks) if (!this.regions.has(s.id)) this.regions.set(s.id, s);
    const regions: RegionInfo[] = [...this.regions.values()].map((r) => ({
      id: r.id, name: r.name, kind: r.kind, origin: r.origin, frame: r.frame, final: r.bytes.slice(),
    }));
    return new ExecutionHistory({
      steps: this.n,
      programs: this.vm.obj.programs.map((p) => p.name),
      maps: this.vm.maps.map((m) => m.name),
      slots: this.slots.done(),
      progs: Uint16Array.from(this.progs.done()),
      depths: this.depths.done(),
      regOffsets: Uint32Array.from(this.regOffsets.done()),
      regDeltas: this.regDeltas.done(),
      snapshots: this.snapshots.done(),
      writes: this.writes.done(),
      pool: this.pool.done(),
      regions,
      helpers: this.helpers,
      outputs: this.outputs,
    });
  }
}

/** A recorded run, read step by step. */
export class ExecutionHistory implements TraceCursor<VmState> {
  /** Per region: its info, the indices of its writes, and its bytes at step `at`. */
  private readonly mem = new Map<number, { info: RegionInfo; writes: number[]; bytes: Uint8Array; at: number }>();
  private readonly helperAt = new Map<number, HelperRecord>();
  private readonly outputsAt = new Map<number, ('printk' | 'event')[]>();

  constructor(readonly data: HistoryData) {
    for (const info of data.regions) this.mem.set(info.id, { info, writes: [], bytes: info.final.slice(), at: data.steps - 1 });
    const w = data.writes;
    for (let i = 0; i < w.length; i += W) this.mem.get(w[i + 1])?.writes.push(i);
    for (const [s, h] of data.helpers) this.helperAt.set(s, h);
    for (const [s, what] of data.outputs) this.outputsAt.set(s, [...(this.outputsAt.get(s) ?? []), what]);
  }

  get length(): number {
    return this.data.steps;
  }

  pc(step: number): number {
    return this.data.slots[step];
  }

  frame(step: number): number {
    return this.data.depths[step];
  }

  program(step: number): string {
    return this.data.programs[this.data.progs[step]] ?? '';
  }

  /** Register halves (22 int32) after `step`. */
  registersAfter(step: number): Int32Array {
    const d = this.data;
    const k = Math.floor(step / SNAPSHOT_EVERY);
    const R = d.snapshots.slice(k * 22, k * 22 + 22);
    for (let s = k * SNAPSHOT_EVERY; s <= step; s++) {
      for (let i = d.regOffsets[s]; i < d.regOffsets[s + 1]; i += 3) {
        const r = d.regDeltas[i];
        R[2 * r] = d.regDeltas[i + 1];
        R[2 * r + 1] = d.regDeltas[i + 2];
      }
    }
    return R;
  }

  /** Bytes of region `id` after `step` (a view; copy it to keep it). */
  regionBytes(id: number, step: number): Uint8Array | undefined {
    const m = this.mem.get(id);
    if (!m) return undefined;
    const d = this.data;
    const w = d.writes;
    const pool = d.pool;
    const list = m.writes;
    // Undo writes after `step`, newest first; redo writes up to `step`, oldest first.
    if (step < m.at) {
      for (let j = list.length - 1; j >= 0; j--) {
        const i = list[j];
        const s = w[i];
        if (s <= step) break;
        if (s > m.at) continue;
        m.bytes.set(pool.subarray(w[i + 4], w[i + 4] + w[i + 3]), w[i + 2]);
      }
    } else if (step > m.at) {
      for (const i of list) {
        const s = w[i];
        if (s <= m.at) continue;
        if (s > step) break;
        if (w[i + 5]) m.bytes.fill(0, w[i + 2], w[i + 2] + w[i + 3]);
        else m.bytes.set(pool.subarray(w[i + 4] + w[i + 3], w[i + 4] + 2 * w[i + 3]), w[i + 2]);
      }
    }
    m.at = step;
    return m.bytes;
  }

  state(step: number): VmState {
    if (step < 0 || step >= this.length) throw new RangeError(`step ${step} is outside the history (0..${this.length - 1})`);
    const R = this.registersAfter(step);
    const regs: bigint[] = [];
    for (let r = 0; r < 11; r++) regs.push((BigInt(R[2 * r + 1] >>> 0) << 32n) | BigInt(R[2 * r] >>> 0));
    const frame = this.frame(step);
    const stacks: Uint8Array[] = [];
    const byFrame = [...this.mem.values()].filter((m) => m.info.kind === 'stack').sort((a, b) => a.info.frame - b.info.frame);
    for (const s of byFrame) if (s.info.frame <= frame) stacks.push(this.regionBytes(s.info.id, step)!.slice());
    return {
      step,
      pc: this.pc(step),
      program: this.program(step),
      frame,
      regs,
      stacks,
      region: (name) => {
        const m = [...this.mem.values()].find((x) => x.info.name === name);
        return m ? this.regionBytes(m.info.id, step)?.slice() : undefined;
      },
      helper: this.helperAt.get(step),
    };
  }

  changes(step: number): readonly Change[] {
    const d = this.data;
    const out: Change[] = [];
    const frame = this.frame(step);
    for (let i = d.regOffsets[step]; i < d.regOffsets[step + 1]; i += 3) out.push({ kind: 'reg', frame, reg: d.regDeltas[i] });
    const w = d.writes;
    for (let i = this.firstWrite(step); i < w.length && w[i] === step; i += W) {
      const info = this.mem.get(w[i + 1])?.info;
      if (!info) continue;
      if (info.kind === 'stack') out.push({ kind: 'stack', frame: info.frame, off: w[i + 2] - info.origin, size: w[i + 3] });
      else out.push({ kind: 'mem', region: info.name, off: w[i + 2] - info.origin, size: w[i + 3] });
    }
    const h = this.helperAt.get(step);
    if (h?.map && h.key !== undefined && (h.id === 2 || h.id === 3)) out.push({ kind: 'map', map: this.mapIndex(h.map), key: h.key });
    for (const what of this.outputsAt.get(step) ?? []) out.push({ kind: 'output', what });
    return out;
  }

  /** Index (into writes) of the first write of `step`, by binary search. */
  private firstWrite(step: number): number {
    const w = this.data.writes;
    let lo = 0;
    let hi = w.length / W;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (w[mid * W] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo * W;
  }

  private mapIndex(name: string): number {
    return this.data.maps.indexOf(name);
  }

  /** Bytes the history holds (for the memory bound). */
  get byteSize(): number {
    const d = this.data;
    return d.slots.byteLength + d.progs.byteLength + d.depths.byteLength + d.regOffsets.byteLength + d.regDeltas.byteLength +
      d.snapshots.byteLength + d.writes.byteLength + d.pool.byteLength + d.regions.reduce((n, r) => n + r.final.byteLength, 0);
  }
}
