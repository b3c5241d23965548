/**
 * ELF64 little-endian objects as clang emits them for BPF: header, section headers,
 * symbols, relocations. Reading never throws anything but `ElfError`, whose message
 * names the section (where there is one) and the problem.
 *
 * Layouts from the ELF specification (`Elf64_Ehdr`, `Elf64_Shdr`, `Elf64_Sym`,
 * `Elf64_Rel`); EM_BPF = 247 and the R_BPF_* relocation numbers from the kernel's
 * Documentation/bpf/llvm_reloc.rst.
 */

export const EM_BPF = 247;
export const ET_REL = 1;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_LLVM_ADDRSIG = 0x6fff4c03;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_INFO_LINK = 0x40;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const SHN_UNDEF = 0;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;

export const R_BPF_NONE = 0;
export const R_BPF_64_64 = 1;
export const R_BPF_64_ABS64 = 2;
export const R_BPF_64_ABS32 = 3;
export const R_BPF_64_NODYLD32 = 4;
export const R_BPF_64_32 = 10;

/** Names from a damaged file can hold any byte: keep messages on one printable line. */
export const printable = (s: string): string =>
  s.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffd]/g, (c) => (c === '\ufffd' ? '?' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

export class ElfError extends Error {
  constructor(message: string, readonly section?: string) {
    super(printable(section !== undefined ? `ELF section ${section}: ${message}` : `ELF: ${message}`));
    this.name = 'ElfError';
  }
}

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
  /** The section's bytes (empty for SHT_NOBITS). */
  data: Uint8Array;
}

export interface ElfSymbol {
  index: number;
  name: string;
  value: bigint;
  size: bigint;
  bind: number;
  type: number;
  visibility: number;
  shndx: number;
}

export interface ElfReloc {
  /** Byte offset within the section the relocation applies to. */
  offset: number;
  type: number;
  sym: number;
  addend?: bigint;
}

export interface ElfFile {
  type: number;
  machine: number;
  flags: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** Relocation lists keyed by the index of the section they apply to. */
  relocations: Map<number, ElfReloc[]>;
  sectionByName(name: string): ElfSection | undefined;
}

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;

/** Reads a NUL-terminated string at `off` of a string table. */
export function readCString(table: Uint8Array, off: number, what = 'string table'): string {
  if (off < 0 || off >= table.length) {
    if (off === 0 && table.length === 0) return '';
    throw new ElfError(`name offset ${off} is outside the ${what} (${table.length} bytes)`);
  }
  let end = off;
  while (end < table.length && table[end] !== 0) end++;
  if (end === table.length) throw new ElfError(`string at offset ${off} of the ${what} has no terminating NUL`);
  return new TextDecoder().decode(table.subarray(off, end));
}

/** Parses an ELF64 little-endian relocatable object. */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (bytes.length < EHDR_SIZE) throw new ElfError(`file is ${bytes.length} bytes, shorter than an ELF64 header (64)`);
  if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ElfError('not an ELF file (bad magic number)');
  }
  if (bytes[4] !== 2) throw new ElfError(`ELF class ${bytes[4]} is not ELF64`);
  if (bytes[5] === 2) throw new ElfError('big-endian (bpfeb) objects are not supported; compile with --target=bpf or bpfel');
  if (bytes[5] !== 1) throw new ElfError(`unknown data encoding ${bytes[5]}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_BPF) throw new ElfError(`machine ${machine} is not BPF (247): this object was built for another target`);
  const flags = dv.getUint32(48, true);
  const shoff = Number(dv.getBigUint64(40, true));
  const shentsize = dv.getUint16(58, true);
  let shnum = dv.getUint16(60, true);
  let shstrndx = dv.getUint16(62, true);
  if (shoff === 0) throw new ElfError('object has no section header table');
  if (shentsize !== SHDR_SIZE) throw new ElfError(`section header size ${shentsize} is not 64`);
  if (shoff + SHDR_SIZE > bytes.length) throw new ElfError(`section header table at ${shoff} is past the end of the file (${bytes.length} bytes)`);
  if (shnum === 0) shnum = Number(dv.getBigUint64(shoff + 32, true)); // extended numbering: sh_size of section 0
  if (shstrndx === 0xffff) shstrndx = dv.getUint32(shoff + 40, true);
  if (shoff + shnum * SHDR_SIZE > bytes.length) {
    throw new ElfError(`section header table (${shnum} entries at ${shoff}) runs past the end of the file (${bytes.length} bytes)`);
  }

  const raw: (Omit<ElfSection, 'index' | 'name' | 'data'> & { nameOff: number })[] = [];
  for (let k = 0; k < shnum; k++) {
    const o = shoff + k * SHDR_SIZE;
    raw.push({
      nameOff: dv.getUint32(o, true),
      type: dv.getUint32(o + 4, true),
      flags: dv.getBigUint64(o + 8, true),
      addr: dv.getBigUint64(o + 16, true),
      offset: Number(dv.getBigUint64(o + 24, true)),
      size: Number(dv.getBigUint64(o + 32, true)),
      link: dv.getUint32(o + 40, true),
      info: dv.getUint32(o + 44, true),
      addralign: Number(dv.getBigUint64(o + 48, true)),
      entsize: Number(dv.getBigUint64(o + 56, true)),
    });
  }
  if (shstrndx >= shnum) throw new ElfError(`section name table index ${shstrndx} is out of range (${shnum} sections)`);
  const dataOf = (k: number, label: string): Uint8Array => {
    const s = raw[k];
    if (s.type === SHT_NOBITS || s.type === SHT_NULL) return new Uint8Array(0);
    if (s.offset > bytes.length || s.size > bytes.length - s.offset) {
      throw new ElfError(`data (offset ${s.offset}, size ${s.size}) lies outside the file (${bytes.length} bytes)`, label);
    }
    return bytes.subarray(s.offset, s.offset + s.size);
  };
  const shstr = dataOf(shstrndx, `#${shstrndx} (section names)`);
  const sections: ElfSection[] = raw.map((s, k) => {
    const name = k === 0 ? '' : readCString(shstr, s.nameOff, 'section name table');
    const { nameOff: _nameOff, ...rest } = s;
    return { index: k, name, ...rest, data: dataOf(k, name || `#${k}`) };
  });

  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  const symbols: ElfSymbol[] = [];
  if (symtab) {
    if (symtab.entsize !== SYM_SIZE) throw new ElfError(`symbol entry size ${symtab.entsize} is not 24`, symtab.name);
    if (symtab.size % SYM_SIZE !== 0) throw new ElfError(`size ${symtab.size} is not a multiple of 24`, symtab.name);
    const strtab = sections[symtab.link];
    if (!strtab || strtab.type !== SHT_STRTAB) throw new ElfError(`linked string table #${symtab.link} is missing`, symtab.name);
    const sdv = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    for (let k = 0; k < symtab.size / SYM_SIZE; k++) {
      const o = k * SYM_SIZE;
      const info = sdv.getUint8(o + 4);
      const shndx = sdv.getUint16(o + 6, true);
      const sym: ElfSymbol = {
        index: k,
        name: readCString(strtab.data, sdv.getUint32(o, true), `string table ${strtab.name}`),
        bind: info >> 4,
        type: info & 0xf,
        visibility: sdv.getUint8(o + 5) & 0x3,
        shndx,
        value: sdv.getBigUint64(o + 8, true),
        size: sdv.getBigUint64(o + 16, true),
      };
      if (shndx !== SHN_UNDEF && shndx < 0xff00 && shndx >= sections.length) {
        throw new ElfError(`symbol ${k} (${sym.name || 'unnamed'}) refers to section ${shndx}, which does not exist`, symtab.name);
      }
      if (sym.type === STT_SECTION && !sym.name && shndx < sections.length) sym.name = sections[shndx].name;
      symbols.push(sym);
    }
  }

  const relocations = new Map<number, ElfReloc[]>();
  for (const s of sections) {
    if (s.type !== SHT_REL && s.type !== SHT_RELA) continue;
    const entsize = s.type === SHT_REL ? 16 : 24;
    if (s.size % entsize !== 0) throw new ElfError(`size ${s.size} is not a multiple of the relocation size ${entsize}`, s.name);
    if (s.info >= sections.length) throw new ElfError(`applies to section ${s.info}, which does not exist`, s.name);
    const target = sections[s.info];
    const rdv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    const list: ElfReloc[] = [];
    for (let o = 0; o < s.size; o += entsize) {
      const offset = Number(rdv.getBigUint64(o, true));
      const info = rdv.getBigUint64(o + 8, true);
      const rel: ElfReloc = { offset, type: Number(info & 0xffffffffn), sym: Number(info >> 32n) };
      if (s.type === SHT_RELA) rel.addend = rdv.getBigInt64(o + 16, true);
      if (rel.sym >= symbols.length) throw new ElfError(`relocation at offset ${offset} names symbol ${rel.sym}, but there are ${symbols.length}`, s.name);
      if (offset >= target.size && target.type !== SHT_NOBITS) {
        throw new ElfError(`relocation at offset ${offset} is outside ${target.name} (${target.size} bytes)`, s.name);
      }
      list.push(rel);
    }
    relocations.set(s.info, [...(relocations.get(s.info) ?? []), ...list]);
  }

  return {
    type, machine, flags, sections, symbols, relocations,
    sectionByName: (name) => sections.find((s) => s.name === name),
  };
}

// ---------------------------------------------------------------------------------------
// Writing

export interface ElfSectionSpec {
  name: string;
  type: number;
  flags?: bigint;
  data: Uint8Array;
  /** Index (into the spec list, 1-based like the final file) of the linked section. */
  link?: number;
  info?: number;
  addralign?: number;
  entsize?: number;
  /** For SHT_NOBITS: the size to declare. */
  size?: number;
}

export interface ElfSymbolSpec {
  name: string;
  value: bigint | number;
  size: bigint | number;
  bind: number;
  type: number;
  /** Index of the section (1-based as in the file), or SHN_UNDEF/SHN_ABS. */
  shndx: number;
}

/** A string table under construction: offsets of appended NUL-terminated strings. */
export class StringTable {
  private bytes: number[] = [0];
  private readonly index = new Map<string, number>([['', 0]]);
  add(s: string): number {
    const known = this.index.get(s);
    if (known !== undefined) return known;
    const off = this.bytes.length;
    this.bytes.push(...new TextEncoder().encode(s), 0);
    this.index.set(s, off);
    return off;
  }
  data(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/**
 * Writes a relocatable ELF64 little-endian BPF object. Sections are laid out in order;
 * a `.strtab` (section and symbol names) and, if symbols are given, a `.symtab` are
 * appended. Relocation sections must be included by the caller with `link` = the symtab
 * index, which is `sections.length + 2` (after `.strtab`); symbol k of `symbols` is
 * symbol k + 1 of the file.
 */
export function writeElf(sections: ElfSectionSpec[], symbols: ElfSymbolSpec[]): Uint8Array {
  const strtab = new StringTable();
  const strtabIndex = sections.length + 1;
  const all: ElfSectionSpec[] = [...sections];
  // Symbol k of the list is symbol k+1 of the file (0 is the null symbol). ELF wants the
  // locals first; sh_info is the index of the first non-local one.
  const ordered = symbols;
  const firstNonLocal = ordered.findIndex((s) => s.bind !== STB_LOCAL);
  if (firstNonLocal >= 0 && ordered.slice(firstNonLocal).some((s) => s.bind === STB_LOCAL)) {
    throw new ElfError('local symbols must come before global ones');
  }
  const symData = new Uint8Array((ordered.length + 1) * SYM_SIZE);
  const sdv = new DataView(symData.buffer);
  ordered.forEach((s, k) => {
    const o = (k + 1) * SYM_SIZE;
    sdv.setUint32(o, strtab.add(s.name), true);
    sdv.setUint8(o + 4, (s.bind << 4) | s.type);
    sdv.setUint16(o + 6, s.shndx, true);
    sdv.setBigUint64(o + 8, BigInt(s.value), true);
    sdv.setBigUint64(o + 16, BigInt(s.size), true);
  });
  const firstGlobal = 1 + ordered.filter((s) => s.bind === STB_LOCAL).length;
  const names = all.map((s) => strtab.add(s.name));
  const strtabName = strtab.add('.strtab');
  const symtabName = strtab.add('.symtab');
  all.push({ name: '.strtab', type: SHT_STRTAB, data: new Uint8Array(0), addralign: 1 });
  all.push({ name: '.symtab', type: SHT_SYMTAB, data: symData, link: strtabIndex, info: firstGlobal, addralign: 8, entsize: SYM_SIZE });
  names.push(strtabName, symtabName);
  all[all.length - 2].data = strtab.data();

  // Layout: header, section data (aligned), section header table.
  let off = EHDR_SIZE;
  const offsets: number[] = [];
  for (const s of all) {
    const align = Math.max(1, s.addralign ?? 1);
    off = Math.ceil(off / align) * align;
    offsets.push(off);
    if (s.type !== SHT_NOBITS) off += s.data.length;
  }
  const shoff = Math.ceil(off / 8) * 8;
  const total = shoff + (all.length + 1) * SHDR_SIZE;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(16, ET_REL, true);
  dv.setUint16(18, EM_BPF, true);
  dv.setUint32(20, 1, true);
  dv.setBigUint64(40, BigInt(shoff), true);
  dv.setUint16(52, EHDR_SIZE, true);
  dv.setUint16(58, SHDR_SIZE, true);
  dv.setUint16(60, all.length + 1, true);
  dv.setUint16(62, strtabIndex, true);
  all.forEach((s, k) => {
    if (s.type !== SHT_NOBITS) out.set(s.data, offsets[k]);
    const o = shoff + (k + 1) * SHDR_SIZE;
    dv.setUint32(o, names[k], true);
    dv.setUint32(o + 4, s.type, true);
    dv.setBigUint64(o + 8, s.flags ?? 0n, true);
    dv.setBigUint64(o + 24, BigInt(offsets[k]), true);
    dv.setBigUint64(o + 32, BigInt(s.type === SHT_NOBITS ? (s.size ?? 0) : s.data.length), true);
    dv.setUint32(o + 40, s.link ?? 0, true);
    dv.setUint32(o + 44, s.info ?? 0, true);
    dv.setBigUint64(o + 48, BigInt(s.addralign ?? 1), true);
    dv.setBigUint64(o + 56, BigInt(s.entsize ?? 0), true);
  });
  return out;
}

/** Encodes `Elf64_Rel` entries. */
export function encodeRel(relocs: ReadonlyArray<{ offset: number; sym: number; type: number }>): Uint8Array {
  const out = new Uint8Array(relocs.length * 16);
  const dv = new DataView(out.buffer);
  relocs.forEach((r, k) => {
    dv.setBigUint64(k * 16, BigInt(r.offset), true);
    dv.setBigUint64(k * 16 + 8, (BigInt(r.sym) << 32n) | BigInt(r.type), true);
  });
  return out;
}
