/**
 * clang's diagnostics (stderr) as structured records the editor shows as markers.
 *
 * The driver asks clang for machine-friendly extras: `-fdiagnostics-print-source-range-info`
 * (`file:10:5:{10:3-10:8}: error: ...`) and `-fdiagnostics-parseable-fixits`
 * (`fix-it:"file":{10:5-10:5}:";"`). Notes attach to the diagnostic before them, fix-its
 * to the diagnostic or note they follow, `In file included from` lines to the next one.
 */

export type Severity = 'fatal' | 'error' | 'warning' | 'note' | 'remark';

export interface SourceRange {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

export interface FixIt {
  file: string;
  range: SourceRange;
  /** Replacement text. */
  text: string;
}

export interface Diagnostic {
  /** File as clang names it ('' for diagnostics without a location, e.g. from the driver). */
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  /** The warning flag, e.g. `-Wunused-variable`. */
  option?: string;
  ranges: SourceRange[];
  fixits: FixIt[];
  /** `In file included from a.c:3:` chain, outermost last: [{file, line}]. */
  includedFrom: { file: string; line: number }[];
  /** Notes that belong to this diagnostic. */
  notes: Diagnostic[];
}

const LOCATED = /^(.+?):(\d+):(\d+):((?:\{\d+:\d+-\d+:\d+\})*):? (fatal error|error|warning|note|remark): (.*)$/;
const UNLOCATED = /^(?:(.+?): )?(fatal error|error|warning|note|remark): (.*)$/;
const RANGE = /\{(\d+):(\d+)-(\d+):(\d+)\}/g;
const FIXIT = /^fix-it:"((?:[^"\\]|\\.)*)":\{(\d+):(\d+)-(\d+):(\d+)\}:"((?:[^"\\]|\\.)*)"$/;
const INCLUDED = /^(?:In file included from|\s{16}from) (.+?):(\d+)[:,]$/;

const unescape = (s: string): string => s.replace(/\\(["\\])/g, '$1').replace(/\\n/g, '\n');

function severityOf(s: string): Severity {
  return s === 'fatal error' ? 'fatal' : (s as Severity);
}

function splitOption(message: string): { message: string; option?: string } {
  const m = /^(.*) \[(-W[\w+=-]+)(?:,[^\]]*)?\]$/.exec(message);
  return m ? { message: m[1], option: m[2] } : { message };
}

/** Parses clang's stderr. Lines that are not diagnostics (snippets, carets, summaries) are skipped. */
export function parseClangDiagnostics(stderr: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  let last: Diagnostic | undefined; // the diagnostic or note fix-its attach to
  let parent: Diagnostic | undefined; // the top-level diagnostic notes attach to
  let includes: { file: string; line: number }[] = [];
  for (const line of stderr.split(/\r?\n/)) {
    const inc = INCLUDED.exec(line);
    if (inc) {
      includes.push({ file: inc[1], line: Number(inc[2]) });
      continue;
    }
    const fix = FIXIT.exec(line);
    if (fix) {
      last?.fixits.push({
        file: unescape(fix[1]),
        range: { startLine: +fix[2], startCol: +fix[3], endLine: +fix[4], endCol: +fix[5] },
        text: unescape(fix[6]),
      });
      continue;
    }
    let d: Diagnostic | undefined;
    const m = LOCATED.exec(line);
    if (m) {
      const ranges: SourceRange[] = [...m[4].matchAll(RANGE)].map((r) => ({ startLine: +r[1], startCol: +r[2], endLine: +r[3], endCol: +r[4] }));
      d = { file: m[1], line: +m[2], column: +m[3], severity: severityOf(m[5]), ...splitOption(m[6]), ranges, fixits: [], includedFrom: includes, notes: [] };
    } else if (!/^\s/.test(line)) {
      const u = UNLOCATED.exec(line);
      if (u) d = { file: '', line: 0, column: 0, severity: severityOf(u[2]), ...splitOption(u[3]), ranges: [], fixits: [], includedFrom: includes, notes: [] };
    }
    if (!d) continue;
    includes = [];
    if (d.severity === 'note' && parent) parent.notes.push(d);
    else {
      out.push(d);
      parent = d;
    }
    last = d;
  }
  return out;
}

/** Counts of errors and warnings, as clang's summary line reports them. */
export function countDiagnostics(ds: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of ds) {
    if (d.severity === 'error' || d.severity === 'fatal') errors++;
    else if (d.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}
