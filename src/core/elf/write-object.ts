/**
 * Writes a relocatable BPF ELF object from raw instructions and map definitions, in the
 * shape clang produces and libbpf (>= 1.0, which dropped the legacy `maps` section)
 * loads: one section per program, BTF-defined maps in `.maps` with a `.BTF` describing
 * them, `R_BPF_64_64` relocations on the `lddw`s that load a map, and a `license`.
 *
 * Used for "Export .o", `bpfplay asm -o x.o`, and the kernel differential harness.
 */
import { BtfBuilder } from '../btf/encode';
import { isLdImm64, programToBytes, type Insn } from '../isa/insn';
import { MAP_TYPES, PROG_TYPES } from '../isa/kernel-types';
import {
  encodeRel, R_BPF_64_64, SHF_ALLOC, SHF_EXECINSTR, SHF_INFO_LINK, SHF_WRITE, SHT_PROGBITS, SHT_REL,
  STB_GLOBAL, STT_FUNC, STT_OBJECT, writeElf, type ElfSectionSpec, type ElfSymbolSpec,
} from './elf64';

export interface MapSpec {
  name: string;
  /** Map type name (`array`, `hash`, ...) or number. */
  type: string | number;
  key_size: number;
  value_size: number;
  max_entries: number;
  map_flags?: number;
}

export interface ProgramSpec {
  /** Function name (the program's name in the kernel). */
  name: string;
  /** ELF section: libbpf derives the program type from it (`xdp`, `socket`, `tc`, ...). */
  section: string;
  insns: readonly Insn[];
  /** `lddw` slots that load a map: [slot index, index into `maps`]. */
  mapRefs?: ReadonlyArray<readonly [number, number]>;
}

export interface ObjectSpec {
  programs: readonly ProgramSpec[];
  maps?: readonly MapSpec[];
  license?: string;
}

/**
 * The libbpf section name for a program type, for objects written from raw programs.
 * Types that need an attach target (tracing, lsm, ext) cannot be expressed this way.
 */
const SECTION_FOR_TYPE: Readonly<Record<string, string>> = {
  socket_filter: 'socket',
  kprobe: 'kprobe',
  sched_cls: 'tc',
  sched_act: 'action',
  tracepoint: 'tracepoint',
  xdp: 'xdp',
  perf_event: 'perf_event',
  cgroup_skb: 'cgroup/skb',
  cgroup_sock: 'cgroup/sock',
  lwt_in: 'lwt_in',
  lwt_out: 'lwt_out',
  lwt_xmit: 'lwt_xmit',
  lwt_seg6local: 'lwt_seg6local',
  sock_ops: 'sockops',
  sk_skb: 'sk_skb',
  cgroup_device: 'cgroup/dev',
  sk_msg: 'sk_msg',
  raw_tracepoint: 'raw_tp',
  raw_tracepoint_writable: 'raw_tp.w',
  cgroup_sock_addr: 'cgroup/connect4',
  flow_dissector: 'flow_dissector',
  cgroup_sysctl: 'cgroup/sysctl',
  cgroup_sockopt: 'cgroup/getsockopt',
  sk_reuseport: 'sk_reuseport',
  sk_lookup: 'sk_lookup',
  syscall: 'syscall',
  netfilter: 'netfilter',
};

/** Section name for a program type (name or number); throws for types without one. */
export function sectionForProgType(progType: string | number): string {
  const v = PROG_TYPES.value(progType);
  const name = v === undefined ? undefined : PROG_TYPES.name(v);
  const sec = name && SECTION_FOR_TYPE[name];
  if (!sec) throw new Error(`cannot write an object for program type ${JSON.stringify(progType)}: no plain libbpf section for it`);
  return sec;
}

/** Builds the object file bytes. */
export function writeBpfObject(spec: ObjectSpec): Uint8Array {
  const maps = spec.maps ?? [];
  const sections: ElfSectionSpec[] = [];
  const symbols: ElfSymbolSpec[] = [];
  // File section index = position in `sections` + 1 (0 is the null section).
  const progSecIndex: number[] = [];
  spec.programs.forEach((p) => {
    sections.push({ name: p.section, type: SHT_PROGBITS, flags: BigInt(SHF_ALLOC | SHF_EXECINSTR), data: programToBytes(p.insns), addralign: 8 });
    progSecIndex.push(sections.length);
  });

  let mapsIndex = 0;
  const mapOffsets: number[] = [];
  let btf: Uint8Array | undefined;
  if (maps.length) {
    // Each BTF-defined map is a struct of four `int (*name)[value]` members (32 bytes).
    const b = new BtfBuilder();
    const int = b.int('int', 4, 1);
    const idx = b.int('__ARRAY_SIZE_TYPE__', 4, 0);
    const field = (n: number) => b.ptr(b.array(int, idx, n));
    const vars: { type: number; offset: number; size: number }[] = [];
    maps.forEach((m, k) => {
      const type = MAP_TYPES.value(m.type);
      if (type === undefined) throw new Error(`map ${m.name}: unknown map type ${JSON.stringify(m.type)}`);
      const members = [['type', type], ['key_size', m.key_size], ['value_size', m.value_size], ['max_entries', m.max_entries]] as [string, number][];
      if (m.map_flags) members.push(['map_flags', m.map_flags]);
      const struct = b.struct('', members.length * 8, members.map(([name, v], j) => ({ name, type: field(v), bitOffset: j * 64 })));
      const offset = mapOffsets.length ? mapOffsets[k - 1] + vars[k - 1].size : 0;
      mapOffsets.push(offset);
      vars.push({ type: b.variable(m.name, struct), offset, size: members.length * 8 });
    });
    const size = vars.reduce((n, v) => n + v.size, 0);
    b.datasec('.maps', size, vars);
    btf = b.encode();
    sections.push({ name: '.maps', type: SHT_PROGBITS, flags: BigInt(SHF_ALLOC | SHF_WRITE), data: new Uint8Array(size), addralign: 8 });
    mapsIndex = sections.length;
    maps.forEach((m, k) => symbols.push({ name: m.name, value: mapOffsets[k], size: vars[k].size, bind: STB_GLOBAL, type: STT_OBJECT, shndx: mapsIndex }));
  }
  spec.programs.forEach((p, k) => symbols.push({ name: p.name, value: 0, size: p.insns.length * 8, bind: STB_GLOBAL, type: STT_FUNC, shndx: progSecIndex[k] }));

  sections.push({ name: 'license', type: SHT_PROGBITS, flags: BigInt(SHF_ALLOC | SHF_WRITE), data: new TextEncoder().encode(`${spec.license ?? 'GPL'}\0`), addralign: 1 });
  if (btf) sections.push({ name: '.BTF', type: SHT_PROGBITS, data: btf, addralign: 4 });

  // Relocation sections last: they link to .symtab, which writeElf appends after .strtab.
  const relSections: ElfSectionSpec[] = [];
  spec.programs.forEach((p, k) => {
    if (!p.mapRefs?.length) return;
    const rels = p.mapRefs.map(([slot, mapIdx]) => {
      if (!p.insns[slot] || !isLdImm64(p.insns[slot])) throw new Error(`program ${p.name}: map reference at instruction ${slot} is not an lddw`);
      if (!maps[mapIdx]) throw new Error(`program ${p.name}: map reference at instruction ${slot} names map ${mapIdx}, which does not exist`);
      return { offset: slot * 8, sym: 1 + mapIdx, type: R_BPF_64_64 };
    });
    relSections.push({ name: `.rel${p.section}`, type: SHT_REL, flags: BigInt(SHF_INFO_LINK), data: encodeRel(rels), info: progSecIndex[k], addralign: 8, entsize: 16 });
  });
  const symtabIndex = sections.length + relSections.length + 2;
  for (const r of relSections) sections.push({ ...r, link: symtabIndex });
  return writeElf(sections, symbols);
}

/**
 * The corpus / CLI JSON object form (`{"insns", "prog_type", "maps", "fixups": {"map_fds"}}`)
 * as an object file with one program named `name`.
 */
export function writeObjectForProgram(p: {
  insns: readonly Insn[];
  progType: string | number;
  maps?: readonly MapSpec[];
  mapFds?: ReadonlyArray<readonly [number, number]>;
  name?: string;
  license?: string;
}): Uint8Array {
  // libbpf sets the pseudo source itself from the relocation; clear what the JSON form carries.
  const insns = p.insns.map((i, k) => (p.mapFds?.some(([slot]) => slot === k) ? { ...i, src: 0, imm: 0 } : i));
  return writeBpfObject({
    programs: [{ name: p.name ?? 'prog', section: sectionForProgType(p.progType), insns, mapRefs: p.mapFds }],
    maps: p.maps,
    license: p.license,
  });
}
