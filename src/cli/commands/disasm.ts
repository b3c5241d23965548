/** `bpfplay disasm INPUT [--syntax kernel|llvm] [--prog NAME] [--json] [--mcpu vN] [--raw]` */
import { formatLlvmInsn, nearestSymbolizer } from '../../core/asm/format-llvm';
import { formatKernelListing, formatObjdump } from '../../core/asm/listing';
import { parseElf } from '../../core/elf/elf64';
import { insnWidth, programToHex } from '../../core/isa/insn';
import { PROG_TYPES } from '../../core/isa/kernel-types';
import { detectInputKind, loadInput } from '../../core/input';
import { mapRefOf } from '../../core/elf/loaded-object';
import type { KernelResolvers } from '../../core/asm/format-kernel';
import { parseBtf, type Btf } from '../../core/btf/btf';
import { btfSignature } from '../../core/btf/signature';
import { formatLinum, sourceAnnotations } from '../../core/btf/source-lines';
import { parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile } from '../io';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay disasm INPUT [--syntax kernel|llvm] [--prog NAME] [--type TYPE] [--json] [--linum] [--mcpu v1|v2|v3|v4] [--raw]';

/**
 * Map references print as bpftool prints them (`map[id:N]`, `map[id:N][0]+off`), with the
 * map's index in the loaded object where the kernel has a map id.
 */
const mapResolvers: KernelResolvers = {
  imm64(insns, pc) {
    const ref = mapRefOf(insns, pc);
    if (!ref) return undefined;
    return ref.valueOff === undefined ? `map[id:${ref.map}]` : `map[id:${ref.map}][0]+${ref.valueOff}`;
  },
};

export function run(argv: string[]): CommandResult {
  const args = parseArgs(argv, { values: ['--syntax', '--prog', '--type', '--mcpu'], flags: ['--json', '--raw', '--linum'] });
  const [file, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const syntax = args.values.get('--syntax') ?? 'kernel';
  if (syntax !== 'kernel' && syntax !== 'llvm') throw new UsageError(`--syntax must be kernel or llvm, not ${syntax}`);
  const mcpu = args.values.get('--mcpu') ?? 'v1';
  if (!/^v[1-4]$|^generic$|^probe$/.test(mcpu)) throw new UsageError(`--mcpu must be v1, v2, v3 or v4, not ${mcpu}`);
  const alu32 = mcpu === 'v3' || mcpu === 'v4';
  const bytes = readInputFile(file);

  // llvm syntax of an object: exactly what llvm-objdump -d prints (no loading involved).
  if (syntax === 'llvm' && !args.flags.has('--json') && detectInputKind(bytes, file) === 'elf') {
    const name = file === '-' ? '<stdin>' : file!;
    return { code: 0, stdout: formatObjdump(parseElf(bytes), { fileName: name, alu32, rawBytes: args.flags.has('--raw') }) };
  }

  const obj = loadInput(bytes, file, { progType: args.values.get('--type') });
  const want = args.values.get('--prog');
  const progs = want ? obj.programs.filter((p) => p.name === want || p.section === want) : obj.programs;
  if (want && !progs.length) throw new UsageError(`no program named ${want} (have: ${obj.programs.map((p) => p.name).join(', ')})`);

  if (args.flags.has('--json')) {
    return {
      code: 0,
      stdout: jsonOut({
        programs: progs.map((p) => ({ name: p.name, section: p.section, prog_type: PROG_TYPES.name(p.progType), insns: programToHex(p.insns) })),
      }),
    };
  }
  const out: string[] = [];
  let btf: Btf | undefined;
  for (const p of progs) {
    if (progs.length > 1 || p.section) out.push(`${p.name}${p.section ? ` (section ${p.section})` : ''}:`);
    if (syntax === 'kernel') {
      // --linum: what `bpftool prog dump xlated linum` prints around the instructions.
      const linum = args.flags.has('--linum');
      const notes = new Map(linum ? sourceAnnotations(p.insns, p.lineInfo).map((a) => [a.insn, formatLinum(a)]) : []);
      const funcAt = new Map(linum ? p.funcInfo.map((f) => [f.insnOff, f]) : []);
      btf ??= linum && obj.btf ? parseBtf(obj.btf) : undefined;
      const listing = formatKernelListing(p.insns, { resolvers: mapResolvers });
      let k = 0;
      for (let pc = 0; pc < p.insns.length; pc += insnWidth(p.insns, pc)) {
        const f = funcAt.get(pc);
        const sig = f?.btfTypeId !== undefined && btf ? btfSignature(btf, f.btfTypeId) : '';
        if (sig) out.push(`${sig}:`);
        const note = notes.get(pc);
        if (note) out.push(note);
        out.push(listing[k++]);
      }
    } else {
      const sym = nearestSymbolizer([{ name: p.name, addr: 0n }]);
      for (let pc = 0; pc < p.insns.length; pc += insnWidth(p.insns, pc)) {
        out.push(`${String(pc).padStart(8)}:\t${formatLlvmInsn(p.insns, pc, { alu32, symbolize: sym })}`);
      }
    }
  }
  return { code: 0, stdout: `${out.join('\n')}\n` };
}
