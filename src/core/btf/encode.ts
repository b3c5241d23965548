/**
 * A small BTF encoder: enough types to describe BTF-defined maps (`.maps`) and global
 * data sections of objects we write ourselves (assembled programs, "Export .o").
 *
 * Format from the kernel's Documentation/bpf/btf.rst: a 24-byte header (magic 0xeB9F,
 * version 1), then the type section (each `struct btf_type` of 12 bytes followed by its
 * kind-specific data), then the string section. Type ids start at 1; 0 is void.
 */

export const BTF_MAGIC = 0xeb9f;

export const BTF_KIND = {
  INT: 1, PTR: 2, ARRAY: 3, STRUCT: 4, UNION: 5, ENUM: 6, FWD: 7, TYPEDEF: 8, VOLATILE: 9,
  CONST: 10, RESTRICT: 11, FUNC: 12, FUNC_PROTO: 13, VAR: 14, DATASEC: 15, FLOAT: 16,
  DECL_TAG: 17, TYPE_TAG: 18, ENUM64: 19,
} as const;

/** `BTF_INT_SIGNED` etc., the encoding bits of an INT. */
export const BTF_INT_SIGNED = 1 << 0;
export const BTF_INT_CHAR = 1 << 1;
export const BTF_INT_BOOL = 1 << 2;

export const BTF_VAR_STATIC = 0;
export const BTF_VAR_GLOBAL_ALLOCATED = 1;

export const BTF_FUNC_STATIC = 0;
export const BTF_FUNC_GLOBAL = 1;

export class BtfBuilder {
  private readonly types: Uint8Array[] = [];
  private readonly strings: number[] = [0];
  private readonly stringIndex = new Map<string, number>([['', 0]]);

  /** Adds a string to the string section; returns its offset. */
  str(s: string): number {
    const known = this.stringIndex.get(s);
    if (known !== undefined) return known;
    const off = this.strings.length;
    this.strings.push(...new TextEncoder().encode(s), 0);
    this.stringIndex.set(s, off);
    return off;
  }

  private push(words: number[]): number {
    const b = new Uint8Array(words.length * 4);
    const dv = new DataView(b.buffer);
    words.forEach((w, k) => dv.setUint32(k * 4, w >>> 0, true));
    this.types.push(b);
    return this.types.length;
  }

  private static info(kind: number, vlen = 0, kflag = 0): number {
    return ((kflag & 1) << 31) | ((kind & 0x1f) << 24) | (vlen & 0xffff);
  }

  int(name: string, bytes: number, encoding = 0, bits = bytes * 8): number {
    return this.push([this.str(name), BtfBuilder.info(BTF_KIND.INT), bytes, (encoding << 24) | bits]);
  }

  ptr(type: number): number {
    return this.push([0, BtfBuilder.info(BTF_KIND.PTR), type]);
  }

  array(elemType: number, indexType: number, nelems: number): number {
    return this.push([0, BtfBuilder.info(BTF_KIND.ARRAY), 0, elemType, indexType, nelems]);
  }

  /** Members: bit offsets (no bitfields). */
  struct(name: string, size: number, members: ReadonlyArray<{ name: string; type: number; bitOffset: number }>): number {
    const words = [this.str(name), BtfBuilder.info(BTF_KIND.STRUCT, members.length), size];
    for (const m of members) words.push(this.str(m.name), m.type, m.bitOffset);
    return this.push(words);
  }

  funcProto(ret: number, params: ReadonlyArray<{ name: string; type: number }>): number {
    const words = [0, BtfBuilder.info(BTF_KIND.FUNC_PROTO, params.length), ret];
    for (const p of params) words.push(this.str(p.name), p.type);
    return this.push(words);
  }

  func(name: string, proto: number, linkage = BTF_FUNC_GLOBAL): number {
    return this.push([this.str(name), BtfBuilder.info(BTF_KIND.FUNC, linkage), proto]);
  }

  variable(name: string, type: number, linkage = BTF_VAR_GLOBAL_ALLOCATED): number {
    return this.push([this.str(name), BtfBuilder.info(BTF_KIND.VAR), type, linkage]);
  }

  datasec(name: string, size: number, vars: ReadonlyArray<{ type: number; offset: number; size: number }>): number {
    const words = [this.str(name), BtfBuilder.info(BTF_KIND.DATASEC, vars.length), size];
    for (const v of vars) words.push(v.type, v.offset, v.size);
    return this.push(words);
  }

  /** The `.BTF` section bytes. */
  encode(): Uint8Array {
    const typeLen = this.types.reduce((n, t) => n + t.length, 0);
    const strLen = this.strings.length;
    const out = new Uint8Array(24 + typeLen + strLen);
    const dv = new DataView(out.buffer);
    dv.setUint16(0, BTF_MAGIC, true);
    dv.setUint8(2, 1);
    dv.setUint8(3, 0);
    dv.setUint32(4, 24, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, typeLen, true);
    dv.setUint32(16, typeLen, true);
    dv.setUint32(20, strLen, true);
    let o = 24;
    for (const t of this.types) { out.set(t, o); o += t.length; }
    out.set(this.strings, o);
    return out;
  }
}
