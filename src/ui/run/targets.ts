/**
 * What "Run" runs and how its instructions map to source lines: the assembly file (its
 * lines are its instructions) or a program of the imported object (BTF line info names
 * the C lines). Pure functions of the playground state.
 */
import type { PlaygroundState } from '../store/create-store';
import type { Breakpoint, RunTargetInfo } from '../store/slices/run';
import { base64ToBytes } from '../workspace/base64';
import type { RunTarget } from '../../workers/vm-exec-spec';
import { inputKindOf } from './context-layout';

export interface TargetChoice extends RunTargetInfo {
  /** What the worker loads; built on demand (an object's bytes are decoded then). */
  request(): RunTarget;
  /** Changes when the program does (the text, or the object's base64). */
  source: string;
}

type S = Pick<PlaygroundState, 'asm' | 'files' | 'importedObject' | 'object' | 'runTargetKey' | 'exec' | 'logDocs'>;

export function targetChoices(s: S): TargetChoice[] {
  const out: TargetChoice[] = [];
  const file = s.asm.file;
  const text = file === null ? undefined : s.files.find((f) => f.name === file)?.text;
  if (file !== null && text !== undefined && s.asm.view && !s.asm.problem && s.asm.view.rows.length) {
    out.push({
      key: `asm:${file}`, title: file, file, progType: s.asm.view.progType ?? 'socket_filter', source: text,
      request: () => ({ kind: 'asm', name: file, text }),
    });
  }
  const o = s.importedObject;
  const view = s.object.view;
  if (o && view && s.object.status === 'ready') {
    view.programs.forEach((p, program) => {
      out.push({
        key: `obj:${o.name}:${program}`, title: `${o.name}: ${p.name}`, program, progType: p.progType, source: o.base64,
        request: () => ({ kind: 'object', name: o.name, bytes: base64ToBytes(o.base64), program }),
      });
    });
  }
  return out;
}

/**
 * The target Run uses: the one chosen, else the one run last, else the one verified last,
 * else the assembly file, else the object's first program.
 */
export function currentTarget(s: S): TargetChoice | null {
  const all = targetChoices(s);
  const byKey = (k: string | null | undefined) => (k ? all.find((t) => t.key === k) : undefined);
  const v = s.logDocs.verifier;
  let verified: string | undefined;
  if (v.status !== 'none') {
    const m = /^(.*), program (\d+)$/.exec(v.title);
    verified = v.asmFile !== undefined ? `asm:${v.asmFile}` : m ? `obj:${m[1]}:${m[2]}` : undefined;
  }
  return byKey(s.runTargetKey) ?? byKey(s.exec.target?.key) ?? byKey(verified) ?? all[0] ?? null;
}

/** What the program runs on, and a key that changes with it. */
export function runInputFor(s: Pick<PlaygroundState, 'runInputs'>, progType: string | null): { input: { data?: Uint8Array; ctx?: Uint8Array }; key: string } {
  const kind = inputKindOf(progType ?? 'socket_filter');
  if (kind.kind === 'packet') return { input: { data: hexBytes(s.runInputs.packet) }, key: `packet:${s.runInputs.packet}` };
  const hex = s.runInputs.ctx[kind.layout.id] ?? '';
  const bytes = new Uint8Array(kind.layout.size);
  bytes.set(hexBytes(hex).subarray(0, kind.layout.size));
  return { input: { ctx: bytes }, key: `ctx:${kind.layout.id}:${hex}` };
}

export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** The instructions (first slots) a source line compiled to, in a target. */
export function pcsOfLine(s: Pick<PlaygroundState, 'asm' | 'object'>, t: RunTargetInfo, file: string, line: number): number[] {
  if (t.file !== undefined) {
    if (t.file !== file || s.asm.file !== file || !s.asm.view) return [];
    return s.asm.view.rows.filter((r) => r.line === line).map((r) => r.pc);
  }
  const p = t.program !== undefined ? s.object.view?.programs[t.program] : undefined;
  if (!p) return [];
  const insns = p.rows.flatMap((r) => (r.kind === 'insn' ? [r.pc] : []));
  const info = [...p.lineInfo].sort((a, b) => a.insnOff - b.insnOff);
  const out: number[] = [];
  info.forEach((l, k) => {
    if (l.line !== line || l.file !== basename(file)) return;
    const end = info[k + 1]?.insnOff ?? Infinity;
    for (const pc of insns) if (pc >= l.insnOff && pc < end) out.push(pc);
  });
  return [...new Set(out)];
}

/** The source line of an instruction of a target, in the workspace's files; null when there is none. */
export function lineOfPc(s: Pick<PlaygroundState, 'asm' | 'object' | 'files'>, t: RunTargetInfo, pc: number): { file: string; line: number } | null {
  if (t.file !== undefined) {
    if (s.asm.file !== t.file || !s.asm.view) return null;
    const row = s.asm.view.rows.find((r) => r.pc === pc);
    return row ? { file: t.file, line: row.line } : null;
  }
  const p = t.program !== undefined ? s.object.view?.programs[t.program] : undefined;
  if (!p) return null;
  let best: { file: string; line: number; insnOff: number } | null = null;
  for (const l of p.lineInfo) if (l.insnOff <= pc && (!best || l.insnOff >= best.insnOff)) best = l;
  if (!best || !s.files.some((f) => f.name === best!.file)) return null;
  return { file: best.file, line: best.line };
}

/** The instructions of a target where breakpoints are set. */
export function breakpointPcs(s: Pick<PlaygroundState, 'asm' | 'object' | 'breakpoints'>, t: RunTargetInfo): Set<number> {
  const out = new Set<number>();
  for (const b of s.breakpoints as Breakpoint[]) {
    if (b.kind === 'insn') { if (b.target === t.key) out.add(b.pc); continue; }
    for (const pc of pcsOfLine(s, t, b.file, b.line)) out.add(pc);
  }
  return out;
}
