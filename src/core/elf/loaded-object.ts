/**
 * `LoadedObject`: what the kernel would receive from libbpf for an object, and the one
 * input every later stage (verifier, xlated, jit, VM, UI) consumes.
 *
 * Map references: as libbpf sends them, but with the map's index in `LoadedObject.maps`
 * where libbpf would put a file descriptor. So an `lddw` that loads map 2 has
 * `src = BPF_PSEUDO_MAP_FD (1), imm = 2`, and one that points into global data has
 * `src = BPF_PSEUDO_MAP_VALUE (2), imm = map index, second slot's imm = offset`.
 */
import { BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE } from '../isa/opcodes';
import { isLdImm64, type Insn } from '../isa/insn';
import { MAP_TYPES, PROG_TYPES } from '../isa/kernel-types';

export interface MapDef {
  name: string;
  /** Kernel map type value (`BPF_MAP_TYPE_*`). */
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  /** What made the map: a user map, or a global-data section (`.data`, `.rodata.str1.1`, `.bss`, ...). */
  kind: 'user' | 'data' | 'rodata' | 'bss' | 'kconfig';
  /** Initial contents (global data: the section bytes; `.bss`: zeros). */
  initial?: Uint8Array;
  /** Index of the inner map template (ARRAY_OF_MAPS / HASH_OF_MAPS). */
  innerMap?: number;
  /** Static slot initialisation of PROG_ARRAY / map-in-map: slot -> program name or map index. */
  initSlots?: ReadonlyArray<{ slot: number; program?: string; map?: number }>;
  pinning?: number;
  numaNode?: number;
  mapExtra?: bigint;
  /** BTF type ids of key and value, when the object has BTF. */
  btfKeyTypeId?: number;
  btfValueTypeId?: number;
  /** ELF section the map comes from (`.maps`, `maps`, `.data`, `.rodata.str1.1`, `.kconfig`). */
  section?: string;
  /** `pinning = LIBBPF_PIN_BY_NAME`: where libbpf would pin it. */
  pinPath?: string;
  /**
   * An inner-map template (`__array(values, struct inner)`): not a map of the object, only
   * the description of the outer map's inner maps (libbpf creates it transiently). Such
   * templates come after all of the object's own maps, so map indices match libbpf's order.
   */
  innerTemplate?: boolean;
  /**
   * Global-data maps: the variables in the value (from the ELF symbols; BTF type from the
   * section's DATASEC when it names them). See elf/globals.ts for setting them before load.
   */
  vars?: ReadonlyArray<{ name: string; offset: number; size: number; btfTypeId?: number }>;
  /** libbpf freezes `.rodata` and `.kconfig` after filling them: user space cannot write them. */
  frozen?: boolean;
}

export interface LineInfo {
  /** Slot index within the program. */
  insnOff: number;
  file: string;
  line: number;
  col: number;
  /** The source line's text (clang embeds it in .BTF.ext). */
  text: string;
}

export interface FuncInfo {
  insnOff: number;
  name: string;
  btfTypeId?: number;
  /** BTF linkage as the kernel sees it: 'static' or 'global' (libbpf turns hidden globals static). */
  linkage?: 'static' | 'global';
}

/** What a CO-RE relocation did (for listings and the UI). */
export interface CoreReloInfo {
  /** Slot index within the program. */
  insn: number;
  /** `field_byte_offset`, `type_exists`, ... (`enum bpf_core_relo_kind`). */
  kind: string;
  /** libbpf's text of the local access, e.g. `<byte_off> [12] struct task_struct.pid (0:60 @ offset 2512)`. */
  spec: string;
  /** The same in the kernel's BTF, when it matched. */
  target?: string;
  /** 'patched', or 'poisoned': replaced by `call 0xbad2310` because nothing matched. */
  result: 'patched' | 'poisoned';
  /** The value written into the instruction. */
  value?: bigint;
}

export interface LoadedProgram {
  /** Function name: the program's name. */
  name: string;
  /** ELF section (`xdp`, `kprobe/do_unlinkat`, ...); '' for raw input. */
  section: string;
  /** `BPF_PROG_TYPE_*` value. */
  progType: number;
  /** `expected_attach_type` value, if the section implies one. */
  expectedAttachType?: number;
  /** The attach target named by the section (`do_unlinkat` in `kprobe/do_unlinkat`). */
  attachTo?: string;
  /** Final instructions: relocated, subprograms appended, map references as above. */
  insns: Insn[];
  lineInfo: LineInfo[];
  funcInfo: FuncInfo[];
  /** Load flags (`BPF_F_*`), e.g. sleepable. */
  flags: number;
  /** False for `SEC("?...")` programs, which libbpf does not load unless asked to. */
  autoload?: boolean;
  /** kfuncs the program calls (`call` with src = BPF_PSEUDO_KFUNC_CALL): name and kernel BTF id (0 if unresolved weak). */
  kfuncs?: ReadonlyArray<{ name: string; btfId: number }>;
  /** `attach_btf_id`: the kernel BTF id of the attach target (fentry/fexit/fmod_ret, tp_btf, lsm, iter). */
  attachBtfId?: number;
  /** CO-RE relocations applied to this program's instructions. */
  coreRelos?: CoreReloInfo[];
}

export interface LoadedObject {
  programs: LoadedProgram[];
  maps: MapDef[];
  license: string;
  kernVersion: number;
  /** Raw `.BTF` bytes, when present (parsed by the BTF module). */
  btf?: Uint8Array;
  /** libbpf's object name (file name up to the first '.'), used in global-data map names. */
  objectName?: string;
  /** Things libbpf would warn about but load anyway (unknown sections, ...). */
  warnings?: string[];
}

/** Where an `lddw` points: a map, a map value, or neither. */
export function mapRefOf(insns: readonly Insn[], pc: number): { map: number; valueOff?: number } | undefined {
  const i = insns[pc];
  if (!isLdImm64(i)) return undefined;
  if (i.src === BPF_PSEUDO_MAP_FD) return { map: i.imm };
  if (i.src === BPF_PSEUDO_MAP_VALUE) return { map: i.imm, valueOff: insns[pc + 1]?.imm ?? 0 };
  return undefined;
}

/** The corpus / CLI JSON description of a map. */
export interface JsonMapSpec {
  name?: string;
  type: string | number;
  key_size: number;
  value_size: number;
  max_entries: number;
  map_flags?: number;
  flags?: number;
  inner_map?: number;
}

/** Map definition from the JSON form; throws on unknown types or bad sizes. */
export function mapFromJson(m: JsonMapSpec, index: number): MapDef {
  const type = MAP_TYPES.value(String(m.type));
  if (type === undefined) throw new Error(`map ${index}: unknown map type ${JSON.stringify(m.type)}`);
  for (const f of ['key_size', 'value_size', 'max_entries'] as const) {
    if (!Number.isInteger(m[f]) || m[f] < 0) throw new Error(`map ${index}: ${f} must be a non-negative integer, is ${JSON.stringify(m[f])}`);
  }
  return {
    name: m.name ?? `map${index}`,
    type,
    keySize: m.key_size,
    valueSize: m.value_size,
    maxEntries: m.max_entries,
    flags: m.map_flags ?? m.flags ?? 0,
    kind: 'user',
    innerMap: m.inner_map,
  };
}

/**
 * A one-program object from raw instructions (assembly, JSON): `mapFds` lists the
 * `lddw` slots that load a map, as the corpus `fixups.map_fds` does.
 */
export function objectFromInsns(p: {
  insns: Insn[];
  progType?: string | number;
  name?: string;
  maps?: MapDef[];
  mapFds?: ReadonlyArray<readonly [number, number]>;
  expectedAttachType?: number;
  license?: string;
}): LoadedObject {
  const progType = PROG_TYPES.value(p.progType ?? 'socket_filter');
  if (progType === undefined) throw new Error(`unknown program type ${JSON.stringify(p.progType)} (known: ${PROG_TYPES.names().join(', ')})`);
  const maps = p.maps ?? [];
  const insns = p.insns.map((i) => ({ ...i }));
  for (const [slot, map] of p.mapFds ?? []) {
    const i = insns[slot];
    if (!i || !isLdImm64(i)) throw new Error(`map fixup at instruction ${slot}: not an lddw`);
    if (!maps[map]) throw new Error(`map fixup at instruction ${slot}: map ${map} does not exist (${maps.length} maps)`);
    if (i.src !== BPF_PSEUDO_MAP_VALUE) i.src = BPF_PSEUDO_MAP_FD;
    i.imm = map;
  }
  return {
    programs: [{ name: p.name ?? 'prog', section: '', progType, expectedAttachType: p.expectedAttachType, insns, lineInfo: [], funcInfo: [], flags: 0 }],
    maps,
    license: p.license ?? 'GPL',
    kernVersion: 0,
  };
}
