import { describe, expect, it } from 'vitest';
import { isEmbedMessage, readHostMessage } from './api';

describe('host messages', () => {
  it('are read when well formed', () => {
    expect(readHostMessage({ source: 'bpfplay-host', id: 1, type: 'verify' })).toEqual({ ok: true, message: { source: 'bpfplay-host', id: 1, type: 'verify' } });
    expect(readHostMessage({ source: 'bpfplay-host', id: 2, type: 'load', files: [{ name: 'prog.s', text: 'exit' }], active: 'prog.s', extra: 1 }))
      .toEqual({ ok: true, message: { source: 'bpfplay-host', id: 2, type: 'load', files: [{ name: 'prog.s', text: 'exit' }], active: 'prog.s' } });
  });
  it('are ignored when not for us', () => {
    expect(readHostMessage('hello')).toBeNull();
    expect(readHostMessage({ source: 'react-devtools', id: 1 })).toBeNull();
  });
  it('are refused with a reason when malformed', () => {
    expect(readHostMessage({ source: 'bpfplay-host', type: 'verify' })).toMatchObject({ ok: false, error: 'message without a numeric id' });
    expect(readHostMessage({ source: 'bpfplay-host', id: 3, type: 'eval', code: 'alert(1)' })).toMatchObject({ ok: false, id: 3, error: expect.stringContaining('unknown message type') });
    expect(readHostMessage({ source: 'bpfplay-host', id: 4, type: 'load', files: [] })).toMatchObject({ ok: false, error: expect.stringContaining('non-empty') });
    expect(readHostMessage({ source: 'bpfplay-host', id: 5, type: 'load', files: [{ name: '<img onerror=x>', text: '' }] })).toMatchObject({ ok: false, error: expect.stringContaining('letters') });
    expect(readHostMessage({ source: 'bpfplay-host', id: 6, type: 'load', files: [{ name: 'a.s', text: 'x'.repeat(5 * 1024 * 1024) }] })).toMatchObject({ ok: false, error: expect.stringContaining('characters') });
    expect(readHostMessage({ source: 'bpfplay-host', id: 7, type: 'load', files: [{ name: 'a.s', text: 1 }] })).toMatchObject({ ok: false, error: 'load: each file is {name, text}' });
  });
});

describe('embed messages', () => {
  it('are recognised by the page', () => {
    expect(isEmbedMessage({ source: 'bpfplay-embed', type: 'ready' })).toBe(true);
    expect(isEmbedMessage({ source: 'bpfplay-embed', type: 'reply', id: 1, ok: false, error: 'x' })).toBe(true);
    expect(isEmbedMessage({ source: 'bpfplay-embed', type: 'reply', id: 1, ok: true })).toBe(false);
    expect(isEmbedMessage({ source: 'other', type: 'ready' })).toBe(false);
  });
});
