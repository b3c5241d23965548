/**
 * A value in memory read through its BTF type, as bpftool's BTF dumper reads map keys and
 * values for `bpftool -j map dump` (the `formatted` part): integers by their width and
 * signedness, `char` arrays that hold a NUL-terminated printable string as strings,
 * enums by name, pointers as numbers, bitfields and 128-bit integers as hex strings,
 * structs and unions as objects, DATASECs (global data) as `{".bss": [{"var": value}]}`.
 *
 * The result is a small tree (`BtfValue`) so numbers stay exact (u64) and the UI can
 * print it compactly (`compactBtfValue`) while tests compare it with bpftool's JSON
 * (`btfValueJson`).
 */
import { BTF_INT_BOOL, BTF_INT_CHAR, BTF_INT_SIGNED, BtfError, type Btf, type BtfType } from './btf';

export type BtfValue =
  /** A JSON number, as decimal text (exact for 64-bit values). */
  | { kind: 'number'; text: string }
  | { kind: 'string'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'array'; items: BtfValue[] }
  | { kind: 'object'; fields: [string, BtfValue][] };

const MAX_DEPTH = 32;

/** Reads `bytes` as a value of BTF type `id`; throws BtfError when the type cannot hold data. */
export function readBtfValue(btf: Btf, id: number, bytes: Uint8Array): BtfValue {
  return new Reader(btf, bytes).value(id, 0, 0, 0);
}

class Reader {
  constructor(private readonly btf: Btf, private readonly bytes: Uint8Array) {}

  private byte(at: number): number {
    if (at < 0 || at >= this.bytes.length) throw new BtfError(`value of ${this.bytes.length} bytes is too short for its type`);
    return this.bytes[at];
  }

  /** Little-endian unsigned integer of `n` bytes at `at`. */
  private uint(at: number, n: number): bigint {
    let v = 0n;
    for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(this.byte(at + k));
    return v;
  }

  value(id: number, bitOffset: number, at: number, depth: number): BtfValue {
    if (depth > MAX_DEPTH) throw new BtfError(`type [${id}]: nested too deeply`);
    const t = this.btf.type(id);
    switch (t.kind) {
      case 'int':
        return this.int(t, bitOffset, at);
      case 'struct':
      case 'union':
        return {
          kind: 'object',
          fields: t.members.map((m): [string, BtfValue] => {
            const byteAt = at + (m.bitOffset >> 3);
            if (m.bitfieldSize) return [m.name, this.bits(m.bitfieldSize, m.bitOffset & 7, byteAt)];
            return [m.name, this.value(m.type, m.bitOffset & 7, byteAt, depth + 1)];
          }),
        };
      case 'array': {
        if (this.isString(t.type, t.nelems, at)) {
          let s = '';
          for (let k = at; this.bytes[k] !== 0; k++) s += String.fromCharCode(this.bytes[k]);
          return { kind: 'string', text: s };
        }
        const size = this.btf.resolveSize(t.type);
        const items: BtfValue[] = [];
        for (let i = 0; i < t.nelems; i++) items.push(this.value(t.type, 0, at + i * size, depth + 1));
        return { kind: 'array', items };
      }
      case 'enum': {
        const v = BigInt.asIntN(t.size * 8, this.uint(at, t.size));
        const e = t.values.find((x) => BigInt.asIntN(32, x.value) === v);
        return e ? { kind: 'string', text: e.name } : { kind: 'number', text: v.toString() };
      }
      case 'enum64': {
        const v = this.uint(at, 8);
        const e = t.values.find((x) => BigInt.asUintN(64, x.value) === v);
        return e ? { kind: 'string', text: e.name } : { kind: 'number', text: BigInt.asIntN(64, v).toString() };
      }
      case 'ptr':
        return { kind: 'number', text: this.uint(at, 8).toString() };
      case 'typedef': case 'volatile': case 'const': case 'restrict': case 'type_tag':
        return this.value(t.type, bitOffset, at, depth + 1);
      case 'var':
        return { kind: 'object', fields: [[t.name, this.value(t.type, bitOffset, at, depth + 1)]] };
      case 'datasec':
        return { kind: 'object', fields: [[t.name, { kind: 'array', items: t.vars.map((v) => this.value(v.type, 0, at + v.offset, depth + 1)) }]] };
      default:
        throw new BtfError(`type [${id}] (${t.kind}) cannot be printed as a value`);
    }
  }

  private int(t: Extract<BtfType, { kind: 'int' }>, bitOffset: number, at: number): BtfValue {
    const bits = t.bits;
    if (bitOffset || t.bitOffset || bits % 8) {
      const total = bitOffset + t.bitOffset;
      return this.bits(bits, total & 7, at + (total >> 3));
    }
    if (bits === 128) return this.hex(this.uint(at, 16));
    const n = bits / 8;
    switch (t.encoding) {
      case 0:
        if (n === 1 || n === 2 || n === 4 || n === 8) return { kind: 'number', text: this.uint(at, n).toString() };
        return this.bits(bits, 0, at);
      case BTF_INT_SIGNED:
        if (n === 1 || n === 2 || n === 4 || n === 8) return { kind: 'number', text: BigInt.asIntN(bits, this.uint(at, n)).toString() };
        return this.bits(bits, 0, at);
      case BTF_INT_CHAR: {
        const c = this.byte(at);
        return { kind: 'string', text: String.fromCharCode(c) };
      }
      case BTF_INT_BOOL:
        // Its own bytes only: bpftool 7.1 prints `_Bool ok` next to non-zero bytes as false (the golden).
        return { kind: 'bool', value: this.uint(at, t.size) !== 0n };
      default:
        throw new BtfError(`integer type with encoding ${t.encoding}`);
    }
  }

  /** A bitfield of `n` bits starting `shift` bits into the byte at `at`, as bpftool's "0x..." string. */
  private bits(n: number, shift: number, at: number): BtfValue {
    const bytes = Math.ceil((shift + n) / 8);
    const raw = this.uint(at, Math.min(bytes, 16));
    return this.hex((raw >> BigInt(shift)) & ((1n << BigInt(n)) - 1n));
  }

  private hex(v: bigint): BtfValue {
    return { kind: 'string', text: `0x${v.toString(16)}` };
  }

  /** bpftool's is_str_array: a char array holding printable characters up to a NUL. */
  private isString(elemId: number, nelems: number, at: number): boolean {
    if (!nelems) return false;
    const e = this.btf.type(this.btf.skipMods(elemId));
    if (e.kind !== 'int' || e.size !== 1) return false;
    if (e.encoding !== BTF_INT_CHAR && e.name !== 'char') return false;
    for (let k = 0; k < nelems; k++) {
      const c = this.byte(at + k);
      if (c === 0) return true;
      // As signed chars: bytes of 0x80 and up are negative, so not printable either.
      if (c <= 0x1f || c >= 0x7f) return false;
    }
    return false;
  }
}

/** The value as JSON text, as bpftool's `formatted` output holds it (without its spacing). */
export function btfValueJson(v: BtfValue): string {
  switch (v.kind) {
    case 'number': return v.text;
    case 'string': return JSON.stringify(v.text);
    case 'bool': return v.value ? 'true' : 'false';
    case 'array': return `[${v.items.map(btfValueJson).join(',')}]`;
    case 'object': return `{${v.fields.map(([k, x]) => `${JSON.stringify(k)}:${btfValueJson(x)}`).join(',')}}`;
  }
}

/** One line for a table cell: `{packets: 3, bytes: 180}`, `"eth0"`, `[1, 2, 3]` (long arrays cut). */
export function compactBtfValue(v: BtfValue, maxItems = 16): string {
  switch (v.kind) {
    case 'number': return v.text;
    case 'string': return JSON.stringify(v.text);
    case 'bool': return v.value ? 'true' : 'false';
    case 'array': {
      const shown = v.items.slice(0, maxItems).map((x) => compactBtfValue(x, maxItems));
      if (v.items.length > maxItems) shown.push(`… ${v.items.length - maxItems} more`);
      return `[${shown.join(', ')}]`;
    }
    case 'object': return `{${v.fields.map(([k, x]) => `${k || '(anon)'}: ${compactBtfValue(x, maxItems)}`).join(', ')}}`;
  }
}

/** For editing a key or value as a number: the integer a type resolves to (size 1, 2, 4 or 8), or null. */
export function btfIntOf(btf: Btf, id: number): { size: number; signed: boolean } | null {
  const t = btf.type(btf.skipModsAndTypedefs(id));
  if (t.kind === 'int' && t.bitOffset === 0 && t.bits === t.size * 8 && [1, 2, 4, 8].includes(t.size) && t.encoding !== BTF_INT_BOOL && t.encoding !== BTF_INT_CHAR) {
    return { size: t.size, signed: t.encoding === BTF_INT_SIGNED };
  }
  if ((t.kind === 'enum' || t.kind === 'enum64') && [1, 2, 4, 8].includes(t.size)) return { size: t.size, signed: t.signed };
  return null;
}
