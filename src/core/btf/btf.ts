/**
 * BTF (the `.BTF` section of an object, or a kernel's /sys/kernel/btf/vmlinux): every
 * kind, as plain data indexed by type id (0 is void).
 *
 * Layout from the kernel's Documentation/bpf/btf.rst and include/uapi/linux/btf.h: a
 * header (magic 0xeB9F, version 1, hdr_len, type_off/len and str_off/len relative to
 * the end of the header), the type section (12-byte `struct btf_type` + kind-specific
 * data), and the string section. Parsing throws only `BtfError`, naming the problem
 * and, where there is one, the type id.
 */

export const BTF_MAGIC = 0xeb9f;

/** `BTF_KIND_*` numbers and our names for them. */
export const BTF_KIND_NAMES = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef', 'volatile',
  'const', 'restrict', 'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag', 'enum64',
] as const;
export type BtfKind = (typeof BTF_KIND_NAMES)[number];

export const BTF_INT_SIGNED = 1;
export const BTF_INT_CHAR = 2;
export const BTF_INT_BOOL = 4;

export const BTF_VAR_STATIC = 0;
export const BTF_VAR_GLOBAL_ALLOCATED = 1;
export const BTF_VAR_GLOBAL_EXTERN = 2;
export const BTF_FUNC_STATIC = 0;
export const BTF_FUNC_GLOBAL = 1;
export const BTF_FUNC_EXTERN = 2;

export class BtfError extends Error {
  constructor(message: string, readonly where = '.BTF') {
    // Names from damaged BTF can hold any byte: one printable line.
    super(`${where}: ${message}`.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
    this.name = 'BtfError';
  }
}

export interface BtfMember {
  name: string;
  type: number;
  /** Offset from the start of the struct, in bits. */
  bitOffset: number;
  /** Bitfield width in bits, 0 for a normal member. */
  bitfieldSize: number;
}
export interface BtfEnumValue { name: string; value: bigint }
export interface BtfParam { name: string; type: number }
export interface BtfVarSecinfo { type: number; offset: number; size: number }

export type BtfType =
  | { kind: 'void'; name: '' }
  | { kind: 'int'; name: string; size: number; encoding: number; bitOffset: number; bits: number }
  | { kind: 'ptr'; name: string; type: number }
  | { kind: 'array'; name: string; type: number; indexType: number; nelems: number }
  | { kind: 'struct' | 'union'; name: string; size: number; members: BtfMember[]; kflag: boolean }
  | { kind: 'enum' | 'enum64'; name: string; size: number; signed: boolean; values: BtfEnumValue[] }
  | { kind: 'fwd'; name: string; union: boolean }
  | { kind: 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag'; name: string; type: number }
  | { kind: 'func'; name: string; type: number; linkage: number }
  | { kind: 'func_proto'; name: string; type: number; params: BtfParam[] }
  | { kind: 'var'; name: string; type: number; linkage: number }
  | { kind: 'datasec'; name: string; size: number; vars: BtfVarSecinfo[] }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'decl_tag'; name: string; type: number; componentIdx: number };

/** The member of BtfType for one kind (struct and union share one shape). */
export type BtfTypeOf<K extends BtfKind> = BtfType extends infer T ? (T extends { kind: infer KK } ? (K extends KK ? T : never) : never) : never;

const HDR_MIN = 24;
/** Guards against cycles in malformed BTF (the kernel limits chains the same way). */
const MAX_RESOLVE_DEPTH = 32;

export class Btf {
  /** Types by id; `types[0]` is void. */
  readonly types: BtfType[];
  private byName?: Map<string, number[]>;

  /**
   * @param typeOffsets byte offset of each type's record in the parsed bytes (index = id;
   *   0 for void), so a loader can patch fields in place as libbpf does.
   */
  constructor(types: BtfType[], readonly strings: Uint8Array, readonly typeOffsets: readonly number[] = []) {
    this.types = types;
  }

  get count(): number {
    return this.types.length;
  }

  /** The type with this id; throws a BtfError for ids that do not exist. */
  type(id: number): BtfType {
    const t = this.types[id];
    if (!t) throw new BtfError(`type id ${id} does not exist (${this.types.length - 1} types)`);
    return t;
  }

  /** A string of the string section by offset. */
  str(off: number): string {
    return readBtfString(this.strings, off);
  }

  /** Ids of the types with this name (all kinds). */
  idsByName(name: string): readonly number[] {
    if (!this.byName) {
      const m = new Map<string, number[]>();
      this.types.forEach((t, id) => {
        if (!t.name) return;
        const l = m.get(t.name);
        if (l) l.push(id);
        else m.set(t.name, [id]);
      });
      this.byName = m;
    }
    return this.byName.get(name) ?? [];
  }

  /** First type with this name (and kind, when given), or undefined. */
  findByName(name: string, kind?: BtfKind): number | undefined {
    return this.idsByName(name).find((id) => kind === undefined || this.types[id].kind === kind);
  }

  /** Follows const/volatile/restrict/type_tag and typedefs; returns the id reached. */
  skipModsAndTypedefs(id: number): number {
    for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
      const t = this.type(id);
      if (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag' || t.kind === 'typedef') id = t.type;
      else return id;
    }
    throw new BtfError(`type [${id}]: modifier chain is too long (a loop?)`);
  }

  /** Follows modifiers only (not typedefs). */
  skipMods(id: number): number {
    for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
      const t = this.type(id);
      if (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag') id = t.type;
      else return id;
    }
    throw new BtfError(`type [${id}]: modifier chain is too long (a loop?)`);
  }

  /** Size in bytes of a type, as libbpf's btf__resolve_size; throws for sizeless types. */
  resolveSize(id: number): number {
    let nelems = 1;
    for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
      const t = this.type(id);
      switch (t.kind) {
        case 'int': case 'struct': case 'union': case 'enum': case 'enum64': case 'datasec': case 'float':
          return checkedSize(nelems * t.size, id);
        case 'ptr':
          return checkedSize(nelems * 8, id);
        case 'typedef': case 'volatile': case 'const': case 'restrict': case 'var': case 'decl_tag': case 'type_tag':
          id = t.type;
          break;
        case 'array':
          nelems *= t.nelems;
          id = t.type;
          break;
        default:
          throw new BtfError(`type [${id}] (${t.kind}) has no size`);
      }
    }
    throw new BtfError(`type [${id}]: type chain is too long (a loop?)`);
  }

  /** Alignment in bytes, as libbpf's btf__align_of. */
  alignOf(id: number, depth = 0): number {
    if (depth > MAX_RESOLVE_DEPTH) throw new BtfError(`type [${id}]: type chain is too long (a loop?)`);
    const t = this.type(id);
    switch (t.kind) {
      case 'int': case 'enum': case 'enum64': case 'float':
        return Math.min(8, t.size);
      case 'ptr':
        return 8;
      case 'typedef': case 'volatile': case 'const': case 'restrict': case 'type_tag':
        return this.alignOf(t.type, depth + 1);
      case 'array':
        return this.alignOf(t.type, depth + 1);
      case 'struct': case 'union': {
        let align = 1;
        for (const m of t.members) {
          const a = this.alignOf(m.type, depth + 1);
          align = Math.max(align, a);
          // A member placed at an offset its natural alignment does not divide: packed.
          if (m.bitfieldSize === 0 && (m.bitOffset / 8) % a !== 0) return 1;
        }
        if (t.size % align !== 0) return 1;
        return align;
      }
      default:
        throw new BtfError(`type [${id}] (${t.kind}) has no alignment`);
    }
  }
}

function checkedSize(n: number, id: number): number {
  if (n > 0xffffffff) throw new BtfError(`type [${id}]: size ${n} does not fit in 32 bits`);
  return n;
}

/** Reads a NUL-terminated string of a BTF string section. */
export function readBtfString(strings: Uint8Array, off: number, where = '.BTF'): string {
  if (off === 0) return '';
  if (off < 0 || off >= strings.length) throw new BtfError(`string offset ${off} is outside the string section (${strings.length} bytes)`, where);
  let end = off;
  while (end < strings.length && strings[end] !== 0) end++;
  if (end === strings.length) throw new BtfError(`string at offset ${off} has no terminating NUL`, where);
  return utf8.decode(strings.subarray(off, end));
}

const utf8 = new TextDecoder();

/** Per-kind size of the data after the 12-byte common part. */
function extraSize(kind: number, vlen: number): number {
  switch (kind) {
    case 1: return 4; // int
    case 3: return 12; // array
    case 4: case 5: return 12 * vlen; // struct, union
    case 6: return 8 * vlen; // enum
    case 13: return 8 * vlen; // func_proto
    case 14: return 4; // var
    case 15: return 12 * vlen; // datasec
    case 17: return 4; // decl_tag
    case 19: return 12 * vlen; // enum64
    default: return 0;
  }
}

/** Parses `.BTF` bytes. */
export function parseBtf(bytes: Uint8Array, where = '.BTF'): Btf {
  if (bytes.length < HDR_MIN) throw new BtfError(`${bytes.length} bytes is shorter than a BTF header (24)`, where);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic === 0x9feb) throw new BtfError('big-endian BTF is not supported', where);
  if (magic !== BTF_MAGIC) throw new BtfError(`bad magic 0x${magic.toString(16)} (want 0xeb9f)`, where);
  const version = dv.getUint8(2);
  if (version !== 1) throw new BtfError(`unsupported version ${version}`, where);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < HDR_MIN || hdrLen > bytes.length) throw new BtfError(`header length ${hdrLen} is invalid (data is ${bytes.length} bytes)`, where);
  const typeOff = dv.getUint32(8, true);
  const typeLen = dv.getUint32(12, true);
  const strOff = dv.getUint32(16, true);
  const strLen = dv.getUint32(20, true);
  const body = bytes.length - hdrLen;
  if (strOff + strLen > body) throw new BtfError(`string section (offset ${strOff}, ${strLen} bytes) runs past the end (${body} bytes after the header)`, where);
  if (typeOff + typeLen > strOff) throw new BtfError(`type section (offset ${typeOff}, ${typeLen} bytes) overlaps the string section at ${strOff}`, where);
  if (typeOff % 4) throw new BtfError(`type section offset ${typeOff} is not 4-byte aligned`, where);
  const strings = bytes.subarray(hdrLen + strOff, hdrLen + strOff + strLen);
  if (strLen > 0 && strings[0] !== 0) throw new BtfError('string section does not start with an empty string', where);
  if (strLen > 0 && strings[strLen - 1] !== 0) throw new BtfError('string section does not end with a NUL', where);

  const types: BtfType[] = [{ kind: 'void', name: '' }];
  const offsets: number[] = [0];
  const name = (off: number, id: number): string => {
    if (off >= strLen && off !== 0) throw new BtfError(`type [${id}]: name offset ${off} is outside the string section (${strLen} bytes)`, where);
    return readBtfString(strings, off, where);
  };
  let o = hdrLen + typeOff;
  const end = o + typeLen;
  while (o < end) {
    const id = types.length;
    if (o + 12 > end) throw new BtfError(`type [${id}] at offset ${o - hdrLen - typeOff} is truncated`, where);
    const nameOff = dv.getUint32(o, true);
    const info = dv.getUint32(o + 4, true);
    const sizeOrType = dv.getUint32(o + 8, true);
    const kind = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kflag = (info >>> 31) === 1;
    if (kind === 0 || kind >= BTF_KIND_NAMES.length) throw new BtfError(`type [${id}]: unknown kind ${kind}`, where);
    const extra = extraSize(kind, vlen);
    if (o + 12 + extra > end) throw new BtfError(`type [${id}] (${BTF_KIND_NAMES[kind]}) is truncated`, where);
    const d = o + 12;
    const n = name(nameOff, id);
    let t: BtfType;
    switch (kind) {
      case 1: {
        const v = dv.getUint32(d, true);
        t = { kind: 'int', name: n, size: sizeOrType, encoding: (v >>> 24) & 0xf, bitOffset: (v >>> 16) & 0xff, bits: v & 0xff };
        break;
      }
      case 2: t = { kind: 'ptr', name: n, type: sizeOrType }; break;
      case 3: t = { kind: 'array', name: n, type: dv.getUint32(d, true), indexType: dv.getUint32(d + 4, true), nelems: dv.getUint32(d + 8, true) }; break;
      case 4: case 5: {
        const members: BtfMember[] = [];
        for (let k = 0; k < vlen; k++) {
          const m = d + 12 * k;
          const off = dv.getUint32(m + 8, true);
          members.push({
            name: name(dv.getUint32(m, true), id),
            type: dv.getUint32(m + 4, true),
            bitOffset: kflag ? off & 0xffffff : off,
            bitfieldSize: kflag ? off >>> 24 : 0,
          });
        }
        t = { kind: kind === 4 ? 'struct' : 'union', name: n, size: sizeOrType, members, kflag };
        break;
      }
      case 6: {
        const values: BtfEnumValue[] = [];
        for (let k = 0; k < vlen; k++) {
          const m = d + 8 * k;
          values.push({ name: name(dv.getUint32(m, true), id), value: kflag ? BigInt(dv.getInt32(m + 4, true)) : BigInt(dv.getUint32(m + 4, true)) });
        }
        t = { kind: 'enum', name: n, size: sizeOrType, signed: kflag, values };
        break;
      }
      case 19: {
        const values: BtfEnumValue[] = [];
        for (let k = 0; k < vlen; k++) {
          const m = d + 12 * k;
          const raw = (BigInt(dv.getUint32(m + 8, true)) << 32n) | BigInt(dv.getUint32(m + 4, true));
          values.push({ name: name(dv.getUint32(m, true), id), value: kflag ? BigInt.asIntN(64, raw) : raw });
        }
        t = { kind: 'enum64', name: n, size: sizeOrType, signed: kflag, values };
        break;
      }
      case 7: t = { kind: 'fwd', name: n, union: kflag }; break;
      case 8: t = { kind: 'typedef', name: n, type: sizeOrType }; break;
      case 9: t = { kind: 'volatile', name: n, type: sizeOrType }; break;
      case 10: t = { kind: 'const', name: n, type: sizeOrType }; break;
      case 11: t = { kind: 'restrict', name: n, type: sizeOrType }; break;
      case 12: t = { kind: 'func', name: n, type: sizeOrType, linkage: vlen }; break;
      case 13: {
        const params: BtfParam[] = [];
        for (let k = 0; k < vlen; k++) {
          const m = d + 8 * k;
          params.push({ name: name(dv.getUint32(m, true), id), type: dv.getUint32(m + 4, true) });
        }
        t = { kind: 'func_proto', name: n, type: sizeOrType, params };
        break;
      }
      case 14: t = { kind: 'var', name: n, type: sizeOrType, linkage: dv.getUint32(d, true) }; break;
      case 15: {
        const vars: BtfVarSecinfo[] = [];
        for (let k = 0; k < vlen; k++) {
          const m = d + 12 * k;
          vars.push({ type: dv.getUint32(m, true), offset: dv.getUint32(m + 4, true), size: dv.getUint32(m + 8, true) });
        }
        t = { kind: 'datasec', name: n, size: sizeOrType, vars };
        break;
      }
      case 16: t = { kind: 'float', name: n, size: sizeOrType }; break;
      case 17: t = { kind: 'decl_tag', name: n, type: sizeOrType, componentIdx: dv.getInt32(d, true) }; break;
      case 18: t = { kind: 'type_tag', name: n, type: sizeOrType }; break;
      default: throw new BtfError(`type [${id}]: unknown kind ${kind}`, where);
    }
    types.push(t);
    offsets.push(o);
    o = d + extra;
  }
  const btf = new Btf(types, strings, offsets);
  checkReferences(btf, where);
  return btf;
}

/** Every type id a type refers to must exist (the kernel's btf_check_all_types does more). */
function checkReferences(btf: Btf, where: string): void {
  const n = btf.types.length;
  const bad = (id: number, ref: number, what: string): never => {
    throw new BtfError(`type [${id}] (${btf.types[id].kind} ${btf.types[id].name || '(anon)'}): ${what} refers to type [${ref}], which does not exist (${n - 1} types)`, where);
  };
  btf.types.forEach((t, id) => {
    switch (t.kind) {
      case 'ptr': case 'typedef': case 'volatile': case 'const': case 'restrict': case 'type_tag': case 'func': case 'var': case 'decl_tag':
        if (t.type >= n) bad(id, t.type, 'its target');
        break;
      case 'array':
        if (t.type >= n) bad(id, t.type, 'its element type');
        if (t.indexType >= n) bad(id, t.indexType, 'its index type');
        break;
      case 'struct': case 'union':
        for (const m of t.members) if (m.type >= n) bad(id, m.type, `member ${m.name || '(anon)'}`);
        break;
      case 'func_proto':
        if (t.type >= n) bad(id, t.type, 'its return type');
        for (const p of t.params) if (p.type >= n) bad(id, p.type, `parameter ${p.name || '(anon)'}`);
        break;
      case 'datasec':
        for (const v of t.vars) if (v.type >= n) bad(id, v.type, 'a variable');
        break;
      default:
        break;
    }
  });
}
