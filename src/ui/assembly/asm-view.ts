/**
 * Assembly mode's model: source text in, the rows of the instruction table out — each
 * instruction with its encoded 8-byte slots, the kernel's text of it and llvm-objdump's,
 * and the source line it came from. Everything here is computed by the core; this module
 * only arranges it. Pure (no DOM), so it is tested in Node.
 */
// Module by module, not the core's index: the page's first bundle takes only what it uses.
import { assemble, AsmError } from '../../core/asm/parse';
import { formatKernelListing } from '../../core/asm/listing';
import { formatLlvmInsn, nearestSymbolizer } from '../../core/asm/format-llvm';
import { insnToHex, insnWidth } from '../../core/isa/insn';
import { sectionMeaning } from '../../core/elf/sections';
import { PROG_TYPES } from '../../core/isa/kernel-types';
import { mapRefOf } from '../../core/elf/loaded-object';
import type { MapSpec } from '../../core/elf/write-object';
import { mapNameResolvers } from '../listing/map-names';

export interface AsmRow {
  /** Index of the instruction's first slot. */
  pc: number;
  /** Its 8-byte slots as 16 hex digits each (two for lddw). */
  slots: string[];
  /** The kernel's text (verifier log form): `4: (18) r1 = 0x0`. */
  kernel: string;
  /** llvm-objdump's text, without address: `r1 = 0x0 ll`. */
  llvm: string;
  /** 1-based source line. */
  line: number;
  /** For an lddw that loads a map (or points into its value): the map's name. */
  map?: string;
  /** For an lddw into a map's value: the byte offset. */
  mapValueOff?: number;
}

export interface AsmView {
  rows: AsmRow[];
  slotCount: number;
  maps: MapSpec[];
  section?: string;
  /** The program type the section means to libbpf, e.g. `xdp`. */
  progType?: string;
  license?: string;
}

export interface AsmProblem {
  line: number;
  /** 1-based columns of the range to mark, end exclusive (Monaco's convention). */
  startColumn: number;
  endColumn: number;
  message: string;
}

export type AsmOutcome = { ok: true; view: AsmView } | { ok: false; problem: AsmProblem };

export interface AsmViewOptions {
  /** llvm-objdump `--mcpu=v3` and up: decode ALU32 register forms. */
  alu32: boolean;
}

export function assembleForView(source: string, opts: AsmViewOptions): AsmOutcome {
  let r: ReturnType<typeof assemble>;
  try {
    r = assemble(source);
  } catch (e) {
    if (e instanceof AsmError) return { ok: false, problem: problemAt(source, e.line, e.column, e.detail) };
    // Anything else is a bug in the assembler; still show it where the user looks.
    return { ok: false, problem: { line: 1, startColumn: 1, endColumn: 2, message: `internal assembler error: ${(e as Error).message}` } };
  }
  const { insns } = r;
  // llvm-objdump names jump targets by the nearest symbol; the labels play that role.
  const symbols = [...r.labels].map(([name, slot]) => ({ name, addr: BigInt(slot * 8) }));
  if (!symbols.some((s) => s.addr === 0n)) symbols.push({ name: 'prog', addr: 0n });
  const symbolize = nearestSymbolizer(symbols);
  const kernel = formatKernelListing(insns, { resolvers: mapNameResolvers(r.maps.map((m) => m.name)) });
  const rows: AsmRow[] = [];
  let k = 0;
  for (let pc = 0; pc < insns.length; pc += insnWidth(insns, pc)) {
    const w = Math.min(insnWidth(insns, pc), insns.length - pc);
    const row: AsmRow = {
      pc,
      slots: insns.slice(pc, pc + w).map(insnToHex),
      kernel: kernel[k++],
      llvm: formatLlvmInsn(insns, pc, { alu32: opts.alu32, symbolize }),
      line: r.lines[pc],
    };
    const ref = mapRefOf(insns, pc);
    if (ref && r.maps[ref.map]) {
      row.map = r.maps[ref.map].name;
      if (ref.valueOff !== undefined) row.mapValueOff = ref.valueOff;
    }
    rows.push(row);
  }
  const meaning = r.section !== undefined ? sectionMeaning(r.section) : undefined;
  return {
    ok: true,
    view: {
      rows,
      slotCount: insns.length,
      maps: r.maps,
      section: r.section,
      progType: meaning ? PROG_TYPES.name(meaning.progType) : undefined,
      license: r.license,
    },
  };
}

/**
 * The range an error marker covers: the word at the reported column, or the last
 * character of the line when the error is "at end of line".
 */
export function problemAt(source: string, line: number, column: number, message: string): AsmProblem {
  const text = source.split(/\r?\n/)[line - 1] ?? '';
  let start = Math.max(1, column);
  let end = start;
  while (end - 1 < text.length && !/\s/.test(text[end - 1])) end++;
  if (end === start) {
    // Past the last token: mark the last visible character instead of nothing.
    const trimmed = text.trimEnd().length;
    if (trimmed > 0) { start = Math.min(start, trimmed); end = start + 1; } else end = start + 1;
  }
  return { line, startColumn: start, endColumn: end, message };
}
