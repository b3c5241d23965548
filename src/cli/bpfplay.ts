/**
 * The `bpfplay` command: the core as a CLI, for CI jobs and for testing the core.
 * Exit status: 0 success / accepted, 1 rejected or the program failed, 2 bad input
 * (one line on stderr, never a stack trace).
 */
import * as asm from './commands/asm';
import * as compile from './commands/compile';
import * as disasm from './commands/disasm';
import * as dump from './commands/dump';
import * as run from './commands/run';
import * as verify from './commands/verify';
import { UsageError } from './args';
import { registerShippedKernelData } from './kernel-data';

// Objects that need kernel BTF or Kconfig (CO-RE, kfuncs, __kconfig) get the shipped 6.18 data.
registerShippedKernelData();

export interface CommandResult {
  code: 0 | 1 | 2;
  stdout?: string;
  /** Binary output (`compile -o -`), written after `stdout`. */
  stdoutBytes?: Uint8Array;
  stderr?: string;
}

interface Command {
  usage: string;
  run(argv: string[]): CommandResult | Promise<CommandResult>;
}

const COMMANDS: Record<string, Command> = { compile, verify, run, dump, asm, disasm };

export const USAGE = `usage:
${Object.values(COMMANDS).map((c) => `  ${c.usage}`).join('\n')}

INPUT is an ELF object (.o), BPF assembly (.s), or JSON instructions
(["b700000000000000", "9500000000000000"] or {"insns": [...], "prog_type": ..., "maps": [...]}).
Exit status: 0 ok/accepted, 1 rejected or failed, 2 bad input.
`;

/** Runs a command line; never throws. */
export async function main(argv: string[]): Promise<CommandResult> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') return { code: name ? 0 : 2, stdout: name ? USAGE : undefined, stderr: name ? undefined : USAGE };
  const cmd = COMMANDS[name];
  if (!cmd) return { code: 2, stderr: `bpfplay: unknown command ${JSON.stringify(name)}\n${USAGE}` };
  if (rest.includes('--help') || rest.includes('-h')) return { code: 0, stdout: `usage: ${cmd.usage}\n` };
  try {
    return await cmd.run(rest);
  } catch (e) {
    const err = e as Error;
    const internal = !(e instanceof UsageError) && !['InputError', 'AsmError', 'ElfError', 'InsnError', 'BtfError', 'LoadError'].includes(err?.name);
    const msg = (err?.message ?? String(e)).split('\n')[0];
    if (internal && process.env.BPFPLAY_DEBUG) return { code: 2, stderr: `bpfplay ${name}: internal error: ${err.stack}\n` };
    return { code: 2, stderr: `bpfplay ${name}: ${internal ? 'internal error: ' : ''}${msg}\n` };
  }
}

/** Entry point when run as a program. */
export async function cli(): Promise<void> {
  const r = await main(process.argv.slice(2));
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stdoutBytes) process.stdout.write(r.stdoutBytes);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.code;
}
