import { describe, expect, it } from 'vitest';

// element.ts defines a custom element at import; only its pure helper is tested in Node.
describe('dedent', () => {
  it('removes the indentation of code inside a documentation page', async () => {
    const g = globalThis as { HTMLElement?: unknown; customElements?: unknown };
    g.HTMLElement ??= class {};
    g.customElements ??= { get: () => undefined, define: () => undefined };
    const { dedent } = await import('./element');
    expect(dedent('\n      r0 = 0\n        exit\n    ')).toBe('r0 = 0\n  exit\n');
    expect(dedent('exit')).toBe('exit');
    expect(dedent('\n\t\tr0 = 1\n\n\t\texit\n')).toBe('r0 = 1\n\nexit\n');
  });
});
