/**
 * Concrete VM values in words, for the Registers and Stack panels while stepping through
 * an execution: a 64-bit value in hex and decimal, and when it is a pointer of the VM's
 * address space (region id in the high word, offset in the low word), what it points at
 * (`fp-8`, `pkt+14`, `ctx+0`, `counter+0`). Pure; the history comes from the VM worker.
 */
import type { RegionSnapshot } from '../../workers/vm-service';

/** The VM's pointer scheme (core/vm/memory.ts): region windows above this high word. */
const HI_BASE = 0xff000000;
const LO_BASE = 0x80000000;

export interface PointerTarget {
  region: RegionSnapshot;
  /** Offset from the region's origin (fp for stacks, data for the packet). */
  off: number;
  /** `fp-8`, `pkt+14`. */
  text: string;
  /** The offset is outside the region's accessible bytes. */
  outside: boolean;
}

const KIND_WORD: Record<string, string> = {
  stack: 'stack', ctx: 'context', packet: 'packet', map_value: 'map value', map: 'map', mem: 'memory', ringbuf: 'ring buffer record', global: 'global data', func: 'function',
};

export function pointerTarget(v: bigint, regions: readonly RegionSnapshot[]): PointerTarget | null {
  const hi = Number(v >> 32n);
  const lo = Number(v & 0xffffffffn);
  if (hi < HI_BASE) return null;
  const id = hi - HI_BASE;
  const region = regions.find((r) => r.id === id);
  if (!region) return null;
  const raw = (lo ^ LO_BASE) | 0;
  const off = raw - region.origin;
  const name = region.kind === 'map' ? `map ${region.name}` : region.name;
  // The frame pointer itself reads `fp`, as r10 is written in the kernel's syntax.
  const text = region.kind === 'map' ? name : region.kind === 'stack' && off === 0 ? name : `${name}${off < 0 ? '-' : '+'}${Math.abs(off)}`;
  // A pointer may point one past the end (data_end, fp); beyond that it is out of its region.
  return { region, off, text, outside: region.kind !== 'map' && (raw < region.lo || raw > region.end) };
}

export const kindWord = (r: RegionSnapshot): string => r.label ?? KIND_WORD[r.kind] ?? r.kind;

/** A number as people read it: decimal when short, else hex; negative as signed when it looks negative. */
export function valueText(v: bigint): { hex: string; dec: string } {
  const s = BigInt.asIntN(64, v);
  return { hex: `0x${v.toString(16)}`, dec: s < 0n && s > -(1n << 32n) ? s.toString() : v.toString() };
}

/** Bytes as hex pairs. */
export const hexPairs = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** The little-endian u64 of 8 bytes. */
export function u64le(b: Uint8Array, at = 0): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[at + k] ?? 0);
  return v;
}
