/**
 * Several files: tabs, one Monaco model per file (its own text, language, undo history
 * and scroll position), add / rename / delete with undo, all kept over a reload.
 */
import { join } from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const shot = (name: string) => ({ path: join(ARTIFACTS, `files-${name}.png`) });

test('files as tabs: add, switch, rename, delete and undo, reload', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await expect(app.tabs).toHaveText(['prog.s']);

  // A C file: the suggested name, C highlighting, the notice that C needs the compiler.
  await app.editor.getByRole('button', { name: 'New file' }).click();
  const name = app.editor.getByLabel('New file name');
  await expect(name).toHaveValue('prog.bpf.c');
  await name.press('Enter');
  await expect(app.tabs).toHaveText(['prog.s', 'prog.bpf.c']);
  await expect(app.tab('prog.bpf.c')).toHaveAttribute('aria-selected', 'true');
  await expect(app.editor.locator('.view-lines')).toContainText('#include <bpf/bpf_helpers.h>');
  await expect(app.editor.locator('.view-lines .mtk1, .view-lines span').first()).toBeVisible();
  // The assembly listing still shows prog.s.
  await expect(app.summary).toContainText('prog.s · 11 instructions');

  // A header, named by typing; a bad name is refused with a reason.
  await app.editor.getByRole('button', { name: 'New file' }).click();
  await expect(name).toHaveValue('header.h');
  await name.fill('my header.h');
  await name.press('Enter');
  await expect(app.editor.getByRole('alert')).toContainText('use letters');
  await name.fill('common.h');
  await name.press('Enter');
  await expect(app.tabs).toHaveText(['prog.s', 'prog.bpf.c', 'common.h']);
  await expect(app.editor.locator('.view-lines')).toContainText('#ifndef COMMON_H');
  await page.screenshot(shot('01-three-files'));

  // Each file keeps its own text and cursor: type in prog.s, go away and come back.
  await app.tab('prog.s').click();
  await app.editor.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('r0 = 5');
  await expect(app.kernel.last()).toHaveText('12: (b7) r0 = 5');
  await app.tab('common.h').click();
  await expect(app.editor.locator('.view-lines')).toContainText('#define COMMON_H');
  await app.tab('prog.s').click();
  await page.keyboard.type('+0');
  await expect.poll(() => app.getSource()).toMatch(/r0 = 5\+0$/);
  // Undo in prog.s undoes prog.s's own edit.
  await page.keyboard.press('Control+z');
  await expect.poll(() => app.getSource()).toMatch(/r0 = 5$/);

  // Rename with F2 on the tab; the tab keeps its place.
  await app.tab('common.h').click();
  await app.tab('common.h').press('F2');
  const rename = app.editor.getByLabel('New name for common.h');
  await rename.fill('net.h');
  await rename.press('Enter');
  await expect(app.tabs).toHaveText(['prog.s', 'prog.bpf.c', 'net.h']);
  await expect(app.editor.locator('.view-lines')).toContainText('#ifndef COMMON_H');

  // Arrow keys move between tabs.
  await app.tab('net.h').press('ArrowLeft');
  await expect(app.tab('prog.bpf.c')).toBeFocused();
  await expect(app.tab('prog.bpf.c')).toHaveAttribute('aria-selected', 'true');

  // Delete, then undo.
  await app.editor.getByRole('button', { name: 'Delete prog.bpf.c' }).click();
  await expect(app.tabs).toHaveText(['prog.s', 'net.h']);
  await expect(app.editor.getByRole('status')).toContainText('Deleted prog.bpf.c.');
  await page.screenshot(shot('02-deleted'));
  await app.editor.getByRole('button', { name: 'Undo' }).click();
  await expect(app.tabs).toHaveText(['prog.s', 'prog.bpf.c', 'net.h']);
  await expect(app.editor.locator('.view-lines')).toContainText('#include <linux/bpf.h>');

  // Reload: files, texts and the open tab are back.
  await page.reload();
  await app.waitForEditor();
  await expect(app.tabs).toHaveText(['prog.s', 'prog.bpf.c', 'net.h']);
  await expect(app.tab('prog.bpf.c')).toHaveAttribute('aria-selected', 'true');
  await app.tab('prog.s').click();
  await expect.poll(() => app.getSource()).toMatch(/r0 = 5$/);
  await expect(app.kernel.last()).toHaveText('12: (b7) r0 = 5');
});

test('a workspace with only C files says what it cannot do yet', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  await app.editor.getByRole('button', { name: 'New file' }).click();
  await app.editor.getByLabel('New file name').press('Enter');
  await app.tab('prog.s').click();
  await app.editor.getByRole('button', { name: 'Delete prog.s' }).click();
  await expect(app.disassembly).toHaveCount(0);
  await expect(page.getByTestId('no-asm')).toContainText('prog.bpf.c is C. Compiling it needs clang.wasm');
  await page.screenshot(shot('03-c-only'));
});
