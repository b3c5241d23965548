/**
 * A small argv parser for the `bpfplay` subcommands: `--flag`, `--key value`,
 * `--key=value`, `-o value`, repeatable `-I dir` / `-D X`, and positionals.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** Options that take a value, by name with dashes (`--prog`, `-o`). */
  values?: string[];
  /** Options without a value. */
  flags?: string[];
  /** Value options that may repeat (collected into arrays). */
  repeat?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string>;
  repeated: Map<string, string[]>;
  flags: Set<string>;
}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
  const out: ParsedArgs = { positionals: [], values: new Map(), repeated: new Map(), flags: new Set() };
  const takesValue = new Set([...(spec.values ?? []), ...(spec.repeat ?? [])]);
  const flags = new Set(spec.flags ?? []);
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--') { out.positionals.push(...argv.slice(k + 1)); break; }
    if (!a.startsWith('-') || a === '-') { out.positionals.push(a); continue; }
    let name = a;
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { name = a.slice(0, eq); value = a.slice(eq + 1); }
    // -I/usr/include and -DFOO forms.
    if (!a.startsWith('--') && a.length > 2 && takesValue.has(a.slice(0, 2))) { name = a.slice(0, 2); value = a.slice(2); }
    if (flags.has(name)) {
      if (value !== undefined) throw new UsageError(`${name} takes no value`);
      out.flags.add(name);
      continue;
    }
    if (!takesValue.has(name)) throw new UsageError(`unknown option ${name}`);
    if (value === undefined) {
      if (k + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
      value = argv[++k];
    }
    if (spec.repeat?.includes(name)) out.repeated.set(name, [...(out.repeated.get(name) ?? []), value]);
    else out.values.set(name, value);
  }
  return out;
}

/** An integer option value, checked. */
export function intOption(args: ParsedArgs, name: string, dflt: number, min = 0): number {
  const v = args.values.get(name);
  if (v === undefined) return dflt;
  if (!/^-?\d+$/.test(v) || Number(v) < min) throw new UsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return Number(v);
}
