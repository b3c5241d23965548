/**
 * BPF maps with the kernel's semantics: creation checks (EINVAL for wrong sizes), update
 * flags (BPF_ANY / BPF_NOEXIST / BPF_EXIST, with EEXIST / ENOENT), capacity (E2BIG), and
 * what a program's lookup returns (a pointer into the value, which stays valid for the
 * run, as RCU keeps it in the kernel).
 *
 * Each map has two faces: the program's (lookupPtr/update/delete called by helpers, with
 * per-CPU maps showing the current CPU's value) and the user's (lookupUser/updateUser/
 * entries, as the bpf(2) syscall sees them, used by the UI's maps panel and the CLI).
 */
import type { MapDef } from '../elf/loaded-object';
import { MAP_TYPES } from '../isa/kernel-types';
import { E2BIG, EEXIST, EINVAL, ENOENT, ENOSPC, EOPNOTSUPP } from './errno';
import { LO_BASE, type AddressSpace, type Region, VmFault } from './memory';

export const BPF_ANY = 0;
export const BPF_NOEXIST = 1;
export const BPF_EXIST = 2;
export const BPF_F_LOCK = 4;
export const BPF_F_NO_PREALLOC = 1;
export const BPF_F_RDONLY_PROG = 1 << 7;

export const MAP = {
  HASH: 1, ARRAY: 2, PROG_ARRAY: 3, PERF_EVENT_ARRAY: 4, PERCPU_HASH: 5, PERCPU_ARRAY: 6, STACK_TRACE: 7,
  LRU_HASH: 9, LRU_PERCPU_HASH: 10, LPM_TRIE: 11, ARRAY_OF_MAPS: 12, HASH_OF_MAPS: 13, DEVMAP: 14,
  CPUMAP: 16, XSKMAP: 17, QUEUE: 22, STACK: 23, DEVMAP_HASH: 25, RINGBUF: 27, BLOOM_FILTER: 30,
} as const;

/** What maps need from the VM around them. */
export interface MapHost {
  readonly mem: AddressSpace;
  readonly nrCpus: number;
  /** The CPU the program runs on. */
  readonly cpu: number;
  /** Maps of the object, for map-in-map slots (by index). */
  mapByIndex(i: number): VmMap | undefined;
  /** Program index by name, for PROG_ARRAY slots. */
  programIndex(name: string): number | undefined;
}

/** A map definition the kernel would refuse. */
export class MapDefError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MapDefError';
  }
}

const round8 = (n: number): number => (n + 7) & ~7;
const keyString = (k: Uint8Array): string =>
  k.length === 4 ? String.fromCharCode(k[0], k[1], k[2], k[3]) : String.fromCharCode.apply(null, k as unknown as number[]);
const u32le = (b: Uint8Array, off = 0): number => (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24)) >>> 0;
const u32bytes = (v: number): Uint8Array => new Uint8Array(new Uint32Array([v >>> 0]).buffer);

export const mapTypeName = (t: number): string => (MAP_TYPES.name(t) ?? `type ${t}`).toUpperCase();

export abstract class VmMap {
  /** The map object itself: what `r1 = map[...]` points at (a pointer identity, no bytes). */
  readonly region: Region;

  constructor(readonly def: MapDef, readonly index: number, protected readonly host: MapHost) {
    this.region = host.mem.add('map', def.name, new Uint8Array(0), false);
    this.region.owner = this;
  }

  get name(): string {
    return this.def.name;
  }

  get type(): number {
    return this.def.type;
  }

  /** Pointer to the map object, as [lo, hi]. */
  ptr(): [number, number] {
    return [LO_BASE, this.region.ptrHi];
  }

  /** The program's bpf_map_lookup_elem: a pointer to the value, or null. */
  abstract lookupPtr(key: Uint8Array): [number, number] | null;
  /** The program's bpf_map_update_elem: 0 or -errno. */
  abstract update(key: Uint8Array, value: Uint8Array, flags: number): number;
  /** bpf_map_delete_elem: 0 or -errno. */
  abstract delete(key: Uint8Array): number;
  /** The syscall's lookup: the value (for per-CPU maps, every CPU's value, each padded to 8 bytes). */
  abstract lookupUser(key: Uint8Array): Uint8Array | undefined;
  /** The syscall's update (per-CPU maps take every CPU's value, each padded to 8 bytes). */
  updateUser(key: Uint8Array, value: Uint8Array, flags = BPF_ANY): number {
    return this.update(key, value, flags);
  }
  /** Every entry as the syscall iterates them, with values in the lookupUser form. */
  abstract entries(): [Uint8Array, Uint8Array][];
  /** Called when a run starts: frees what the previous run retired. */
  beginRun(): void {}
  /** Called when a run ends. */
  endRun(): void {}

  /** Whether a value in entries() holds several CPUs' values. */
  get percpu(): boolean {
    return false;
  }

  protected checkKey(key: Uint8Array): void {
    if (key.length !== this.def.keySize) throw new VmFault(`map ${this.name}: key of ${key.length} bytes, the map's key_size is ${this.def.keySize}`, 'helper');
  }
}

// ---------------------------------------------------------------------------------------
// Arrays: ARRAY, PERCPU_ARRAY (and global data sections), plus the redirect-target arrays

export class ArrayMap extends VmMap {
  readonly elemSize: number;
  /** One buffer per CPU (one for non-per-CPU arrays). */
  readonly data: Uint8Array[];
  readonly valueRegions: Region[];
  private readonly isPercpu: boolean;

  constructor(def: MapDef, index: number, host: MapHost, readonlyForProgram = false) {
    super(def, index, host);
    this.isPercpu = def.type === MAP.PERCPU_ARRAY;
    this.elemSize = round8(def.valueSize);
    const cpus = this.isPercpu ? host.nrCpus : 1;
    this.data = [];
    this.valueRegions = [];
    for (let c = 0; c < cpus; c++) {
      const buf = new Uint8Array(def.maxEntries * this.elemSize);
      if (def.initial && c === 0) buf.set(def.initial.subarray(0, Math.min(def.initial.length, def.valueSize)));
      this.data.push(buf);
      const r = host.mem.add('map_value', def.name, buf, !readonlyForProgram);
      r.owner = this;
      const es = this.elemSize;
      r.namer = (off: number) => {
        const idx = Math.floor(off / es);
        return def.maxEntries === 1 || idx < 0 || idx >= def.maxEntries ? `${def.name}${off < 0 ? '-' : '+'}${Math.abs(off)}` : `${def.name}[${idx}]+${off - idx * es}`;
      };
      this.valueRegions.push(r);
    }
  }

  override get percpu(): boolean {
    return this.isPercpu;
  }

  private cpuIndex(): number {
    return this.isPercpu ? Math.min(this.host.cpu, this.data.length - 1) : 0;
  }

  lookupPtr(key: Uint8Array): [number, number] | null {
    this.checkKey(key);
    const idx = u32le(key);
    if (idx >= this.def.maxEntries) return null;
    const r = this.valueRegions[this.cpuIndex()];
    return [r.ptrLo(idx * this.elemSize), r.ptrHi];
  }

  /** Pointer into the value of element 0 at `off` (global data, lddw map value). */
  valuePtr(off: number): [number, number] {
    const r = this.valueRegions[0];
    return [r.ptrLo(off), r.ptrHi];
  }

  update(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.store(key, value, flags, false);
  }

  override updateUser(key: Uint8Array, value: Uint8Array, flags = BPF_ANY): number {
    return this.store(key, value, flags, true);
  }

  private store(key: Uint8Array, value: Uint8Array, flags: number, user: boolean): number {
    this.checkKey(key);
    if ((flags & ~BPF_F_LOCK) > BPF_EXIST) return -EINVAL;
    const idx = u32le(key);
    if (idx >= this.def.maxEntries) return -E2BIG;
    if (flags & BPF_NOEXIST) return -EEXIST;
    const vs = this.def.valueSize;
    const at = idx * this.elemSize;
    if (this.isPercpu && user) {
      for (let c = 0; c < this.data.length; c++) this.data[c].set(value.subarray(c * this.elemSize, c * this.elemSize + vs), at);
    } else {
      this.data[this.cpuIndex()].set(value.subarray(0, vs), at);
    }
    return 0;
  }

  delete(_key: Uint8Array): number {
    return -EINVAL;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    if (key.length !== this.def.keySize) return undefined;
    const idx = u32le(key);
    if (idx >= this.def.maxEntries) return undefined;
    return this.valueAt(idx);
  }

  private valueAt(idx: number): Uint8Array {
    const at = idx * this.elemSize;
    if (!this.isPercpu) return this.data[0].slice(at, at + this.def.valueSize);
    const out = new Uint8Array(this.elemSize * this.data.length);
    this.data.forEach((d, c) => out.set(d.subarray(at, at + this.elemSize), c * this.elemSize));
    return out;
  }

  entries(): [Uint8Array, Uint8Array][] {
    const out: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i < this.def.maxEntries; i++) out.push([u32bytes(i), this.valueAt(i)]);
    return out;
  }
}

// ---------------------------------------------------------------------------------------
// Hash tables: HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH

interface HashElem {
  key: Uint8Array;
  /** Value(s): one per CPU for per-CPU maps, each padded to 8 bytes. */
  vals: Uint8Array;
  /** Regions handed to the program, per CPU (created on first lookup). */
  regions: (Region | undefined)[];
}

export class HashMap extends VmMap {
  readonly elems = new Map<string, HashElem>();
  private readonly isPercpu: boolean;
  private readonly isLru: boolean;
  private readonly elemSize: number;
  /** Elements replaced or deleted this run: their memory stays readable until the run ends. */
  private retired: HashElem[] = [];

  constructor(def: MapDef, index: number, host: MapHost) {
    super(def, index, host);
    this.isPercpu = def.type === MAP.PERCPU_HASH || def.type === MAP.LRU_PERCPU_HASH;
    this.isLru = def.type === MAP.LRU_HASH || def.type === MAP.LRU_PERCPU_HASH;
    this.elemSize = round8(def.valueSize);
  }

  override get percpu(): boolean {
    return this.isPercpu;
  }

  private cpus(): number {
    return this.isPercpu ? this.host.nrCpus : 1;
  }

  private cpuIndex(): number {
    return this.isPercpu ? Math.min(this.host.cpu, this.host.nrCpus - 1) : 0;
  }

  lookupPtr(key: Uint8Array): [number, number] | null {
    this.checkKey(key);
    const ks = keyString(key);
    const e = this.elems.get(ks);
    if (!e) return null;
    if (this.isLru) { // most recently used moves to the end
      this.elems.delete(ks);
      this.elems.set(ks, e);
    }
    const c = this.cpuIndex();
    let r = e.regions[c];
    if (!r) {
      r = this.host.mem.add('map_value', `${this.name}[${hexShort(e.key)}]`, e.vals.subarray(c * this.elemSize, c * this.elemSize + this.def.valueSize), true);
      r.owner = this;
      e.regions[c] = r;
    }
    return [r.ptrLo(0), r.ptrHi];
  }

  update(key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.store(key, value, flags, false);
  }

  override updateUser(key: Uint8Array, value: Uint8Array, flags = BPF_ANY): number {
    return this.store(key, value, flags, true);
  }

  private store(key: Uint8Array, value: Uint8Array, flags: number, user: boolean): number {
    this.checkKey(key);
    if ((flags & ~BPF_F_LOCK) > BPF_EXIST) return -EINVAL;
    const ks = keyString(key);
    const old = this.elems.get(ks);
    const f = flags & ~BPF_F_LOCK;
    if (old && f === BPF_NOEXIST) return -EEXIST;
    if (!old && f === BPF_EXIST) return -ENOENT;
    const vs = this.def.valueSize;
    if (old && this.isPercpu) { // per-CPU values are updated in place
      if (user) for (let c = 0; c < this.cpus(); c++) old.vals.set(value.subarray(c * this.elemSize, c * this.elemSize + vs), c * this.elemSize);
      else old.vals.set(value.subarray(0, vs), this.cpuIndex() * this.elemSize);
      if (this.isLru) { this.elems.delete(ks); this.elems.set(ks, old); }
      return 0;
    }
    if (!old && this.elems.size >= this.def.maxEntries) {
      if (!this.isLru) return -E2BIG;
      const [victimKey, victim] = this.elems.entries().next().value as [string, HashElem];
      this.elems.delete(victimKey);
      this.retired.push(victim);
    }
    const vals = new Uint8Array(this.elemSize * this.cpus());
    if (this.isPercpu && user) for (let c = 0; c < this.cpus(); c++) vals.set(value.subarray(c * this.elemSize, c * this.elemSize + vs), c * this.elemSize);
    else vals.set(value.subarray(0, vs), this.cpuIndex() * this.elemSize);
    // A new element replaces the old one (the kernel allocates a new element; pointers to
    // the old one stay readable until the run ends).
    if (old) {
      this.retired.push(old);
      this.elems.delete(ks);
    }
    this.elems.set(ks, { key: key.slice(), vals, regions: [] });
    return 0;
  }

  delete(key: Uint8Array): number {
    this.checkKey(key);
    const ks = keyString(key);
    const e = this.elems.get(ks);
    if (!e) return -ENOENT;
    this.elems.delete(ks);
    this.retired.push(e);
    return 0;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    const e = this.elems.get(keyString(key));
    return e ? this.userValue(e) : undefined;
  }

  private userValue(e: HashElem): Uint8Array {
    return this.isPercpu ? e.vals.slice() : e.vals.slice(0, this.def.valueSize);
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.elems.values()].map((e) => [e.key.slice(), this.userValue(e)]);
  }

  override beginRun(): void {
    for (const e of this.retired) for (const r of e.regions) if (r) this.host.mem.release(r);
    this.retired = [];
  }
}

// ---------------------------------------------------------------------------------------
// LPM_TRIE: longest-prefix match over {u32 prefixlen; u8 data[]} keys

interface LpmElem {
  key: Uint8Array;
  prefixlen: number;
  value: Uint8Array;
  region?: Region;
}

export class LpmTrieMap extends VmMap {
  private readonly elems = new Map<string, LpmElem>();
  private retired: LpmElem[] = [];
  readonly maxPrefixlen: number;

  constructor(def: MapDef, index: number, host: MapHost) {
    super(def, index, host);
    this.maxPrefixlen = (def.keySize - 4) * 8;
  }

  /** The identity of a prefix: its length and the data bits under it. */
  private canon(key: Uint8Array, plen: number): string {
    const data = key.subarray(4);
    const out: number[] = [plen];
    for (let b = 0; b < data.length; b++) {
      const bits = Math.max(0, Math.min(8, plen - b * 8));
      out.push(bits === 0 ? 0 : data[b] & (0xff << (8 - bits)) & 0xff);
    }
    return out.join(',');
  }

  private matches(e: LpmElem, key: Uint8Array, plen: number): boolean {
    if (e.prefixlen > plen) return false;
    const a = e.key.subarray(4);
    const b = key.subarray(4);
    let bits = e.prefixlen;
    for (let i = 0; bits > 0; i++, bits -= 8) {
      const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((a[i] & mask) !== (b[i] & mask)) return false;
    }
    return true;
  }

  private find(key: Uint8Array): LpmElem | undefined {
    const plen = Math.min(u32le(key), this.maxPrefixlen);
    let best: LpmElem | undefined;
    for (const e of this.elems.values()) if (this.matches(e, key, plen) && (!best || e.prefixlen > best.prefixlen)) best = e;
    return best;
  }

  lookupPtr(key: Uint8Array): [number, number] | null {
    this.checkKey(key);
    const e = this.find(key);
    if (!e) return null;
    if (!e.region) {
      e.region = this.host.mem.add('map_value', `${this.name}[${hexShort(e.key)}]`, e.value, true);
      e.region.owner = this;
    }
    return [e.region.ptrLo(0), e.region.ptrHi];
  }

  update(key: Uint8Array, value: Uint8Array, flags: number): number {
    this.checkKey(key);
    if (flags > BPF_EXIST) return -EINVAL;
    const plen = u32le(key);
    if (plen > this.maxPrefixlen) return -EINVAL;
    const c = this.canon(key, plen);
    const old = this.elems.get(c);
    if (old && flags === BPF_NOEXIST) return -EEXIST;
    if (!old && flags === BPF_EXIST) return -ENOENT;
    if (!old && this.elems.size >= this.def.maxEntries) return -ENOSPC;
    if (old) this.retired.push(old);
    this.elems.set(c, { key: key.slice(), prefixlen: plen, value: value.slice(0, this.def.valueSize) });
    return 0;
  }

  delete(key: Uint8Array): number {
    this.checkKey(key);
    const plen = u32le(key);
    if (plen > this.maxPrefixlen) return -EINVAL;
    const c = this.canon(key, plen);
    const e = this.elems.get(c);
    if (!e) return -ENOENT;
    this.elems.delete(c);
    this.retired.push(e);
    return 0;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    if (key.length !== this.def.keySize) return undefined;
    return this.find(key)?.value.slice();
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.elems.values()].map((e) => [e.key.slice(), e.value.slice()]);
  }

  override beginRun(): void {
    for (const e of this.retired) if (e.region) this.host.mem.release(e.region);
    this.retired = [];
  }
}

// ---------------------------------------------------------------------------------------
// QUEUE and STACK: push / pop / peek of values, no keys

export class QueueStackMap extends VmMap {
  /** Oldest first. */
  readonly items: Uint8Array[] = [];

  get isStack(): boolean {
    return this.def.type === MAP.STACK;
  }

  push(value: Uint8Array, flags: number): number {
    if (flags & BPF_NOEXIST || flags > BPF_EXIST) return -EINVAL;
    if (this.items.length >= this.def.maxEntries) {
      if (!(flags & BPF_EXIST)) return -E2BIG;
      this.items.shift(); // the oldest element is overwritten, for queues and stacks alike
    }
    this.items.push(value.slice(0, this.def.valueSize));
    return 0;
  }

  /** Pops (or peeks) into `out`; on an empty map, zeroes `out` and returns -ENOENT. */
  take(out: Uint8Array, remove: boolean): number {
    if (!this.items.length) {
      out.fill(0);
      return -ENOENT;
    }
    const v = this.isStack ? this.items[this.items.length - 1] : this.items[0];
    if (remove) { if (this.isStack) this.items.pop(); else this.items.shift(); }
    out.set(v.subarray(0, out.length));
    return 0;
  }

  lookupPtr(): [number, number] | null {
    return null;
  }

  update(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }

  delete(): number {
    return -EINVAL;
  }

  lookupUser(): Uint8Array | undefined {
    const v = this.isStack ? this.items[this.items.length - 1] : this.items[0];
    return v?.slice();
  }

  entries(): [Uint8Array, Uint8Array][] {
    const order = this.isStack ? [...this.items].reverse() : this.items;
    return order.map((v) => [new Uint8Array(0), v.slice()]);
  }
}

// ---------------------------------------------------------------------------------------
// BLOOM_FILTER: push adds a value, peek answers "maybe present" (0) or "absent" (-ENOENT).
// Modelled as an exact set: the kernel's bit array can also answer 0 for values never
// pushed (a false positive); the VM never does.

export class BloomFilterMap extends VmMap {
  private readonly values = new Set<string>();

  push(value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -EINVAL;
    this.values.add(keyString(value.subarray(0, this.def.valueSize)));
    return 0;
  }

  peek(value: Uint8Array): number {
    return this.values.has(keyString(value.subarray(0, this.def.valueSize))) ? 0 : -ENOENT;
  }

  lookupPtr(): [number, number] | null {
    return null;
  }

  update(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }

  delete(): number {
    return -EOPNOTSUPP;
  }

  lookupUser(): Uint8Array | undefined {
    return undefined;
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.values].map((v) => [new Uint8Array(0), Uint8Array.from(v, (c) => c.charCodeAt(0))]);
  }
}

// ---------------------------------------------------------------------------------------
// RINGBUF: records reserved/submitted by the program, drained by the consumer after each run

export interface RingRecord {
  region: Region;
  size: number;
  state: 'reserved' | 'submitted' | 'discarded';
}

const RINGBUF_HDR = 8;

export class RingBufMap extends VmMap {
  records: RingRecord[] = [];
  /** Bytes produced since the consumer last read (header + data, rounded to 8). */
  produced = 0;
  consumed = 0;

  get used(): number {
    return this.produced - this.consumed;
  }

  /** Reserves a record of `size` bytes; undefined when it does not fit (the kernel's NULL). */
  reserve(size: number): RingRecord | undefined {
    const total = round8(size + RINGBUF_HDR);
    if (size > this.def.maxEntries - RINGBUF_HDR || this.used + total > this.def.maxEntries) return undefined;
    const region = this.host.mem.add('ringbuf', `${this.name} record`, new Uint8Array(size), true);
    region.owner = this;
    const rec: RingRecord = { region, size, state: 'reserved' };
    this.records.push(rec);
    this.produced += total;
    return rec;
  }

  recordAt(region: Region): RingRecord | undefined {
    return this.records.find((r) => r.region === region);
  }

  /** Takes the submitted records (in order) and frees the space, as a consumer would. */
  drain(): Uint8Array[] {
    const out = this.records.filter((r) => r.state === 'submitted').map((r) => r.region.bytes.slice());
    for (const r of this.records) this.host.mem.release(r.region);
    this.records = [];
    this.consumed = this.produced;
    return out;
  }

  lookupPtr(): [number, number] | null {
    return null;
  }

  update(): number {
    return -EINVAL;
  }

  delete(): number {
    return -EINVAL;
  }

  lookupUser(): Uint8Array | undefined {
    return undefined;
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------
// Slot maps: PROG_ARRAY (programs), ARRAY_OF_MAPS / HASH_OF_MAPS (maps), PERF_EVENT_ARRAY

export class ProgArrayMap extends VmMap {
  /** Slot -> program index in the object. */
  readonly slots = new Map<number, number>();

  constructor(def: MapDef, index: number, host: MapHost) {
    super(def, index, host);
    for (const s of def.initSlots ?? []) {
      const p = s.program !== undefined ? host.programIndex(s.program) : undefined;
      if (p === undefined) throw new MapDefError(`map ${def.name}: slot ${s.slot} names program ${JSON.stringify(s.program)}, which the object does not have`);
      if (s.slot < def.maxEntries) this.slots.set(s.slot, p);
    }
  }

  lookupPtr(): [number, number] | null {
    return null;
  }

  update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return -EINVAL;
    const idx = u32le(key);
    if (idx >= this.def.maxEntries) return -E2BIG;
    if (flags === BPF_NOEXIST) return -EEXIST;
    this.slots.set(idx, u32le(value));
    return 0;
  }

  delete(key: Uint8Array): number {
    const idx = u32le(key);
    if (idx >= this.def.maxEntries) return -E2BIG;
    return this.slots.delete(idx) ? 0 : -ENOENT;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    const p = this.slots.get(u32le(key));
    return p === undefined ? undefined : u32bytes(p);
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.slots.entries()].sort((a, b) => a[0] - b[0]).map(([k, p]) => [u32bytes(k), u32bytes(p)]);
  }
}

export class MapOfMaps extends VmMap {
  /** Key (latin1 string of the key bytes) -> inner map. */
  readonly slots = new Map<string, { key: Uint8Array; map: VmMap }>();

  constructor(def: MapDef, index: number, host: MapHost) {
    super(def, index, host);
  }

  /** Fills static slots; called once every map of the object exists. */
  initSlots(): void {
    for (const s of this.def.initSlots ?? []) {
      const inner = s.map !== undefined ? this.host.mapByIndex(s.map) : undefined;
      if (!inner) throw new MapDefError(`map ${this.name}: slot ${s.slot} names map ${s.map}, which does not exist`);
      const r = this.set(u32bytes(s.slot), inner, BPF_ANY);
      if (r) throw new MapDefError(`map ${this.name}: slot ${s.slot} cannot hold map ${inner.name} (error ${r})`);
    }
  }

  set(key: Uint8Array, inner: VmMap, flags: number): number {
    this.checkKey(key);
    if (flags > BPF_EXIST) return -EINVAL;
    const ks = keyString(key);
    const isArray = this.def.type === MAP.ARRAY_OF_MAPS;
    if (isArray && u32le(key) >= this.def.maxEntries) return -E2BIG;
    const old = this.slots.get(ks);
    if (isArray && flags === BPF_NOEXIST) return -EEXIST;
    if (!isArray && old && flags === BPF_NOEXIST) return -EEXIST;
    if (!isArray && !old && flags === BPF_EXIST) return -ENOENT;
    if (!isArray && !old && this.slots.size >= this.def.maxEntries) return -E2BIG;
    this.slots.set(ks, { key: key.slice(), map: inner });
    return 0;
  }

  lookupPtr(key: Uint8Array): [number, number] | null {
    this.checkKey(key);
    const e = this.slots.get(keyString(key));
    return e ? e.map.ptr() : null;
  }

  update(key: Uint8Array, value: Uint8Array, flags: number): number {
    const inner = this.host.mapByIndex(u32le(value));
    if (!inner) return -EINVAL;
    return this.set(key, inner, flags);
  }

  delete(key: Uint8Array): number {
    this.checkKey(key);
    if (this.def.type === MAP.ARRAY_OF_MAPS && u32le(key) >= this.def.maxEntries) return -E2BIG;
    return this.slots.delete(keyString(key)) ? 0 : -ENOENT;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    const e = this.slots.get(keyString(key));
    return e ? u32bytes(e.map.index) : undefined;
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.slots.values()].map((e) => [e.key.slice(), u32bytes(e.map.index)]);
  }
}

/** PERF_EVENT_ARRAY: every slot is taken to have a reader attached; output becomes events. */
export class PerfEventArrayMap extends VmMap {
  lookupPtr(): [number, number] | null {
    return null;
  }

  update(): number {
    return -EINVAL;
  }

  delete(): number {
    return -EINVAL;
  }

  lookupUser(): Uint8Array | undefined {
    return undefined;
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [];
  }
}

// ---------------------------------------------------------------------------------------
// STACK_TRACE: stack id -> array of u64 instruction pointers

export class StackTraceMap extends VmMap {
  readonly buckets = new Map<number, { ips: Uint8Array; region?: Region }>();

  lookupPtr(key: Uint8Array): [number, number] | null {
    this.checkKey(key);
    const b = this.buckets.get(u32le(key));
    if (!b) return null;
    if (!b.region) {
      b.region = this.host.mem.add('map_value', `${this.name}[${u32le(key)}]`, b.ips, false);
      b.region.owner = this;
    }
    return [b.region.ptrLo(0), b.region.ptrHi];
  }

  update(): number {
    return -EINVAL;
  }

  delete(key: Uint8Array): number {
    const b = this.buckets.get(u32le(key));
    if (!b) return -ENOENT;
    if (b.region) this.host.mem.release(b.region);
    this.buckets.delete(u32le(key));
    return 0;
  }

  lookupUser(key: Uint8Array): Uint8Array | undefined {
    return this.buckets.get(u32le(key))?.ips.slice();
  }

  entries(): [Uint8Array, Uint8Array][] {
    return [...this.buckets.entries()].sort((a, b) => a[0] - b[0]).map(([k, b]) => [u32bytes(k), b.ips.slice()]);
  }
}

// ---------------------------------------------------------------------------------------
// Creation, with the kernel's checks

const need = (ok: boolean, what: string, def: MapDef): void => {
  if (!ok) throw new MapDefError(`map ${def.name} (${mapTypeName(def.type)}): ${what} (the kernel refuses it with EINVAL)`);
};

/** Checks a definition as the kernel's map_alloc_check would; throws MapDefError. */
export function checkMapDef(def: MapDef): void {
  const { keySize: k, valueSize: v, maxEntries: m } = def;
  switch (def.type) {
    case MAP.ARRAY:
    case MAP.PERCPU_ARRAY:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 4, `key_size must be 4, is ${k}`, def);
      need(v > 0, 'value_size must be > 0', def);
      break;
    case MAP.PROG_ARRAY:
    case MAP.PERF_EVENT_ARRAY:
    case MAP.ARRAY_OF_MAPS:
    case MAP.CPUMAP:
    case MAP.XSKMAP:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 4, `key_size must be 4, is ${k}`, def);
      need(v === 4 || (def.type === MAP.CPUMAP && v === 8), `value_size must be 4, is ${v}`, def);
      break;
    case MAP.DEVMAP:
    case MAP.DEVMAP_HASH:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 4, `key_size must be 4, is ${k}`, def);
      need(v === 4 || v === 8, `value_size must be 4 or 8, is ${v}`, def);
      break;
    case MAP.HASH:
    case MAP.PERCPU_HASH:
    case MAP.LRU_HASH:
    case MAP.LRU_PERCPU_HASH:
    case MAP.HASH_OF_MAPS:
      need(m > 0, 'max_entries must be > 0', def);
      need(k > 0, 'key_size must be > 0', def);
      need(v > 0, 'value_size must be > 0', def);
      if (k > 512) throw new MapDefError(`map ${def.name}: key_size ${k} is larger than 512 (the kernel refuses it with E2BIG)`);
      if ((def.type === MAP.LRU_HASH || def.type === MAP.LRU_PERCPU_HASH) && def.flags & BPF_F_NO_PREALLOC) {
        throw new MapDefError(`map ${def.name}: LRU maps cannot have BPF_F_NO_PREALLOC (the kernel refuses it with ENOTSUPP)`);
      }
      break;
    case MAP.LPM_TRIE:
      need(m > 0, 'max_entries must be > 0', def);
      need((def.flags & BPF_F_NO_PREALLOC) !== 0, 'LPM tries need map_flags BPF_F_NO_PREALLOC', def);
      need(k >= 5 && k <= 4 + 256, `key_size must be 5..260 (u32 prefixlen + data), is ${k}`, def);
      need(v >= 1, 'value_size must be > 0', def);
      break;
    case MAP.QUEUE:
    case MAP.STACK:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 0, `key_size must be 0, is ${k}`, def);
      need(v > 0, 'value_size must be > 0', def);
      break;
    case MAP.BLOOM_FILTER:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 0, `key_size must be 0, is ${k}`, def);
      need(v > 0, 'value_size must be > 0', def);
      break;
    case MAP.RINGBUF:
      need(k === 0 && v === 0, 'key_size and value_size must be 0', def);
      need(m >= 4096 && (m & (m - 1)) === 0, `max_entries (the buffer size) must be a power of 2 and a multiple of the page size (4096), is ${m}`, def);
      break;
    case MAP.STACK_TRACE:
      need(m > 0, 'max_entries must be > 0', def);
      need(k === 4, `key_size must be 4, is ${k}`, def);
      need(v >= 8 && v % 8 === 0 && v / 8 <= 127, `value_size must be a multiple of 8 between 8 and 1016, is ${v}`, def);
      break;
    default:
      throw new MapDefError(`map ${def.name}: map type ${mapTypeName(def.type)} is not supported by the VM`);
  }
}

/** Creates the VM map for a definition (checked first). */
export function createMap(def: MapDef, index: number, host: MapHost): VmMap {
  checkMapDef(def);
  const rdonly = def.kind === 'rodata' || def.kind === 'kconfig' || (def.flags & BPF_F_RDONLY_PROG) !== 0;
  switch (def.type) {
    case MAP.ARRAY:
    case MAP.PERCPU_ARRAY:
      return new ArrayMap(def, index, host, rdonly);
    case MAP.DEVMAP:
    case MAP.CPUMAP:
    case MAP.XSKMAP:
      return new ArrayMap(def, index, host, true);
    case MAP.HASH:
    case MAP.PERCPU_HASH:
    case MAP.LRU_HASH:
    case MAP.LRU_PERCPU_HASH:
    case MAP.DEVMAP_HASH:
      return new HashMap(def, index, host);
    case MAP.LPM_TRIE:
      return new LpmTrieMap(def, index, host);
    case MAP.QUEUE:
    case MAP.STACK:
      return new QueueStackMap(def, index, host);
    case MAP.RINGBUF:
      return new RingBufMap(def, index, host);
    case MAP.BLOOM_FILTER:
      return new BloomFilterMap(def, index, host);
    case MAP.PROG_ARRAY:
      return new ProgArrayMap(def, index, host);
    case MAP.ARRAY_OF_MAPS:
    case MAP.HASH_OF_MAPS:
      return new MapOfMaps(def, index, host);
    case MAP.PERF_EVENT_ARRAY:
      return new PerfEventArrayMap(def, index, host);
    case MAP.STACK_TRACE:
      return new StackTraceMap(def, index, host);
  }
  throw new MapDefError(`map ${def.name}: map type ${mapTypeName(def.type)} is not supported by the VM`);
}

function hexShort(b: Uint8Array): string {
  const h = Array.from(b.subarray(0, 16), (x) => x.toString(16).padStart(2, '0')).join('');
  return b.length > 16 ? `${h}...` : h;
}

export const bytesToHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

export function hexToBytes(h: string): Uint8Array {
  const s = h.replace(/\s+/g, '').replace(/^0x/i, '');
  if (s.length % 2 || /[^0-9a-f]/i.test(s)) throw new Error(`not a hex byte string: ${JSON.stringify(h.length > 40 ? `${h.slice(0, 40)}...` : h)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
