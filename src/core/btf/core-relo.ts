/**
 * CO-RE relocations (`.BTF.ext` core_relo records) resolved against a target kernel BTF,
 * with libbpf's rules (relo_core.c, libbpf 1.1):
 *
 * - the access string ("0:1:2") is parsed against the local type into a spec: named
 *   member accessors, array indices, and the bit offset they add up to;
 * - candidates are the target types of a compatible kind whose "essential" name (the
 *   name without a `___flavour` suffix) equals the local one;
 * - each candidate is matched member by member (anonymous structs/unions searched
 *   through, field types checked for compatibility); every matching candidate must give
 *   the same result, and matching candidates prune the candidate list for later
 *   relocations of the same type;
 * - the instruction's immediate, offset or 64-bit constant is checked against the value
 *   the compiler assumed and replaced by the target's; loads and stores change size when
 *   the field did (pointers and unsigned integers only);
 * - when nothing matches, existence checks become 0 and everything else poisons the
 *   instruction: `call 0xbad2310`, which the verifier rejects if it is reachable.
 */
import { BTF_INT_SIGNED, type Btf, type BtfType, type BtfTypeOf } from './btf';
import { CORE_RELO_KINDS, type BtfExtCoreRelo, type CoreReloKind } from './btf-ext';
import { LoadError } from '../elf/load-error';
import type { Insn } from '../isa/insn';

/** libbpf's BPF_CORE_SPEC_MAX_LEN. */
const SPEC_MAX_LEN = 64;
/** The poisoned instruction's helper id: 0xbad2310, "bad relo". */
export const CORE_POISON_IMM = 195896080;


interface Accessor {
  /** Struct/union id (named member) or array element type id. */
  typeId: number;
  idx: number;
  name?: string;
}

interface Spec {
  btf: Btf;
  rootTypeId: number;
  kind: number;
  acc: Accessor[];
  raw: number[];
  bitOffset: number;
}

const FIELD_KINDS = new Set([0, 1, 2, 3, 4, 5]);
const TYPE_KINDS = new Set([6, 7, 8, 9, 12]);
const ENUMVAL_KINDS = new Set([10, 11]);
const KIND_STR: Record<number, string> = {
  0: 'byte_off', 1: 'byte_sz', 2: 'field_exists', 3: 'signed', 4: 'lshift_u64', 5: 'rshift_u64', 6: 'local_type_id',
  7: 'target_type_id', 8: 'type_exists', 9: 'type_size', 10: 'enumval_exists', 11: 'enumval_value', 12: 'type_matches',
};
export const coreReloKindName = (k: number): CoreReloKind | 'unknown' => CORE_RELO_KINDS[k] ?? 'unknown';

const isComposite = (t: BtfType): t is BtfTypeOf<'struct'> => t.kind === 'struct' || t.kind === 'union';
const isAnyEnum = (t: BtfType): t is BtfTypeOf<'enum'> => t.kind === 'enum' || t.kind === 'enum64';
const kindCompat = (a: BtfType, b: BtfType): boolean => a.kind === b.kind || (isAnyEnum(a) && isAnyEnum(b));

/** Length of a name without its last `___flavour` suffix (X___Y, X and Y not '_'). */
export function essentialNameLength(name: string): number {
  for (let i = name.length - 5; i >= 0; i--) {
    if (name[i] !== '_' && name[i + 1] === '_' && name[i + 2] === '_' && name[i + 3] === '_' && name[i + 4] !== '_') return i + 1;
  }
  return name.length;
}
const essentialName = (n: string): string => n.slice(0, essentialNameLength(n));

/** Type id after modifiers and typedefs, or undefined for bad ids/loops. */
function skip(btf: Btf, id: number): number | undefined {
  try {
    return btf.skipModsAndTypedefs(id);
  } catch {
    return undefined;
  }
}

function sizeOf(btf: Btf, id: number): number | undefined {
  try {
    return btf.resolveSize(id);
  } catch {
    return undefined;
  }
}

/** Where libbpf fails the whole load (an error, not a poisoned instruction). */
const invalid = (what: string): never => {
  throw new LoadError(what);
};

// ---------------------------------------------------------------------------------------
// Spec parsing

function isFlexArray(btf: Btf, acc: Accessor | undefined, nelems: number): boolean {
  if (!acc?.name || nelems > 0) return false;
  const t = btf.types[acc.typeId];
  return !!t && isComposite(t) && acc.idx === t.members.length - 1;
}

function parseSpec(btf: Btf, relo: BtfExtCoreRelo, where: string): Spec {
  const s = relo.accessStr;
  const spec: Spec = { btf, rootTypeId: relo.typeId, kind: relo.kind, acc: [], raw: [], bitOffset: 0 };
  const fail = (why: string): never => invalid(`${where}: parsing [${relo.typeId}] + ${s || '<empty>'} failed: ${why}`);
  if (!s || s.startsWith(':')) fail('empty access string');
  if (TYPE_KINDS.has(relo.kind)) {
    if (s !== '0') fail('type-based relocations take the access string "0"');
    return spec;
  }
  for (const part of s.split(':')) {
    if (!/^\d+$/.test(part)) fail(`"${part}" is not an index`);
    if (spec.raw.length === SPEC_MAX_LEN) fail('access string is too long');
    spec.raw.push(Number(part));
  }
  let id = skip(btf, relo.typeId);
  if (id === undefined) return fail(`type [${relo.typeId}] is invalid`);
  let t = btf.types[id];
  spec.acc.push({ typeId: id, idx: spec.raw[0] });
  if (ENUMVAL_KINDS.has(relo.kind)) {
    if (!isAnyEnum(t) || spec.raw.length > 1 || spec.raw[0] >= t.values.length) fail('not an enumerator of an enum');
    spec.acc[0].name = (t as BtfTypeOf<'enum'>).values[spec.raw[0]].name;
    return spec;
  }
  if (!FIELD_KINDS.has(relo.kind)) fail(`unknown relocation kind ${relo.kind}`);
  let sz = sizeOf(btf, id);
  if (sz === undefined) return fail(`type [${id}] has no size`);
  spec.bitOffset = spec.raw[0] * sz * 8;
  for (let i = 1; i < spec.raw.length; i++) {
    const sid = skip(btf, id);
    if (sid === undefined) return fail(`type [${id}] is invalid`);
    id = sid;
    t = btf.types[id];
    const idx = spec.raw[i];
    if (isComposite(t)) {
      if (idx >= t.members.length) fail(`member #${idx} of [${id}] does not exist`);
      const m = t.members[idx];
      spec.bitOffset += m.bitOffset;
      if (m.name) spec.acc.push({ typeId: id, idx, name: m.name });
      id = m.type;
    } else if (t.kind === 'array') {
      const elem = skip(btf, t.type);
      if (elem === undefined) return fail(`type [${t.type}] is invalid`);
      const flex = isFlexArray(btf, spec.acc[spec.acc.length - 1], t.nelems);
      if (!flex && idx >= t.nelems) fail(`index ${idx} is past the array's ${t.nelems} elements`);
      id = elem;
      spec.acc.push({ typeId: id, idx });
      sz = sizeOf(btf, id);
      if (sz === undefined) return fail(`type [${id}] has no size`);
      spec.bitOffset += idx * sz * 8;
    } else {
      fail(`captures type [${id}] of unexpected kind ${t.kind}`);
    }
  }
  return spec;
}

/** `[5] struct task_struct.pid (0:61 @ offset 2512)`: libbpf's bpf_core_format_spec. */
export function formatSpec(spec: Spec): string {
  const t = spec.btf.types[spec.rootTypeId];
  let s = `<${KIND_STR[spec.kind] ?? 'unknown'}> [${spec.rootTypeId}] ${t?.kind ?? '?'} ${t?.name || '<anon>'}`;
  if (TYPE_KINDS.has(spec.kind)) return s;
  if (ENUMVAL_KINDS.has(spec.kind)) {
    const e = spec.btf.types[skip(spec.btf, spec.rootTypeId) ?? 0];
    if (e && isAnyEnum(e)) {
      const v = e.values[spec.raw[0]];
      if (v) s += `::${v.name} = ${v.value}`;
    }
    return s;
  }
  spec.acc.forEach((a, i) => {
    if (a.name) s += `.${a.name}`;
    else if (i > 0 || a.idx > 0) s += `[${a.idx}]`;
  });
  s += ` (${spec.raw.join(':')}`;
  s += spec.bitOffset % 8 ? ` @ offset ${Math.trunc(spec.bitOffset / 8)}.${spec.bitOffset % 8})` : ` @ offset ${spec.bitOffset / 8})`;
  return s;
}

// ---------------------------------------------------------------------------------------
// Type compatibility

/** bpf_core_types_are_compat: for type-based relocations (and ksym/kfunc checks). */
export function typesAreCompat(lb: Btf, lid: number, tb: Btf, tid: number, level = 32): boolean {
  let lt = lb.types[lid];
  let tt = tb.types[tid];
  if (!lt || !tt || !kindCompat(lt, tt)) return false;
  for (let depth = 32; depth > 0; depth--) {
    const ls = skip(lb, lid);
    const ts = skip(tb, tid);
    if (ls === undefined || ts === undefined) return invalid('types: modifier chain is invalid');
    lid = ls;
    tid = ts;
    lt = lb.types[lid];
    tt = tb.types[tid];
    if (!kindCompat(lt, tt)) return false;
    switch (lt.kind) {
      case 'void': case 'struct': case 'union': case 'enum': case 'fwd': case 'enum64':
        return true;
      case 'int':
        return lt.bitOffset === 0 && (tt as BtfTypeOf<'int'>).bitOffset === 0;
      case 'ptr':
        lid = lt.type;
        tid = (tt as BtfTypeOf<'ptr'>).type;
        continue;
      case 'array':
        lid = lt.type;
        tid = (tt as BtfTypeOf<'array'>).type;
        continue;
      case 'func_proto': {
        const tp = tt as BtfTypeOf<'func_proto'>;
        if (lt.params.length !== tp.params.length) return false;
        for (let i = 0; i < lt.params.length; i++) {
          if (level <= 0) return invalid('types: function prototypes nest too deeply');
          const a = skip(lb, lt.params[i].type);
          const b = skip(tb, tp.params[i].type);
          if (a === undefined || b === undefined) return invalid('types: modifier chain is invalid');
          if (!typesAreCompat(lb, a, tb, b, level - 1)) return false;
        }
        lid = lt.type;
        tid = tp.type;
        continue;
      }
      default:
        return false;
    }
  }
  return invalid('types: type chain is too deep');
}

/** bpf_core_fields_are_compat: for the member a field relocation lands on. */
function fieldsAreCompat(lb: Btf, lid: number, tb: Btf, tid: number): boolean {
  for (let depth = 0; depth < 64; depth++) {
    const ls = skip(lb, lid);
    const ts = skip(tb, tid);
    if (ls === undefined || ts === undefined) return invalid('fields: modifier chain is invalid');
    const lt = lb.types[ls];
    const tt = tb.types[ts];
    if (isComposite(lt) && isComposite(tt)) return true;
    if (!kindCompat(lt, tt)) return false;
    switch (lt.kind) {
      case 'ptr': case 'float':
        return true;
      case 'fwd': case 'enum': case 'enum64': {
        const a = essentialNameLength(lt.name);
        const b = essentialNameLength(tt.name);
        return a === 0 || b === 0 || (a === b && lt.name.slice(0, a) === tt.name.slice(0, b));
      }
      case 'int':
        return lt.bitOffset === 0 && (tt as BtfTypeOf<'int'>).bitOffset === 0;
      case 'array':
        lid = lt.type;
        tid = (tt as BtfTypeOf<'array'>).type;
        continue;
      default:
        return false;
    }
  }
  return invalid('fields: type chain is too deep');
}

const namesMatch = (ln: string, tn: string): boolean => (!tn ? !ln : essentialName(ln) === essentialName(tn));

/** bpf_core_types_match: the stricter relation of bpf_core_type_matches(). */
export function typesMatch(lb: Btf, lid: number, tb: Btf, tid: number, behindPtr = false, level = 32): boolean {
  if (level <= 0) return invalid('types: nesting too deep');
  for (let depth = 32; depth > 0; depth--) {
    const ls = skip(lb, lid);
    const ts = skip(tb, tid);
    if (ls === undefined || ts === undefined) return invalid('types: modifier chain is invalid');
    lid = ls;
    tid = ts;
    const lt = lb.types[lid];
    const tt = tb.types[tid];
    if (!namesMatch(lt.name, tt.name)) return false;
    switch (lt.kind) {
      case 'void':
        return tt.kind === 'void';
      case 'fwd':
        if (behindPtr) {
          if (tt.kind === 'fwd') return lt.union === tt.union;
          return (tt.kind === 'struct' && !lt.union) || (tt.kind === 'union' && lt.union);
        }
        return tt.kind === 'fwd' && lt.union === tt.union;
      case 'enum': case 'enum64': {
        if (!isAnyEnum(tt) || lt.size !== tt.size || lt.values.length > tt.values.length) return false;
        return lt.values.every((v) => tt.values.some((w) => namesMatch(v.name, w.name)));
      }
      case 'struct': case 'union':
        if (behindPtr) {
          if (lt.kind === tt.kind) return true;
          if (tt.kind !== 'fwd') return false;
          return (lt.kind === 'union') === tt.union;
        }
        if (lt.kind !== tt.kind) return false;
        if (lt.members.length > (tt as BtfTypeOf<'struct'>).members.length) return false;
        return lt.members.every((lm) => (tt as BtfTypeOf<'struct'>).members.some((tm) =>
          namesMatch(lm.name, tm.name) && typesMatch(lb, lm.type, tb, tm.type, behindPtr, level - 1)));
      case 'int':
        return tt.kind === 'int' && lt.size === tt.size && (lt.encoding & BTF_INT_SIGNED) === (tt.encoding & BTF_INT_SIGNED);
      case 'ptr':
        if (tt.kind !== 'ptr') return false;
        behindPtr = true;
        lid = lt.type;
        tid = tt.type;
        continue;
      case 'array':
        if (tt.kind !== 'array' || lt.nelems !== tt.nelems) return false;
        lid = lt.type;
        tid = tt.type;
        continue;
      case 'func_proto': {
        if (tt.kind !== 'func_proto' || lt.params.length !== tt.params.length) return false;
        for (let i = 0; i < lt.params.length; i++) {
          if (!typesMatch(lb, lt.params[i].type, tb, tt.params[i].type, behindPtr, level - 1)) return false;
        }
        lid = lt.type;
        tid = tt.type;
        continue;
      }
      default:
        return false;
    }
  }
  return invalid('types: type chain is too deep');
}

// ---------------------------------------------------------------------------------------
// Matching a spec against a candidate

function matchMember(local: Spec, lacc: Accessor, tb: Btf, tid: number, spec: Spec, depth = 0): { found: boolean; next?: number } {
  if (depth > SPEC_MAX_LEN) return invalid('members nest too deeply');
  const ts = skip(tb, tid);
  if (ts === undefined) return invalid(`target type [${tid}] is invalid`);
  const tt = tb.types[ts];
  if (!isComposite(tt)) return { found: false };
  const lt = local.btf.types[lacc.typeId] as BtfTypeOf<'struct'>;
  const lm = lt.members[lacc.idx];
  for (let i = 0; i < tt.members.length; i++) {
    const m = tt.members[i];
    if (spec.raw.length === SPEC_MAX_LEN) return invalid('access spec is too long');
    spec.bitOffset += m.bitOffset;
    spec.raw.push(i);
    if (!m.name) {
      const r = matchMember(local, lacc, tb, m.type, spec, depth + 1);
      if (r.found) return r;
    } else if (m.name === lm.name) {
      spec.acc.push({ typeId: ts, idx: i, name: m.name });
      const found = fieldsAreCompat(local.btf, lm.type, tb, m.type);
      if (!found) spec.acc.pop();
      return { found, next: m.type };
    }
    spec.bitOffset -= m.bitOffset;
    spec.raw.pop();
  }
  return { found: false };
}

function specMatch(local: Spec, tb: Btf, tid: number): Spec | undefined {
  const targ: Spec = { btf: tb, rootTypeId: tid, kind: local.kind, acc: [], raw: [], bitOffset: 0 };
  if (TYPE_KINDS.has(local.kind)) {
    const ok = local.kind === 12 ? typesMatch(local.btf, local.rootTypeId, tb, tid) : typesAreCompat(local.btf, local.rootTypeId, tb, tid);
    return ok ? targ : undefined;
  }
  if (ENUMVAL_KINDS.has(local.kind)) {
    const ts = skip(tb, tid);
    if (ts === undefined) return invalid(`target type [${tid}] is invalid`);
    const tt = tb.types[ts];
    if (!isAnyEnum(tt)) return undefined;
    const want = essentialName(local.acc[0].name!);
    const i = tt.values.findIndex((v) => essentialName(v.name) === want);
    if (i < 0) return undefined;
    targ.acc.push({ typeId: ts, idx: i, name: tt.values[i].name });
    targ.raw.push(i);
    return targ;
  }
  let cur = tid;
  for (let i = 0; i < local.acc.length; i++) {
    const la = local.acc[i];
    const cs = skip(tb, cur);
    if (cs === undefined) return invalid(`target type [${cur}] is invalid`);
    cur = cs;
    const tt = tb.types[cur];
    if (la.name) {
      const r = matchMember(local, la, tb, cur, targ);
      if (!r.found) return undefined;
      cur = r.next!;
    } else {
      if (i > 0) {
        if (tt.kind !== 'array') return undefined;
        const flex = isFlexArray(tb, targ.acc[targ.acc.length - 1], tt.nelems);
        if (!flex && la.idx >= tt.nelems) return undefined;
        const es = skip(tb, tt.type);
        if (es === undefined) return invalid(`target type [${tt.type}] is invalid`);
        cur = es;
      }
      if (targ.raw.length === SPEC_MAX_LEN) return invalid('access spec is too long');
      targ.acc.push({ typeId: cur, idx: la.idx });
      targ.raw.push(la.idx);
      const sz = sizeOf(tb, cur);
      if (sz === undefined) return invalid(`target type [${cur}] has no size`);
      targ.bitOffset += la.idx * sz * 8;
    }
  }
  return targ;
}

// ---------------------------------------------------------------------------------------
// Values

interface FieldValue { val: bigint; fieldSize: number; typeId: number; validate: boolean }

/** 'poison' when the field is missing and the relocation needs it. */
function fieldValue(spec: Spec | undefined, kind: number, where: string): FieldValue | 'poison' {
  if (kind === 2) return { val: spec ? 1n : 0n, fieldSize: 0, typeId: 0, validate: true };
  if (!spec) return 'poison';
  const acc = spec.acc[spec.acc.length - 1];
  const btf = spec.btf;
  if (!acc.name) {
    const sz = sizeOf(btf, acc.typeId);
    if (sz === undefined) return invalid(`${where}: array element type has no size`);
    if (kind === 0) return { val: BigInt(Math.trunc(spec.bitOffset / 8)), fieldSize: sz, typeId: acc.typeId, validate: true };
    if (kind === 1) return { val: BigInt(sz), fieldSize: 0, typeId: 0, validate: true };
    return invalid(`${where}: relo ${kind} can't be applied to array access`);
  }
  const st = btf.types[acc.typeId] as BtfTypeOf<'struct'>;
  const m = st.members[acc.idx];
  const fieldTypeId = skip(btf, m.type);
  if (fieldTypeId === undefined) return invalid(`${where}: member type is invalid`);
  const mt = btf.types[fieldTypeId];
  const bitOff = spec.bitOffset;
  let bitSz = m.bitfieldSize;
  const bitfield = bitSz > 0;
  let byteSz: number;
  let byteOff: number;
  if (bitfield) {
    byteSz = (mt as { size?: number }).size ?? 0;
    if (!byteSz) return invalid(`${where}: bitfield of a sizeless type`);
    byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    while (bitOff + bitSz - byteOff * 8 > byteSz * 8) {
      if (byteSz >= 8) return invalid(`${where}: relo ${kind} can't be satisfied for bitfield`);
      byteSz *= 2;
      byteOff = Math.floor(bitOff / 8 / byteSz) * byteSz;
    }
  } else {
    const sz = sizeOf(btf, fieldTypeId);
    if (sz === undefined) return invalid(`${where}: field type has no size`);
    byteSz = sz;
    byteOff = Math.trunc(bitOff / 8); // C integer division, as libbpf
    bitSz = byteSz * 8;
  }
  let validate = !bitfield;
  switch (kind) {
    case 0: return { val: BigInt(byteOff), fieldSize: bitfield ? 0 : byteSz, typeId: bitfield ? 0 : fieldTypeId, validate };
    case 1: return { val: BigInt(byteSz), fieldSize: 0, typeId: 0, validate };
    case 3: {
      validate = true;
      const signed = (isAnyEnum(mt) && mt.signed) || (mt.kind === 'int' && (mt.encoding & BTF_INT_SIGNED) !== 0);
      return { val: signed ? 1n : 0n, fieldSize: 0, typeId: 0, validate };
    }
    case 4: return { val: BigInt.asUintN(64, BigInt(64 - (bitOff + bitSz - byteOff * 8))), fieldSize: 0, typeId: 0, validate };
    case 5: return { val: BigInt(64 - bitSz), fieldSize: 0, typeId: 0, validate: true };
    default: return invalid(`${where}: unrecognized CO-RE relocation ${KIND_STR[kind] ?? 'unknown'} (${kind})`);
  }
}

function typeValue(spec: Spec | undefined, kind: number, where: string): { val: bigint; validate: boolean } {
  if (!spec) return { val: 0n, validate: true };
  switch (kind) {
    case 7: return { val: BigInt(spec.rootTypeId), validate: false };
    case 8: case 12: return { val: 1n, validate: true };
    case 9: {
      const sz = sizeOf(spec.btf, spec.rootTypeId);
      if (sz === undefined) return invalid(`${where}: type [${spec.rootTypeId}] has no size`);
      return { val: BigInt(sz), validate: true };
    }
    default: return invalid(`${where}: unrecognized CO-RE relocation ${KIND_STR[kind] ?? 'unknown'} (${kind})`);
  }
}

function enumValue(spec: Spec | undefined, kind: number): bigint | 'poison' {
  if (kind === 10) return spec ? 1n : 0n;
  if (!spec) return 'poison';
  const t = spec.btf.types[spec.acc[0].typeId] as BtfTypeOf<'enum'>;
  const v = t.values[spec.acc[0].idx].value;
  // libbpf reads a 32-bit enumerator as s32 into a u64, whatever the enum's signedness.
  return t.kind === 'enum' ? BigInt.asUintN(64, BigInt.asIntN(32, v)) : BigInt.asUintN(64, v);
}

/** What a relocation resolves to (libbpf's struct bpf_core_relo_res). */
export interface CoreReloRes {
  poison: boolean;
  validate: boolean;
  origVal: bigint;
  newVal: bigint;
  origSize: number;
  newSize: number;
  /** Load/store size change that is unsafe (not pointers or unsigned integers). */
  failMemSizeAdjust: boolean;
}

function calcRelo(local: Spec, targ: Spec | undefined, where: string): CoreReloRes {
  const res: CoreReloRes = { poison: false, validate: true, origVal: 0n, newVal: 0n, origSize: 0, newSize: 0, failMemSizeAdjust: false };
  const k = local.kind;
  if (FIELD_KINDS.has(k)) {
    const o = fieldValue(local, k, where);
    if (o === 'poison') return { ...res, poison: true };
    const n = fieldValue(targ, k, where);
    if (n === 'poison') return { ...res, poison: true, origVal: o.val, validate: o.validate };
    Object.assign(res, { origVal: o.val, newVal: n.val, validate: o.validate, origSize: o.fieldSize, newSize: n.fieldSize });
    if (o.fieldSize !== n.fieldSize) {
      const ot = local.btf.types[o.typeId];
      const nt = targ!.btf.types[n.typeId];
      const safe = (ot?.kind === 'ptr' && nt?.kind === 'ptr')
        || (ot?.kind === 'int' && nt?.kind === 'int' && ot.encoding !== BTF_INT_SIGNED && nt.encoding !== BTF_INT_SIGNED);
      res.failMemSizeAdjust = !safe;
    }
  } else if (TYPE_KINDS.has(k)) {
    const o = typeValue(local, k, where);
    res.origVal = o.val;
    res.validate = o.validate;
    res.newVal = typeValue(targ, k, where).val;
  } else if (ENUMVAL_KINDS.has(k)) {
    const o = enumValue(local, k);
    if (o === 'poison') return { ...res, poison: true };
    const n = enumValue(targ, k);
    if (n === 'poison') return { ...res, poison: true, origVal: o };
    res.origVal = o;
    res.newVal = n;
  } else {
    invalid(`${where}: unrecognized CO-RE relocation ${KIND_STR[k] ?? 'unknown'} (${k})`);
  }
  return res;
}

// ---------------------------------------------------------------------------------------
// Resolution and patching

/** Candidate lists per local type id, pruned as relocations match (shared per object). */
export type CandidateCache = Map<number, number[]>;

function findCandidates(local: Btf, localId: number, target: Btf): number[] {
  const lt = local.types[localId];
  const want = essentialName(lt.name);
  const out: number[] = [];
  for (let id = 1; id < target.types.length; id++) {
    const t = target.types[id];
    if (!kindCompat(t, lt) || !t.name) continue;
    if (essentialName(t.name) === want) out.push(id);
  }
  return out;
}

export interface CoreReloOutcome {
  res: CoreReloRes;
  /** libbpf's text of the local spec, e.g. `<byte_off> [12] struct task_struct.pid (0:60 @ offset 2512)`. */
  spec: string;
  /** The matched target spec, when there was one. */
  target?: string;
}

/** Resolves one relocation as bpf_core_calc_relo_insn does; throws LoadError where libbpf fails. */
export function resolveCoreRelo(local: Btf, relo: BtfExtCoreRelo, target: Btf, cache: CandidateCache, where: string): CoreReloOutcome {
  const lt = local.types[relo.typeId];
  if (!lt) invalid(`${where}: type [${relo.typeId}] does not exist`);
  const localSpec = parseSpec(local, relo, where);
  const spec = formatSpec(localSpec);
  if (relo.kind === 6) {
    const v = BigInt(localSpec.rootTypeId);
    return { spec, res: { poison: false, validate: false, origVal: v, newVal: v, origSize: 0, newSize: 0, failMemSizeAdjust: false } };
  }
  if (!lt.name) invalid(`${where}: <${KIND_STR[relo.kind] ?? 'unknown'}> (${relo.kind}) relocation doesn't support anonymous types`);
  let cands = cache.get(relo.typeId);
  if (!cands) {
    cands = findCandidates(local, relo.typeId, target);
    cache.set(relo.typeId, cands);
  }
  let chosen: { res: CoreReloRes; spec: Spec } | undefined;
  const kept: number[] = [];
  for (const c of cands) {
    const cs = specMatch(localSpec, target, c);
    if (!cs) continue;
    const r = calcRelo(localSpec, cs, where);
    if (!chosen) chosen = { res: r, spec: cs };
    else if (cs.bitOffset !== chosen.spec.bitOffset) invalid(`${where}: field offset ambiguity: ${cs.bitOffset} != ${chosen.spec.bitOffset}`);
    else if (r.poison !== chosen.res.poison || r.newVal !== chosen.res.newVal) {
      invalid(`${where}: relocation decision ambiguity: ${r.poison ? 'failure' : 'success'} ${r.newVal} != ${chosen.res.poison ? 'failure' : 'success'} ${chosen.res.newVal}`);
    }
    kept.push(c);
  }
  if (kept.length) cache.set(relo.typeId, kept);
  if (!chosen) return { spec, res: calcRelo(localSpec, undefined, where) };
  return { spec, target: formatSpec(chosen.spec), res: chosen.res };
}

const LD_IMM64 = 0x18;
const SIZE_BYTES: Record<number, number> = { 0x18: 8, 0x00: 4, 0x08: 2, 0x10: 1 };
const BYTES_SIZE: Record<number, number> = { 8: 0x18, 4: 0x00, 2: 0x08, 1: 0x10 };

function poison(insns: Insn[], idx: number): void {
  const wide = insns[idx].code === LD_IMM64;
  const targets = wide && insns[idx + 1] ? [idx + 1, idx] : [idx];
  for (const k of targets) Object.assign(insns[k], { code: 0x85, dst: 0, src: 0, off: 0, imm: CORE_POISON_IMM });
}

/**
 * Patches the instruction as bpf_core_patch_insn does. Returns 'poisoned' when it was
 * replaced by the poison call (including unsafe load/store size changes).
 */
export function patchCoreInsn(insns: Insn[], idx: number, res: CoreReloRes, where: string): 'patched' | 'poisoned' {
  const insn = insns[idx];
  if (!insn) return invalid(`${where}: instruction #${idx} does not exist`);
  if (res.poison) {
    poison(insns, idx);
    return 'poisoned';
  }
  const cls = insn.code & 7;
  const orig = res.origVal;
  const nv = res.newVal;
  switch (cls) {
    case 4: case 7: // ALU, ALU64
      if (insn.code & 0x08) return invalid(`${where}: insn #${idx} (ALU/ALU64) has a register source`);
      if (res.validate && BigInt.asUintN(64, BigInt(insn.imm)) !== orig) {
        return invalid(`${where}: unexpected insn #${idx} (ALU/ALU64) value: got ${insn.imm >>> 0}, exp ${orig} -> ${nv}`);
      }
      insn.imm = Number(BigInt.asIntN(32, nv));
      return 'patched';
    case 1: case 2: case 3: { // LDX, ST, STX
      if (res.validate && BigInt.asUintN(64, BigInt(insn.off)) !== orig) {
        return invalid(`${where}: unexpected insn #${idx} (LDX/ST/STX) value: got ${insn.off & 0xffff}, exp ${orig} -> ${nv}`);
      }
      if (nv > 32767n) return invalid(`${where}: insn #${idx} (LDX/ST/STX) value too big: ${nv}`);
      if (res.failMemSizeAdjust) {
        poison(insns, idx);
        return 'poisoned';
      }
      insn.off = Number(nv);
      if (res.newSize !== res.origSize) {
        const have = SIZE_BYTES[insn.code & 0x18];
        if (have !== res.origSize) return invalid(`${where}: insn #${idx} (LDX/ST/STX) unexpected mem size: got ${have}, exp ${res.origSize}`);
        const sz = BYTES_SIZE[res.newSize];
        if (sz === undefined) return invalid(`${where}: insn #${idx} (LDX/ST/STX) invalid new mem size: ${res.newSize}`);
        insn.code = (insn.code & 0xe0) | sz | (insn.code & 7);
      }
      return 'patched';
    }
    case 0: { // LD
      const hi = insns[idx + 1];
      if (insn.code !== LD_IMM64 || insn.src !== 0 || insn.off !== 0 || !hi || hi.code !== 0 || hi.dst !== 0 || hi.src !== 0 || hi.off !== 0) {
        return invalid(`${where}: insn #${idx} (LDIMM64) has unexpected form`);
      }
      const imm = BigInt(insn.imm >>> 0) | (BigInt(hi.imm >>> 0) << 32n);
      if (res.validate && imm !== orig) return invalid(`${where}: unexpected insn #${idx} (LDIMM64) value: got ${imm}, exp ${orig} -> ${nv}`);
      insn.imm = Number(BigInt.asIntN(32, nv));
      hi.imm = Number(BigInt.asIntN(32, nv >> 32n));
      return 'patched';
    }
    default:
      return invalid(`${where}: trying to relocate unrecognized insn #${idx}, code:0x${insn.code.toString(16)}`);
  }
}

