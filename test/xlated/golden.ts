/**
 * Reads the xlated goldens (test/golden/xlated/*.json, recorded by
 * scripts/record-listing-goldens.mjs: bpftool's dumps of the kernel's xlated programs)
 * and loads the same programs with our loader, for differential tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadInput } from '../../src/core/input';
import type { LoadedObject } from '../../src/core/elf/loaded-object';

export interface XlatedGoldenProgram {
  name: string;
  prog_type: string;
  section?: string;
  insns: string[] | null;
  xlated: string[];
  maps: { id: number; name: string; type: string }[];
  bpftool: { plain: string; opcodes: string; linum: string; visual: string; json_opcodes: unknown[]; json_linum: unknown[] };
}

export interface XlatedGoldenFile {
  file: string;
  source: string;
  programs: XlatedGoldenProgram[];
}

const dir = new URL('../golden/xlated/', import.meta.url);
const root = new URL('../../', import.meta.url);

export function xlatedGoldens(): XlatedGoldenFile[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => ({ file: f, ...JSON.parse(readFileSync(new URL(f, dir), 'utf8')) }));
}

/** Our LoadedObject for a golden's source (objects and assembly; C sources need clang). */
export function loadSource(g: XlatedGoldenFile): LoadedObject | undefined {
  if (g.source.endsWith('.bpf.c')) return undefined;
  const bytes = readFileSync(new URL(g.source, root));
  return loadInput(new Uint8Array(bytes), g.source.split('/').pop());
}

/** `map[id:N]` -> `map[id:<name>]`, so dumps compare without the kernel's map ids. */
export function normaliseMapIds(text: string, idToName: ReadonlyMap<number, string>): string {
  return text.replace(/map\[id:(\d+)\]/g, (m, id) => `map[id:${idToName.get(Number(id)) ?? `?${id}`}]`);
}
