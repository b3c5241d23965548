/**
 * Map definitions of an object, in libbpf's order and with libbpf's names:
 *
 *   1. legacy `maps` section (`struct bpf_map_def`; libbpf 1.0+ refuses these, older
 *      libbpf put them first in symbol order, and so do we),
 *   2. BTF-defined maps of `.maps`, in the order of the `.maps` DATASEC's variables,
 *   3. global data: `.data*`, `.rodata*`, `.bss*` sections in section order, as
 *      single-entry ARRAY maps named by `internalMapName`,
 *   4. `.kconfig` for `__kconfig` externs.
 *
 * Inner-map templates of map-in-map definitions are appended after all of them (libbpf
 * creates them only to describe the outer map, so they have no index of their own there).
 * Behaviour follows libbpf 1.1 (`parse_btf_map_def`, `bpf_object__init_internal_map`,
 * `bpf_object__collect_map_relos`); messages follow libbpf's wording.
 */
import { BTF_VAR_GLOBAL_ALLOCATED, BTF_VAR_STATIC, type Btf, type BtfTypeOf } from '../btf/btf';
import type { ElfFile, ElfSection, ElfSymbol } from './elf64';
import { LoadError } from './load-error';
import type { MapDef } from './loaded-object';

export const BPF_MAP_TYPE_ARRAY = 2;
export const BPF_MAP_TYPE_PROG_ARRAY = 3;
export const BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
export const BPF_MAP_TYPE_HASH_OF_MAPS = 13;
export const BPF_MAP_TYPE_RINGBUF = 27;
export const BPF_MAP_TYPE_USER_RINGBUF = 31;
export const BPF_F_RDONLY_PROG = 1 << 7;
export const BPF_F_MMAPABLE = 1 << 10;
/** libbpf's BPF_OBJ_NAME_LEN: kernel object names hold 15 characters. */
export const BPF_OBJ_NAME_LEN = 16;
const PAGE_SIZE = 4096;
const LIBBPF_PIN_BY_NAME = 1;

export const isMapInMap = (type: number): boolean => type === BPF_MAP_TYPE_ARRAY_OF_MAPS || type === BPF_MAP_TYPE_HASH_OF_MAPS;

/** A map plus where it came from in the ELF file. */
export interface ObjectMap {
  def: MapDef;
  secIdx: number;
  secOffset: number;
  /** Index of the variable in the `.maps` DATASEC (BTF-defined maps). */
  btfVarIdx?: number;
  /** Inner-map template definition (map-in-map), before it is given an index. */
  inner?: MapDef;
}

/**
 * libbpf's name for a global-data map: as much of the object name as fits before the
 * section name (`globals.bss`, `tail_cal.bss`), or the section name alone for custom
 * sections (`.data.stats`, `.rodata.str1.1`), at most 15 characters, sanitised.
 */
export function internalMapName(objectName: string, sectionName: string): string {
  let sfxLen = Math.max(7, sectionName.length);
  if (sfxLen >= BPF_OBJ_NAME_LEN) sfxLen = BPF_OBJ_NAME_LEN - 1;
  const pfxLen = sectionName.indexOf('.', 1) >= 0 ? 0 : Math.min(BPF_OBJ_NAME_LEN - sfxLen - 1, objectName.length);
  const name = (objectName.slice(0, pfxLen) + sectionName.slice(0, sfxLen)).slice(0, BPF_OBJ_NAME_LEN - 1);
  return name.replace(/[^A-Za-z0-9_.]/g, '_');
}

/** libbpf's object name for a file: its base name up to the first '.'. */
export function objectNameFromPath(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? '';
  const dot = base.indexOf('.');
  return (dot >= 0 ? base.slice(0, dot) : base).slice(0, 63);
}

// ---------------------------------------------------------------------------------------
// BTF-defined maps

interface BtfMapDef {
  type?: number;
  keySize?: number;
  valueSize?: number;
  maxEntries: number;
  flags: number;
  numaNode: number;
  pinning: number;
  mapExtra: number;
  keyTypeId?: number;
  valueTypeId?: number;
  inner?: BtfMapDef;
  hasInner: boolean;
}

const kindStr = (btf: Btf, id: number): string => btf.types[id]?.kind ?? 'unknown';

/** An integer attribute: `int (*name)[N]` encodes N as an array dimension. */
function mapFieldInt(mapName: string, btf: Btf, m: { name: string; type: number }): number {
  const t = btf.type(btf.skipModsAndTypedefs(m.type));
  if (t.kind !== 'ptr') throw new LoadError(`map '${mapName}': attr '${m.name}': expected PTR, got ${t.kind}.`);
  const arr = btf.types[t.type];
  if (!arr) throw new LoadError(`map '${mapName}': attr '${m.name}': type [${t.type}] not found.`);
  if (arr.kind !== 'array') throw new LoadError(`map '${mapName}': attr '${m.name}': expected ARRAY, got ${arr.kind}.`);
  return arr.nelems;
}

function sizeOfPointee(mapName: string, btf: Btf, m: { type: number }, what: 'key' | 'value'): { size: number; typeId: number } {
  const t = btf.types[m.type];
  if (!t) throw new LoadError(`map '${mapName}': ${what} type [${m.type}] not found.`);
  if (t.kind !== 'ptr') throw new LoadError(`map '${mapName}': ${what} spec is not PTR: ${t.kind}.`);
  let size: number;
  try {
    size = btf.resolveSize(t.type);
  } catch (e) {
    throw new LoadError(`map '${mapName}': can't determine ${what} size for type [${t.type}]: ${(e as Error).message}`);
  }
  return { size, typeId: t.type };
}

function setSize(mapName: string, def: BtfMapDef, which: 'keySize' | 'valueSize', size: number): void {
  const what = which === 'keySize' ? 'key' : 'value';
  if (def[which] && def[which] !== size) throw new LoadError(`map '${mapName}': conflicting ${what} size ${def[which]} != ${size}.`);
  def[which] = size;
}

/** Parses a `.maps` struct definition as libbpf's parse_btf_map_def does. */
function parseBtfMapDef(mapName: string, btf: Btf, defT: BtfTypeOf<'struct'>, isInner: boolean): BtfMapDef {
  const def: BtfMapDef = { maxEntries: 0, flags: 0, numaNode: 0, pinning: 0, mapExtra: 0, hasInner: false };
  defT.members.forEach((m, i) => {
    switch (m.name) {
      case 'type': def.type = mapFieldInt(mapName, btf, m); break;
      case 'max_entries': def.maxEntries = mapFieldInt(mapName, btf, m); break;
      case 'map_flags': def.flags = mapFieldInt(mapName, btf, m); break;
      case 'numa_node': def.numaNode = mapFieldInt(mapName, btf, m); break;
      case 'key_size': setSize(mapName, def, 'keySize', mapFieldInt(mapName, btf, m)); break;
      case 'value_size': setSize(mapName, def, 'valueSize', mapFieldInt(mapName, btf, m)); break;
      case 'key': {
        const { size, typeId } = sizeOfPointee(mapName, btf, m, 'key');
        setSize(mapName, def, 'keySize', size);
        def.keyTypeId = typeId;
        break;
      }
      case 'value': {
        const { size, typeId } = sizeOfPointee(mapName, btf, m, 'value');
        setSize(mapName, def, 'valueSize', size);
        def.valueTypeId = typeId;
        break;
      }
      case 'values': {
        const mapInMap = def.type !== undefined && isMapInMap(def.type);
        const progArray = def.type === BPF_MAP_TYPE_PROG_ARRAY;
        const desc = mapInMap ? 'map-in-map inner' : 'prog-array value';
        if (isInner) throw new LoadError(`map '${mapName}': multi-level inner maps not supported.`);
        if (i !== defT.members.length - 1) throw new LoadError(`map '${mapName}': '${m.name}' member should be last.`);
        if (!mapInMap && !progArray) throw new LoadError(`map '${mapName}': should be map-in-map or prog-array.`);
        setSize(mapName, def, 'valueSize', 4);
        const arr = btf.types[m.type];
        if (!arr) throw new LoadError(`map '${mapName}': ${desc} type [${m.type}] not found.`);
        if (arr.kind !== 'array' || arr.nelems) throw new LoadError(`map '${mapName}': ${desc} spec is not a zero-sized array.`);
        const ptr = btf.type(btf.skipModsAndTypedefs(arr.type));
        if (ptr.kind !== 'ptr') throw new LoadError(`map '${mapName}': ${desc} def is of unexpected kind ${ptr.kind}.`);
        const target = btf.type(btf.skipModsAndTypedefs(ptr.type));
        if (progArray) {
          if (target.kind !== 'func_proto') throw new LoadError(`map '${mapName}': prog-array value def is of unexpected kind ${target.kind}.`);
          break;
        }
        if (target.kind !== 'struct') throw new LoadError(`map '${mapName}': map-in-map inner def is of unexpected kind ${target.kind}.`);
        def.inner = parseBtfMapDef(`${mapName}.inner`, btf, target, true);
        def.hasInner = true;
        break;
      }
      case 'pinning': {
        if (isInner) throw new LoadError(`map '${mapName}': inner def can't be pinned.`);
        const v = mapFieldInt(mapName, btf, m);
        if (v !== 0 && v !== LIBBPF_PIN_BY_NAME) throw new LoadError(`map '${mapName}': invalid pinning value ${v}.`);
        def.pinning = v;
        break;
      }
      case 'map_extra': def.mapExtra = mapFieldInt(mapName, btf, m); break;
      default:
        // libbpf opens objects in strict mode by default.
        throw new LoadError(`map '${mapName}': unknown field '${m.name || `#${i}`}'.`);
    }
  });
  if (!def.type) throw new LoadError(`map '${mapName}': map type isn't specified.`);
  return def;
}

/** Kernel wants ring buffer sizes as a power-of-2 multiple of the page size; libbpf rounds up. */
function adjustRingbufSize(sz: number): number {
  if (sz === 0) return 0;
  if (sz % PAGE_SIZE === 0 && isPow2(sz / PAGE_SIZE)) return sz;
  for (let mul = 1; mul * PAGE_SIZE <= 0xffffffff; mul *= 2) if (mul * PAGE_SIZE > sz) return mul * PAGE_SIZE;
  return sz;
}
const isPow2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

function mapDefFrom(name: string, d: BtfMapDef): MapDef {
  const type = d.type ?? 0;
  const ringbuf = type === BPF_MAP_TYPE_RINGBUF || type === BPF_MAP_TYPE_USER_RINGBUF;
  const def: MapDef = {
    name,
    type,
    keySize: d.keySize ?? 0,
    valueSize: d.valueSize ?? 0,
    maxEntries: ringbuf ? adjustRingbufSize(d.maxEntries) : d.maxEntries,
    flags: d.flags,
    kind: 'user',
    section: '.maps',
  };
  if (d.pinning) def.pinning = d.pinning;
  if (d.numaNode) def.numaNode = d.numaNode;
  if (d.mapExtra) def.mapExtra = BigInt(d.mapExtra);
  if (d.keyTypeId) def.btfKeyTypeId = d.keyTypeId;
  if (d.valueTypeId) def.btfValueTypeId = d.valueTypeId;
  return def;
}

/** BTF-defined maps of the `.maps` section. */
export function btfDefinedMaps(btf: Btf | undefined, sec: ElfSection): ObjectMap[] {
  if (!btf) throw new LoadError(`section ${sec.name}: BTF-defined maps need the object's BTF (.BTF is missing; compile with -g)`);
  const datasecId = btf.findByName(sec.name, 'datasec');
  if (datasecId === undefined) throw new LoadError(`DATASEC '${sec.name}' not found.`);
  const datasec = btf.types[datasecId] as BtfTypeOf<'datasec'>;
  const out: ObjectMap[] = [];
  datasec.vars.forEach((vi, varIdx) => {
    const v = btf.types[vi.type];
    const mapName = v?.name ?? '';
    if (!mapName) throw new LoadError(`map #${varIdx}: empty name.`);
    if (vi.offset + vi.size > sec.size) throw new LoadError(`map '${mapName}' BTF data is corrupted.`);
    if (v.kind !== 'var') throw new LoadError(`map '${mapName}': unexpected var kind ${v.kind}.`);
    if (v.linkage !== BTF_VAR_GLOBAL_ALLOCATED) throw new LoadError(`map '${mapName}': unsupported map linkage ${linkageName(v.linkage)}.`);
    const defT = btf.type(btf.skipModsAndTypedefs(v.type));
    if (defT.kind !== 'struct') throw new LoadError(`map '${mapName}': unexpected def kind ${kindStr(btf, v.type)}.`);
    if (defT.size > vi.size) throw new LoadError(`map '${mapName}': invalid def size.`);
    const d = parseBtfMapDef(mapName, btf, defT, false);
    const m: ObjectMap = { def: mapDefFrom(mapName, d), secIdx: sec.index, secOffset: vi.offset, btfVarIdx: varIdx };
    if (d.pinning === LIBBPF_PIN_BY_NAME) m.def.pinPath = `/sys/fs/bpf/${mapName}`;
    if (d.inner) m.inner = mapDefFrom(`${mapName}.inner`, d.inner);
    out.push(m);
  });
  return out;
}

const linkageName = (l: number): string => ['static', 'global', 'extern'][l] ?? 'unknown';

// ---------------------------------------------------------------------------------------
// Legacy `maps` section

/**
 * `struct bpf_map_def { type, key_size, value_size, max_entries, map_flags }` per symbol
 * of the `maps` section (libbpf < 1.0 and bcc's loaders). Each map's definition is
 * `section size / number of maps` bytes; extra fields beyond the five are ignored if zero.
 */
export function legacyMaps(file: ElfFile, sec: ElfSection): ObjectMap[] {
  const syms = file.symbols.filter((s) => s.shndx === sec.index && s.name && (s.type === 1 /* OBJECT */ || s.type === 0));
  if (!syms.length) throw new LoadError(`section ${sec.name}: no map symbols`);
  const defSize = Math.floor(sec.size / syms.length);
  if (defSize < 20 || defSize * syms.length !== sec.size) {
    throw new LoadError(`section ${sec.name}: ${sec.size} bytes do not divide into ${syms.length} struct bpf_map_def (at least 20 bytes each)`);
  }
  const dv = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
  return syms.map((s: ElfSymbol) => {
    const off = Number(s.value);
    if (off % defSize || off + defSize > sec.size) throw new LoadError(`map '${s.name}': definition at offset ${off} of section ${sec.name} is misplaced (${defSize}-byte definitions)`);
    for (let o = off + 20; o < off + defSize; o++) {
      if (sec.data[o] !== 0) throw new LoadError(`map '${s.name}': struct bpf_map_def has unknown non-zero fields after map_flags`);
    }
    const def: MapDef = {
      name: s.name,
      type: dv.getUint32(off, true),
      keySize: dv.getUint32(off + 4, true),
      valueSize: dv.getUint32(off + 8, true),
      maxEntries: dv.getUint32(off + 12, true),
      flags: dv.getUint32(off + 16, true),
      kind: 'user',
      section: sec.name,
    };
    return { def, secIdx: sec.index, secOffset: off };
  });
}

// ---------------------------------------------------------------------------------------
// Global data

export type DataKind = 'data' | 'rodata' | 'bss';

/** Which global-data map a section makes, if any (libbpf's section classification). */
export function dataSectionKind(sec: ElfSection): DataKind | undefined {
  const n = sec.name;
  const EXEC = 0x4n;
  if (sec.type === 1 /* PROGBITS */ && sec.size > 0 && !(sec.flags & EXEC)) {
    if (n === '.data' || n.startsWith('.data.')) return 'data';
    if (n === '.rodata' || n.startsWith('.rodata.')) return 'rodata';
  }
  if (sec.type === 8 /* NOBITS */ && (n === '.bss' || n.startsWith('.bss.'))) return 'bss';
  return undefined;
}

/** A single-entry ARRAY map holding a data section, as bpf_object__init_internal_map makes it. */
/** The kernel refuses ARRAY values larger than KMALLOC_MAX_SIZE (4 MiB on x86-64). */
export const MAX_VALUE_SIZE = 4 << 20;

export function globalDataMap(objectName: string, sec: ElfSection, kind: DataKind | 'kconfig', btf: Btf | undefined, size = sec.size): ObjectMap {
  const realName = kind === 'kconfig' ? '.kconfig' : sec.name;
  if (size > MAX_VALUE_SIZE) throw new LoadError(`section ${realName}: ${size} bytes is more than a map value can hold (${MAX_VALUE_SIZE}, the kernel's KMALLOC_MAX_SIZE)`);
  let flags = kind === 'rodata' || kind === 'kconfig' ? BPF_F_RDONLY_PROG : 0;
  // BTF value type: the first type named like the section (the DATASEC), if any.
  const valueTypeId = btf?.idsByName(realName)[0];
  if (btf && valueTypeId !== undefined) {
    const t = btf.types[valueTypeId];
    // mmap()able when any of its variables is exposed (not static), as libbpf decides.
    if (t.kind === 'datasec' && t.vars.some((v) => { const vt = btf.types[v.type]; return vt?.kind === 'var' && vt.linkage !== BTF_VAR_STATIC; })) flags |= BPF_F_MMAPABLE;
  }
  const def: MapDef = {
    name: internalMapName(objectName, realName),
    type: BPF_MAP_TYPE_ARRAY,
    keySize: 4,
    valueSize: size,
    maxEntries: 1,
    flags,
    kind,
    section: realName,
    initial: kind === 'bss' || kind === 'kconfig' ? new Uint8Array(size) : Uint8Array.from(sec.data),
  };
  if (valueTypeId !== undefined) def.btfValueTypeId = valueTypeId;
  return { def, secIdx: sec.index, secOffset: 0 };
}

// ---------------------------------------------------------------------------------------
// `.rel.maps`: static initialisation of PROG_ARRAY and map-in-map slots

export interface SlotInit {
  map: number;
  slot: number;
  program?: string;
  mapName?: string;
}

/**
 * Reads the `.maps` relocations: `.values = { [0] = &inner0 }` / `{ [1] = &prog }`.
 * `programNames` are the entry programs (not subprograms) and their section/offset.
 */
export function mapSlotInits(
  file: ElfFile, btf: Btf, mapsSec: ElfSection, maps: readonly ObjectMap[],
  isEntryProgram: (name: string, sym: ElfSymbol) => 'ok' | 'missing' | 'not-entry',
): SlotInit[] {
  const relocs = file.relocations.get(mapsSec.index) ?? [];
  const datasecId = btf.findByName(mapsSec.name, 'datasec');
  if (datasecId === undefined) throw new LoadError(`DATASEC '${mapsSec.name}' not found.`);
  const datasec = btf.types[datasecId] as BtfTypeOf<'datasec'>;
  const out: SlotInit[] = [];
  relocs.forEach((rel, i) => {
    const sym = file.symbols[rel.sym];
    const name = sym.name || '<?>';
    const mapIdx = maps.findIndex((m) => {
      if (m.secIdx !== mapsSec.index || m.btfVarIdx === undefined) return false;
      const vi = datasec.vars[m.btfVarIdx];
      return vi.offset <= rel.offset && rel.offset + 8 <= vi.offset + vi.size;
    });
    if (mapIdx < 0) throw new LoadError(`.maps relo #${i}: cannot find map '${name}' at rel->r_offset ${rel.offset}`);
    const map = maps[mapIdx];
    const mapInMap = isMapInMap(map.def.type);
    const progArray = map.def.type === BPF_MAP_TYPE_PROG_ARRAY;
    const init: SlotInit = { map: mapIdx, slot: 0 };
    if (mapInMap) {
      if (sym.shndx !== mapsSec.index) throw new LoadError(`.maps relo #${i}: '${name}' isn't a BTF-defined map`);
      if (map.def.type === BPF_MAP_TYPE_HASH_OF_MAPS && map.def.keySize !== 4) throw new LoadError(`.maps relo #${i}: hash-of-maps '${map.def.name}' should have key size 4.`);
      if (!maps.some((m) => m.def.name === name)) throw new LoadError(`.maps relo #${i}: '${name}' isn't a valid map reference`);
      init.mapName = name;
    } else if (progArray) {
      const r = isEntryProgram(name, sym);
      if (r === 'missing') throw new LoadError(`.maps relo #${i}: '${name}' isn't a valid program reference`);
      if (r === 'not-entry') throw new LoadError(`.maps relo #${i}: '${name}' isn't an entry-point program`);
      init.program = name;
    } else {
      throw new LoadError(`.maps relo #${i}: map '${map.def.name}' is neither a map-in-map nor a prog-array, so it cannot have initial values`);
    }
    const vi = datasec.vars[map.btfVarIdx!];
    const v = btf.types[vi.type] as BtfTypeOf<'var'>;
    const defT = btf.type(btf.skipModsAndTypedefs(v.type)) as BtfTypeOf<'struct'>;
    const last = defT.members[defT.members.length - 1];
    if (!last || last.name !== 'values') throw new LoadError(`.maps relo #${i}: map '${map.def.name}' has no 'values' member last`);
    const moff = last.bitOffset / 8;
    const rel0 = rel.offset - vi.offset;
    if (rel0 < moff || (rel0 - moff) % 8) throw new LoadError(`.maps relo #${i}: offset ${rel.offset} is not a slot of map '${map.def.name}'`);
    init.slot = (rel0 - moff) / 8;
    out.push(init);
  });
  return out;
}
