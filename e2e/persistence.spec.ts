/**
 * Never lose work: the workspace is saved in IndexedDB (localStorage without it),
 * restored on reload and in a new tab, including what was typed just before the tab
 * closed; a workspace saved by the first playground (version 1, localStorage) is read.
 */
import { expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

/** The saved text of a slot, straight from IndexedDB. */
const idbSlot = (slot: string) => new Promise<string | null>((resolve, reject) => {
  const open = indexedDB.open('bpfplay');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const get = open.result.transaction('workspaces').objectStore('workspaces').get(slot);
    get.onsuccess = () => { resolve((get.result as string | undefined) ?? null); open.result.close(); };
    get.onerror = () => reject(get.error);
  };
});

test('the workspace is saved in IndexedDB and restored in a new tab', async ({ page, context }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  expect(await page.evaluate(() => window.bpfplay!.storageKind())).toBe('indexeddb');
  await app.setSource('r0 = 7\nexit\n');
  await page.evaluate(() => window.bpfplay!.flushSave());
  const saved = JSON.parse((await page.evaluate(idbSlot, 'main'))!);
  expect(saved).toMatchObject({ version: 3, editor: { files: [{ name: 'prog.s', text: 'r0 = 7\nexit\n' }] }, savedAt: expect.any(Number) });

  // Typed and closed at once, before the batched save: still there in the next tab.
  await app.editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('r1 = 8');
  await page.close({ runBeforeUnload: true });
  const next = new PlaygroundPage(await context.newPage());
  await next.goto();
  expect(await next.getSource()).toBe('r0 = 7\nexit\nr1 = 8');
  await expect(next.kernel).toHaveText(['0: (b7) r0 = 7', '1: (95) exit', '2: (b7) r1 = 8']);
});

test('a workspace saved by the first playground (version 1, localStorage) is read', async ({ page }) => {
  await page.addInitScript(() => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('bpfplay:workspace', JSON.stringify({
      version: 1,
      editor: { files: [{ name: 'prog.s', text: 'r0 = 3\nexit\n' }, { name: 'old.h', text: '#define OLD 1\n' }], activeFile: 'prog.s', exampleId: null },
      view: { theme: 'light', llvmAlu32: false },
    }));
  });
  const app = new PlaygroundPage(page);
  await app.goto();
  await expect(app.tabs).toHaveText(['prog.s', 'old.h']);
  await expect(app.kernel).toHaveText(['0: (b7) r0 = 3', '1: (95) exit']);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  // From now on it lives in IndexedDB, in the current version.
  await app.setSource('r0 = 4\nexit\n');
  await page.evaluate(() => window.bpfplay!.flushSave());
  expect(JSON.parse((await page.evaluate(idbSlot, 'main'))!)).toMatchObject({ version: 3, editor: { files: [{ text: 'r0 = 4\nexit\n' }, { name: 'old.h' }] } });
  await page.reload();
  await app.waitForEditor();
  expect(await app.getSource()).toBe('r0 = 4\nexit\n');
});

test('without IndexedDB the workspace is kept in localStorage', async ({ page }) => {
  await page.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }); });
  const app = new PlaygroundPage(page);
  await app.goto();
  expect(await page.evaluate(() => window.bpfplay!.storageKind())).toBe('localstorage');
  await app.setSource('r0 = 9\nexit\n');
  await page.evaluate(() => window.bpfplay!.flushSave());
  expect(JSON.parse((await page.evaluate(() => localStorage.getItem('bpfplay:workspace')))!)).toMatchObject({ version: 3 });
  await page.reload();
  await app.waitForEditor();
  expect(await app.getSource()).toBe('r0 = 9\nexit\n');
  await expect(page.getByRole('status').filter({ hasText: 'Not saved' })).toHaveCount(0);
});
