/**
 * ELF object -> LoadedObject, the way libbpf 1.1 prepares an object for the kernel
 * (`bpf_object__open` + the relocation half of `bpf_object__load`):
 *
 *   sections -> programs (one per function of an executable section; `.text` functions
 *   are subprograms), license, version, BTF and BTF.ext -> externs -> maps (see maps.ts)
 *   -> relocations (link.ts) -> per entry program: subprograms appended, calls fixed up,
 *   map/global-data/extern references filled in, func and line info laid out alike.
 *
 * Errors: `ElfError` (not a usable ELF file), `BtfError` (bad .BTF / .BTF.ext),
 * `LoadError` (what libbpf refuses), each one line naming the section, map or program.
 */
import { Btf, BtfError, BTF_VAR_GLOBAL_ALLOCATED, BTF_VAR_GLOBAL_EXTERN, BTF_VAR_STATIC, parseBtf } from '../btf/btf';
import { CORE_RELO_KINDS, lineInfoText, parseBtfExt, type BtfExt, type BtfExtSection } from '../btf/btf-ext';
import { CORE_POISON_IMM, patchCoreInsn, resolveCoreRelo, type CandidateCache } from '../btf/core-relo';
import { BPF_PSEUDO_FUNC } from '../isa/opcodes';
import { programFromBytes } from '../isa/insn';
import { PROG_TYPES } from '../isa/kernel-types';
import {
  ElfError, ET_REL, parseElf, SHT_LLVM_ADDRSIG, SHT_NOBITS, SHT_PROGBITS, SHT_REL, SHT_STRTAB, SHT_SYMTAB,
  type ElfFile, type ElfSection, type ElfSymbol,
} from './elf64';
import { collectExterns, kconfigSize, resolveKconfig, resolveKsyms, type ExternDesc, type KconfigOptions } from './externs';
import { collectProgramRelos, INSN_SIZE, linkProgram, relocateData, type ElfProgram, type LinkedProgram } from './link';
import { LoadError } from './load-error';
import type { CoreReloInfo, FuncInfo, LineInfo, LoadedObject, LoadedProgram, MapDef } from './loaded-object';
import { btfDefinedMaps, dataSectionKind, globalDataMap, legacyMaps, mapSlotInits, type DataKind, type ObjectMap } from './maps';
import { sectionMeaning } from './sections';
import { defaultKconfig, defaultKernelBtf } from '../kernel-data';

export { LoadError } from './load-error';

export interface LoadElfOptions {
  /** Overrides the program type the section implies. */
  progType?: string;
  /** libbpf's object name (file name up to the first '.'): the prefix of `.data`/`.bss`/... map names. */
  objectName?: string;
  /**
   * Kernel BTF for CO-RE, typed ksyms and kfuncs; a function is called only when needed.
   * Default: the registered kernel data (core/kernel-data.ts).
   */
  targetBtf?: Btf | (() => Btf | undefined);
  /** Values for `__kconfig` externs. Default: the registered kernel data, else 6.18 without CONFIG_*. */
  kconfig?: Partial<KconfigOptions>;
  /**
   * Possible CPUs: libbpf sizes a PERF_EVENT_ARRAY without max_entries to this. Defaults
   * to 2, the reference machine's count.
   */
  possibleCpus?: number;
}

const BPF_MAP_TYPE_PERF_EVENT_ARRAY = 4;
/** Map types libbpf creates without BTF key/value types (bpf_object__create_map). */
const MAP_TYPES_WITHOUT_BTF = new Set([4, 8, 7, 12, 13, 14, 25, 16, 17, 15, 18, 22, 23]);

const BPF_F_SLEEPABLE = 1 << 4;
const BPF_F_XDP_HAS_FRAGS = 1 << 5;
const STT_FUNC = 2;
const STB_LOCAL = 0;
const STV_INTERNAL = 1;
const STV_HIDDEN = 2;

/** Sections libbpf does not look at. */
function ignoredSection(s: ElfSection): boolean {
  if (s.type === SHT_STRTAB || s.type === SHT_LLVM_ADDRSIG) return true;
  if (s.type === SHT_PROGBITS && s.size === 0 && s.name === '.text') return true;
  if (s.name.startsWith('.debug_')) return true;
  if (s.name.startsWith('.rel')) {
    const target = s.name.slice(4);
    if (target.startsWith('.debug_') || target === '.BTF' || target === '.BTF.ext') return true;
  }
  return false;
}

interface Collected {
  license: string;
  kernVersion: number;
  textShndx: number;
  mapsSec?: ElfSection;
  legacyMapsSec?: ElfSection;
  btfSec?: ElfSection;
  btfExtSec?: ElfSection;
  dataSecs: { sec: ElfSection; kind: DataKind }[];
  programs: ElfProgram[];
  warnings: string[];
}

function collectSections(file: ElfFile): Collected {
  const symtabs = file.sections.filter((s) => s.type === SHT_SYMTAB);
  if (symtabs.length === 0) throw new ElfError("couldn't find symbol table, stripped object file?");
  if (symtabs.length > 1) throw new ElfError('multiple symbol tables');
  const c: Collected = { license: '', kernVersion: 0, textShndx: -1, dataSecs: [], programs: [], warnings: [] };
  for (const s of file.sections.slice(1)) {
    if (ignoredSection(s)) continue;
    if (s.name === 'license') {
      // libbpf copies at most 127 bytes, up to the first NUL.
      const nul = s.data.indexOf(0);
      c.license = new TextDecoder().decode(s.data.subarray(0, Math.min(nul < 0 ? s.data.length : nul, 127)));
    } else if (s.name === 'version') {
      if (s.size !== 4) throw new LoadError(`section version: invalid kver section (${s.size} bytes, want 4)`);
      c.kernVersion = new DataView(s.data.buffer, s.data.byteOffset, 4).getUint32(0, true);
    } else if (s.name === 'maps') {
      c.legacyMapsSec = s;
    } else if (s.name === '.maps') {
      c.mapsSec = s;
    } else if (s.name === '.BTF') {
      if (s.type !== SHT_PROGBITS) throw new ElfError(`section type ${s.type} is not PROGBITS`, s.name);
      c.btfSec = s;
    } else if (s.name === '.BTF.ext') {
      if (s.type !== SHT_PROGBITS) throw new ElfError(`section type ${s.type} is not PROGBITS`, s.name);
      c.btfExtSec = s;
    } else if (s.type === SHT_SYMTAB) {
      // read by parseElf
    } else if (s.type === SHT_PROGBITS && s.size > 0) {
      if (s.flags & 0x4n) {
        if (s.name === '.text') c.textShndx = s.index;
        addPrograms(file, s, c);
      } else {
        const kind = dataSectionKind(s);
        if (kind) c.dataSecs.push({ sec: s, kind });
        else if (s.name === '.struct_ops' || s.name === '.struct_ops.link') c.warnings.push(`section ${s.name}: struct_ops maps are not supported by bpfplay; ignored`);
        else c.warnings.push(`skipping unrecognized data section(${s.index}) ${s.name}`);
      }
    } else if (s.type === SHT_REL) {
      if (s.entsize !== 16) throw new ElfError(`relocation entry size ${s.entsize} is not 16`, s.name);
      const target = file.sections[s.info];
      if (!(target.flags & 0x4n) && target.name !== '.maps' && target.name !== '.struct_ops') {
        if (dataSectionKind(target) && file.relocations.get(target.index)?.length) {
          c.warnings.push(`section ${s.name}: relocations in ${target.name} are not applied (as libbpf does not): pointers there hold their section offsets`);
        }
      }
    } else if (s.type === SHT_NOBITS && dataSectionKind(s)) {
      if (s.size > 0) c.dataSecs.push({ sec: s, kind: 'bss' });
    }
  }
  // libbpf sorts programs by section index, then offset.
  c.programs.sort((a, b) => a.secIdx - b.secIdx || a.secInsnOff - b.secInsnOff);
  const nonText = c.programs.filter((p) => p.secIdx !== c.textShndx).length;
  for (const p of c.programs) p.isSubprog = p.secIdx === c.textShndx && c.programs.length > 1;
  if (c.programs.length === 0) throw new LoadError('the object has no programs (no functions in executable sections)');
  if (nonText === 0 && c.programs.length > 1) c.warnings.push('all functions are in .text: they are subprograms, and there is no entry program');
  return c;
}

function addPrograms(file: ElfFile, sec: ElfSection, c: Collected): void {
  for (const sym of file.symbols) {
    if (sym.shndx !== sec.index || sym.type !== STT_FUNC) continue;
    const off = Number(sym.value);
    const size = Number(sym.size);
    if (off + size > sec.size) throw new LoadError(`sec '${sec.name}': program at offset ${off} crosses section boundary`);
    if (sec.index !== c.textShndx && sym.bind === STB_LOCAL) throw new LoadError(`sec '${sec.name}': program '${sym.name}' is static and not supported`);
    if (size === 0 || size % INSN_SIZE || off % INSN_SIZE) throw new LoadError(`sec '${sec.name}': corrupted program '${sym.name}', offset ${off}, size ${size}`);
    const autoload = !sec.name.startsWith('?');
    c.programs.push({
      name: sym.name,
      secIdx: sec.index,
      secName: autoload ? sec.name : sec.name.slice(1),
      secInsnOff: off / INSN_SIZE,
      secInsnCnt: size / INSN_SIZE,
      insns: programFromBytes(sec.data.subarray(off, off + size)),
      relos: [],
      isSubprog: false,
      autoload,
      markBtfStatic: sym.bind !== STB_LOCAL && (sym.visibility === STV_HIDDEN || sym.visibility === STV_INTERNAL),
      global: sym.bind !== STB_LOCAL,
    });
  }
}

/** Loads an ELF object as libbpf would hand it to the kernel. */
export function loadElfObject(bytes: Uint8Array, opts: LoadElfOptions = {}): LoadedObject {
  const file = parseElf(bytes);
  if (file.type !== ET_REL) throw new ElfError(`ELF type ${file.type} is not a relocatable object (ET_REL = 1); BPF objects come from clang -c`);
  const c = collectSections(file);
  const objectName = opts.objectName ?? '';

  // A copy of .BTF that gets libbpf's fixups (DATASEC sizes, variable offsets) in place.
  const btfBytes = c.btfSec ? Uint8Array.from(c.btfSec.data) : undefined;
  const btf = btfBytes ? parseBtf(btfBytes) : undefined;
  let ext: BtfExt | undefined;
  if (c.btfExtSec && btf) ext = parseBtfExt(c.btfExtSec.data, btf.strings);
  else if (c.btfExtSec) c.warnings.push('.BTF.ext ignored: the object has no .BTF');

  let targetCache: { btf?: Btf } | undefined;
  const target = (): Btf | undefined => {
    if (!targetCache) {
      const t = opts.targetBtf === undefined ? defaultKernelBtf() : typeof opts.targetBtf === 'function' ? opts.targetBtf() : opts.targetBtf;
      targetCache = { btf: t };
    }
    return targetCache.btf;
  };

  // Externs, then maps in libbpf's order.
  const externs = collectExterns(file, btf);
  if (btf && btfBytes) fixupDatasecs(btf, btfBytes, file, externs);
  const objMaps: ObjectMap[] = [];
  if (c.legacyMapsSec) {
    c.warnings.push(`section ${c.legacyMapsSec.name}: legacy map definitions (struct bpf_map_def), which libbpf 1.0+ refuses; loaded as libbpf 0.x did`);
    objMaps.push(...legacyMaps(file, c.legacyMapsSec));
  }
  if (c.mapsSec) objMaps.push(...btfDefinedMaps(btf, c.mapsSec));
  for (const { sec, kind } of c.dataSecs) objMaps.push(globalDataMap(objectName, sec, kind, btf));
  let kconfigMap: number | undefined;
  if (externs.some((e) => e.kcfg)) {
    const symtab = file.sections.find((s) => s.type === SHT_SYMTAB)!;
    kconfigMap = objMaps.length;
    const m = globalDataMap(objectName, symtab, 'kconfig', btf, kconfigSize(externs));
    const base = defaultKconfig();
    resolveKconfig(externs, m.def.initial!, { ...base, ...opts.kconfig, config: { ...base.config, ...opts.kconfig?.config } });
    objMaps.push(m);
  }
  if (externs.some((e) => e.type === 'ksym' && (e.isFunc || e.ksymTypeId))) resolveKsyms(externs, target(), btf);
  else resolveKsyms(externs, undefined);
  const maps: MapDef[] = objMaps.map((m) => m.def);
  for (const m of objMaps) {
    if (m.def.kind === 'rodata' || m.def.kind === 'kconfig') m.def.frozen = true;
    if (m.def.kind === 'data' || m.def.kind === 'rodata' || m.def.kind === 'bss') {
      const vars = dataVariables(file, m.secIdx, btf, m.def.btfValueTypeId);
      if (vars.length) m.def.vars = vars;
    }
  }
  for (const m of maps) {
    if (m.type === BPF_MAP_TYPE_PERF_EVENT_ARRAY && !m.maxEntries) m.maxEntries = opts.possibleCpus ?? 2;
    if (MAP_TYPES_WITHOUT_BTF.has(m.type)) {
      delete m.btfKeyTypeId;
      delete m.btfValueTypeId;
    }
  }
  for (const m of objMaps) {
    if (!m.inner) continue;
    m.def.innerMap = maps.length;
    maps.push({ ...m.inner, innerTemplate: true });
  }

  // Program types.
  const entry = c.programs.filter((p) => !p.isSubprog);
  if (c.mapsSec && btf && file.relocations.get(c.mapsSec.index)?.length) {
    const inits = mapSlotInits(file, btf, c.mapsSec, objMaps, (name, sym: ElfSymbol) => {
      const p = entry.find((q) => q.name === name);
      if (!p) return 'missing';
      return p.secIdx === sym.shndx && p.secInsnOff * INSN_SIZE === Number(sym.value) ? 'ok' : 'not-entry';
    });
    for (const init of inits) {
      const def = maps[init.map];
      const slots = [...(def.initSlots ?? [])];
      slots.push(init.program !== undefined ? { slot: init.slot, program: init.program } : { slot: init.slot, map: maps.findIndex((m) => m.name === init.mapName && !m.innerTemplate) });
      def.initSlots = slots;
    }
  }

  // Relocations.
  const dataMapBySec = new Map<number, number>();
  objMaps.forEach((m, k) => { if (m.def.kind === 'data' || m.def.kind === 'rodata' || m.def.kind === 'bss') dataMapBySec.set(m.secIdx, k); });
  const mapSecs = new Set([c.mapsSec?.index, c.legacyMapsSec?.index].filter((x): x is number => x !== undefined));
  collectProgramRelos(file, c.programs, {
    textShndx: c.textShndx,
    isMapSection: (shndx) => mapSecs.has(shndx),
    mapAt: (shndx, off) => {
      const k = objMaps.findIndex((m) => m.def.kind === 'user' && m.secIdx === shndx && m.secOffset === off);
      return k < 0 ? undefined : k;
    },
    dataMapOf: (shndx) => dataMapBySec.get(shndx),
    externOf: (symIdx) => {
      const k = externs.findIndex((e) => e.symIdx === symIdx);
      return k < 0 ? undefined : k;
    },
    sectionName: (shndx) => file.sections[shndx]?.name ?? `#${shndx}`,
  });

  // CO-RE: each function's own instructions, before linking (bpf_object__relocate_core).
  const coreOutcomes = ext && btf ? applyCoreRelos(file, btf, ext, c.programs, target, c.warnings) : new Map<ElfProgram, CoreReloInfo[]>();

  // Subprogram addresses (callbacks) are marked before linking, so linking sees them.
  for (const p of c.programs) for (const r of p.relos) if (r.type === 'subprog_addr') p.insns[r.insnIdx].src = BPF_PSEUDO_FUNC;

  const programs: LoadedProgram[] = [];
  for (const p of entry) {
    const linked = linkProgram(p, c.programs, c.textShndx);
    relocateData(p.name, linked, {
      kconfigExtern: (k) => (externs[k].kcfg && kconfigMap !== undefined ? { map: kconfigMap, off: externs[k].kcfg!.dataOff } : undefined),
      ksymVar: (k) => (externs[k].resolved?.btfId !== undefined ? { btfId: externs[k].resolved!.btfId! } : undefined),
      kfunc: (k) => (externs[k].resolved?.btfId !== undefined ? { btfId: externs[k].resolved!.btfId! } : undefined),
    });
    const prog = finishProgram(p, linked, file, btf, ext, externs, opts, c.warnings);
    if (p.autoload) resolveAttachBtf(prog, target, c.warnings);
    const core = linked.parts.flatMap((part) => (coreOutcomes.get(part.prog) ?? []).map((r) => ({ ...r, insn: r.insn + part.off })));
    if (core.length) prog.coreRelos = core;
    programs.push(prog);
  }

  const out: LoadedObject = {
    programs,
    maps,
    license: c.license,
    kernVersion: c.kernVersion,
    objectName,
  };
  if (btfBytes) out.btf = btfBytes;
  if (c.warnings.length) out.warnings = c.warnings;
  return out;
}

/**
 * Applies the .BTF.ext CO-RE relocations to the functions they belong to, against the
 * target kernel BTF; returns what each did, by function (slot indices within the function).
 */
function applyCoreRelos(
  file: ElfFile, btf: Btf, ext: BtfExt, progs: readonly ElfProgram[], target: () => Btf | undefined, warnings: string[],
): Map<ElfProgram, CoreReloInfo[]> {
  const out = new Map<ElfProgram, CoreReloInfo[]>();
  const total = ext.coreRelos.reduce((n, s) => n + s.records.length, 0);
  if (!total) return out;
  const targ = target();
  if (!targ) throw new LoadError(`the object has ${total} CO-RE relocations, which need the kernel's BTF (none was given)`);
  const cache: CandidateCache = new Map();
  for (const sec of ext.coreRelos) {
    const elfSec = file.sectionByName(sec.section);
    if (!elfSec) continue;
    sec.records.forEach((rec, i) => {
      if (rec.insnOff % INSN_SIZE) throw new LoadError(`.BTF.ext: CO-RE relocation #${i} of ${sec.section} is at byte ${rec.insnOff}, not at an instruction`);
      const secInsn = rec.insnOff / INSN_SIZE;
      const prog = progs.find((p) => p.secIdx === elfSec.index && secInsn >= p.secInsnOff && secInsn < p.secInsnOff + p.secInsnCnt);
      if (!prog || !prog.autoload) return; // eliminated weak function, or not loaded
      const idx = secInsn - prog.secInsnOff;
      const where = `prog '${prog.name}': relo #${i}`;
      const r = resolveCoreRelo(btf, rec, targ, cache, where);
      const result = patchCoreInsn(prog.insns, idx, r.res, where);
      const info: CoreReloInfo = { insn: idx, kind: CORE_RELO_KINDS[rec.kind] ?? String(rec.kind), spec: r.spec, result };
      if (r.target) info.target = r.target;
      if (result === 'patched') info.value = r.res.newVal;
      else warnings.push(`${where}: ${r.spec} has no match in the kernel BTF: insn #${idx} of ${prog.name} poisoned (call 0x${CORE_POISON_IMM.toString(16)}); the verifier rejects it unless it is unreachable`);
      out.set(prog, [...(out.get(prog) ?? []), info]);
    });
  }
  return out;
}

/** Variables of a data section: its named object symbols, with the BTF VAR's type where the DATASEC has it. */
function dataVariables(file: ElfFile, secIdx: number, btf: Btf | undefined, datasecId: number | undefined): { name: string; offset: number; size: number; btfTypeId?: number }[] {
  const ds = datasecId !== undefined ? btf?.types[datasecId] : undefined;
  const btfVar = new Map<string, number>();
  if (btf && ds?.kind === 'datasec') {
    for (const vi of ds.vars) {
      const v = btf.types[vi.type];
      if (v?.kind === 'var') btfVar.set(v.name, v.type);
    }
  }
  return file.symbols
    .filter((s) => s.shndx === secIdx && s.type === 1 /* OBJECT */ && s.name)
    .map((s) => {
      const v: { name: string; offset: number; size: number; btfTypeId?: number } = { name: s.name, offset: Number(s.value), size: Number(s.size) };
      const t = btfVar.get(s.name);
      if (t !== undefined) v.btfTypeId = t;
      return v;
    })
    .sort((a, b) => a.offset - b.offset);
}

/**
 * clang leaves DATASEC sizes and variable offsets zero; libbpf fills them in from the ELF
 * section and symbols (btf_fixup_datasec), marks hidden globals static, lays out the
 * extern sections, and sorts each DATASEC's variables by offset. Done on the parsed types
 * and on the raw bytes alike.
 */
function fixupDatasecs(btf: Btf, bytes: Uint8Array, file: ElfFile, externs: readonly ExternDesc[]): void {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  btf.types.forEach((t, id) => {
    if (t.kind !== 'datasec') return;
    const at = btf.typeOffsets[id];
    const isExternSec = t.name === '.kconfig' || t.name === '.ksyms';
    let fixOffsets = false;
    if (isExternSec) {
      // Externs get their data offsets from the layout (kconfig) or 4-byte slots (ksyms).
      let size = 0;
      t.vars.forEach((vi, k) => {
        const v = btf.types[vi.type];
        const e = externs.find((x) => x.btfId === vi.type);
        if (t.name === '.kconfig' && e?.kcfg) {
          vi.offset = e.kcfg.dataOff;
          size = Math.max(size, e.kcfg.dataOff + e.kcfg.size);
        } else if (t.name === '.ksyms') {
          vi.offset = 4 * k;
          vi.size = 4;
          size = 4 * (k + 1);
        }
        if (v?.kind === 'var') {
          v.linkage = BTF_VAR_GLOBAL_ALLOCATED;
          dv.setUint32(btf.typeOffsets[vi.type] + 12, v.linkage, true);
        }
      });
      t.size = size;
      dv.setUint32(at + 8, size, true);
    } else {
      if (t.size === 0) {
        const sec = file.sectionByName(t.name);
        if (!sec || !sec.size) throw new LoadError(`sec '${t.name}': failed to determine size from ELF (DATASEC [${id}] has size 0 and no such section)`);
        t.size = sec.size;
        dv.setUint32(at + 8, t.size, true);
        fixOffsets = true;
      }
      for (const vi of t.vars) {
        const v = btf.types[vi.type];
        if (!v || v.kind !== 'var') throw new LoadError(`sec '${t.name}': unexpected non-VAR type found`);
        if (v.linkage === BTF_VAR_STATIC || v.linkage === BTF_VAR_GLOBAL_EXTERN) continue;
        const sym = file.symbols.find((s) => s.type === 1 && (s.bind === 1 || s.bind === 2) && s.name === v.name);
        if (!sym) throw new LoadError(`sec '${t.name}': failed to find ELF symbol for VAR '${v.name}'`);
        if (fixOffsets) vi.offset = Number(sym.value);
        if (sym.visibility === STV_HIDDEN || sym.visibility === STV_INTERNAL) {
          v.linkage = BTF_VAR_STATIC;
          dv.setUint32(btf.typeOffsets[vi.type] + 12, v.linkage, true);
        }
      }
    }
    t.vars.sort((a, b) => a.offset - b.offset);
    t.vars.forEach((vi, k) => {
      const o = at + 12 + 12 * k;
      dv.setUint32(o, vi.type, true);
      dv.setUint32(o + 4, vi.offset, true);
      dv.setUint32(o + 8, vi.size, true);
    });
  });
}

/**
 * attach_btf_id of tracing, LSM and iterator programs, as libbpf_prepare_prog_load finds
 * it in the kernel BTF: `fentry/do_unlinkat` -> FUNC do_unlinkat, `tp_btf/x` -> TYPEDEF
 * btf_trace_x, `lsm/x` -> FUNC bpf_lsm_x, `iter/x` -> FUNC bpf_iter_x. libbpf fails the
 * load when it is missing; bpfplay says so in a warning and leaves it unset.
 */
function resolveAttachBtf(prog: LoadedProgram, target: () => Btf | undefined, warnings: string[]): void {
  const meaning = sectionMeaning(prog.section);
  if (!meaning?.def.attachBtf || meaning.def.progType === 'ext' || prog.progType !== meaning.progType) return;
  if (!meaning.target) {
    warnings.push(`prog '${prog.name}': no BTF-based attach target is specified, use bpf_program__set_attach_target()`);
    return;
  }
  const at = meaning.def.attachType;
  const [prefix, kind] = at === 'trace_raw_tp' ? ['btf_trace_', 'typedef'] as const
    : at === 'lsm_mac' || at === 'lsm_cgroup' ? ['bpf_lsm_', 'func'] as const
      : at === 'trace_iter' ? ['bpf_iter_', 'func'] as const : ['', 'func'] as const;
  const kbtf = target();
  const id = kbtf?.findByName(prefix + meaning.target, kind);
  if (id === undefined) {
    warnings.push(`prog '${prog.name}': failed to find kernel BTF type ID of '${meaning.target}': ${kbtf ? -3 : 'no kernel BTF'}`);
    return;
  }
  prog.attachBtfId = id;
}

function finishProgram(
  p: ElfProgram, linked: LinkedProgram, file: ElfFile, btf: Btf | undefined, ext: BtfExt | undefined,
  externs: readonly ExternDesc[], opts: LoadElfOptions, warnings: string[],
): LoadedProgram {
  const meaning = sectionMeaning(p.secName);
  let progType = meaning?.progType ?? 0;
  let expectedAttachType = meaning?.expectedAttachType;
  if (opts.progType !== undefined) {
    const t = PROG_TYPES.value(opts.progType);
    if (t === undefined) throw new LoadError(`unknown program type ${JSON.stringify(opts.progType)} (known: ${PROG_TYPES.names().join(', ')})`);
    if (t !== progType) expectedAttachType = undefined;
    progType = t;
  } else if (!meaning) {
    warnings.push(`prog '${p.name}': unrecognized ELF section name '${p.secName}': no program type (choose one with --type)`);
  }
  let flags = 0;
  if (meaning?.def.sleepable) flags |= BPF_F_SLEEPABLE;
  if (p.secName === 'xdp.frags' || p.secName.startsWith('xdp.frags/')) flags |= BPF_F_XDP_HAS_FRAGS;

  const { funcInfo, lineInfo } = extInfo(p, linked, file, btf, ext, warnings);
  const prog: LoadedProgram = {
    name: p.name,
    section: p.secName,
    progType,
    expectedAttachType,
    insns: linked.insns,
    lineInfo,
    funcInfo,
    flags,
  };
  if (meaning?.target !== undefined) prog.attachTo = meaning.target;
  if (!p.autoload) prog.autoload = false;
  const kfuncs = linked.relos.filter((r) => r.type === 'extern_func').map((r) => externs[(r as { ext: number }).ext]);
  if (kfuncs.length) prog.kfuncs = [...new Map(kfuncs.map((e) => [e.name, { name: e.name, btfId: e.resolved?.btfId ?? 0 }])).values()];
  return prog;
}

/** Func and line info of a linked program, laid out as libbpf's adjust_prog_btf_ext_info does. */
function extInfo(
  main: ElfProgram, linked: LinkedProgram, file: ElfFile, btf: Btf | undefined, ext: BtfExt | undefined, warnings: string[],
): { funcInfo: FuncInfo[]; lineInfo: LineInfo[] } {
  const funcInfo: FuncInfo[] = [];
  const lineInfo: LineInfo[] = [];
  if (!ext || !btf) return { funcInfo, lineInfo };
  let doFunc = true;
  let doLine = true;
  for (const part of linked.parts) {
    const isMain = part.prog === main;
    if (doFunc) {
      const recs = recordsOf(ext.funcInfo, part.prog, file);
      if (!recs) {
        if (!isMain) throw new LoadError(`prog '${part.prog.name}': missing .BTF.ext function info.`);
        warnings.push(`prog '${main.name}': missing .BTF.ext function info for the main program, skipping all of .BTF.ext func info.`);
        doFunc = false;
      } else {
        for (const r of recs) {
          const f = btf.types[r.typeId];
          if (!f || f.kind !== 'func') throw new BtfError(`func_info of ${part.prog.name} names type [${r.typeId}], which is not a FUNC`, '.BTF.ext');
          const linkage = part.prog.markBtfStatic || f.linkage === 0 ? 'static' : 'global';
          funcInfo.push({ insnOff: r.insnOff / INSN_SIZE - part.prog.secInsnOff + part.off, name: f.name, btfTypeId: r.typeId, linkage });
        }
      }
    }
    if (doLine) {
      const recs = recordsOf(ext.lineInfo, part.prog, file);
      if (!recs) {
        if (!isMain) throw new LoadError(`prog '${part.prog.name}': missing .BTF.ext line info.`);
        warnings.push(`prog '${main.name}': missing .BTF.ext line info for the main program, skipping all of .BTF.ext line info.`);
        doLine = false;
      } else {
        for (const r of recs) {
          const { file: f, text } = lineInfoText(btf.strings, r);
          lineInfo.push({ insnOff: r.insnOff / INSN_SIZE - part.prog.secInsnOff + part.off, file: f, line: r.line, col: r.col, text });
        }
      }
    }
  }
  return { funcInfo, lineInfo };
}

/** The records of one function: from the first .BTF.ext block of its section, those within its range. */
function recordsOf<R extends { insnOff: number }>(blocks: readonly BtfExtSection<R>[], prog: ElfProgram, file: ElfFile): R[] | undefined {
  const secName = file.sections[prog.secIdx].name;
  const block = blocks.find((b) => file.sectionByName(b.section)?.index === prog.secIdx);
  if (!block) return undefined;
  const out: R[] = [];
  for (const r of block.records) {
    if (r.insnOff % INSN_SIZE) throw new BtfError(`section ${secName}: record at byte offset ${r.insnOff} is not at an instruction boundary`, '.BTF.ext');
    const insn = r.insnOff / INSN_SIZE;
    if (insn < prog.secInsnOff) continue;
    if (insn >= prog.secInsnOff + prog.secInsnCnt) break;
    out.push(r);
  }
  return out.length ? out : undefined;
}
