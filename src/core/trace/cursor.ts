/**
 * One model of "a step" for both kinds of stepping the debugger does:
 * the verifier's exploration (abstract states) and the VM's execution (concrete values).
 *
 * A trace is a sequence of steps; each step executed one instruction. Producers store
 * it compactly (deltas plus periodic snapshots) and expose it through `TraceCursor`,
 * which materialises the full state at any step, so the UI can step forwards, backwards
 * and jump (run to cursor, go to error) without caring which engine made the trace.
 */

/** What one step changed, for highlighting. */
export type Change =
  | { kind: 'reg'; frame: number; reg: number }
  | { kind: 'stack'; frame: number; /** byte offset below the frame pointer, e.g. -8 */ off: number; size: number }
  | { kind: 'mem'; region: string; off: number; size: number }
  | { kind: 'map'; map: number; key: string }
  | { kind: 'output'; what: 'printk' | 'event' };

export interface TraceCursor<State> {
  /** Number of steps. */
  readonly length: number;
  /** Instruction index (slot) executed by the step. */
  pc(step: number): number;
  /** Call depth (0 = main program) of the step. */
  frame(step: number): number;
  /** The complete state after the step. */
  state(step: number): State;
  /** What the step changed. */
  changes(step: number): readonly Change[];
}

/** Steps that executed a given instruction, ascending (for breakpoints and "run to cursor"). */
export function stepsAt<S>(t: TraceCursor<S>, pc: number): number[] {
  const out: number[] = [];
  for (let s = 0; s < t.length; s++) if (t.pc(s) === pc) out.push(s);
  return out;
}

/** The first step after `from` that executes `pc`, or undefined. */
export function nextStepAt<S>(t: TraceCursor<S>, pc: number, from: number): number | undefined {
  for (let s = from + 1; s < t.length; s++) if (t.pc(s) === pc) return s;
  return undefined;
}

/** The last step before `from` that executes `pc`, or undefined. */
export function prevStepAt<S>(t: TraceCursor<S>, pc: number, from: number): number | undefined {
  for (let s = Math.min(from, t.length) - 1; s >= 0; s--) if (t.pc(s) === pc) return s;
  return undefined;
}
