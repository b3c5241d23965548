/**
 * Numbers worth watching: how many bytes the page loads before the editor chunk, and how
 * long until the page and the editor are usable. Written to artifacts/metrics.json; the
 * budgets below catch Monaco (or anything big) sliding into the first bundle.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { ARTIFACTS, expect, test } from './fixtures';
import { PlaygroundPage } from './pages/playground';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
/** Budget for the first bundle (JS + CSS, gzip). */
const MAIN_BUDGET_GZIP = 130 * 1024;

interface ManifestChunk { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[]; assets?: string[] }

const metrics: Record<string, unknown> = {};

function sizes(files: Iterable<string>) {
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    const bytes = readFileSync(join(DIST, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

test.afterAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, 'metrics.json');
  const old = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> : {};
  writeFileSync(file, `${JSON.stringify({ ...old, ...metrics }, null, 2)}\n`);
});

/** Files loaded before an entry can run: it and everything it imports statically (JS and CSS). */
function firstFiles(manifest: Record<string, ManifestChunk>, key: string) {
  const entry = manifest[key];
  expect(entry, `${key} in the manifest`).toBeDefined();
  const first = new Set<string>();
  const firstCss = new Set<string>();
  const walk = (c: ManifestChunk) => {
    if (first.has(c.file)) return;
    first.add(c.file);
    for (const css of c.css ?? []) firstCss.add(css);
    for (const i of c.imports ?? []) walk(manifest[i]);
  };
  walk(entry);
  return { first, firstCss };
}

test('the first bundle stays small and holds no Monaco', () => {
  const manifest = JSON.parse(readFileSync(join(DIST, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const { first, firstCss } = firstFiles(manifest, 'index.html');
  // Everything else is loaded later (Monaco, its worker, fonts), or belongs to another page.
  const lazy = new Set<string>();
  for (const c of Object.values(manifest)) {
    if (!first.has(c.file)) lazy.add(c.file);
    for (const css of c.css ?? []) if (!firstCss.has(css)) lazy.add(css);
  }
  const main = sizes([...first, ...firstCss]);
  const rest = sizes(lazy);
  const embed = firstFiles(manifest, 'embed.html');
  const embedFirst = sizes([...embed.first, ...embed.firstCss]);
  const element = firstFiles(manifest, 'src/embed/element.ts');
  const elementFirst = sizes([...element.first, ...element.firstCss]);
  metrics.bundle = { mainFiles: [...first, ...firstCss], main, lazy: rest, embed: embedFirst, element: elementFirst };
  console.log(`first bundle: ${main.raw} bytes (${main.gzip} gzip); loaded later: ${rest.raw} bytes (${rest.gzip} gzip)`);
  console.log(`embed.html first bundle: ${embedFirst.gzip} gzip; <bpf-playground> script: ${elementFirst.raw} bytes (${elementFirst.gzip} gzip)`);
  for (const f of first) expect(readFileSync(join(DIST, f), 'utf8'), `${f} must not contain Monaco`).not.toContain('monaco-editor');
  expect(main.gzip).toBeLessThan(MAIN_BUDGET_GZIP);
  expect(embedFirst.gzip).toBeLessThan(MAIN_BUDGET_GZIP);
  // The element a docs page loads is small: it only makes the iframe.
  expect(elementFirst.gzip).toBeLessThan(8 * 1024);
});

test('time to interactive', async ({ page }) => {
  const app = new PlaygroundPage(page);
  await app.goto();
  const t = await page.evaluate(() => {
    const mark = (n: string) => performance.getEntriesByName(n)[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return { domContentLoaded: nav.domContentLoadedEventEnd, shellReady: mark('bpfplay:shell-ready'), editorReady: mark('bpfplay:editor-ready') };
  });
  metrics.timing = t;
  console.log(`shell interactive at ${t.shellReady?.toFixed(0)} ms, editor ready at ${t.editorReady?.toFixed(0)} ms (local preview server)`);
  expect(t.shellReady).not.toBeNull();
  expect(t.editorReady).not.toBeNull();
  expect(t.editorReady!).toBeLessThan(5_000);
});
