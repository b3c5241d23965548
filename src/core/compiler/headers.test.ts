import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEADER_FILES, INCLUDE_DIR } from './headers';

describe('HEADER_FILES', () => {
  it('lists exactly the headers under public/include (what the browser fetches)', () => {
    const root = fileURLToPath(new URL(`../../../public/${INCLUDE_DIR}/`, import.meta.url));
    const found: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const e of readdirSync(dir)) {
        if (statSync(join(dir, e)).isDirectory()) walk(join(dir, e), `${rel}${e}/`);
        else if (e.endsWith('.h')) found.push(`${rel}${e}`);
      }
    };
    walk(root, '');
    expect([...HEADER_FILES].sort()).toEqual(found.sort());
  });
});
