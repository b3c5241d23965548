/** File access for the CLI: reads inputs with user-facing errors, writes outputs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from './args';

export function readInputFile(path: string | undefined, what = 'INPUT'): Uint8Array {
  if (!path) throw new UsageError(`missing ${what}`);
  try {
    return new Uint8Array(readFileSync(path === '-' ? 0 : path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}

export function writeOutputFile(path: string, data: Uint8Array | string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Pretty JSON with snake_case keys as given, one object, trailing newline. */
export const jsonOut = (v: unknown): string => `${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2)}\n`;
