/**
 * Relocation and linking of programs, as libbpf 1.1 does it (`bpf_program__record_reloc`,
 * `bpf_object__reloc_code`, `bpf_object__relocate_data`):
 *
 * - every function of an executable section is a program; those in `.text` are
 *   subprograms (when the object has more than one function);
 * - each entry program gets the subprograms it calls appended after its own code, in
 *   order of first call, depth first, and each call's `imm` is rewritten to the relative
 *   offset of the callee's copy; `.BTF.ext` func/line info follows the same layout;
 * - `lddw` instructions that name a map get `src = BPF_PSEUDO_MAP_FD`, those that name
 *   global data get `src = BPF_PSEUDO_MAP_VALUE` and the offset in the second slot's imm;
 *   bpfplay puts the map's index where libbpf puts a file descriptor.
 */
import { BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE } from '../isa/opcodes';
import type { Insn } from '../isa/insn';
import type { ElfFile, ElfSymbol } from './elf64';
import { LoadError } from './load-error';

export const INSN_SIZE = 8;
const CALL = 0x85;
const LD_IMM64 = 0x18;

export type Relo =
  | { type: 'ld64'; insnIdx: number; map: number }
  | { type: 'data'; insnIdx: number; map: number; symOff: number }
  | { type: 'call'; insnIdx: number; symOff: number }
  | { type: 'subprog_addr'; insnIdx: number; symOff: number }
  | { type: 'extern_var'; insnIdx: number; ext: number }
  | { type: 'extern_func'; insnIdx: number; ext: number };

/** A function of an executable section: an entry program or a subprogram. */
export interface ElfProgram {
  name: string;
  secIdx: number;
  /** Section name without libbpf's leading '?' (which only turns autoload off). */
  secName: string;
  secInsnOff: number;
  secInsnCnt: number;
  /** The function's own instructions (CO-RE relocations applied in place). */
  insns: Insn[];
  relos: Relo[];
  isSubprog: boolean;
  autoload: boolean;
  /** A global function with hidden/internal visibility: libbpf marks its BTF FUNC static. */
  markBtfStatic: boolean;
  global: boolean;
}

export const isSubprogCall = (i: Insn): boolean => i.code === CALL && i.src === BPF_PSEUDO_CALL && i.dst === 0 && i.off === 0;
export const isPseudoFunc = (i: Insn): boolean => i.code === LD_IMM64 && i.src === BPF_PSEUDO_FUNC;

/** What a relocation's symbol resolves to; supplied by the loader. */
export interface RelocTargets {
  textShndx: number;
  /** Section index of `.maps` / legacy `maps`, if present. */
  isMapSection(shndx: number): boolean;
  /** Map index for a map symbol (section + offset), or undefined. */
  mapAt(shndx: number, offset: number): number | undefined;
  /** Global-data map index of a data section, or undefined when the section is not data. */
  dataMapOf(shndx: number): number | undefined;
  /** Extern index of an undefined symbol, or undefined. */
  externOf(symIdx: number): number | undefined;
  sectionName(shndx: number): string;
}

const SHN_LORESERVE = 0xff00;

/** Turns one ELF relocation of a program's instruction into libbpf's reloc descriptor. */
export function recordReloc(prog: ElfProgram, insnIdx: number, symName: string, sym: ElfSymbol, symIdx: number, t: RelocTargets): Relo {
  const insn = prog.insns[insnIdx];
  const isCall = insn.code === CALL;
  if (!isCall && insn.code !== LD_IMM64) {
    throw new LoadError(`prog '${prog.name}': invalid relo against '${symName}' for insns[${insnIdx}].code 0x${insn.code.toString(16)}`);
  }
  if (insn.code === LD_IMM64 && insnIdx + 1 >= prog.insns.length) {
    throw new LoadError(`prog '${prog.name}': relocated lddw at insns[${insnIdx}] is missing its second half`);
  }
  const ext = t.externOf(symIdx);
  if (ext !== undefined) return isCall ? { type: 'extern_func', insnIdx, ext } : { type: 'extern_var', insnIdx, ext };
  if (isCall) {
    if (insn.src !== BPF_PSEUDO_CALL) throw new LoadError(`prog '${prog.name}': incorrect bpf_call opcode`);
    if (!sym.shndx || sym.shndx !== t.textShndx) {
      throw new LoadError(`prog '${prog.name}': bad call relo against '${symName}' in section '${sym.shndx && sym.shndx < SHN_LORESERVE ? t.sectionName(sym.shndx) : `#${sym.shndx}`}'`);
    }
    if (Number(sym.value) % INSN_SIZE) throw new LoadError(`prog '${prog.name}': bad call relo against '${symName}' at offset ${sym.value}`);
    return { type: 'call', insnIdx, symOff: Number(sym.value) };
  }
  if (!sym.shndx || sym.shndx >= SHN_LORESERVE) {
    throw new LoadError(`prog '${prog.name}': invalid relo against '${symName}' in special section 0x${sym.shndx.toString(16)}; forgot to initialize global var?..`);
  }
  // Address of a subprogram (a callback for bpf_loop & co).
  if (sym.shndx === t.textShndx && ((sym.bind === 0 && sym.type === 3) || (sym.bind === 1 && sym.type === 2))) {
    if (Number(sym.value) % INSN_SIZE || insn.imm % INSN_SIZE) {
      throw new LoadError(`prog '${prog.name}': bad subprog addr relo against '${symName}' at offset ${sym.value}+${insn.imm}`);
    }
    return { type: 'subprog_addr', insnIdx, symOff: Number(sym.value) };
  }
  if (t.isMapSection(sym.shndx)) {
    const map = t.mapAt(sym.shndx, Number(sym.value));
    if (map === undefined) throw new LoadError(`prog '${prog.name}': map relo failed to find map for section '${t.sectionName(sym.shndx)}', off ${sym.value}`);
    return { type: 'ld64', insnIdx, map };
  }
  const dataMap = t.dataMapOf(sym.shndx);
  if (dataMap === undefined) {
    throw new LoadError(`prog '${prog.name}': bad data relo against section '${t.sectionName(sym.shndx)}' (symbol '${symName}')`);
  }
  return { type: 'data', insnIdx, map: dataMap, symOff: Number(sym.value) };
}

/** Collects the relocations of every executable section into its programs. */
export function collectProgramRelos(file: ElfFile, progs: readonly ElfProgram[], t: RelocTargets): void {
  for (const [secIdx, relocs] of file.relocations) {
    const sec = file.sections[secIdx];
    if (!(sec.flags & 0x4n)) continue;
    relocs.forEach((rel, i) => {
      const sym = file.symbols[rel.sym];
      if (!sym) throw new LoadError(`section ${sec.name}: symbol #${rel.sym} not found for relo #${i}`);
      if (sym.shndx >= file.sections.length && sym.shndx < SHN_LORESERVE) {
        throw new LoadError(`section ${sec.name}: corrupted symbol #${rel.sym} pointing to invalid section #${sym.shndx} for relo #${i}`);
      }
      if (rel.offset % INSN_SIZE || rel.offset >= sec.size) throw new LoadError(`section .rel${sec.name}: invalid offset 0x${rel.offset.toString(16)} for relo #${i}`);
      const insnIdx = rel.offset / INSN_SIZE;
      const prog = progs.find((p) => p.secIdx === secIdx && insnIdx >= p.secInsnOff && insnIdx < p.secInsnOff + p.secInsnCnt);
      if (!prog) return; // libbpf: probably an overridden weak function; skipped
      const symName = sym.name || '<?';
      prog.relos.push(recordReloc(prog, insnIdx - prog.secInsnOff, symName, sym, rel.sym, t));
    });
  }
  for (const p of progs) p.relos.sort((a, b) => a.insnIdx - b.insnIdx || reloOrder(a) - reloOrder(b));
}

const RELO_ORDER: Record<Relo['type'], number> = { ld64: 0, call: 1, data: 2, extern_var: 3, extern_func: 4, subprog_addr: 5 };
const reloOrder = (r: Relo): number => RELO_ORDER[r.type];

/** One function's place in a linked program. */
export interface LinkedPart {
  prog: ElfProgram;
  /** Slot where its copy starts. */
  off: number;
}

export interface LinkedProgram {
  insns: Insn[];
  /** Relocations in the linked program's frame (data relocations still to apply). */
  relos: Relo[];
  /** The entry program, then subprograms in the order they were appended. */
  parts: LinkedPart[];
}

/** Appends the subprograms `main` needs and fixes up call offsets (bpf_object__relocate_calls). */
export function linkProgram(main: ElfProgram, all: readonly ElfProgram[], textShndx: number): LinkedProgram {
  const insns = main.insns.map((i) => ({ ...i }));
  const relos: Relo[] = main.relos.map((r) => ({ ...r }));
  const offs = new Map<ElfProgram, number>([[main, 0]]);
  const parts: LinkedPart[] = [{ prog: main, off: 0 }];
  const subprogAt = (secInsn: number): ElfProgram | undefined =>
    all.find((p) => p.secIdx === textShndx && secInsn >= p.secInsnOff && secInsn < p.secInsnOff + p.secInsnCnt);

  const relocCode = (prog: ElfProgram, depth: number): void => {
    if (depth > all.length + 1) throw new LoadError(`prog '${main.name}': subprogram calls nest deeper than the object has functions`);
    const base = offs.get(prog)!;
    for (let idx = 0; idx < prog.secInsnCnt; idx++) {
      const insn = insns[base + idx];
      if (!isSubprogCall(insn) && !isPseudoFunc(insn)) continue;
      const relo = prog.relos.find((r) => r.insnIdx === idx);
      if (relo?.type === 'extern_func') continue;
      if (relo && relo.type !== 'call' && relo.type !== 'subprog_addr') {
        throw new LoadError(`prog '${prog.name}': unexpected relo for insn #${idx}, type ${relo.type}`);
      }
      let subInsn: number;
      if (relo?.type === 'call') subInsn = relo.symOff / INSN_SIZE + insn.imm + 1;
      else if (relo?.type === 'subprog_addr') subInsn = (relo.symOff + insn.imm) / INSN_SIZE;
      else if (isPseudoFunc(insn)) throw new LoadError(`prog '${prog.name}': missing subprog addr relo for insn #${idx}`);
      // A call to a static function of the same section has no relocation: imm is relative.
      else subInsn = prog.secInsnOff + idx + insn.imm + 1;
      const sub = subprogAt(subInsn);
      if (!sub) throw new LoadError(`prog '${prog.name}': no .text section found yet sub-program call exists (call at insn #${idx} to .text insn ${subInsn})`);
      if (!offs.has(sub)) {
        const off = insns.length;
        offs.set(sub, off);
        parts.push({ prog: sub, off });
        for (const i of sub.insns) insns.push({ ...i });
        if (sub !== main) for (const r of sub.relos) relos.push({ ...r, insnIdx: r.insnIdx + off });
        relocCode(sub, depth + 1);
      }
      insns[base + idx].imm = offs.get(sub)! - (base + idx) - 1;
    }
  };
  relocCode(main, 0);
  return { insns, relos, parts };
}

/** What data relocations resolve to (bpf_object__relocate_data). */
export interface DataTargets {
  /** `.kconfig` map index and the extern's offset in it. */
  kconfigExtern(ext: number): { map: number; off: number } | undefined;
  /** Typed ksym: BPF_PSEUDO_BTF_ID with the kernel BTF id; or undefined when unresolved (weak). */
  ksymVar(ext: number): { btfId: number } | undefined;
  /** kfunc: kernel BTF id, or undefined for an unresolved weak kfunc. */
  kfunc(ext: number): { btfId: number } | undefined;
}

/** Applies map, global-data and extern relocations to a linked program. */
export function relocateData(progName: string, linked: LinkedProgram, t: DataTargets): void {
  const ins = linked.insns;
  for (const r of linked.relos) {
    const i0 = ins[r.insnIdx];
    const i1 = ins[r.insnIdx + 1];
    switch (r.type) {
      case 'ld64':
        i0.src = BPF_PSEUDO_MAP_FD;
        i0.imm = r.map;
        break;
      case 'data':
        i1.imm = (i0.imm + r.symOff) | 0;
        i0.src = BPF_PSEUDO_MAP_VALUE;
        i0.imm = r.map;
        break;
      case 'extern_var': {
        const kc = t.kconfigExtern(r.ext);
        if (kc) {
          i0.src = BPF_PSEUDO_MAP_VALUE;
          i0.imm = kc.map;
          i1.imm = kc.off;
          break;
        }
        const ks = t.ksymVar(r.ext);
        if (ks) {
          i0.src = 3; // BPF_PSEUDO_BTF_ID
          i0.imm = ks.btfId;
          i1.imm = 0; // vmlinux: no module BTF fd
        } else {
          i0.imm = 0;
          i1.imm = 0;
        }
        break;
      }
      case 'extern_func': {
        const kf = t.kfunc(r.ext);
        i0.src = BPF_PSEUDO_KFUNC_CALL;
        i0.imm = kf ? kf.btfId : 0;
        i0.off = 0;
        break;
      }
      case 'subprog_addr':
        if (i0.src !== BPF_PSEUDO_FUNC) throw new LoadError(`prog '${progName}': relo at insn #${r.insnIdx}: bad insn`);
        break;
      case 'call':
        break;
    }
  }
}
