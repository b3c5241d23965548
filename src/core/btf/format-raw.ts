/**
 * BTF types as `bpftool btf dump file X.o` (format raw, bpftool's btf.c `dump_btf_type`)
 * prints them: one header line per type, `[3] TYPEDEF '__u32' type_id=4`, then one line
 * per member, parameter, enumerator or DATASEC variable, each starting with a tab.
 */
import type { Btf, BtfType } from './btf';

const KIND_NAME: Record<BtfType['kind'], string> = {
  void: 'UNKN', int: 'INT', ptr: 'PTR', array: 'ARRAY', struct: 'STRUCT', union: 'UNION', enum: 'ENUM',
  fwd: 'FWD', typedef: 'TYPEDEF', volatile: 'VOLATILE', const: 'CONST', restrict: 'RESTRICT', func: 'FUNC',
  func_proto: 'FUNC_PROTO', var: 'VAR', datasec: 'DATASEC', float: 'FLOAT', decl_tag: 'DECL_TAG',
  type_tag: 'TYPE_TAG', enum64: 'ENUM64',
};

/** The kind as bpftool names it (`STRUCT`, `FUNC_PROTO`, ...). */
export const btfKindName = (t: BtfType): string => KIND_NAME[t.kind];

const INT_ENCODING = (enc: number): string =>
  enc & 1 ? 'SIGNED' : enc & 2 ? 'CHAR' : enc & 4 ? 'BOOL' : '(none)';
const FUNC_LINKAGE = ['static', 'global', 'extern'];
const VAR_LINKAGE = ['static', 'global', 'extern'];
const name = (s: string): string => (s === '' ? '(anon)' : s);

/** The lines bpftool prints for type `id`. */
export function formatBtfRaw(btf: Btf, id: number): string[] {
  const t = btf.types[id];
  if (!t) return [`[${id}] (no such type)`];
  const head = `[${id}] ${KIND_NAME[t.kind]} '${name(t.name)}'`;
  switch (t.kind) {
    case 'void':
      return [head];
    case 'int':
      return [`${head} size=${t.size} bits_offset=${t.bitOffset} nr_bits=${t.bits} encoding=${INT_ENCODING(t.encoding)}`];
    case 'ptr': case 'const': case 'volatile': case 'restrict': case 'typedef': case 'type_tag':
      return [`${head} type_id=${t.type}`];
    case 'array':
      return [`${head} type_id=${t.type} index_type_id=${t.indexType} nr_elems=${t.nelems}`];
    case 'struct': case 'union':
      return [
        `${head} size=${t.size} vlen=${t.members.length}`,
        ...t.members.map((m) => `\t'${name(m.name)}' type_id=${m.type} bits_offset=${m.bitOffset}${m.bitfieldSize ? ` bitfield_size=${m.bitfieldSize}` : ''}`),
      ];
    case 'enum': case 'enum64':
      return [
        `${head} encoding=${t.signed ? 'SIGNED' : 'UNSIGNED'} size=${t.size} vlen=${t.values.length}`,
        ...t.values.map((v) => `\t'${name(v.name)}' val=${v.value}`),
      ];
    case 'fwd':
      return [`${head} fwd_kind=${t.union ? 'union' : 'struct'}`];
    case 'func':
      return [`${head} type_id=${t.type} linkage=${FUNC_LINKAGE[t.linkage] ?? 'UNKN'}`];
    case 'func_proto':
      return [
        `${head} ret_type_id=${t.type} vlen=${t.params.length}`,
        ...t.params.map((p) => `\t'${name(p.name)}' type_id=${p.type}`),
      ];
    case 'var':
      return [`${head} type_id=${t.type}, linkage=${VAR_LINKAGE[t.linkage] ?? 'UNKN'}`];
    case 'datasec':
      return [
        `${head} size=${t.size} vlen=${t.vars.length}`,
        ...t.vars.map((v) => `\ttype_id=${v.type} offset=${v.offset} size=${v.size} (${KIND_NAME[btf.types[v.type]?.kind ?? 'void']} '${name(btf.types[v.type]?.name ?? '')}')`),
      ];
    case 'float':
      return [`${head} size=${t.size}`];
    case 'decl_tag':
      return [`${head} type_id=${t.type} component_idx=${t.componentIdx}`];
  }
}
