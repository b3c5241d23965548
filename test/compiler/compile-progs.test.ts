// clang.wasm with bpfplay's headers against native clang-19 with Debian's headers: every
// test program (test/progs/*.bpf.c) compiled by the CLI's compiler thread gives the same
// instructions and relocations as the committed reference object (test/progs/obj/*.o,
// built by scripts/build-test-progs.sh). This checks clang.wasm, the WASI layer and the
// headers at once: a program must compile to the same code here as on the user's machine.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseElf } from '../../src/core/elf/elf64';
import { code } from './elf-code';
import { NodeCompiler } from '../../src/cli/compiler/node-compiler';

const root = fileURLToPath(new URL('../../', import.meta.url));
const progs = join(root, 'test/progs');

describe('clang.wasm compiles the test programs as native clang-19 does', () => {
  const compiler = new NodeCompiler();
  afterAll(() => compiler.dispose());
  const sources = readdirSync(progs).filter((f) => f.endsWith('.bpf.c')).sort();
  it('has the test programs', () => expect(sources.length).toBeGreaterThanOrEqual(30));

  for (const src of sources) {
    const name = src.replace(/\.bpf\.c$/, '');
    it(`${name}: same instructions and relocations`, async () => {
      const text = readFileSync(join(progs, src), 'utf8');
      const mcpu = /-mcpu=(v\d)/.exec(text.split('\n')[0])?.[1];
      const r = await compiler.compile({ files: [{ name: src, text }], options: { main: src, output: '-', mcpu } });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(code(parseElf(r.object!))).toEqual(code(parseElf(readFileSync(join(progs, 'obj', `${name}.o`)))));
    });
  }
});
