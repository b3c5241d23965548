/**
 * `LoadError`: an object that is well-formed ELF and BTF but cannot be loaded the way
 * libbpf loads it (a map definition libbpf refuses, a relocation against nothing, an
 * unresolved extern, ...). The message is one line naming the map, program or section.
 */
export class LoadError extends Error {
  constructor(message: string) {
    // Names from a damaged object can hold any byte: one printable line.
    super(message.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
    this.name = 'LoadError';
  }
}
