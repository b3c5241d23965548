/** `bpfplay asm FILE.s [-o out.o|out.json] [--type TYPE]` */
import { assemble } from '../../core/asm/parse';
import { writeBpfObject, sectionForProgType } from '../../core/elf/write-object';
import { programToHex } from '../../core/isa/insn';
import { parseArgs, UsageError } from '../args';
import { jsonOut, readInputFile, writeOutputFile } from '../io';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay asm FILE.s [-o out.o|out.json] [--type TYPE] [--name NAME]';

export function run(argv: string[]): CommandResult {
  const args = parseArgs(argv, { values: ['-o', '--type', '--name'] });
  const [file, ...extra] = args.positionals;
  if (extra.length) throw new UsageError(`unexpected argument ${extra[0]}`);
  const text = new TextDecoder().decode(readInputFile(file, 'FILE.s'));
  const r = assemble(text);
  if (!r.insns.length) throw new UsageError(`${file}: no instructions`);
  const type = args.values.get('--type');
  const section = type ? sectionForProgType(type) : r.section ?? 'socket';
  const name = args.values.get('--name') ?? 'prog';
  const out = args.values.get('-o');
  const json = {
    insns: programToHex(r.insns),
    prog_type: type,
    section,
    maps: r.maps,
    fixups: { map_fds: r.mapRefs },
  };
  if (out?.endsWith('.o')) {
    writeOutputFile(out, writeBpfObject({ programs: [{ name, section, insns: r.insns, mapRefs: r.mapRefs }], maps: r.maps, license: r.license }));
    return { code: 0 };
  }
  if (out) {
    writeOutputFile(out, jsonOut(json));
    return { code: 0 };
  }
  return { code: 0, stdout: jsonOut(json) };
}
