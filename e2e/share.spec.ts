/**
 * Share links: the button copies a link holding the files; the link opens them in a new
 * page without touching the workspace saved there; "Back to my workspace" and "Keep this
 * as my workspace" (which keeps the previous one, restorable); nothing in a link runs.
 */
import { deflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `share-${name}.png`) });
const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Text that would do something if it were ever treated as HTML or script. */
const HOSTILE = '; <img src=x onerror="window.__pwned=1">\n; </script><script>window.__pwned=2</script>\n    r0 = 1\n    exit\n';

test('a share link round-trips in a new page, beside the work saved there', async ({ browser }) => {
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const app = new PlaygroundPage(page);
  await app.goto();
  // The sharer's workspace: two files, one of them hostile text.
  await app.setSource(HOSTILE);
  await app.editor.getByRole('button', { name: 'New file' }).click();
  await app.editor.getByLabel('New file name').fill('net/common.h');
  await app.editor.getByLabel('New file name').press('Enter');
  await page.getByRole('button', { name: 'Share' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share' });
  await expect(dialog.getByTestId('share-status')).toHaveText('Link copied to the clipboard.');
  const url = await dialog.getByLabel('Share link').inputValue();
  expect(url).toMatch(/#share=1\.[A-Za-z0-9_-]+$/);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await expect(dialog).toContainText('holds your 2 files');
  await page.screenshot(shot('01-dialog'));
  await dialog.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The same browser now has its own different work saved.
  await app.tab('prog.s').click();
  await app.setSource('r0 = 42\nexit\n');
  await app.tab('net/common.h').click();
  await app.editor.getByRole('button', { name: 'Delete net/common.h' }).click();
  await page.evaluate(() => window.bpfplay!.flushSave());

  // Opening the link: the shared files, a banner, the user's work untouched.
  const other = await context.newPage();
  const shared = new PlaygroundPage(other);
  await other.goto(url);
  await shared.waitForEditor();
  await expect(other.getByRole('region', { name: 'Shared workspace' })).toContainText('Your own workspace is kept');
  await expect(shared.tabs).toHaveText(['prog.s', 'net/common.h']);
  await expect(shared.tab('net/common.h')).toHaveAttribute('aria-selected', 'true');
  await shared.tab('prog.s').click();
  expect(await shared.getSource()).toBe(HOSTILE);
  await expect(shared.kernel).toHaveText(['0: (b7) r0 = 1', '1: (95) exit']);
  expect(await other.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await other.screenshot(shot('02-opened'));
  // Edits to the shared workspace are kept with the link.
  await shared.setSource(`${HOSTILE}; edited\n`);
  await other.evaluate(() => window.bpfplay!.flushSave());
  await other.reload();
  await shared.waitForEditor();
  await shared.tab('prog.s').click();
  expect(await shared.getSource()).toBe(`${HOSTILE}; edited\n`);

  // Back to my workspace: exactly what was saved before the link was opened.
  await other.getByRole('button', { name: 'Back to my workspace' }).click();
  await expect(other).toHaveURL(/\/$/);
  await shared.waitForEditor();
  await expect(other.getByRole('region', { name: 'Shared workspace' })).toHaveCount(0);
  await expect(shared.tabs).toHaveText(['prog.s']);
  expect(await shared.getSource()).toBe('r0 = 42\nexit\n');

  // Keep the shared one: it becomes mine, and my previous one can be restored.
  await other.goto(url);
  await shared.waitForEditor();
  await other.getByRole('button', { name: 'Keep this as my workspace' }).click();
  await expect(other).toHaveURL(/\/$/);
  await shared.waitForEditor();
  await expect(other.getByRole('status').filter({ hasText: 'The shared workspace is now yours' })).toBeVisible();
  await expect(shared.tabs).toHaveText(['prog.s', 'net/common.h']);
  await other.screenshot(shot('03-kept'));
  await other.getByRole('button', { name: 'Restore my previous workspace' }).click();
  await shared.waitForEditor();
  await expect(shared.tabs).toHaveText(['prog.s']);
  expect(await shared.getSource()).toBe('r0 = 42\nexit\n');
  await context.close();
});

test('a crafted link: unsafe names are left out, broken links say why', async ({ page }) => {
  const app = new PlaygroundPage(page);
  const payload = { f: [['<img src=x onerror=alert(1)>.h', 'x'], ['../escape.s', 'y'], ['ok.s', 'r0 = 3\nexit\n']], a: 'ok.s' };
  await page.goto(`./#share=1.${b64url(deflateRawSync(Buffer.from(JSON.stringify(payload))))}`);
  await app.waitForEditor();
  await expect(page.getByRole('region', { name: 'Shared workspace' })).toContainText('2 files were left out');
  await expect(app.tabs).toHaveText(['ok.s']);
  await expect(app.kernel).toHaveText(['0: (b7) r0 = 3', '1: (95) exit']);

  // A zip bomb and garbage: the user's workspace opens, with the reason.
  // (about:blank between: a new fragment alone would not load the page again.)
  await page.goto('about:blank');
  await page.goto(`./#share=1.${b64url(deflateRawSync(Buffer.alloc(9 * 1024 * 1024)))}`);
  await app.waitForEditor();
  await expect(page.locator('.banner[role=alert]')).toContainText("This link's workspace could not be opened: the link's workspace is larger than 8 MB");
  await page.goto('about:blank');
  await page.goto('./#share=1.not*base64');
  await app.waitForEditor();
  await expect(page.locator('.banner[role=alert]')).toContainText('not base64url');
  await expect(app.tabs).toHaveText(['prog.s']);
});
