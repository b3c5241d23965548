/**
 * Reads what a user hands to `bpfplay` (and the playground's importer) into a
 * `LoadedObject`: an ELF object, assembly text, or the JSON instruction forms.
 *
 *   ["b700000000000000", "9500000000000000"]                           bare instructions
 *   {"insns": [...], "prog_type": "xdp", "maps": [...], "fixups": {"map_fds": [[3, 0]]}}
 */
import { assemble } from './asm/parse';
import { loadElfObject, type LoadElfOptions } from './elf/load-elf';
import { objectNameFromPath } from './elf/maps';
import { mapFromJson, objectFromInsns, type JsonMapSpec, type LoadedObject } from './elf/loaded-object';
import { sectionMeaning } from './elf/sections';
import { programFromHex } from './isa/insn';
import { MAP_TYPES } from './isa/kernel-types';

/** Bad input: the message is one line for the user (the CLI exits 2 with it). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export type InputKind = 'elf' | 'asm' | 'json';

export function detectInputKind(bytes: Uint8Array, fileName = ''): InputKind {
  if (bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46) return 'elf';
  if (/\.o$/i.test(fileName)) return 'elf';
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart();
  if (/\.json$/i.test(fileName) || head.startsWith('[') || head.startsWith('{')) return 'json';
  return 'asm';
}

export interface LoadInputOptions {
  /** Overrides the program type (`--type`). */
  progType?: string;
  /** ELF only: the kernel BTF for CO-RE, kfuncs and typed ksyms (see LoadElfOptions). */
  targetBtf?: LoadElfOptions['targetBtf'];
}

/** Loads any supported input; throws `InputError` with a one-line reason on bad input. */
export function loadInput(bytes: Uint8Array, fileName = '', opts: LoadInputOptions = {}): LoadedObject {
  const kind = detectInputKind(bytes, fileName);
  try {
    if (kind === 'elf') return loadElfObject(bytes, { progType: opts.progType, objectName: objectNameFromPath(fileName), targetBtf: opts.targetBtf });
    const text = new TextDecoder().decode(bytes);
    if (kind === 'json') return loadJson(text, opts);
    const r = assemble(text);
    if (r.insns.length === 0) throw new InputError('no instructions in the assembly input');
    const progType = opts.progType ?? (r.section ? sectionMeaning(r.section)?.progType : undefined) ?? 'socket_filter';
    return objectFromInsns({
      insns: r.insns,
      progType,
      maps: r.maps.map((m, k) => mapFromJson({ ...m, type: String(MAP_TYPES.value(m.type) ?? m.type) }, k)),
      mapFds: r.mapRefs,
      license: r.license,
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    const where = fileName ? `${fileName}: ` : '';
    throw new InputError(`${where}${(e as Error).message}`);
  }
}

interface JsonObjectForm {
  insns: string[];
  prog_type?: string;
  maps?: JsonMapSpec[];
  fixups?: { map_fds?: [number, number][] };
  name?: string;
  license?: string;
}

function loadJson(text: string, opts: LoadInputOptions): LoadedObject {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`);
  }
  const form: JsonObjectForm = Array.isArray(v) ? { insns: v as string[] } : (v as JsonObjectForm);
  if (!form || !Array.isArray(form.insns)) throw new InputError('JSON input must be an array of 16-hex-digit instructions or an object with "insns"');
  if (form.insns.length === 0) throw new InputError('JSON input has no instructions');
  const insns = programFromHex(form.insns);
  const maps = (form.maps ?? []).map((m, k) => mapFromJson(m, k));
  return objectFromInsns({
    insns,
    progType: opts.progType ?? form.prog_type?.replace(/^BPF_PROG_TYPE_/i, '').toLowerCase() ?? 'socket_filter',
    maps,
    mapFds: form.fixups?.map_fds ?? [],
    name: form.name,
    license: form.license,
  });
}
