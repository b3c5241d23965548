/**
 * The Xlated and Jited listings of a verified program: what `bpftool prog dump xlated`
 * and `dump jited` would print once the kernel has loaded it (with `opcodes` and
 * `linum`), line by line, each line tied to the loaded instruction it came from, so the
 * panels follow the debugger's current step. Computed in the worker with the core's
 * xlated rewrites and x86-64 JIT; plain data.
 */
import {
  formatJitedListing, formatXlated, jitProgram, xlatedProtos, xlateProgram, type LoadedObject, type LoadedProgram,
} from '../../core/index';

export type ListingLineKind = 'insn' | 'bytes' | 'source' | 'func' | 'blank';

export interface ListingLine {
  text: string;
  kind: ListingLineKind;
  /** The loaded instruction (slot) the line's instruction was made from; null for other lines. */
  origin: number | null;
}

export interface ProgramListings {
  xlated: ListingLine[];
  /** Null when the JIT cannot compile the program (jitError says why). */
  jited: ListingLine[] | null;
  jitError?: string;
  xlatedInsns: number;
  jitedBytes: number;
  tag: string;
  /** Where bpfplay's listings may differ from the kernel's. */
  notes: string[];
}

const RE_XLATED_INSN = /^\s*(\d+): \(/;
const RE_BYTES = /^\s+[0-9a-f]{2}( [0-9a-f]{2})*\s*$/;
const RE_JITED_INSN = /^\s*([0-9a-f]+):\t/;

export function programListings(obj: LoadedObject, p: LoadedProgram): ProgramListings {
  const x = xlateProgram(obj, p);
  const protos = xlatedProtos(obj, p, x);
  const xlatedText = formatXlated(x, protos, { opcodes: true, linum: true });
  const xlated: ListingLine[] = [];
  let last: number | null = null;
  for (const text of xlatedText.replace(/\n$/, '').split('\n')) {
    const m = RE_XLATED_INSN.exec(text);
    if (m) {
      last = x.origin[Number(m[1])] ?? null;
      xlated.push({ text, kind: 'insn', origin: last });
    } else if (RE_BYTES.test(text)) xlated.push({ text, kind: 'bytes', origin: last });
    else if (text.startsWith('; ')) xlated.push({ text, kind: 'source', origin: null });
    else xlated.push({ text, kind: text.trim() ? 'func' : 'blank', origin: null });
  }

  const out: ProgramListings = { xlated, jited: null, xlatedInsns: x.insns.length, jitedBytes: 0, tag: x.tag, notes: x.notes };
  try {
    const r = jitProgram({
      insns: x.insns, progType: x.progType, stackDepths: x.stackDepths, funcStarts: x.funcStarts,
      directTailCalls: x.directTailCalls, probeMem: x.probeMem,
    });
    out.jitedBytes = r.image.length;
    // Image offset → xlated slot, for the origin of each machine instruction.
    const slotAt = new Int32Array(r.image.length).fill(-1);
    r.insnRanges.forEach(([a, b], slot) => { for (let k = a; k < b; k++) if (slotAt[k] < 0) slotAt[k] = slot; });
    const text = formatJitedListing({
      result: r,
      functions: r.functions.map((_, f) => ({ name: x.funcSymbols[f], proto: protos[f] || undefined })),
      lineInfo: x.lineInfo,
    }, { opcodes: true, linum: true });
    const jited: ListingLine[] = [];
    let fn = -1;
    let lastJ: number | null = null;
    for (const line of text.replace(/\n$/, '').split('\n')) {
      const m = RE_JITED_INSN.exec(line);
      if (m) {
        const off = (r.functions[fn]?.offset ?? 0) + parseInt(m[1], 16);
        const slot = slotAt[off];
        lastJ = slot >= 0 ? (x.origin[slot] ?? null) : null;
        jited.push({ text: line, kind: 'insn', origin: lastJ });
      } else if (/^\t[0-9a-f]{2}( |$)/.test(line)) jited.push({ text: line, kind: 'bytes', origin: lastJ });
      else if (line.startsWith('; ')) jited.push({ text: line, kind: 'source', origin: null });
      else if (line.trim() === '') jited.push({ text: line, kind: 'blank', origin: null });
      else {
        // `bpf_prog_<tag>_<name>:` starts a function (after its BTF prototype, if any).
        if (/^bpf_prog_[0-9a-f]+/.test(line) || !line.includes('(')) fn++;
        jited.push({ text: line, kind: 'func', origin: null });
      }
    }
    out.jited = jited;
  } catch (e) {
    out.jitError = (e as Error).message;
  }
  return out;
}
