/**
 * End-to-end tests against the built site (`vite build` first, then `vite preview`
 * serves dist/), in Debian's chromium. Playwright never downloads a browser here.
 */
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';

// A port of our own, so a preview someone left running on 4173 does not answer instead.
process.env.E2E_PORT ??= String(41730 + (process.pid % 1000));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'artifacts/test-results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.BPFPLAY_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    // vite preview serves dist/ of the directory it runs in: the repository root.
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    url: baseURL,
    reuseExistingServer: false,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
