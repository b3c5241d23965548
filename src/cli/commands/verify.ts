/** `bpfplay verify INPUT [--prog NAME] [--type TYPE] [--log-level 1|2] [--json]` */
import { UsageError } from '../args';
import type { CommandResult } from '../bpfplay';

export const usage = 'bpfplay verify INPUT [--prog NAME] [--type TYPE] [--log-level 1|2] [--json]';

export function run(_argv: string[]): CommandResult {
  throw new UsageError('not implemented yet: the verifier');
}
