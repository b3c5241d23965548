/**
 * `LoadError`: an object that is well-formed ELF and BTF but cannot be loaded the way
 * libbpf loads it (a map definition libbpf refuses, a relocation against nothing, an
 * unresolved extern, ...). The message is one line naming the map, program or section.
 */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}
