/**
 * Embedding: the docs-style demo page (demo.html) with two live `<bpf-playground>`
 * examples: auto-run verification, spoiler mode, read-only, the "Open in full playground"
 * link carrying the code, and the page driving an example through the element's API.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `embed-${name}.png`) });

test('the demo page: two live examples, the API, and the way to the full playground', async ({ page, context }) => {
  await page.goto('./demo.html');
  const counter = page.locator('#counter iframe').contentFrame();
  const quiz = page.locator('#quiz iframe').contentFrame();

  // Example 1: verified when it loaded.
  const log = counter.getByRole('region', { name: 'Verifier log' });
  await expect(log.getByRole('status').filter({ hasText: 'Accepted' })).toBeVisible({ timeout: 15_000 });
  await expect(log.getByTestId('log-stats')).toContainText('processed 11 insns');
  await expect(counter.getByRole('tab', { name: 'counter.s' })).toBeVisible();
  await page.screenshot(shot('01-demo'), );

  // Example 2: one pane, read-only; the result behind a button.
  await page.locator('#quiz').scrollIntoViewIfNeeded();
  await expect(quiz.getByRole('region', { name: 'Editor' })).toBeVisible({ timeout: 15_000 });
  await expect(quiz.getByRole('region', { name: 'Verifier log' })).toHaveCount(0);
  await quiz.locator('.monaco-editor .view-lines').click();
  await page.keyboard.type('XYZ');
  await expect(quiz.locator('.view-lines')).not.toContainText('XYZ');
  await quiz.getByRole('button', { name: 'Show result' }).click();
  const quizLog = quiz.getByRole('region', { name: 'Verifier log' });
  await expect(quizLog.getByTestId('log-error')).toContainText('invalid access to packet');
  await expect(quiz.getByRole('region', { name: 'Editor' })).toHaveCount(0);
  await page.locator('#quiz').screenshot(shot('02-spoiler'));

  // The page drives the quiz: load a fixed program and verify it.
  await page.getByRole('button', { name: 'Load the fix and verify' }).click();
  await expect(page.locator('#verdict')).toHaveText(/^accepted \(\d+ insns processed\)$/);
  await expect(quizLog.getByRole('status').filter({ hasText: 'Accepted' })).toBeVisible();

  // "Open in full playground" carries the code.
  const link = counter.getByTestId('open-full');
  await expect(link).toHaveAttribute('href', /\/#share=1\.[A-Za-z0-9_-]+$/);
  await expect(link).toHaveAttribute('target', '_blank');
  const full = await context.newPage();
  await full.goto((await link.getAttribute('href'))!);
  const app = new PlaygroundPage(full);
  await app.waitForEditor();
  await expect(app.tabs).toHaveText(['counter.s']);
  await expect(full.getByRole('region', { name: 'Shared workspace' })).toBeVisible();
  await expect(app.kernel.nth(4)).toHaveText('4: (18) r1 = map[counter]');
});

test('embed.html by hand: options in the query, files in the fragment, messages checked', async ({ page }) => {
  // A page of our own that embeds the playground and talks to it.
  await page.goto('./demo.html');
  const results = await page.evaluate(async () => {
    const el = document.createElement('bpf-playground');
    el.setAttribute('toolbar', 'none');
    el.setAttribute('code', 'r0 = 7\nexit\n');
    el.setAttribute('panels', 'asm');
    document.querySelector('main')!.prepend(el);
    await el.whenReady();
    const first = await el.getResults();
    let refused = '';
    try {
      await el.load([{ name: '<b>bad</b>.s', text: 'exit' }]);
    } catch (e) {
      refused = (e as Error).message;
    }
    const loaded = await el.load([{ name: 'other.s', text: 'r0 = 1\nr0 += 2\nexit\n' }]);
    return { first, refused, loaded };
  });
  expect(results.first.assembly?.instructions.map((i) => i.kernel)).toEqual(['0: (b7) r0 = 7', '1: (95) exit']);
  expect(results.refused).toMatch(/^load: <b>bad<\/b>\.s: use letters/);
  expect(results.loaded.files).toEqual([{ name: 'other.s', text: 'r0 = 1\nr0 += 2\nexit\n' }]);
  expect(results.loaded.assembly?.instructions.map((i) => i.kernel)).toEqual(['0: (b7) r0 = 1', '1: (07) r0 += 2', '2: (95) exit']);
  const frame = page.locator('bpf-playground').first().locator('iframe').contentFrame();
  // No toolbar, but the way to the full playground is still there; only the listing view.
  await expect(frame.getByRole('group', { name: 'Toolbar' })).toHaveCount(0);
  await expect(frame.getByTestId('open-full')).toBeVisible();
  await expect(frame.getByRole('region', { name: 'Disassembly' })).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Verify' })).toHaveCount(0);
  await page.locator('bpf-playground').first().screenshot(shot('03-toolbar-none'));
});
