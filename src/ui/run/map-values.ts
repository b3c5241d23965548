/**
 * Map keys and values as the Maps panel shows and edits them: little-endian integers
 * (from BTF, or guessed by size when the object has no BTF), or hex.
 */
import type { IntShape, MapView } from '../../workers/vm-exec-spec';

/** The integer in little-endian hex, signed when the shape says so. */
export function intOfHex(hex: string, shape: IntShape): bigint {
  let v = 0n;
  for (let i = shape.size - 1; i >= 0; i--) v = (v << 8n) | BigInt(parseInt(hex.slice(2 * i, 2 * i + 2) || '0', 16));
  return shape.signed ? BigInt.asIntN(shape.size * 8, v) : v;
}

/** Text the user typed as an integer of the shape (little-endian hex), or the reason it is not one. */
export function hexOfInt(text: string, shape: IntShape): { hex: string } | { problem: string } {
  const t = text.trim().replace(/_/g, '');
  if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) return { problem: `${JSON.stringify(text)} is not a number` };
  const neg = t.startsWith('-');
  let v = BigInt(neg ? t.slice(1) : t);
  if (neg) v = -v;
  const bits = BigInt(shape.size * 8);
  const min = shape.signed ? -(1n << (bits - 1n)) : neg ? -(1n << (bits - 1n)) : 0n;
  const max = shape.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (v < min || v > max) return { problem: `${t} does not fit in ${shape.size} byte${shape.size === 1 ? '' : 's'} (${shape.signed ? 'signed' : 'unsigned'})` };
  let u = BigInt.asUintN(shape.size * 8, v);
  let hex = '';
  for (let i = 0; i < shape.size; i++, u >>= 8n) hex += Number(u & 0xffn).toString(16).padStart(2, '0');
  return { hex };
}

/** Hex the user typed for `size` bytes (spaces allowed; shorter is zero-padded), or the reason it is not. */
export function hexOfBytes(text: string, size: number): { hex: string } | { problem: string } {
  const t = text.replace(/0x/gi, '').replace(/[\s,:]/g, '').toLowerCase();
  if (!/^[0-9a-f]*$/.test(t)) return { problem: 'only hex digits, please (two per byte)' };
  if (t.length % 2) return { problem: 'an odd number of hex digits (two per byte)' };
  if (t.length / 2 > size) return { problem: `${t.length / 2} bytes; this takes ${size}` };
  return { hex: t.padEnd(2 * size, '0') };
}

/** What a key or value cell shows: the BTF text, else the integer, else hex. */
export function cellText(hex: string, text: string | undefined, shape: IntShape | undefined): string {
  if (text !== undefined) return text;
  if (shape && hex.length === 2 * shape.size) return intOfHex(hex, shape).toString();
  return hex || '(none)';
}

/** Parses what the user typed for a key or value of `map`. */
export function parseCell(map: MapView, which: 'key' | 'value', text: string): { hex: string } | { problem: string } {
  const shape = which === 'key' ? map.keyInt : map.valueInt;
  const size = which === 'key' ? map.keySize : map.valueSize;
  // Numbers for integer cells; hex (with a 0x or spaces) is accepted everywhere.
  if (shape && /^\s*-?(0x[0-9a-f]+|\d+)\s*$/i.test(text)) return hexOfInt(text, shape);
  return hexOfBytes(text, size);
}

/** Entries that differ from `before` (by key): changed, added; and the keys removed. */
export function mapChanges(now: MapView, before: MapView | undefined): { changed: Map<string, string>; added: Set<string>; removed: string[] } {
  const changed = new Map<string, string>();
  const added = new Set<string>();
  if (!before) return { changed, added, removed: [] };
  const old = new Map(before.entries.map((e) => [e.key, e]));
  for (const e of now.entries) {
    const o = old.get(e.key);
    if (!o) added.add(e.key);
    else if (o.value !== e.value) changed.set(e.key, cellText(o.value, o.valueText, now.valueInt));
  }
  const keys = new Set(now.entries.map((e) => e.key));
  const removed = before.entries.filter((e) => !keys.has(e.key)).map((e) => cellText(e.key, e.keyText, now.keyInt));
  return { changed, added, removed };
}
