/**
 * Assembly mode, end to end: pick an example, edit (by typing and through the test
 * hook), see the encoded slots and both disassemblies follow, make an error and see the
 * marker, reload and find the work kept. Expected texts are the kernel's and
 * llvm-objdump-19's formats for these instructions.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `assembly-${name}.png`) });

test('assembly mode: example, edit, listings, error marker, reload', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await expect(app.editor).toBeVisible();
  await expect(app.disassembly).toBeVisible();
  await expect(app.rows.first()).toBeVisible();
  await page.screenshot(shot('01-start'));

  // An example from the toolbar.
  await app.example.selectOption('xdp-bounds');
  await expect(app.example.locator('option:checked')).toHaveText('XDP packet bounds check');
  await expect(app.summary).toHaveText('11 instructions · 11 slots · section xdp (xdp) · license GPL');
  await expect(app.kernel.first()).toHaveText('0: (61) r2 = *(u32 *)(r1 +0)');
  // --mcpu=v3 (the default here): 32-bit loads print with w registers, as llvm-objdump-19 does.
  await expect(app.llvm.first()).toHaveText('w2 = *(u32 *)(r1 + 0x0)');
  await expect(app.encoded.first()).toHaveText('6112000000000000');
  expect(await app.kernelLines()).toEqual([
    '0: (61) r2 = *(u32 *)(r1 +0)',
    '1: (61) r3 = *(u32 *)(r1 +4)',
    '2: (bf) r4 = r2',
    '3: (07) r4 += 14',
    '4: (2d) if r4 > r3 goto pc+4',
    '5: (69) r5 = *(u16 *)(r2 +12)',
    '6: (55) if r5 != 0xdd86 goto pc+2',
    '7: (b7) r0 = 1',
    '8: (95) exit',
    '9: (b7) r0 = 2',
    '10: (95) exit',
  ]);
  await expect(app.llvm.nth(4)).toHaveText('if r4 > r3 goto +0x4 <pass>');
  await expect(app.llvm.nth(6)).toHaveText('if r5 != 0xdd86 goto +0x2 <pass>');
  await expect(app.encoded.nth(6)).toHaveText('5505020086dd0000');

  // Typing into Monaco: a new instruction at the end shows up.
  await app.editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('r0 = 3');
  await expect(app.rows).toHaveCount(12);
  await expect(app.kernel.last()).toHaveText('11: (b7) r0 = 3');
  await expect(app.llvm.last()).toHaveText('r0 = 0x3');
  await expect(app.encoded.last()).toHaveText('b700000003000000');
  await expect(app.example).toHaveValue('xdp-bounds');
  await expect(app.example.locator('option:checked')).toHaveText('XDP packet bounds check (edited)');

  // A program of our own, through the test hook: lddw's two slots, ALU32, signed shift.
  await app.setSource('.section socket\n    r0 = 0x1122334455667788 ll\n    w1 = w0\n    r0 s>>= 3\n    exit\n');
  await expect(app.summary).toHaveText('4 instructions · 5 slots · section socket (socket_filter)');
  expect(await app.kernelLines()).toEqual(['0: (18) r0 = 0x1122334455667788', '2: (bc) w1 = w0', '3: (c7) r0 s>>= 3', '4: (95) exit']);
  await expect(app.llvm).toHaveText(['r0 = 0x1122334455667788 ll', 'w1 = w0', 'r0 s>>= 0x3', 'exit']);
  await expect(app.encoded.first()).toHaveText('18000000887766550000000044332211');
  await expect(app.encoded.first().locator('div')).toHaveText(['1800000088776655', '0000000044332211']);

  // The editor shows what the hook set, with the grammar's colours.
  await expect(app.editor.locator('.view-lines')).toContainText('r0 s>>= 3');

  // A row's line number selects the source line; its rows light up.
  await app.disassembly.getByRole('button', { name: 'Go to line 4' }).click();
  await expect(app.rows.nth(2)).toHaveClass(/focused/);
  await page.screenshot(shot('02-own-program'));

  // An error: the message in the panel, a marker in the editor, the old listing kept but dimmed.
  await app.setSource('r0 = 1\nr0 += bogus\nexit\n');
  await expect(app.problem).toContainText("Line 2, column 7: expected");
  await expect(app.problem).toContainText("found 'bogus'");
  await expect(app.disassembly.locator('.table-scroll.stale')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.bpfplay!.markers())).toEqual([
    { line: 2, startColumn: 7, endColumn: 12, message: expect.stringContaining("found 'bogus'"), severity: 8 },
  ]);
  await expect(app.editor.locator('.squiggly-error')).toHaveCount(1);
  await page.screenshot(shot('03-error'));

  // Fixed: marker and message go away.
  await app.setSource('r0 = 1\nr0 += 2\nexit\n');
  await expect(app.problem).toHaveCount(0);
  await expect(app.kernel).toHaveText(['0: (b7) r0 = 1', '1: (07) r0 += 2', '2: (95) exit']);
  await expect.poll(() => page.evaluate(() => window.bpfplay!.markers())).toEqual([]);

  // Reload: the work is still there, listing included.
  await page.reload();
  await app.waitForEditor();
  expect(await app.getSource()).toBe('r0 = 1\nr0 += 2\nexit\n');
  await expect(app.kernel).toHaveText(['0: (b7) r0 = 1', '1: (07) r0 += 2', '2: (95) exit']);
  await expect(app.editor.locator('.view-lines')).toContainText('r0 += 2');
});

test('llvm-objdump CPU mode and themes', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('xdp-counter');
  await expect(app.llvm.nth(1)).toHaveText('*(u32 *)(r10 - 0x4) = w1');
  await app.disassembly.getByLabel('llvm-objdump CPU').selectOption('v1');
  await expect(app.llvm.nth(1)).toHaveText('*(u32 *)(r10 - 0x4) = r1');
  // The map load names the map; the tooltip says what the kernel and bpftool print instead.
  await expect(app.kernel.nth(4)).toHaveText('4: (18) r1 = map[counter]');
  await expect(app.kernel.nth(4).getByTestId('map-ref')).toHaveAttribute('title', /kernel's verifier log prints the map's kernel address.*map\[id:N\]/);
  await expect(app.disassembly.getByRole('list', { name: 'Maps declared' })).toHaveText('counter: array, key 4 B, value 8 B, 1 entry');

  for (const theme of ['dark', 'light'] as const) {
    const other = theme === 'dark' ? 'light' : 'dark';
    const toggle = page.getByRole('button', { name: `Switch to ${theme} theme` });
    if (await toggle.count()) await toggle.click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expect(page.getByRole('button', { name: `Switch to ${other} theme` })).toBeVisible();
    await expect(app.editor.locator('.monaco-editor')).toHaveClass(theme === 'dark' ? /vs-dark/ : /\bvs\b/);
    await page.screenshot(shot(`04-theme-${theme}`));
  }
  // The theme and the CPU mode are saved too.
  await page.reload();
  await app.waitForEditor();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(app.disassembly.getByLabel('llvm-objdump CPU')).toHaveValue('v1');
});

test('the BPF assembly grammar', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  // Types at each offset of one line.
  const typesOf = async (line: string) => {
    const toks = (await page.evaluate((t) => window.bpfplay!.tokenize(t)!, line))[0];
    return toks.map((k, i) => [line.slice(k.offset, toks[i + 1]?.offset ?? line.length), k.type.replace(/\.bpf-asm$/, '')]).filter(([s]) => s.trim() !== '');
  };
  // (Monaco merges neighbouring tokens of one type: `)(`.)
  expect(await typesOf('    *(u32 *)(r10 -4) = r1 ; key')).toEqual([
    ['*', 'operator'], ['(', 'delimiter.parenthesis'], ['u32', 'type'], ['*', 'operator'], [')(', 'delimiter.parenthesis'],
    ['r10', 'variable.predefined'], ['-', 'operator'], ['4', 'number'], [')', 'delimiter.parenthesis'],
    ['=', 'operator'], ['r1', 'variable.predefined'], ['; key', 'comment'],
  ]);
  expect(await typesOf('  r1 = 0x1 ll')).toEqual([['r1', 'variable.predefined'], ['=', 'operator'], ['0x1', 'number.hex'], ['ll', 'keyword']]);
  expect(await typesOf('.license "GPL"')).toEqual([['.license', 'keyword.directive'], ['"GPL"', 'string']]);
  expect(await typesOf('    call bpf_map_lookup_elem#1 # helper 1')).toEqual([
    ['call', 'keyword'], ['bpf_map_lookup_elem#1', 'predefined'], ['# helper 1', 'comment'],
  ]);
  expect(await typesOf('loop: if w1 s>= 0x10 goto +0x3 <LBB0_2> // llvm')).toEqual([
    ['loop:', 'type.identifier'], ['if', 'keyword'], ['w1', 'variable.predefined'], ['s>=', 'operator'], ['0x10', 'number.hex'],
    ['goto', 'keyword'], ['+', 'operator'], ['0x3', 'number.hex'], ['<LBB0_2>', 'comment'], ['// llvm', 'comment'],
  ]);
  expect(await typesOf('12: (85) call pc+2')).toEqual([['12:', 'comment'], ['(85)', 'comment'], ['call', 'keyword'], ['pc+2', 'number']]);
  expect(await typesOf('.map counter array key=4 value=8 entries=1')).toEqual([
    ['.map', 'keyword.directive'], ['counter', 'identifier'], ['array', 'identifier'], ['key', 'identifier'], ['=', 'operator'], ['4', 'number'],
    ['value', 'identifier'], ['=', 'operator'], ['8', 'number'], ['entries', 'identifier'], ['=', 'operator'], ['1', 'number'],
  ]);
  expect(await typesOf('ldxw %r0, [%r1+8]')).toEqual([
    ['ldxw', 'keyword'], ['%r0', 'variable.predefined'], [',', 'delimiter'], ['[', 'delimiter.square'], ['%r1', 'variable.predefined'],
    ['+', 'operator'], ['8', 'number'], [']', 'delimiter.square'],
  ]);
});
