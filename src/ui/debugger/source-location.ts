/**
 * Where the current step is in the user's files: the assembly line an instruction came
 * from (a verification of a `.s` file), or the C line a log's `; source @ file:line`
 * names, when the workspace has a file of that name.
 */
import type { PlaygroundState } from '../store/create-store';
import { steppingVerifier } from '../store/slices/run';
import { lineOfPc } from '../run/targets';

export interface SourceLocation {
  file: string;
  line: number;
}

const SOURCE = /^; (.*) @ ([^\s@]+):(\d+)$/;

export function currentSourceLocation(s: PlaygroundState): SourceLocation | null {
  // Stepping through an execution (outside the verifier's views): the VM's current instruction.
  const tr = s.trace;
  if (tr && !steppingVerifier(s) && s.exec.target?.key === tr.targetKey) {
    const t = s.exec.target;
    // A tail call runs another program of the object: its lines, then.
    const program = t.program !== undefined ? tr.data.progs[tr.step] : undefined;
    return lineOfPc(s, { ...t, program }, tr.data.slots[tr.step]);
  }
  const doc = s.log;
  const p = doc.parsed;
  if (!p || doc.step === null) return null;
  const step = p.steps[doc.step];
  if (!step) return null;
  if (doc.asmFile !== undefined) {
    // The listing of the same file maps instructions to lines (while it is not edited into an error).
    if (s.asm.file !== doc.asmFile || !s.asm.view) return null;
    const row = s.asm.view.rows.find((r) => r.pc === step.pc);
    return row ? { file: doc.asmFile, line: row.line } : null;
  }
  // The last source line the log printed at or before the step.
  for (let k = doc.step; k >= 0; k--) {
    const src = p.steps[k].source;
    if (src === undefined) continue;
    const m = SOURCE.exec(p.lines[src]);
    if (!m || !s.files.some((f) => f.name === m[2])) return null;
    return { file: m[2], line: Number(m[3]) };
  }
  return null;
}
