/**
 * `bpfplay dump xlated|jited INPUT [--prog NAME] [--type TYPE] [--opcodes] [--linum]
 * [--visual] [--printer kernel|bpftool-7.1] [--json]`
 *
 * What `bpftool prog dump xlated|jited` would show for the program once the kernel has
 * loaded it: the verifier's rewrites, then the x86-64 JIT's code. Kernel addresses and
 * map ids are stable placeholders (map ids are the map's index + 1).
 */
import { loadInput } from '../../core/input';
import { PROG_TYPES } from '../../core/isa/kernel-types';
import { programToHex } from '../../core/isa/insn';
import type { LoadedObject, LoadedProgram } from '../../core/elf/loaded-object';
import { jitProgram, type JitResult } from '../../core/jit';
import { JitError } from '../../core/jit/x86/emit';
import { formatJitedListing, jitedListingJson } from '../../core/jit/listing';
import { formatXlated, formatXlatedVisual, xlatedJson, xlatedProtos, xlateProgram, type XlatedProgram } from '../../core/xlated';
import { parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile } from '../io';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay dump xlated|jited INPUT [--prog NAME] [--type TYPE] [--opcodes] [--linum] [--visual] [--printer kernel|bpftool-7.1] [--json]';

interface Selected {
  p: LoadedProgram;
  x: XlatedProgram;
  protos: string[];
}

function jitOf(s: Selected): JitResult {
  try {
    return jitProgram({
      insns: s.x.insns,
      progType: s.x.progType,
      stackDepths: s.x.stackDepths,
      funcStarts: s.x.funcStarts,
      directTailCalls: s.x.directTailCalls,
      probeMem: s.x.probeMem,
    });
  } catch (e) {
    if (e instanceof JitError) throw new UsageError(`${s.p.name}: the JIT cannot compile it: ${e.message}`);
    throw e;
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function xlatedOut(obj: LoadedObject, s: Selected, opts: { opcodes: boolean; linum: boolean; visual: boolean; printer: 'kernel' | 'bpftool-7.1' }, json: boolean): unknown {
  if (json) {
    return {
      name: s.p.name,
      prog_type: PROG_TYPES.name(s.p.progType)?.toLowerCase(),
      insns: xlatedJson(s.x, s.protos, opts),
      xlated: programToHex(s.x.insns),
      // Which loaded instruction each xlated one was made from (for the UI's highlights).
      origin: s.x.origin,
      stack_depths: s.x.stackDepths,
      tag: s.x.tag,
      functions: s.x.funcStarts.map((start, f) => ({ start, name: s.x.funcNames[f] || null, symbol: s.x.funcSymbols[f], tag: s.x.funcTags[f] })),
      maps: obj.maps.map((m, k) => ({ id: s.x.mapIds[k], name: m.name })),
      notes: s.x.notes,
    };
  }
  return opts.visual ? formatXlatedVisual(s.x, opts) : formatXlated(s.x, s.protos, opts);
}

function jitedOut(s: Selected, opts: { opcodes: boolean; linum: boolean }, json: boolean): unknown {
  const r = jitOf(s);
  const input = {
    result: r,
    functions: r.functions.map((_, f) => ({ name: s.x.funcSymbols[f], proto: s.protos[f] || undefined })),
    lineInfo: s.x.lineInfo,
  };
  if (!json) return formatJitedListing(input, opts);
  const functions = jitedListingJson(input, opts);
  return {
    name: s.p.name,
    prog_type: PROG_TYPES.name(s.p.progType)?.toLowerCase(),
    insns: functions.flatMap((f, k) => f.insns.map((i) => ({ func: k, ...i }))),
    functions,
    bytes: hex(r.image),
    jited_func_lens: r.functions.map((f) => f.length),
    // [start, end) of each xlated instruction's code in `bytes`.
    insn_ranges: r.insnRanges,
    relocations: r.relocations.map((rel) => ({ offset: rel.offset, size: rel.size, kind: rel.kind, target: `0x${rel.target.toString(16)}`, insn: rel.slot })),
    notes: s.x.notes,
  };
}

export function run(argv: string[]): CommandResult {
  const args = parseArgs(argv, { values: ['--prog', '--type', '--printer'], flags: ['--opcodes', '--linum', '--visual', '--json'] });
  const [what, file, ...extra] = args.positionals;
  if (what !== 'xlated' && what !== 'jited') throw new UsageError(`dump what? xlated or jited, not ${what === undefined ? 'nothing' : JSON.stringify(what)}`);
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const printer = (args.values.get('--printer') ?? 'kernel') as 'kernel' | 'bpftool-7.1';
  if (printer !== 'kernel' && printer !== 'bpftool-7.1') throw new UsageError(`--printer must be kernel or bpftool-7.1, not ${printer}`);
  if (args.flags.has('--visual') && what === 'jited') throw new UsageError('--visual is for dump xlated');
  if (args.flags.has('--visual') && (args.flags.has('--opcodes') || args.flags.has('--linum'))) throw new UsageError('--visual takes no --opcodes or --linum');
  const json = args.flags.has('--json');
  if (json && args.flags.has('--visual')) throw new UsageError('--visual has no JSON form');

  const obj = loadInput(readInputFile(file), file, { progType: args.values.get('--type') });
  const want = args.values.get('--prog');
  const progs = want ? obj.programs.filter((p) => p.name === want || p.section === want) : obj.programs;
  if (want && !progs.length) throw new UsageError(`no program named ${want} (have: ${obj.programs.map((p) => p.name).join(', ')})`);
  if (!progs.length) throw new UsageError('the input has no programs');

  const opts = { opcodes: args.flags.has('--opcodes'), linum: args.flags.has('--linum'), visual: args.flags.has('--visual'), printer };
  const outs = progs.map((p) => {
    const x = xlateProgram(obj, p);
    const s: Selected = { p, x, protos: xlatedProtos(obj, p, x) };
    return { p, notes: x.notes, out: what === 'xlated' ? xlatedOut(obj, s, opts, json) : jitedOut(s, opts, json) };
  });
  // Where bpfplay's listing may differ from the kernel's, say so (on stderr, so stdout stays a listing).
  const stderr = outs.flatMap((o) => o.notes.map((n) => `bpfplay dump: note: ${o.p.name}: ${n}\n`)).join('') || undefined;
  if (json) return { code: 0, stdout: jsonOut(outs.length === 1 ? outs[0].out : { programs: outs.map((o) => o.out) }) };
  if (outs.length === 1) return { code: 0, stdout: outs[0].out as string, stderr };
  return { code: 0, stdout: outs.map((o) => `${o.p.name}${o.p.section ? ` (section ${o.p.section})` : ''}:\n${o.out as string}`).join('\n'), stderr };
}
