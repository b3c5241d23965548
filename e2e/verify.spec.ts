/**
 * Verify: bpfplay's verifier on the assembly program, shown with the same panels as a
 * kernel log: the verdict, 10 steps forward and back (buttons and F10 / Shift+F10), the
 * current instruction's line marked in the editor, a rejection opened at its error.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `verify-${name}.png`) });

test('verify an example, step 10 forward and back, see the line in the editor', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('bounded-loop');
  await page.getByRole('button', { name: 'Verify' }).click();
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByRole('status').filter({ hasText: 'Accepted' })).toBeVisible();
  await expect(log).toContainText('prog.s · bpfplay verifier');
  await expect(log.getByTestId('log-stats')).toContainText('processed 33 insns');
  const status = log.getByTestId('step-status');
  await expect(status).toContainText('step 1 of 33 · insn 0');
  for (let k = 0; k < 10; k++) await log.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(status).toContainText('step 11 of 33');
  // The loop counter after 3 iterations: the verifier follows the loop with known values.
  const regs = page.getByRole('region', { name: 'Registers' });
  await expect(regs.getByTestId('reg-row').nth(1)).toContainText('scalar');
  // The current instruction's source line is marked in the editor.
  await expect(app.editor.locator('.current-step-line')).toHaveCount(1);
  await page.screenshot(shot('01-stepping'));
  for (let k = 0; k < 10; k++) await page.keyboard.press('Shift+F10');
  await expect(status).toContainText('step 1 of 33 · insn 0');
  await page.keyboard.press('F10');
  await expect(status).toContainText('step 2 of 33 · insn 1');
  await expect(regs.getByTestId('reg-row').nth(1)).toContainText('= 10');
});

test('a rejected program opens at its error; Ctrl+Enter verifies from the editor', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.setSource('.section xdp\n    r2 = *(u32 *)(r1 +0)\n    r0 = *(u8 *)(r2 +12)    ; no bounds check\n    exit\n');
  await app.editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+Enter');
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByTestId('log-error')).toHaveText('invalid access to packet, off=12 size=1, R2(id=0,off=12,r=0)\nR2 offset is outside of the packet');
  await expect(log.getByRole('alert')).toContainText('Rejected at insn 1: (71) r0 = *(u8 *)(r2 +12)');
  await expect(log.getByTestId('step-status')).toContainText('step 2 of 2 · insn 1 · rejected here');
  await expect(page.getByRole('region', { name: 'Registers' }).getByTestId('reg-row').nth(2)).toContainText('packet pointer');
  // Line 3 of the source is the rejected instruction.
  await expect(app.editor.locator('.current-step-line')).toHaveCount(1);
  const top = await app.editor.locator('.current-step-line').evaluate((el) => (el.parentElement as HTMLElement).style.top);
  const line3 = await app.editor.locator('.view-line').nth(2).evaluate((el) => (el as HTMLElement).style.top);
  expect(top).toBe(line3);
  await page.screenshot(shot('02-rejected'));
});

test('Xlated and Jited follow the step: the kernel inlines the ARRAY lookup', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.example.selectOption('xdp-counter');
  await page.keyboard.press('Control+Enter');
  const log = page.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByRole('status').filter({ hasText: 'Accepted' })).toBeVisible();
  // The step of the helper call (instruction 6).
  for (let k = 0; k < 5; k++) await page.keyboard.press('F10');
  await expect(log.getByTestId('step-status')).toContainText('insn 6');
  await page.getByRole('tab', { name: 'Xlated' }).click();
  const x = page.getByRole('region', { name: 'Xlated' });
  await expect(x).toContainText('4: (18) r1 = map[id:1]');
  // bpf_map_lookup_elem on an ARRAY becomes inline code (as the kernel's xlated dump shows, KERNEL-FACTS P5).
  await expect(x.locator('.log-line.current').first()).toHaveText('6: (07) r1 += 312');
  await expect(x.locator('.log-line.current')).toHaveCount(7);
  await x.getByLabel('opcodes').check();
  await expect(x.locator('.log-line.current')).toHaveCount(14);
  await page.screenshot(shot('03-xlated'));
  await page.getByRole('tab', { name: 'Jited' }).click();
  const j = page.getByRole('region', { name: 'Jited' });
  await expect(j).toContainText(/bpf_prog_[0-9a-f]{16}_prog:/);
  await expect(j.locator('.log-line.current').first()).toBeVisible();
  await page.keyboard.press('F10');
  await expect(j.locator('.log-line.current').first()).toContainText(/test|cmp/);
});
