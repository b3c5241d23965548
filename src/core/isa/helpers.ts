/**
 * The BPF helper table: the one place helper ids, names and prototypes come from
 * (disassembler, assembler, verifier prototypes, VM implementations, C headers).
 */
import { HELPER_ROWS } from './helpers.gen';

export interface HelperInfo {
  /** The kernel's `BPF_FUNC_*` number. */
  id: number;
  /** Full name as the kernel prints it, e.g. `bpf_map_lookup_elem`. */
  name: string;
  /** The C prototype from the UAPI documentation; '' for `bpf_unspec`. */
  proto: string;
  /** Return type, e.g. `void *` or `long`. */
  ret: string;
  /** Parameter declarations, e.g. `const void *key`. */
  params: string[];
}

function parseProto(proto: string): { ret: string; params: string[] } {
  const m = /^(.*?)\s*\bbpf_\w+\((.*)\)$/.exec(proto);
  if (!m) return { ret: '', params: [] };
  const params = m[2].trim() === 'void' || m[2].trim() === '' ? [] : m[2].split(',').map((s) => s.trim());
  return { ret: m[1].trim(), params };
}

export const HELPERS: readonly HelperInfo[] = HELPER_ROWS.map(([id, name, proto]) => ({
  id, name: `bpf_${name}`, proto, ...parseProto(proto),
}));

/** One past the highest helper id (`__BPF_FUNC_MAX_ID`). */
export const HELPER_MAX_ID = HELPERS.length;

const byName = new Map(HELPERS.map((h) => [h.name, h]));

export const helperById = (id: number): HelperInfo | undefined =>
  Number.isInteger(id) && id >= 0 && id < HELPERS.length ? HELPERS[id] : undefined;

/** Looks a helper up by name, with or without the `bpf_` prefix. */
export const helperByName = (name: string): HelperInfo | undefined =>
  byName.get(name.startsWith('bpf_') ? name : `bpf_${name}`);
