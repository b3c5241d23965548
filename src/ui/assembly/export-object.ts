/**
 * "Export .o" in assembly mode: the assembled program as an ELF object that libbpf and
 * bpftool load (one program in the file's `.section`, its maps as BTF-defined `.maps`).
 */
import { assemble } from '../../core/asm/parse';
import { writeBpfObject } from '../../core/elf/write-object';

export type ExportOutcome = { ok: true; bytes: Uint8Array; fileName: string } | { ok: false; problem: string };

export function assembledObject(source: string, asmFile: string): ExportOutcome {
  let r: ReturnType<typeof assemble>;
  try {
    r = assemble(source);
  } catch (e) {
    return { ok: false, problem: `${asmFile} does not assemble: ${(e as Error).message}` };
  }
  if (r.insns.length === 0) return { ok: false, problem: `${asmFile} has no instructions` };
  try {
    const bytes = writeBpfObject({
      programs: [{ name: 'prog', section: r.section ?? 'socket', insns: r.insns, mapRefs: r.mapRefs }],
      maps: r.maps,
      license: r.license ?? 'GPL',
    });
    return { ok: true, bytes, fileName: `${asmFile.replace(/^.*\//, '').replace(/\.[^.]*$/, '')}.o` };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  }
}
