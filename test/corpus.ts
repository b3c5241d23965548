/**
 * Locates ../shared/corpus (beside the checkout; a worktree may be one level deeper).
 * Tests that read it skip when it is absent, saying so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function findCorpus(file: string): string | undefined {
  const candidates = [process.env.BPFPLAY_CORPUS, join(root, '../shared/corpus'), join(root, '../../shared/corpus')];
  for (const dir of candidates) if (dir && existsSync(join(dir, file))) return join(dir, file);
  if (!warned.has(file)) {
    warned.add(file);
    console.warn(`[skip] ${file} not found (looked in ../shared/corpus; set BPFPLAY_CORPUS to its directory)`);
  }
  return undefined;
}
const warned = new Set<string>();
