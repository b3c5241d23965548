/**
 * `bpfplay run INPUT [--prog NAME] [--type TYPE] [--data-in FILE] [--ctx-in FILE] [--mem HEX] [--repeat N] [--json]`
 *
 * Runs a program in the VM as BPF_PROG_TEST_RUN would: on a packet (--data-in) and/or a
 * context (--ctx-in), or in the conformance form (--mem HEX: r1 = pointer to the bytes,
 * r2 = their length). Exit status 1 when the program faults (out-of-bounds access, budget
 * exhausted, ...), 2 for bad input.
 */
import { loadInput } from '../../core/input';
import { VmLoadError } from '../../core/vm/program';
import { Vm, VmError, type RunResult } from '../../core/vm/vm';
import { bytesToHex, hexToBytes } from '../../core/vm/maps';
import { intOption, parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile } from '../io';
import type { CommandResult } from '../bpfplay';

export const usage =
  'bpfplay run INPUT [--prog NAME] [--type TYPE] [--data-in FILE] [--ctx-in FILE] [--mem HEX] [--repeat N] [--json]\n' +
  '                  [--args A,B,..] [--budget N] [--helpers kernel|ubpf] [--cpus N] [--cpu N] [--seed N] [--run-anyway]';

export function run(argv: string[]): CommandResult {
  const args = parseArgs(argv, {
    values: ['--prog', '--type', '--data-in', '--ctx-in', '--mem', '--repeat', '--budget', '--helpers', '--cpus', '--cpu', '--seed', '--args'],
    flags: ['--json', '--run-anyway'],
  });
  const [file, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const bytes = readInputFile(file);
  const obj = loadInput(bytes, file, { progType: args.values.get('--type') });

  const helpers = args.values.get('--helpers') ?? 'kernel';
  if (helpers !== 'kernel' && helpers !== 'ubpf') throw new UsageError(`--helpers must be kernel or ubpf, not ${helpers}`);
  const memHex = args.values.get('--mem');
  let mem: Uint8Array | undefined;
  if (memHex !== undefined) {
    try {
      mem = hexToBytes(memHex);
    } catch (e) {
      throw new UsageError(`--mem: ${(e as Error).message}`);
    }
  }
  const dataIn = args.values.get('--data-in');
  const ctxIn = args.values.get('--ctx-in');
  if (mem && (dataIn || ctxIn)) throw new UsageError('--mem (conformance mode) cannot be combined with --data-in or --ctx-in');
  const argList = args.values.get('--args');
  let callArgs: bigint[] | undefined;
  if (argList !== undefined) {
    callArgs = argList.split(',').map((a) => {
      const t = a.trim();
      if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) throw new UsageError(`--args: ${JSON.stringify(t)} is not an integer`);
      return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
    });
  }
  const repeatGiven = args.values.has('--repeat');
  const repeat = intOption(args, '--repeat', 1, 1);
  const budget = intOption(args, '--budget', 1_000_000, 1);
  const nrCpus = intOption(args, '--cpus', 1, 1);
  const cpu = intOption(args, '--cpu', 0, 0);
  if (cpu >= nrCpus) throw new UsageError(`--cpu ${cpu} is not below --cpus ${nrCpus}`);

  let vm: Vm;
  let result: RunResult;
  try {
    vm = new Vm(obj, { helpers, budget, nrCpus, cpu, seed: intOption(args, '--seed', 1, 0), strict: !args.flags.has('--run-anyway') });
    const prog = args.values.get('--prog') ?? 0;
    result = vm.run(prog, {
      mem,
      data: dataIn ? readInputFile(dataIn, '--data-in file') : undefined,
      ctx: ctxIn ? readInputFile(ctxIn, '--ctx-in file') : undefined,
      args: callArgs,
      repeat: repeatGiven ? repeat : undefined,
    });
  } catch (e) {
    if (e instanceof VmLoadError || e instanceof VmError) throw new UsageError(e.message);
    throw e;
  }

  const code = result.ok ? 0 : 1;
  const stderr = result.error ? `bpfplay run: ${result.error.program}: ${result.error.message}\n` : undefined;
  if (args.flags.has('--json')) {
    const out: Record<string, unknown> = {
      retval: result.retval,
      r0: `0x${result.r0.toString(16)}`,
      data_out: result.dataOut ? bytesToHex(result.dataOut) : null,
      ctx_out: result.ctxOut ? bytesToHex(result.ctxOut) : null,
      maps: vm.dumpMaps(),
      printk: result.printk,
      events: result.events.map((e) => ({ kind: e.kind, map: e.map, ...(e.cpu !== undefined ? { cpu: e.cpu } : {}), data: bytesToHex(e.data) })),
      insns_executed: result.insnsExecuted,
      error: result.error?.message ?? null,
      error_insn: result.error?.insn ?? null,
    };
    if (result.redirect) out.redirect = result.redirect;
    if (result.dropped) out.dropped_records = result.dropped;
    if (repeatGiven) {
      out.runs = result.runs;
      out.ns_per_run = Math.round(result.nsPerRun ?? 0);
    }
    return { code, stdout: jsonOut(out), stderr };
  }

  // Conformance mode prints r0 alone, in hex, like the bpf_conformance plugins.
  if (mem) return { code, stdout: result.ok ? `0x${result.r0.toString(16)}\n` : undefined, stderr };

  const lines: string[] = [];
  lines.push(`retval: ${result.retval} (0x${result.retval.toString(16)})`);
  if (result.dataOut) lines.push(`data_out: ${bytesToHex(result.dataOut)}`);
  if (result.ctxOut) lines.push(`ctx_out: ${bytesToHex(result.ctxOut)}`);
  if (result.redirect) lines.push(`redirect: ifindex ${result.redirect.ifindex}${result.redirect.map ? ` (map ${result.redirect.map})` : ''}`);
  if (result.printk.length) lines.push('printk:', ...result.printk.map((l) => `  ${l}`));
  if (result.events.length) lines.push('events:', ...result.events.map((e) => `  ${e.kind} ${e.map}${e.cpu !== undefined ? ` cpu ${e.cpu}` : ''}: ${bytesToHex(e.data)}`));
  const maps = vm.dumpMaps();
  for (const [name, entries] of Object.entries(maps)) {
    lines.push(`map ${name}:`);
    const shown = entries.slice(0, 64);
    for (const [k, v] of shown) lines.push(`  ${k || '-'} => ${v}`);
    if (entries.length > shown.length) lines.push(`  ... ${entries.length - shown.length} more`);
  }
  lines.push(`insns executed: ${result.insnsExecuted}`);
  if (repeatGiven) lines.push(`runs: ${result.runs}, ns per run: ${Math.round(result.nsPerRun ?? 0)}`);
  return { code, stdout: `${lines.join('\n')}\n`, stderr };
}
