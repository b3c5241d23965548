/**
 * `bpfplay verify INPUT [--prog NAME] [--type TYPE] [--log-level 0|1|2] [--unprivileged] [--json]`
 *
 * Runs bpfplay's verifier (Linux 6.18's, see src/core/verifier) on the program(s) of
 * INPUT and prints the verifier log in the kernel's format. Map pointers print as stable
 * fake kernel addresses (0xffff888000000000 + map index * 0x1000).
 * Exit status: 0 all accepted, 1 a program was rejected, 2 bad input.
 */
import { loadInput } from '../../core/input';
import { PROG_TYPES } from '../../core/isa/kernel-types';
import { verifyProgram, type VerifyResult } from '../../core/verifier/verify';
import { parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile } from '../io';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay verify INPUT [--prog NAME] [--type TYPE] [--log-level 0|1|2] [--unprivileged] [--json]';

function jsonOf(name: string, progType: number, r: VerifyResult): Record<string, unknown> {
  return {
    name,
    prog_type: PROG_TYPES.name(progType) ?? progType,
    accepted: r.accepted,
    error: r.accepted ? null : r.error,
    error_insn: r.errorInsn ?? null,
    errno: r.accepted ? null : r.errnoName,
    log: r.log,
    processed_insns: r.stats.processedInsns,
    verifier_stats: {
      max_states_per_insn: r.stats.maxStatesPerInsn,
      total_states: r.stats.totalStates,
      peak_states: r.stats.peakStates,
    },
    stack_depth: r.stackDepths,
  };
}

export function run(argv: string[]): CommandResult {
  const args = parseArgs(argv, { values: ['--prog', '--type', '--log-level'], flags: ['--json', '--unprivileged'] });
  const [file, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const levelText = args.values.get('--log-level') ?? '1';
  if (!/^[012]$/.test(levelText)) throw new UsageError(`--log-level must be 0, 1 or 2, not ${levelText}`);
  const logLevel = Number(levelText);
  const obj = loadInput(readInputFile(file), file, { progType: args.values.get('--type') });
  const want = args.values.get('--prog');
  const progs = obj.programs.map((p, index) => ({ p, index })).filter(({ p }) => !want || p.name === want || p.section === want);
  if (want && !progs.length) throw new UsageError(`no program named ${want} (have: ${obj.programs.map((p) => p.name).join(', ')})`);
  if (!progs.length) throw new UsageError('the input has no programs');

  const results = progs.map(({ p, index }) => ({
    p,
    r: verifyProgram(obj, index, { logLevel, privileged: !args.flags.has('--unprivileged'), trace: false }),
  }));
  const code = results.every(({ r }) => r.accepted) ? 0 : 1;
  if (args.flags.has('--json')) {
    const out = results.map(({ p, r }) => jsonOf(p.name, p.progType, r));
    return { code, stdout: jsonOut(out.length === 1 ? out[0] : { programs: out }) };
  }
  const stderr = results
    .filter(({ r }) => !r.accepted)
    .map(({ p, r }) => `bpfplay verify: ${p.name}: rejected (${r.errnoName})${r.error ? `: ${r.error}` : ''}\n`)
    .join('');
  const stdout = results.length === 1
    ? results[0].r.log
    : results.map(({ p, r }) => `${p.name}${p.section ? ` (section ${p.section})` : ''}:\n${r.log}`).join('\n');
  return { code, stdout: stdout || undefined, stderr: stderr || undefined };
}
