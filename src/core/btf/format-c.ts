/**
 * BTF types in C syntax, as `bpftool btf dump ... format c` (libbpf's btf_dump.c) writes
 * them: declarations (`const char *name`, `int (*cb)(void *)`, `__u8 mac[6]`) and
 * definitions of structs, unions, enums and typedefs, with explicit padding fields
 * (`long: 64;`), bitfields and `__attribute__((packed))` where the layout needs them.
 *
 * The algorithm follows btf_dump's: a declaration is the chain of types down to a
 * terminal type (int, struct, typedef, ...), written back to front; modifiers go left of
 * non-pointer types and right of pointers; arrays and function prototypes wrap the rest
 * of the chain in parentheses. Unlike a whole-file dump, names are printed as they are
 * (btf_dump renames duplicates to `name___2`).
 */
import type { Btf, BtfType, BtfTypeOf } from './btf';

const MAX_CHAIN = 64;
const tabs = (lvl: number): string => '\t'.repeat(lvl);

/** `T name` in C: the declaration of `name` (may be '') with type `id`. */
export function formatCDecl(btf: Btf, id: number, name = '', lvl = 0): string {
  const chain: number[] = [];
  for (let cur = id; ; ) {
    if (chain.length > MAX_CHAIN) return `/* type [${id}]: chain too long */`;
    chain.push(cur);
    if (cur === 0) break;
    const t = btf.types[cur];
    if (!t) return `/* type [${cur}] does not exist */`;
    if (t.kind === 'ptr' || t.kind === 'volatile' || t.kind === 'const' || t.kind === 'restrict' || t.kind === 'func_proto' || t.kind === 'type_tag') cur = t.type;
    else if (t.kind === 'array') cur = t.type;
    else break;
  }
  return emitChain(btf, chain, name, lvl);
}

/** The definition of a struct/union/enum/typedef (without the final `;`), else its declaration. */
export function formatCDefinition(btf: Btf, id: number, lvl = 0): string {
  const t = btf.types[id];
  if (!t) return `/* type [${id}] does not exist */`;
  switch (t.kind) {
    case 'struct': case 'union': return structDef(btf, id, t, lvl);
    case 'enum': case 'enum64': return enumDef(t, lvl);
    case 'fwd': return `${t.union ? 'union' : 'struct'} ${t.name}`;
    case 'typedef':
      if (t.type === 0 && t.name === '__gnuc_va_list') return 'typedef __builtin_va_list __gnuc_va_list';
      return `typedef ${formatCDecl(btf, t.type, t.name, lvl)}`;
    case 'func': return formatCDecl(btf, t.type, t.name, lvl);
    case 'var': return formatCDecl(btf, t.type, t.name, lvl);
    default: return formatCDecl(btf, id, '', lvl);
  }
}

const isMod = (t: BtfType | undefined): boolean => !!t && (t.kind === 'volatile' || t.kind === 'const' || t.kind === 'restrict');

function emitChain(btf: Btf, decls: number[], fname: string, lvl: number, depth = 0): string {
  if (depth > MAX_CHAIN) return '/* declaration too deep */';
  let out = '';
  let lastWasPtr = true;
  const emitMods = (): void => {
    while (decls.length) {
      const t = btf.types[decls[decls.length - 1]];
      if (t?.kind === 'volatile') out += 'volatile ';
      else if (t?.kind === 'const') out += 'const ';
      else if (t?.kind === 'restrict') out += 'restrict ';
      else return;
      decls.pop();
    }
  };
  const dropMods = (): void => {
    while (decls.length && isMod(btf.types[decls[decls.length - 1]])) decls.pop();
  };
  const name = (n: string, afterPtr: boolean): string => `${n && !afterPtr ? ' ' : ''}${n}`;

  while (decls.length) {
    const id = decls.pop()!;
    if (id === 0) {
      emitMods();
      out += 'void';
      lastWasPtr = false;
      continue;
    }
    const t = btf.types[id];
    switch (t.kind) {
      case 'int': case 'float':
        emitMods();
        out += t.name;
        break;
      case 'struct': case 'union':
        emitMods();
        out += t.name ? `${t.kind} ${t.name}` : structDef(btf, id, t, lvl);
        break;
      case 'enum': case 'enum64':
        emitMods();
        out += t.name ? `enum ${t.name}` : enumDef(t, lvl);
        break;
      case 'fwd':
        emitMods();
        out += `${t.union ? 'union' : 'struct'} ${t.name}`;
        break;
      case 'typedef':
        emitMods();
        out += t.name;
        break;
      case 'ptr': out += lastWasPtr ? '*' : ' *'; break;
      case 'volatile': out += ' volatile'; break;
      case 'const': out += ' const'; break;
      case 'restrict': out += ' restrict'; break;
      case 'type_tag':
        emitMods();
        out += ` __attribute__((btf_type_tag("${t.name}")))`;
        break;
      case 'array': {
        dropMods();
        if (decls.length === 0) return `${out}${name(fname, lastWasPtr)}[${t.nelems}]`;
        const multidim = btf.types[decls[decls.length - 1]]?.kind === 'array';
        if (fname && !lastWasPtr) out += ' ';
        const inner = emitChain(btf, decls, fname, lvl, depth + 1);
        return multidim ? `${out}${inner}[${t.nelems}]` : `${out}(${inner})[${t.nelems}]`;
      }
      case 'func_proto': {
        dropMods();
        out += decls.length ? ` (${emitChain(btf, decls, fname, lvl, depth + 1)})` : name(fname, lastWasPtr);
        out += '(';
        // No parameters, or clang's single void parameter: `f(void)` (libbpf since 2024, as
        // Debian's bpftool 7.1 prints it).
        if (t.params.length === 0 || (t.params.length === 1 && t.params[0].type === 0)) return `${out}void)`;
        t.params.forEach((p, k) => {
          if (k > 0) out += ', ';
          if (k === t.params.length - 1 && p.type === 0) out += '...';
          else out += formatCDecl(btf, p.type, p.name, lvl);
        });
        return `${out})`;
      }
      default:
        return `${out}/* unexpected ${t.kind} [${id}] in a declaration */`;
    }
    lastWasPtr = t.kind === 'ptr';
  }
  return out + name(fname, lastWasPtr);
}

/** btf_is_struct_packed: a non-bitfield member off its natural alignment, or a size that is no multiple of it. */
function isPacked(btf: Btf, t: BtfTypeOf<'struct'>): boolean {
  let maxAlign = 1;
  for (const m of t.members) {
    const align = safeAlign(btf, m.type);
    if (align && m.bitfieldSize === 0 && m.bitOffset % (8 * align) !== 0) return true;
    maxAlign = Math.max(align, maxAlign);
  }
  return t.size % maxAlign !== 0;
}

function safeAlign(btf: Btf, id: number): number {
  try {
    return btf.alignOf(id);
  } catch {
    return 0;
  }
}

function safeSize(btf: Btf, id: number): number {
  try {
    return btf.resolveSize(id);
  } catch {
    return 0;
  }
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;
const PADS: readonly [string, number][] = [['long', 64], ['int', 32], ['short', 16], ['char', 8]];

/** Explicit padding members for a gap in a struct (btf_dump_emit_bit_padding). */
function bitPadding(curOff: number, nextOff: number, nextAlign: number, inBitfield: boolean, lvl: number): string {
  if (curOff >= nextOff) return '';
  let out = '';
  let padBits = 8;
  let padType = 'char';
  let newOff = curOff;
  for (const [type, bits] of PADS) {
    padBits = bits;
    padType = type;
    newOff = roundUp(curOff, bits);
    if (newOff <= nextOff) break;
  }
  if (newOff > curOff && newOff <= nextOff) {
    if (inBitfield
      || (newOff === nextOff && roundUp(curOff, nextAlign * 8) !== newOff)
      || (newOff !== nextOff && nextOff - newOff <= newOff - curOff)) {
      out += `\n${tabs(lvl)}${padType}: ${inBitfield ? newOff - curOff : 0};`;
    }
    curOff = newOff;
  }
  while (curOff !== nextOff) {
    const bits = Math.min(nextOff - curOff, padBits);
    if (bits === padBits) {
      out += `\n${tabs(lvl)}${padType}: ${padBits};`;
      curOff += bits;
      continue;
    }
    for (let k = PADS.length - 1; k >= 0; k--) {
      const [type, pb] = PADS[k];
      if (pb < bits) continue;
      out += `\n${tabs(lvl)}${type}: ${bits};`;
      curOff += bits;
      break;
    }
  }
  return out;
}

function structDef(btf: Btf, id: number, t: BtfTypeOf<'struct'>, lvl: number): string {
  const isStruct = t.kind === 'struct';
  const align = safeAlign(btf, id) || 1;
  const packed = isStruct && isPacked(btf, t);
  let out = `${t.kind}${t.name ? ' ' : ''}${t.name} {`;
  let off = 0;
  let prevBitfield = false;
  for (const m of t.members) {
    const mAlign = packed ? 1 : safeAlign(btf, m.type);
    const inBitfield = prevBitfield && m.bitfieldSize !== 0;
    out += bitPadding(off, m.bitOffset, mAlign, inBitfield, lvl + 1);
    out += `\n${tabs(lvl + 1)}${formatCDecl(btf, m.type, m.name, lvl + 1)}`;
    if (m.bitfieldSize) {
      out += `: ${m.bitfieldSize}`;
      off = m.bitOffset + m.bitfieldSize;
      prevBitfield = true;
    } else {
      off = m.bitOffset + safeSize(btf, m.type) * 8;
      prevBitfield = false;
    }
    out += ';';
  }
  if (isStruct) out += bitPadding(off, t.size * 8, align, false, lvl + 1);
  out += t.members.length || t.size ? `\n${tabs(lvl)}}` : '}';
  if (packed) out += ' __attribute__((packed))';
  return out;
}

function enumDef(t: BtfTypeOf<'enum'>, lvl: number): string {
  let out = `enum${t.name ? ' ' : ''}${t.name}`;
  if (!t.values.length) return out;
  out += ' {';
  for (const v of t.values) {
    if (t.kind === 'enum') out += `\n${tabs(lvl + 1)}${v.name} = ${t.signed ? BigInt.asIntN(32, v.value) : BigInt.asUintN(32, v.value)},`;
    else out += `\n${tabs(lvl + 1)}${v.name} = ${t.signed ? `${BigInt.asIntN(64, v.value)}LL` : `${BigInt.asUintN(64, v.value)}ULL`},`;
  }
  // Debian's bpftool 7.1 (libbpf of Linux 6.1) predates mode(byte)/mode(word) for odd-sized enums.
  return `${out}\n${tabs(lvl)}}`;
}
