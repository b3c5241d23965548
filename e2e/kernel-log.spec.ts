/**
 * A verifier log from the real kernel (recorded in test/golden/kernel-logs): pasted,
 * opened and dropped; the summary keeps the error at the top; stepping drives the
 * Registers and Stack panels; a 5 MB level-2 log stays smooth (only the rows in view are
 * in the page); the log is kept over a reload.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const LOGS = fileURLToPath(new URL('../test/golden/kernel-logs/', import.meta.url));
const shot = (name: string) => ({ path: join(ARTIFACTS, `kernel-log-${name}.png`) });

test('paste a bpftool -d log: error at the top, registers and stack at each step', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await page.getByRole('button', { name: 'Import log' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import a verifier log' });
  await dialog.getByLabel('Verifier log text').fill(readFileSync(join(LOGS, 'reject_pkt_bounds.bpftool.txt'), 'utf8'));
  await dialog.getByRole('button', { name: 'Read log' }).click();
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByTestId('log-error')).toHaveText('invalid access to packet, off=12 size=1, R1(id=0,off=12,r=0)\nR1 offset is outside of the packet');
  await expect(log.getByRole('alert')).toContainText('Rejected at insn 1: (71) r2 = *(u8 *)(r1 +12)');
  await expect(log).toContainText('libbpf / bpftool, prog reject_pkt_bounds');
  // It opens at the error.
  await expect(log.getByTestId('step-status')).toContainText('step 2 of 2 · insn 1 · rejected here');
  const regs = page.getByRole('region', { name: 'Registers' });
  await expect(regs.getByTestId('reg-row').nth(1)).toContainText('packet pointer');
  await expect(regs.getByTestId('reg-row').nth(1)).toContainText('pkt(r=0)');
  await expect(regs.getByTestId('reg-row').nth(2)).toContainText('not initialised');
  await page.screenshot(shot('01-bpftool'));
});

test('step through a rejected program: Go to error, Step back, Step, line clicks, frames', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await page.getByRole('button', { name: 'Import log' }).click();
  await page.getByTestId('import-log-input').setInputFiles(join(LOGS, 'reject_null_deref.l2.log'));
  const log = page.getByRole('region', { name: 'Verifier log' });
  const status = log.getByTestId('step-status');
  const regs = page.getByRole('region', { name: 'Registers' });
  const stack = page.getByRole('region', { name: 'Stack' });
  await expect(status).toContainText('step 7 of 7 · insn 7');
  // Back to the helper call: R0 may be NULL, R1-R5 are clobbered.
  await log.getByRole('button', { name: 'Step back' }).click();
  await expect(status).toContainText('step 6 of 7 · insn 6');
  await expect(regs.getByTestId('reg-row').first()).toContainText('map value pointer or NULL');
  await expect(regs.getByTestId('reg-row').first()).toHaveClass(/changed/);
  for (const r of [1, 2, 3, 4, 5]) await expect(regs.getByTestId('reg-row').nth(r)).toContainText('not initialised');
  await expect(stack.getByTestId('stack-row')).toHaveText(/fp-8.*data \(misc\) \+ not written.*mmmm\?\?\?\?/);
  await page.screenshot(shot('02-stepping'));
  // The keyboard in the log moves the step too.
  await log.getByTestId('log-lines').focus();
  for (let k = 0; k < 10; k++) await page.keyboard.press('ArrowUp');
  await expect(status).toContainText('step 1 of 7 · insn 0');
  await expect(regs.getByTestId('reg-row').nth(1)).toContainText('scalar');
  await log.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status).toContainText('step 2 of 7 · insn 1');
  await expect(stack.getByTestId('stack-row')).toHaveCount(1);
  await log.getByRole('button', { name: 'Go to error' }).first().click();
  await expect(status).toContainText('step 7 of 7');
  // A click on an instruction line of the log selects that step.
  await log.locator('.log-line', { hasText: '3: (07) r2 += -4' }).click();
  await expect(status).toContainText('step 4 of 7 · insn 3');
  await expect(regs.getByTestId('reg-row').nth(2)).toContainText('fp-4');

  // Subprograms: frames of the call stack.
  await page.getByRole('button', { name: 'Import log' }).click();
  await page.getByTestId('import-log-input').setInputFiles(join(LOGS, 'subprog_calls.l2.log'));
  await expect(log.getByRole('status').filter({ hasText: 'Accepted' })).toBeVisible();
  // (Rows are rendered only when in view: scroll to the first call into square().)
  const line28 = readFileSync(join(LOGS, 'subprog_calls.l2.log'), 'utf8').split('\n').findIndex((l) => l.startsWith('28: (bf) r0 = r1'));
  await log.getByTestId('log-lines').evaluate((el, y) => { el.scrollTop = y; }, line28 * 18 - 100);
  await log.locator(`.log-line[data-line="${line28}"]`).click();
  await expect(status).toContainText('insn 28 · frame 2');
  const frames = regs.getByRole('radiogroup', { name: 'Call frame' });
  await expect(frames.getByRole('radio')).toHaveCount(3);
  await frames.getByLabel('frame 0 (main)').check();
  await expect(regs.getByTestId('reg-row').nth(6)).toContainText('ctx()');
  await page.screenshot(shot('03-frames'));
});

test('a 5 MB level-2 log: read in the worker, smooth to scroll, kept over a reload', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  const text = gunzipSync(readFileSync(join(LOGS, 'long_loop.l2.log.gz')));
  expect(text.length).toBeGreaterThan(4_000_000);
  await page.getByRole('button', { name: 'Import log' }).click();
  const t0 = Date.now();
  await page.getByTestId('import-log-input').setInputFiles({ name: 'long_loop.log', mimeType: 'text/plain', buffer: text });
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByTestId('log-stats')).toContainText('processed 6,003 insns', { timeout: 15_000 });
  const readMs = Date.now() - t0;
  console.log(`5 MB log read and shown in ${readMs} ms`);
  // Only the rows in view are in the page.
  expect(await log.locator('.log-line').count()).toBeLessThan(150);
  // To the end and back: the page keeps answering.
  await log.getByTestId('log-lines').focus();
  const t1 = Date.now();
  await page.keyboard.press('End');
  await expect(log.getByTestId('step-status')).toContainText('step 6003 of 6003');
  await expect(log.locator('.log-line.current')).toContainText('5: (95) exit');
  await page.keyboard.press('Home');
  await expect(log.locator('.log-line.current')).toContainText('0: (b7) r0 = 0');
  const navMs = Date.now() - t1;
  console.log(`end and back in ${navMs} ms`);
  expect(navMs).toBeLessThan(3_000);
  // Scrolling with the mouse wheel through the middle renders other rows, still few.
  await log.getByTestId('log-lines').hover();
  for (let k = 0; k < 20; k++) await page.mouse.wheel(0, 20_000);
  expect(await log.locator('.log-line').count()).toBeLessThan(150);
  await page.screenshot(shot('04-big-log'));

  await page.evaluate(() => window.bpfplay!.flushSave());
  await page.reload();
  await app.waitForEditor();
  await expect(page.getByRole('region', { name: 'Verifier log' }).getByTestId('log-stats')).toContainText('processed 6,003 insns', { timeout: 15_000 });
});

test('drop a log file on the page', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  const bytes = [...readFileSync(join(LOGS, 'reject_uninit_reg.l1.log'))];
  const dt = await page.evaluateHandle((data) => {
    const t = new DataTransfer();
    t.items.add(new File([new Uint8Array(data)], 'uninit.log', { type: 'text/plain' }));
    return t;
  }, bytes);
  await page.locator('.drop-zone').dispatchEvent('dragover', { dataTransfer: dt });
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: dt });
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByTestId('log-error')).toHaveText('R2 !read_ok');
  await expect(log.getByRole('alert')).toContainText('Rejected at insn 0: (bf) r0 = r2');
});
