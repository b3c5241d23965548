/**
 * The VM's memory: a synthetic 64-bit address space made of regions (each frame's stack,
 * the context, the packet, map values, ringbuf records, global data, test memory).
 *
 * Why this pointer scheme: programs do arithmetic on pointers (add offsets, compare
 * `data + 14 > data_end`, spill them to the stack as 8 bytes, mask low bits), so a
 * pointer must be a plain 64-bit number. Every region gets its own 4 GiB window:
 *
 *   bits 63..32  HI_BASE + region id         (0xff000000 + id: never 0, so NULL is no region)
 *   bits 31..0   LO_BASE + offset in region  (0x80000000 + offset)
 *
 * Starting regions in the middle of their window keeps small negative and positive
 * overflows (ctx-8, fp+16) inside the same high word, so an out-of-bounds access is still
 * attributed to the right region and reported as `ctx+60` or `fp-520`. Offsets keep the
 * low 31 bits of the address, so alignment (`data & 3`) behaves like the kernel's
 * (packet data sits at offset = headroom, as in the kernel's buffers). Resolving an
 * address is one array index (high word) and one bounds check (low word), cheap enough for
 * the interpreter's hot path: registers are kept as 32-bit halves (see interpreter.ts),
 * which are exactly the two words used here.
 */

export const HI_BASE = 0xff000000 | 0;
export const LO_BASE = 0x80000000 | 0;
/** Region ids must fit below 2^24 in the high word. */
export const MAX_REGIONS = 1 << 24;

export type RegionKind =
  | 'stack' | 'ctx' | 'packet' | 'map_value' | 'map' | 'mem' | 'ringbuf' | 'global' | 'user' | 'func';

/**
 * Special access rules of a region (the context): loads and stores that the kernel rewrites
 * (`__sk_buff.data` is a u32 field in the UAPI struct but loads a 64-bit pointer).
 * Return undefined to fall back to plain bytes.
 */
export interface SpecialAccess {
  load(off: number, size: number): { lo: number; hi: number } | string;
  store(off: number, size: number, lo: number, hi: number): true | string;
}

export class Region {
  /** Lowest offset the program may access (the packet's data_meta). */
  lo = 0;
  /** One past the highest offset the program may access (the packet's data_end). */
  end: number;
  /** Fast-path bounds: [rlo, rsize) readable, [rlo, wsize) writable; 0 sizes force the slow path. */
  rlo = 0;
  rsize: number;
  wsize: number;
  view: DataView;
  /** Whether the region may still be accessed (stacks of returned frames are not). */
  live = true;
  special: SpecialAccess | null = null;
  /** What owns the region, for helpers: a map (for kind 'map' and 'map_value'). */
  owner: unknown = null;
  /** Stack frame number (kind 'stack'). */
  frame = -1;
  /** Offset that names call "base" in messages: the packet's data start, the stack's top. */
  origin = 0;
  /** Names offsets for messages, when the default `name+off` is not the clearest (array elements). */
  namer: ((off: number) => string) | null = null;
  /** What the region holds, for messages (`struct xdp_md`); defaults to the name. */
  label: string | null = null;

  constructor(
    readonly id: number,
    readonly kind: RegionKind,
    public name: string,
    public bytes: Uint8Array,
    public writable: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.length;
    this.rsize = bytes.length;
    this.wsize = writable ? bytes.length : 0;
  }

  get size(): number {
    return this.end - this.lo;
  }

  /** Replaces the backing bytes (all of them become accessible). */
  rebind(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.lo = 0;
    this.end = bytes.length;
    this.refresh();
  }

  /** Recomputes the fast-path bounds after a change of liveness, bounds, permission or rules. */
  refresh(): void {
    const fast = this.live && this.special === null;
    this.rlo = this.lo;
    this.rsize = fast ? this.end : 0;
    this.wsize = fast && this.writable ? this.end : 0;
  }

  /** Pointer halves of `off` in this region. */
  ptrLo(off: number): number {
    return (LO_BASE + off) | 0;
  }

  get ptrHi(): number {
    return (HI_BASE + this.id) | 0;
  }

  /** The region-relative name of an offset: `ctx+60`, `fp-8`, `pkt+14`. */
  describe(off: number): string {
    if (this.namer) return this.namer(off);
    const rel = off - this.origin;
    return `${this.name}${rel < 0 ? '-' : '+'}${Math.abs(rel)}`;
  }

  /** The accessible range, for messages. */
  extent(): string {
    if (this.lo === 0 && this.origin === 0) return `${this.label ?? this.name} is ${this.end} byte${this.end === 1 ? '' : 's'}`;
    return `${this.name} spans ${this.describe(this.lo)}..${this.describe(this.end)}`;
  }
}

/** A run-time error of the program (not of the VM): reported with the instruction. */
export class VmFault extends Error {
  constructor(message: string, readonly kind: FaultKind = 'memory') {
    super(message);
    this.name = 'VmFault';
  }
}

export type FaultKind = 'memory' | 'budget' | 'call' | 'helper' | 'insn' | 'internal';

export const hex64 = (lo: number, hi: number): string =>
  `0x${((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16)}`;

const bytesWord = (n: number): string => `${n} byte${n === 1 ? '' : 's'}`;

/** The table of regions of one VM instance. Region ids are indices into `regions`. */
export class AddressSpace {
  readonly regions: (Region | undefined)[] = [undefined];
  private readonly free: number[] = [];

  add(kind: RegionKind, name: string, bytes: Uint8Array, writable: boolean): Region {
    const id = this.free.pop() ?? this.regions.length;
    if (id >= MAX_REGIONS) throw new VmFault(`too many memory regions (${MAX_REGIONS})`, 'internal');
    const r = new Region(id, kind, name, bytes, writable);
    this.regions[id] = r;
    return r;
  }

  /** Retires a region: its id may be reused; pointers to it become invalid. */
  release(r: Region): void {
    if (this.regions[r.id] !== r) return;
    r.live = false;
    r.refresh();
    this.regions[r.id] = undefined;
    this.free.push(r.id);
  }

  /** The region an address's high word names, if any. */
  regionOf(hi: number): Region | undefined {
    const idx = (hi - HI_BASE) >>> 0;
    return idx < this.regions.length ? this.regions[idx] : undefined;
  }

  /** Resolves [lo, hi] + size to a region and offset, or explains why not. */
  resolve(lo: number, hi: number, size: number, write: boolean): { region: Region; off: number } | string {
    const what = `${write ? 'write' : 'read'} of ${bytesWord(size)}`;
    const r = this.regionOf(hi);
    if (!r) {
      if (lo === 0 && hi === 0) return `invalid ${what} at address 0x0 (NULL pointer)`;
      return `invalid ${what} at address ${hex64(lo, hi)} (not in any memory region)`;
    }
    const off = lo ^ LO_BASE;
    if (!r.live) return `invalid ${what} at ${r.describe(off)}: ${r.kind === 'stack' ? 'the stack of a function that has returned' : 'memory that has been freed'}`;
    if (off < r.lo || off + size > r.end) return `out-of-bounds ${what} at ${r.describe(off)} (${r.extent()})`;
    if (write && !r.writable) return `${what} at ${r.describe(off)}: ${r.name} is read-only`;
    return { region: r, off };
  }

  /** Reads bytes for a helper; throws VmFault with the reason on a bad range. */
  readBytes(lo: number, hi: number, size: number): Uint8Array {
    if (size === 0) return new Uint8Array(0);
    const fast = this.regionOf(hi);
    const o = lo ^ LO_BASE;
    if (fast !== undefined && fast.special === null && o >= fast.rlo && o + size <= fast.rsize) return fast.bytes.slice(o, o + size);
    const r = this.resolveOrThrow(lo, hi, size, false);
    if (r.region.special) {
      const out = new Uint8Array(size);
      for (let k = 0; k < size; k++) {
        const v = r.region.special.load(r.off + k, 1);
        if (typeof v === 'string') throw new VmFault(v);
        out[k] = v.lo;
      }
      return out;
    }
    return r.region.bytes.slice(r.off, r.off + size);
  }

  /** A live view of bytes for a helper to write into. */
  writableBytes(lo: number, hi: number, size: number): Uint8Array {
    if (size === 0) return new Uint8Array(0);
    const r = this.resolveOrThrow(lo, hi, size, true);
    if (r.region.special) throw new VmFault(`helper cannot write ${bytesWord(size)} into ${r.region.describe(r.off)}`);
    return r.region.bytes.subarray(r.off, r.off + size);
  }

  resolveOrThrow(lo: number, hi: number, size: number, write: boolean): { region: Region; off: number } {
    const r = this.resolve(lo, hi, size, write);
    if (typeof r === 'string') throw new VmFault(r);
    return r;
  }
}
