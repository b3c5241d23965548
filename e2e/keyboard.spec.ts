/**
 * Keyboard and landmarks: every control has a name and is reached with Tab; popovers
 * open with the keyboard, close with Escape and give the focus back; the landmark
 * regions are the ones issue 7 names, for the panels that show results.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const LOGS = fileURLToPath(new URL('../test/golden/kernel-logs/', import.meta.url));

/** Name of the focused element, as a screen reader would say it (roughly). */
const focused = () => {
  const el = document.activeElement as HTMLElement | null;
  if (!el) return '';
  const role = el.getAttribute('role') ?? el.tagName.toLowerCase();
  const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
  return `${role}:${name.trim().replace(/\s+/g, ' ').slice(0, 40)}`;
};

test('every control has an accessible name and Tab reaches them all', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  // A log too, so the debugger's controls are on the page.
  await page.getByRole('button', { name: 'Import log' }).click();
  await page.getByTestId('import-log-input').setInputFiles(join(LOGS, 'reject_null_deref.l2.log'));
  await expect(page.getByRole('region', { name: 'Registers' })).toBeVisible();

  const unnamed = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, select, input:not([type=hidden]), textarea, [role=tab], [role=list][tabindex]')) {
      if (el.closest('.monaco-editor') || el.hidden || el.offsetParent === null) continue;
      const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent;
      if (!name || !name.trim()) out.push(el.outerHTML.slice(0, 80));
    }
    return out;
  });
  expect(unnamed).toEqual([]);

  // Tab from the top of the page: toolbar, file tabs, editor, views, debugger.
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const seen: string[] = [];
  let tabMode = false;
  for (let k = 0; k < 40; k++) {
    await page.keyboard.press('Tab');
    const now = await page.evaluate(focused);
    seen.push(now);
    // The editor keeps Tab for indenting; Ctrl+M (as in VS Code) lets Tab move on.
    if (now.startsWith('textbox:prog.s') && !tabMode) { await page.keyboard.press('Control+m'); tabMode = true; }
  }
  for (const want of ['select:Example', 'button:Verify', 'button:Import .o', 'button:Import log', 'button:Share', 'button:Keyboard shortcuts',
    'tab:prog.s', 'button:New file', 'textbox:prog.s: BPF assembly', 'tab:Verifier log', 'button:Step back', 'button:Step', 'list:Log lines']) {
    expect(seen.some((s) => s.startsWith(want)), `Tab reaches ${want} (seen: ${seen.join(' | ')})`).toBe(true);
  }
});

test('popovers open from the keyboard, close with Escape and give the focus back', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  for (const name of ['Share', 'Import log', 'Keyboard shortcuts']) {
    const button = page.getByRole('button', { name, exact: true });
    await button.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(button).toBeFocused();
  }
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Ctrl+EnterVerify');
  await page.screenshot({ path: join(ARTIFACTS, 'keyboard-01-shortcuts.png') });
});

test('landmarks: banner, main, and the named regions of panels with results', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  const regions = async () => page.getByRole('region').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  expect(await regions()).toEqual(['Editor', 'Disassembly']);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('region', { name: 'Registers' })).toBeVisible();
  expect(await regions()).toEqual(['Editor', 'Verifier log', 'Registers', 'Stack']);
  await page.getByRole('tab', { name: 'Xlated' }).click();
  expect(await regions()).toEqual(['Editor', 'Xlated']);
  await page.getByRole('tab', { name: 'Jited' }).click();
  expect(await regions()).toEqual(['Editor', 'Jited']);
  // Nothing that has no results yet.
  for (const name of ['Verifier DAG', 'Maps', 'Output', 'Input']) await expect(page.getByRole('region', { name })).toHaveCount(0);
});
