/** `bpfplay dump xlated|jited INPUT [--prog NAME] [--opcodes] [--linum] [--json]` */
import { UsageError } from '../args';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay dump xlated|jited INPUT [--prog NAME] [--opcodes] [--linum] [--json]';

export function run(_argv: string[]): CommandResult {
  throw new UsageError('not implemented yet: xlated and jited listings');
}
