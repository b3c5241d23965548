/**
 * An ELF object, inspected for the playground's object views: its programs as the
 * loader hands them to the kernel (kernel-syntax listing with the C source lines from
 * BTF line info interleaved, as the verifier log prints them), its maps and initial
 * global data, its ELF sections, symbols and relocations (the fields `llvm-readelf -S -s
 * -r` shows) and its BTF (as `bpftool btf dump` prints it, raw and as C) with the
 * `.BTF.ext` function and line info.
 *
 * Pure and plain: the result is structured-cloneable data (it is computed in a worker
 * and rendered by React), and every part that can fail says why without hiding the rest
 * (an object the loader refuses still has sections and BTF to look at).
 */
import {
  btfSignature, formatCDecl, formatCDefinition, formatKernelListing, insnWidth, loadElfObject, mapRefOf, MAP_TYPES, parseBtf, parseBtfExt,
  parseElf, PROG_TYPES, ATTACH_TYPES, sourceAnnotations, type Btf, type ElfFile, type LoadedObject,
} from '../../core/index';
import { formatBtfRaw, btfKindName } from '../../core/btf/format-raw';
import { mapNameResolvers } from '../listing/map-names';

export type ListingRow =
  /** A function's BTF signature, before its first instruction. */
  | { kind: 'func'; text: string }
  /** A C source line (BTF line info), before the first instruction it covers. */
  | { kind: 'source'; text: string; file: string; line: number; col: number }
  | { kind: 'insn'; pc: number; text: string; map?: string; valueOff?: number };

export interface ProgramView {
  name: string;
  section: string;
  progType: string;
  attachType?: string;
  attachTo?: string;
  /** 8-byte slots. */
  slots: number;
  autoload: boolean;
  flags: number;
  rows: ListingRow[];
  funcs: { insnOff: number; name: string; signature: string }[];
  lineInfo: { insnOff: number; file: string; line: number; col: number; text: string }[];
  kfuncs: string[];
}

export interface MapView {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  kind: string;
  section?: string;
  /** Key and value types as C declarations, from BTF. */
  keyType?: string;
  valueType?: string;
  pinPath?: string;
  frozen: boolean;
  innerTemplate: boolean;
  /** Global data: the section's initial bytes (hex), capped for display. */
  initialHex?: string;
  initialSize?: number;
  vars: { name: string; offset: number; size: number; type?: string; hex: string; value?: string }[];
}

export interface SectionRow {
  index: number;
  name: string;
  type: string;
  offset: number;
  size: number;
  entsize: number;
  flags: string;
  link: number;
  info: number;
  align: number;
}

export interface SymbolRow {
  index: number;
  name: string;
  value: string;
  size: number;
  type: string;
  bind: string;
  visibility: string;
  section: string;
}

export interface RelocGroup {
  /** The relocation section, e.g. `.relxdp`. */
  section: string;
  /** The section it applies to. */
  target: string;
  relocs: { offset: number; type: string; symbol: string }[];
}

export interface BtfTypeView {
  id: number;
  kind: string;
  name: string;
  /** bpftool's raw lines. */
  raw: string[];
  /** The type as C (definition for structs, unions, enums, typedefs; declaration otherwise). */
  c: string;
}

export interface ObjectView {
  name: string;
  size: number;
  /** Why the ELF could not be read at all (then nothing else is there). */
  elfError: string | null;
  /** Why the loader refused the object (programs and maps are then empty). */
  loadError: string | null;
  warnings: string[];
  license: string;
  programs: ProgramView[];
  maps: MapView[];
  sections: SectionRow[];
  symbols: SymbolRow[];
  relocations: RelocGroup[];
  btf: { types: BtfTypeView[]; error: string | null } | null;
  btfExt: { funcInfo: number; lineInfo: number; coreRelos: number; error: string | null } | null;
}

/** At most this many bytes of a global-data section are shown. */
const MAX_INITIAL_BYTES = 4096;

const SHT_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'PROGBITS', 2: 'SYMTAB', 3: 'STRTAB', 4: 'RELA', 5: 'HASH', 6: 'DYNAMIC', 7: 'NOTE', 8: 'NOBITS', 9: 'REL',
  11: 'DYNSYM', 14: 'INIT_ARRAY', 15: 'FINI_ARRAY', 17: 'GROUP', 18: 'SYMTAB_SHNDX', 0x6fff4c03: 'LLVM_ADDRSIG',
};
/** readelf's flag letters in its order. */
const SHF_LETTERS: [bigint, string][] = [
  [0x1n, 'W'], [0x2n, 'A'], [0x4n, 'X'], [0x10n, 'M'], [0x20n, 'S'], [0x40n, 'I'], [0x80n, 'L'], [0x100n, 'O'],
  [0x200n, 'G'], [0x400n, 'T'], [0x800n, 'C'], [0x80000000n, 'E'], [0x200000n, 'R'],
];
const STT_NAMES = ['NOTYPE', 'OBJECT', 'FUNC', 'SECTION', 'FILE', 'COMMON', 'TLS'];
const STB_NAMES = ['LOCAL', 'GLOBAL', 'WEAK'];
const STV_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'];
const R_BPF_NAMES: Record<number, string> = {
  0: 'R_BPF_NONE', 1: 'R_BPF_64_64', 2: 'R_BPF_64_ABS64', 3: 'R_BPF_64_ABS32', 4: 'R_BPF_64_NODYLD32', 10: 'R_BPF_64_32',
};

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function sectionFlags(flags: bigint): string {
  let out = '';
  for (const [bit, letter] of SHF_LETTERS) if (flags & bit) out += letter;
  return out;
}

function shndxName(elf: ElfFile, shndx: number): string {
  if (shndx === 0) return 'UND';
  if (shndx === 0xfff1) return 'ABS';
  if (shndx === 0xfff2) return 'COM';
  return String(shndx);
}

export function inspectObject(bytes: Uint8Array, name: string): ObjectView {
  const view: ObjectView = {
    name, size: bytes.length, elfError: null, loadError: null, warnings: [], license: '',
    programs: [], maps: [], sections: [], symbols: [], relocations: [], btf: null, btfExt: null,
  };
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch (e) {
    view.elfError = (e as Error).message;
    return view;
  }
  view.sections = elf.sections.map((s) => ({
    index: s.index, name: s.name, type: SHT_NAMES[s.type] ?? `0x${s.type.toString(16)}`, offset: s.offset, size: s.size,
    entsize: s.entsize, flags: sectionFlags(s.flags), link: s.link, info: s.info, align: s.addralign,
  }));
  view.symbols = elf.symbols.map((s) => ({
    index: s.index,
    name: s.name,
    value: s.value.toString(16).padStart(16, '0'),
    size: Number(s.size),
    type: STT_NAMES[s.type] ?? String(s.type),
    bind: STB_NAMES[s.bind] ?? String(s.bind),
    visibility: STV_NAMES[s.visibility] ?? String(s.visibility),
    section: shndxName(elf, s.shndx),
  }));
  for (const sec of elf.sections) {
    if (sec.type !== 9 && sec.type !== 4) continue;
    const target = elf.sections[sec.info]?.name ?? `#${sec.info}`;
    // DWARF relocations are many and say nothing about the BPF program.
    if (target.startsWith('.debug_')) continue;
    const relocs = elf.relocations.get(sec.info) ?? [];
    view.relocations.push({
      section: sec.name,
      target,
      relocs: relocs.map((r) => ({ offset: r.offset, type: R_BPF_NAMES[r.type] ?? String(r.type), symbol: symbolLabel(elf, r.sym) })),
    });
  }

  // BTF as it is in the file (bpftool btf dump file prints it so; the loader fixes up a copy).
  let btf: Btf | undefined;
  const btfSec = elf.sectionByName('.BTF');
  if (btfSec) {
    try {
      btf = parseBtf(btfSec.data);
      const types: BtfTypeView[] = [];
      for (let id = 1; id < btf.count; id++) {
        const t = btf.types[id];
        types.push({ id, kind: btfKindName(t), name: t.name, raw: formatBtfRaw(btf, id), c: safe(() => formatCDefinition(btf!, id)) });
      }
      view.btf = { types, error: null };
    } catch (e) {
      view.btf = { types: [], error: (e as Error).message };
    }
    const extSec = elf.sectionByName('.BTF.ext');
    if (extSec && btf) {
      try {
        const ext = parseBtfExt(extSec.data, btf.strings);
        const count = (l: { records: unknown[] }[]) => l.reduce((n, s) => n + s.records.length, 0);
        view.btfExt = { funcInfo: count(ext.funcInfo), lineInfo: count(ext.lineInfo), coreRelos: count(ext.coreRelos), error: null };
      } catch (e) {
        view.btfExt = { funcInfo: 0, lineInfo: 0, coreRelos: 0, error: (e as Error).message };
      }
    }
  }

  let obj: LoadedObject;
  try {
    obj = loadElfObject(bytes, { objectName: name.replace(/\.[^.]*$/, '').replace(/\..*$/, '') });
  } catch (e) {
    view.loadError = (e as Error).message;
    return view;
  }
  view.warnings = obj.warnings ?? [];
  view.license = obj.license;
  // Signatures and C types from the loader's BTF (fixed up as the kernel gets it).
  let loadedBtf: Btf | undefined;
  try {
    loadedBtf = obj.btf ? parseBtf(obj.btf) : undefined;
  } catch {
    loadedBtf = undefined;
  }
  const names = obj.maps.map((m) => m.name);
  view.programs = obj.programs.map((p) => programView(p, names, loadedBtf));
  view.maps = obj.maps.map((m) => {
    const mv: MapView = {
      name: m.name,
      type: MAP_TYPES.name(m.type) ?? String(m.type),
      keySize: m.keySize,
      valueSize: m.valueSize,
      maxEntries: m.maxEntries,
      flags: m.flags,
      kind: m.kind,
      section: m.section,
      pinPath: m.pinPath,
      frozen: m.frozen === true,
      innerTemplate: m.innerTemplate === true,
      vars: [],
    };
    if (loadedBtf && m.btfKeyTypeId) mv.keyType = safe(() => formatCDecl(loadedBtf!, m.btfKeyTypeId!));
    if (loadedBtf && m.btfValueTypeId) mv.valueType = safe(() => formatCDecl(loadedBtf!, m.btfValueTypeId!));
    if (m.initial) {
      mv.initialSize = m.initial.length;
      mv.initialHex = hex(m.initial.subarray(0, MAX_INITIAL_BYTES));
      for (const v of m.vars ?? []) {
        const bytesOf = m.initial.subarray(v.offset, v.offset + v.size);
        const type = loadedBtf && v.btfTypeId !== undefined ? safe(() => declOf(loadedBtf!, v.btfTypeId!, v.name)) : undefined;
        mv.vars.push({ name: v.name, offset: v.offset, size: v.size, type, hex: hex(bytesOf.subarray(0, 64)), value: valueOf(bytesOf, loadedBtf, v.btfTypeId) });
      }
    }
    return mv;
  });
  return view;
}

function programView(p: LoadedObject['programs'][number], mapNames: string[], btf: Btf | undefined): ProgramView {
  const listing = formatKernelListing(p.insns, { resolvers: mapNameResolvers(mapNames) });
  const notes = new Map(sourceAnnotations(p.insns, p.lineInfo).map((a) => [a.insn, a]));
  const funcAt = new Map(p.funcInfo.map((f) => [f.insnOff, f]));
  const rows: ListingRow[] = [];
  let lastLine: { file: string; line: number } | undefined;
  let k = 0;
  for (let pc = 0; pc < p.insns.length; pc += insnWidth(p.insns, pc)) {
    const f = funcAt.get(pc);
    if (f) {
      const sig = f.btfTypeId !== undefined && btf ? safe(() => btfSignature(btf, f.btfTypeId!)) : '';
      rows.push({ kind: 'func', text: sig || `${f.name}()` });
    }
    const note = notes.get(pc);
    // A line is shown once per run of instructions (clang gives one record per column).
    if (note && !(lastLine && lastLine.file === note.line.file && lastLine.line === note.line.line)) {
      rows.push({ kind: 'source', text: note.text, file: basename(note.line.file), line: note.line.line, col: note.line.col });
    }
    if (note) lastLine = note.line;
    // Listing lines are `pc: text`; the row keeps the text after the index.
    const line = listing[k++];
    const row: ListingRow = { kind: 'insn', pc, text: line.slice(line.indexOf(':') + 2) };
    const ref = mapRefOf(p.insns, pc);
    if (ref && mapNames[ref.map] !== undefined) {
      row.map = mapNames[ref.map];
      if (ref.valueOff !== undefined) row.valueOff = ref.valueOff;
    }
    rows.push(row);
  }
  return {
    name: p.name,
    section: p.section,
    progType: PROG_TYPES.name(p.progType) ?? String(p.progType),
    attachType: p.expectedAttachType !== undefined ? ATTACH_TYPES.name(p.expectedAttachType) : undefined,
    attachTo: p.attachTo,
    slots: p.insns.length,
    autoload: p.autoload !== false,
    flags: p.flags,
    rows,
    funcs: p.funcInfo.map((f) => ({
      insnOff: f.insnOff,
      name: f.name,
      signature: f.btfTypeId !== undefined && btf ? safe(() => btfSignature(btf, f.btfTypeId!)) : '',
    })),
    lineInfo: p.lineInfo.map((l) => ({ insnOff: l.insnOff, file: basename(l.file), line: l.line, col: l.col, text: l.text.trim() })),
    kfuncs: (p.kfuncs ?? []).map((f) => f.name),
  };
}

function symbolLabel(elf: ElfFile, index: number): string {
  const s = elf.symbols[index];
  if (!s) return `#${index}`;
  if (s.name) return s.name;
  // Section symbols are named by their section, as readelf does.
  return s.type === 3 ? (elf.sections[s.shndx]?.name ?? '') : '';
}

function safe(f: () => string): string {
  try {
    return f();
  } catch (e) {
    return `/* ${(e as Error).message} */`;
  }
}

/** `const volatile __u32 min_len`: the variable's declaration. */
function declOf(btf: Btf, id: number, name: string): string {
  const t = btf.types[id];
  return t?.kind === 'var' ? formatCDecl(btf, t.type, t.name) : formatCDecl(btf, id, name);
}

/** A variable's initial value as a number, when its type is an integer of 1 to 8 bytes. */
function valueOf(bytes: Uint8Array, btf: Btf | undefined, typeId: number | undefined): string | undefined {
  if (!btf || typeId === undefined || bytes.length === 0 || bytes.length > 8) return undefined;
  try {
    let id = typeId;
    const v = btf.types[id];
    if (v?.kind === 'var') id = v.type;
    const t = btf.types[btf.skipModsAndTypedefs(id)];
    if (t?.kind !== 'int' && t?.kind !== 'enum') return undefined;
    if (t.size !== bytes.length) return undefined;
    let n = 0n;
    for (let k = bytes.length - 1; k >= 0; k--) n = (n << 8n) | BigInt(bytes[k]);
    const signed = t.kind === 'int' ? (t.encoding & 1) !== 0 : t.signed;
    if (signed) n = BigInt.asIntN(bytes.length * 8, n);
    if (t.kind === 'int' && t.encoding & 4) return n ? 'true' : 'false';
    return n.toString();
  } catch {
    return undefined;
  }
}

/**
 * Whether loading the object needs the kernel's data: extern symbols (kfuncs, typed
 * ksyms, __kconfig values) or CO-RE relocations. Cheap: no loading.
 */
export function needsKernelData(bytes: Uint8Array): boolean {
  let elf: ElfFile;
  try {
    elf = parseElf(bytes);
  } catch {
    return false;
  }
  if (elf.symbols.some((s) => s.shndx === 0 && s.name !== '' && s.bind !== 0)) return true;
  const btfSec = elf.sectionByName('.BTF');
  const extSec = elf.sectionByName('.BTF.ext');
  if (!btfSec || !extSec) return false;
  try {
    return parseBtfExt(extSec.data, parseBtf(btfSec.data).strings).coreRelos.some((s) => s.records.length > 0);
  } catch {
    return false;
  }
}
