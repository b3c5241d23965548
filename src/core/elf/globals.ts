/**
 * Global variables of a loaded object and setting them before load, as a libbpf skeleton
 * does (`skel->rodata->min_len = 100;` between open and load): `const volatile` knobs in
 * `.rodata`, and initial values in `.data` / `.bss`. A map's `vars` (from the ELF
 * symbols, with BTF types where the DATASEC names them) say where each variable lives.
 */
import { LoadError } from './load-error';
import type { LoadedObject, MapDef } from './loaded-object';

export interface GlobalVariable {
  /** Index of the global-data map holding it. */
  map: number;
  /** Section: `.rodata`, `.data`, `.bss`, `.data.custom`, ... */
  section: string;
  name: string;
  offset: number;
  size: number;
  btfTypeId?: number;
}

/** Every named variable of the object's global-data maps. */
export function globalVariables(obj: LoadedObject): GlobalVariable[] {
  const out: GlobalVariable[] = [];
  obj.maps.forEach((m, map) => {
    for (const v of m.vars ?? []) out.push({ map, section: m.section ?? m.name, ...v });
  });
  return out;
}

export type GlobalValue = Uint8Array | number | bigint | boolean | string;

/** Little-endian bytes of a value for a variable of `size` bytes; throws on values that do not fit. */
export function encodeGlobalValue(name: string, size: number, value: GlobalValue): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length !== size) throw new LoadError(`variable '${name}' is ${size} bytes, the value ${value.length}`);
    return Uint8Array.from(value);
  }
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    if (bytes.length >= size) throw new LoadError(`variable '${name}' holds ${size - 1} characters and a NUL; "${value}" is ${bytes.length} bytes`);
    const out = new Uint8Array(size);
    out.set(bytes);
    return out;
  }
  if (![1, 2, 4, 8].includes(size)) throw new LoadError(`variable '${name}' is ${size} bytes: give its value as bytes`);
  let n: bigint;
  if (typeof value === 'boolean') n = value ? 1n : 0n;
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new LoadError(`variable '${name}': ${value} is not an integer`);
    n = BigInt(value);
  } else n = value;
  const bits = BigInt(size * 8);
  if (n < -(1n << (bits - 1n)) || n >= 1n << bits) throw new LoadError(`variable '${name}': ${value} does not fit in ${size} bytes`);
  let u = BigInt.asUintN(size * 8, n);
  const out = new Uint8Array(size);
  for (let k = 0; k < size; k++, u >>= 8n) out[k] = Number(u & 0xffn);
  return out;
}

/**
 * A copy of the object with a global variable's initial value replaced (the object
 * itself is not changed). `name` is the C name, or `section:name` when several data
 * sections have a variable of that name.
 */
export function setGlobalVariable(obj: LoadedObject, name: string, value: GlobalValue): LoadedObject {
  const colon = name.lastIndexOf(':');
  const [section, varName] = colon > 0 ? [name.slice(0, colon), name.slice(colon + 1)] : [undefined, name];
  const all = globalVariables(obj);
  const found = all.filter((v) => v.name === varName && (section === undefined || v.section === section));
  if (!found.length) {
    const known = all.map((v) => v.name).join(', ') || 'none';
    throw new LoadError(`no global variable '${name}' (known: ${known})`);
  }
  if (found.length > 1) throw new LoadError(`global variable '${name}' is in ${found.map((v) => v.section).join(' and ')}: say which, as section:name`);
  const v = found[0];
  const bytes = encodeGlobalValue(name, v.size, value);
  const maps: MapDef[] = obj.maps.map((m, k) => {
    if (k !== v.map) return m;
    const initial = Uint8Array.from(m.initial ?? new Uint8Array(m.valueSize));
    initial.set(bytes, v.offset);
    return { ...m, initial };
  });
  return { ...obj, maps };
}
