/**
 * Import .o (file picker and drag and drop) and Export .o: the object's programs with
 * source lines, maps and global data, ELF sections, BTF (searchable, as bpftool prints
 * it and as C); an exported object imports back to the same listing; the object is kept
 * over a reload; a worker crash does not lose it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const OBJ = fileURLToPath(new URL('../test/progs/obj/', import.meta.url));
const shot = (name: string) => ({ path: join(ARTIFACTS, `object-${name}.png`) });

test('import an object: programs, maps, sections, BTF; reload keeps it', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await page.getByTestId('import-object-input').setInputFiles(join(OBJ, 'xdp_count_proto.o'));
  const object = page.getByRole('region', { name: 'Object' });
  await expect(object.getByTestId('object-summary')).toHaveText(/^xdp_count_proto\.o · [\d.]+ KB · 1 program · 1 map · license GPL$/);
  await expect(page.getByRole('tab', { name: 'Object' })).toHaveAttribute('aria-selected', 'true');

  // Programs: kernel syntax, map names, C source lines interleaved, the BTF signature.
  const listing = object.getByTestId('program-listing');
  await expect(object.getByTestId('program-facts')).toContainText('xdp');
  await expect(listing.locator('.func-row').first()).toContainText('int xdp_count_proto(struct xdp_md * ctx):');
  await expect(listing.getByTestId('source-row').first()).toContainText(/^; .+ @ xdp_count_proto\.bpf\.c:\d+$/);
  await expect(listing.getByTestId('insn-row').first()).toHaveText(/^0:\(\w\w\) /);
  await expect(listing.getByTestId('map-ref').first()).toHaveText(/^map\[\w+\]$/);
  await page.screenshot(shot('01-programs'));

  // Maps.
  await object.getByRole('tab', { name: 'Maps' }).click();
  await expect(object.getByTestId('maps-table').locator('tbody tr')).toHaveCount(1);

  // ELF sections, symbols, relocations.
  await object.getByRole('tab', { name: 'ELF sections' }).click();
  await expect(object.getByTestId('sections-table')).toContainText('.BTF.ext');
  await expect(object.getByTestId('relocations-table').first()).toContainText('R_BPF_64_64');
  await page.screenshot(shot('02-sections'));

  // BTF: search, C and raw.
  await object.getByRole('tab', { name: 'BTF' }).click();
  await object.getByLabel('Search BTF types').fill('xdp_md');
  await expect(object.getByRole('list', { name: 'BTF types' }).getByRole('button')).toHaveCount(1);
  await expect(object.getByTestId('btf-c')).toContainText('struct xdp_md {');
  await expect(object.getByTestId('btf-raw')).toContainText(/STRUCT 'xdp_md' size=24 vlen=6/);
  await object.getByLabel('Search BTF types').fill('func');
  await object.getByRole('list', { name: 'BTF types' }).getByRole('button').first().click();
  await expect(object.getByTestId('btf-raw')).toContainText("FUNC 'xdp_count_proto'");
  await expect(object.getByRole('region', { name: '.BTF.ext' })).toContainText(/\d+ line_info records/);
  await page.screenshot(shot('03-btf'));

  // The keyboard moves between the object's views.
  await object.getByRole('tab', { name: 'BTF' }).press('Home');
  await expect(object.getByRole('tab', { name: 'Programs' })).toBeFocused();

  // Reload: the object is part of the saved workspace.
  await page.evaluate(() => window.bpfplay!.flushSave());
  await page.reload();
  await app.waitForEditor();
  await expect(page.getByRole('region', { name: 'Object' }).getByTestId('object-summary')).toContainText('xdp_count_proto.o');

  // The assembly view is still one tab away; Remove drops the object.
  await page.getByRole('tab', { name: 'Disassembly' }).click();
  await expect(app.disassembly).toBeVisible();
  await page.getByRole('tab', { name: 'Object' }).click();
  await page.getByRole('region', { name: 'Object' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('region', { name: 'Object' })).toHaveCount(0);
  await expect(app.disassembly).toBeVisible();
});

test('drop an object on the page; a refused object still shows its sections; a binary that is not an object is refused', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  const drop = async (name: string, bytes: Buffer) => {
    const dt = await page.evaluateHandle(({ name, data }) => {
      const t = new DataTransfer();
      t.items.add(new File([new Uint8Array(data)], name));
      return t;
    }, { name, data: [...bytes] });
    await page.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer: dt });
    await expect(page.locator('.drop-overlay')).toBeVisible();
    await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dt });
  };
  await drop('subprog_calls.o', readFileSync(join(OBJ, 'subprog_calls.o')));
  const object = page.getByRole('region', { name: 'Object' });
  await expect(object.getByTestId('object-summary')).toContainText('subprog_calls.o');
  await expect(object.getByTestId('program-facts')).toContainText('functions');
  await expect(page.locator('.drop-overlay')).toHaveCount(0);

  // globals.o with its first relocation moved off its lddw (.relsocket is at 0x15e8, see
  // test/golden/readelf/globals.txt): the loader refuses it, the sections are still there.
  const broken = Buffer.from(readFileSync(join(OBJ, 'globals.o')));
  broken.writeBigUInt64LE(16n, 0x15e8);
  await drop('broken.o', broken);
  await expect(object.getByTestId('load-error')).toContainText('The loader refuses this object');
  await object.getByRole('tab', { name: 'ELF sections' }).click();
  await expect(object.getByTestId('sections-table')).toContainText('.relsocket');
  await page.screenshot(shot('04-refused'));

  await drop('blob.bin', Buffer.from([0x00, 0x01, 0xfe, 0xff, 0x00, 0x42]));
  await expect(page.getByTestId('import-problem')).toContainText('blob.bin is neither an ELF object nor a text log');
});

test('Export .o downloads the assembled program, which imports back to the same listing', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('xdp-counter');
  const kernel = await app.kernelLines();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .o' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('prog.o');
  const path = await file.path();
  const bytes = readFileSync(path);
  expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  await page.getByTestId('import-object-input').setInputFiles({ name: 'prog.o', mimeType: 'application/octet-stream', buffer: bytes });
  const rows = page.getByRole('region', { name: 'Object' }).getByTestId('insn-row');
  await expect(rows).toHaveCount(kernel.length);
  expect((await rows.allTextContents()).map((t) => t.replace(/^(\d+):/, '$1: '))).toEqual(kernel);

  // An error in the source: nothing to export.
  await page.getByRole('tab', { name: 'Disassembly' }).click();
  await app.setSource('r0 +=\n');
  await expect(page.getByRole('button', { name: 'Export .o' })).toBeDisabled();
});

test('a crashed inspect worker is replaced and the object is read again', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await page.getByTestId('import-object-input').setInputFiles(join(OBJ, 'globals.o'));
  const object = page.getByRole('region', { name: 'Object' });
  await expect(object.getByTestId('object-summary')).toContainText('globals.o');
  await object.getByRole('tab', { name: 'Maps' }).click();
  await expect(object.getByTestId('global-var').first()).toBeVisible();
  // Kill the worker mid-flight: the request is sent again to a fresh one.
  await page.evaluate(async () => {
    const hook = window.bpfplay!;
    await hook.crashInspectWorkerDuringNextRequest();
  });
  await expect(object.getByTestId('object-summary')).toContainText('globals.o');
  expect(await page.evaluate(() => window.bpfplay!.inspectWorkersSpawned())).toBe(2);
});
