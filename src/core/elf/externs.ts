/**
 * `extern` symbols of an object, as libbpf 1.1 collects and resolves them
 * (`bpf_object__collect_externs`, `bpf_object__resolve_externs`):
 *
 * - `__kconfig` externs (BTF DATASEC `.kconfig`) live in a read-only `.kconfig` map,
 *   laid out by descending alignment, then ascending size, then name. libbpf fills in
 *   `LINUX_KERNEL_VERSION`, `LINUX_HAS_BPF_COOKIE`, `LINUX_HAS_SYSCALL_WRAPPER` itself and
 *   `CONFIG_*` from the kernel's config; bpfplay takes those from options.
 * - `__ksym` externs (DATASEC `.ksyms`): typed variables and kfuncs resolve to the target
 *   kernel BTF's id of the same name; typeless ones need /proc/kallsyms, which a
 *   playground does not have.
 */
import { BTF_FUNC_EXTERN, BTF_INT_BOOL, BTF_INT_SIGNED, BTF_VAR_GLOBAL_EXTERN, type Btf } from '../btf/btf';
import { typesAreCompat } from '../btf/core-relo';
import type { ElfFile } from './elf64';
import { LoadError } from './load-error';

export type KcfgType = 'bool' | 'tristate' | 'char' | 'int' | 'char_arr';

export interface ExternDesc {
  name: string;
  symIdx: number;
  btfId: number;
  weak: boolean;
  type: 'kcfg' | 'ksym';
  /** ksym: a function (kfunc) rather than a variable. */
  isFunc?: boolean;
  /** ksym variable: local BTF type id after modifiers (0 = typeless). */
  ksymTypeId?: number;
  kcfg?: { size: number; align: number; type: KcfgType; signed: boolean; dataOff: number };
  /** Filled by resolution. */
  resolved?: { btfId?: number; value?: Uint8Array };
}

const isExternSym = (s: { shndx: number; bind: number; type: number }): boolean => s.shndx === 0 && (s.bind === 1 || s.bind === 2) && s.type === 0;

function kcfgType(btf: Btf, id: number): { type?: KcfgType; signed: boolean } {
  const t = btf.type(btf.skipModsAndTypedefs(id));
  switch (t.kind) {
    case 'int':
      if (t.encoding & BTF_INT_BOOL) return { type: t.size === 1 ? 'bool' : undefined, signed: false };
      if (t.size === 1) return { type: 'char', signed: (t.encoding & BTF_INT_SIGNED) !== 0 };
      if (t.size < 1 || t.size > 8 || (t.size & (t.size - 1))) return { signed: false };
      return { type: 'int', signed: (t.encoding & BTF_INT_SIGNED) !== 0 };
    case 'enum': case 'enum64':
      return { type: t.name === 'libbpf_tristate' && (t.kind === 'enum64' || t.size === 4) ? 'tristate' : undefined, signed: false };
    case 'array':
      if (t.nelems === 0 || kcfgType(btf, t.type).type !== 'char') return { signed: false };
      return { type: 'char_arr', signed: false };
    default:
      return { signed: false };
  }
}

/** Collects externs; throws LoadError the way libbpf refuses them. */
export function collectExterns(file: ElfFile, btf: Btf | undefined): ExternDesc[] {
  const out: ExternDesc[] = [];
  file.symbols.forEach((sym, symIdx) => {
    if (!isExternSym(sym) || !sym.name) return;
    if (!btf) throw new LoadError(`failed to find BTF for extern '${sym.name}': the object has no .BTF`);
    const btfId = btf.idsByName(sym.name).find((id) => {
      const t = btf.types[id];
      return t.kind === 'var' || t.kind === 'func';
    });
    if (btfId === undefined) throw new LoadError(`failed to find BTF for extern '${sym.name}': -2`);
    const t = btf.types[btfId];
    if ((t.kind === 'var' && t.linkage !== BTF_VAR_GLOBAL_EXTERN) || (t.kind === 'func' && t.linkage !== BTF_FUNC_EXTERN)) {
      throw new LoadError(`failed to find BTF for extern '${sym.name}': -22`);
    }
    const secId = btf.types.findIndex((s) => s.kind === 'datasec' && s.vars.some((v) => v.type === btfId));
    if (secId < 0) throw new LoadError(`failed to find BTF for extern '${sym.name}' [${btfId}] section: -2`);
    const secName = btf.types[secId].name;
    const ext: ExternDesc = { name: sym.name, symIdx, btfId, weak: sym.bind === 2, type: 'kcfg' };
    if (secName === '.kconfig') {
      if (t.kind === 'func') throw new LoadError(`extern function ${sym.name} is unsupported under .kconfig section`);
      const vt = (t as { type: number }).type;
      let size: number;
      let align: number;
      try {
        size = btf.resolveSize(vt);
        align = btf.alignOf(vt);
      } catch (e) {
        throw new LoadError(`failed to resolve size of extern (kcfg) '${sym.name}': ${(e as Error).message}`);
      }
      const k = kcfgType(btf, vt);
      if (!k.type) throw new LoadError(`extern (kcfg) '${sym.name}': type is unsupported`);
      ext.kcfg = { size, align, type: k.type, signed: k.signed, dataOff: 0 };
    } else if (secName === '.ksyms') {
      ext.type = 'ksym';
      ext.isFunc = t.kind === 'func';
      // Variable: its type; function: its prototype (libbpf's ksym.type_id).
      ext.ksymTypeId = btf.skipModsAndTypedefs((t as { type: number }).type);
    } else {
      throw new LoadError(`unrecognized extern section '${secName}'`);
    }
    out.push(ext);
  });
  // kcfg first (by alignment desc, size asc, name), then ksyms by name.
  out.sort((a, b) => {
    if (a.type !== b.type) return a.type === 'kcfg' ? -1 : 1;
    if (a.kcfg && b.kcfg) {
      if (a.kcfg.align !== b.kcfg.align) return b.kcfg.align - a.kcfg.align;
      if (a.kcfg.size !== b.kcfg.size) return a.kcfg.size - b.kcfg.size;
    }
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  let off = 0;
  for (const e of out) {
    if (!e.kcfg) continue;
    e.kcfg.dataOff = Math.ceil(off / e.kcfg.align) * e.kcfg.align;
    off = e.kcfg.dataOff + e.kcfg.size;
  }
  return out;
}

/** Size of the `.kconfig` map: end of the last kcfg extern. */
export function kconfigSize(externs: readonly ExternDesc[]): number {
  let size = 0;
  for (const e of externs) if (e.kcfg) size = Math.max(size, e.kcfg.dataOff + e.kcfg.size);
  return size;
}

export type KconfigValue = string | number | bigint | boolean;

export interface KconfigOptions {
  /** `LINUX_KERNEL_VERSION` (KERNEL_VERSION(a, b, c) = a << 16 | b << 8 | min(c, 255)). */
  kernelVersion: number;
  hasBpfCookie: boolean;
  hasSyscallWrapper: boolean;
  /** `CONFIG_*` values: 'y' / 'n' / 'm', numbers, or quoted strings as in a .config file. */
  config: Readonly<Record<string, KconfigValue>>;
}

/**
 * 6.18 on x86-64 as libbpf sees the reference machine (6.18.44), without any CONFIG_*
 * values; the full Kconfig comes from the kernel data files (core/kernel-data.ts).
 */
export const KERNEL_6_18: KconfigOptions = {
  kernelVersion: (6 << 16) | (18 << 8) | 44,
  hasBpfCookie: true,
  hasSyscallWrapper: true,
  config: {},
};

/** Writes the kconfig externs' values into the `.kconfig` map's bytes. */
export function resolveKconfig(externs: readonly ExternDesc[], data: Uint8Array, opts: KconfigOptions): void {
  for (const e of externs) {
    if (!e.kcfg) continue;
    const at = data.subarray(e.kcfg.dataOff, e.kcfg.dataOff + e.kcfg.size);
    let v: KconfigValue | undefined;
    if (e.name.startsWith('CONFIG_')) v = opts.config[e.name];
    else if (e.name === 'LINUX_KERNEL_VERSION') v = opts.kernelVersion;
    else if (e.name === 'LINUX_HAS_BPF_COOKIE') v = opts.hasBpfCookie ? 1 : 0;
    else if (e.name === 'LINUX_HAS_SYSCALL_WRAPPER') v = opts.hasSyscallWrapper ? 1 : 0;
    else if (!e.name.startsWith('LINUX_') || !e.weak) throw new LoadError(`extern (kcfg) '${e.name}': unrecognized virtual extern`);
    if (v === undefined) {
      if (!e.weak) throw new LoadError(`extern '${e.name}' (strong): not resolved (bpfplay has no value for it; pass it in the kconfig options)`);
      continue;
    }
    setKcfgValue(e, at, v);
  }
}

function setKcfgValue(e: ExternDesc, at: Uint8Array, v: KconfigValue): void {
  const k = e.kcfg!;
  const s = typeof v === 'boolean' ? (v ? 'y' : 'n') : String(v);
  if (typeof v === 'string' && /^[ynm]$/.test(s)) {
    if (k.type === 'bool') {
      if (s === 'm') throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' implies tristate or char type`);
      at[0] = s === 'y' ? 1 : 0;
    } else if (k.type === 'tristate') new DataView(at.buffer, at.byteOffset, 4).setUint32(0, s === 'y' ? 1 : s === 'm' ? 2 : 0, true);
    else if (k.type === 'char') at[0] = s.charCodeAt(0);
    else throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' implies bool, tristate, or char type`);
    return;
  }
  if (typeof v === 'string' && s.startsWith('"')) {
    if (k.type !== 'char_arr') throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' implies char array type`);
    if (!s.endsWith('"') || s.length < 2) throw new LoadError(`extern (kcfg) '${e.name}': invalid string config '${s}'`);
    const bytes = new TextEncoder().encode(s.slice(1, -1)).subarray(0, k.size - 1);
    at.fill(0);
    at.set(bytes);
    return;
  }
  let n: bigint;
  try {
    n = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
  } catch {
    throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' isn't a valid integer`);
  }
  if (k.type !== 'int' && k.type !== 'char' && k.type !== 'bool') throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' implies integer, char, or boolean type`);
  if (k.type === 'bool' && (n < 0n || n > 1n)) throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' isn't boolean compatible`);
  const bits = BigInt(k.size * 8);
  if (k.size < 8) {
    const u = BigInt.asUintN(64, n);
    const fits = k.signed ? BigInt.asUintN(64, u + (1n << (bits - 1n))) < (1n << bits) : u >> bits === 0n;
    if (!fits) throw new LoadError(`extern (kcfg) '${e.name}': value '${s}' doesn't fit in ${k.size} bytes`);
  }
  let u = BigInt.asUintN(Number(bits), n);
  for (let b = 0; b < k.size; b++, u >>= 8n) at[b] = Number(u & 0xffn);
}

/**
 * Resolves `__ksym` externs against the target kernel BTF (typed variables and kfuncs),
 * checking the local declaration against the kernel's as libbpf does.
 */
export function resolveKsyms(externs: readonly ExternDesc[], target: Btf | undefined, local?: Btf): void {
  for (const e of externs) {
    if (e.type !== 'ksym') continue;
    if (!e.isFunc && !e.ksymTypeId) {
      if (e.weak) continue;
      throw new LoadError(`extern '${e.name}': typeless ksyms need the kernel's symbol addresses (/proc/kallsyms), which bpfplay does not have`);
    }
    if (!target) throw new LoadError(`extern '${e.name}': resolving ${e.isFunc ? 'kfuncs' : 'typed ksyms'} needs the kernel's BTF`);
    const kind = e.isFunc ? 'func' : 'var';
    const id = target.idsByName(e.name).find((i) => target.types[i].kind === kind);
    if (id === undefined) {
      if (e.weak) continue;
      throw new LoadError(e.isFunc
        ? `extern (func ksym) '${e.name}': not found in kernel or module BTFs`
        : `extern (var ksym) '${e.name}': not found in kernel BTF`);
    }
    if (local && e.ksymTypeId !== undefined) {
      const kt = target.types[id] as { type: number };
      const targType = e.isFunc ? kt.type : target.skipModsAndTypedefs(kt.type);
      if (!typesAreCompat(local, e.ksymTypeId, target, targType)) {
        if (e.isFunc) throw new LoadError(`extern (func ksym) '${e.name}': func_proto [${e.ksymTypeId}] incompatible with kernel [${targType}]`);
        const lt = local.types[e.ksymTypeId];
        const tt = target.types[targType];
        throw new LoadError(`extern (var ksym) '${e.name}': incompatible types, expected [${e.ksymTypeId}] ${lt.kind} ${lt.name}, but kernel has [${targType}] ${tt.kind} ${tt.name}`);
      }
    }
    e.resolved = { btfId: id };
  }
}
