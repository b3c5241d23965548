/**
 * The `test` every spec uses: fails a test on any console error or uncaught page error,
 * so "no console errors" is checked everywhere, not in one place.
 */
import { test as base, expect } from '@playwright/test';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      await use(errors);
      expect(errors, 'console errors during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
