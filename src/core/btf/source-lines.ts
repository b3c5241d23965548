/**
 * Which source line annotates which instruction, exactly as `bpftool prog dump xlated`
 * decides it (xlated_dumper.c `dump_xlated_plain` with libbpf's `bpf_prog_linfo__lfind`):
 * at each instruction, the last line-info record at or before it, searched from the
 * record after the last one printed, so each record is printed at most once, at the
 * first instruction it covers; the text is printed without leading whitespace.
 */
import type { LineInfo } from '../elf/loaded-object';
import { insnWidth, type Insn } from '../isa/insn';

export interface SourceAnnotation {
  /** Slot index of the instruction the line is printed before. */
  insn: number;
  line: LineInfo;
  /** The source text as bpftool prints it (leading whitespace removed). */
  text: string;
}

/** C isspace(): space, \t, \n, \v, \f, \r. */
export const ltrim = (s: string): string => s.replace(/^[ \t\n\v\f\r]+/, '');

/** The annotations bpftool would print for a program with this line info. */
export function sourceAnnotations(insns: readonly Insn[], lineInfo: readonly LineInfo[]): SourceAnnotation[] {
  const out: SourceAnnotation[] = [];
  let skip = 0;
  for (let pc = 0; pc < insns.length; pc += insnWidth(insns, pc)) {
    const li = lfind(lineInfo, pc, skip);
    if (li) {
      out.push({ insn: pc, line: li, text: ltrim(li.text) });
      skip++;
    }
  }
  return out;
}

function lfind(lines: readonly LineInfo[], insn: number, skip: number): LineInfo | undefined {
  if (skip >= lines.length || insn < lines[skip].insnOff) return undefined;
  let k = skip;
  while (k < lines.length && insn >= lines[k].insnOff) k++;
  return lines[k - 1];
}

/** bpftool's `linum` form of a line: `; text [file:F line_num:N line_col:C]`. */
export const formatLinum = (a: SourceAnnotation): string =>
  `; ${a.text} [file:${a.line.file} line_num:${a.line.line} line_col:${a.line.col}]`;
