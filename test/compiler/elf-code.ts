import { SHF_EXECINSTR, type ElfFile } from '../../src/core/elf/elf64';

/** Executable sections' bytes and relocations (by symbol name): what must equal native clang's. */
export function code(elf: ElfFile) {
  return elf.sections
    .filter((s) => s.flags & BigInt(SHF_EXECINSTR) && s.size > 0)
    .map((s) => ({
      section: s.name,
      bytes: Buffer.from(s.data).toString('hex'),
      relocs: (elf.relocations.get(s.index) ?? []).map((r) => `${r.offset}:${r.type}:${elf.symbols[r.sym].name}`),
    }));
}
