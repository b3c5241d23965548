/**
 * ELF object -> LoadedObject, the way libbpf prepares an object for the kernel.
 * (The full loader is its own piece of work: BTF, line info, relocations, CO-RE.)
 */
import type { LoadedObject } from './loaded-object';

export interface LoadElfOptions {
  /** Overrides the program type the section implies. */
  progType?: string;
}

export function loadElfObject(_bytes: Uint8Array, _opts: LoadElfOptions = {}): LoadedObject {
  throw new Error('not implemented yet: loading ELF objects (the object loader is in progress)');
}
