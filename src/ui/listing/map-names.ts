/**
 * How the playground prints an `lddw` that loads a map: by the map's name, in bpftool's
 * shape. The kernel's verifier log prints the map's kernel address there
 * (`r1 = 0xffff888185254800`) and `bpftool prog dump xlated` its id (`r1 = map[id:1560]`);
 * neither exists before loading, and the name is what the user wrote, so the listings
 * show `r1 = map[counter]` and, for a pointer into a map's value (global data),
 * `r1 = map[.data][0]+8` where bpftool prints `map[id:N][0]+8`.
 */
import { mapRefOf } from '../../core/elf/loaded-object';
import type { KernelResolvers } from '../../core/asm/format-kernel';

/** Resolvers naming maps by `names[index]` (the map index the loader put in `imm`). */
export function mapNameResolvers(names: readonly (string | undefined)[]): KernelResolvers {
  return {
    imm64(insns, pc) {
      const ref = mapRefOf(insns, pc);
      if (!ref) return undefined;
      const name = names[ref.map] ?? `#${ref.map}`;
      return ref.valueOff === undefined ? `map[${name}]` : `map[${name}][0]+${ref.valueOff >>> 0}`;
    },
  };
}

/** The tooltip of a map load in a listing. */
export function mapLoadNote(name: string, valueOff?: number): string {
  const what = valueOff === undefined
    ? `Loads a pointer to map ${name}: lddw with src_reg 1 (BPF_PSEUDO_MAP_FD), imm = the map's file descriptor once libbpf has created it.`
    : `Loads the address of byte ${valueOff} of map ${name}'s value: lddw with src_reg 2 (BPF_PSEUDO_MAP_VALUE).`;
  return `${what} After loading, the kernel's verifier log prints the map's kernel address here (r1 = 0xffff…) and bpftool prog dump xlated its id (map[id:N]${valueOff === undefined ? '' : `[0]+${valueOff}`}); the playground prints its name.`;
}
