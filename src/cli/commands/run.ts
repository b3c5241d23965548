/** `bpfplay run INPUT [--prog NAME] [--type TYPE] [--data-in FILE] [--ctx-in FILE] [--mem HEX] [--repeat N] [--json]` */
import { UsageError } from '../args';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay run INPUT [--prog NAME] [--type TYPE] [--data-in FILE] [--ctx-in FILE] [--mem HEX] [--repeat N] [--json]';

export function run(_argv: string[]): CommandResult {
  throw new UsageError('not implemented yet: the BPF virtual machine');
}
