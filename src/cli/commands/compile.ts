/** `bpfplay compile prog.bpf.c [-o prog.o] [-I dir]... [-D X]... [-O2] [-g]` */
import { UsageError } from '../args';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay compile prog.bpf.c [-o prog.o] [-I dir]... [-D X]... [-O2] [-g]';

export function run(_argv: string[]): CommandResult {
  throw new UsageError('not implemented yet: compiling C with clang.wasm');
}
