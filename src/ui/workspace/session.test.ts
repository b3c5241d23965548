import { describe, expect, it } from 'vitest';
import { memoryBackend } from '../store/storage';
import { encodeShare, shareId } from './share';
import { keepShared, MAX_SHARED_SLOTS, openWorkspace, restamp, swapPrevious } from './session';

const ws = (text: string) => ({ files: [{ name: 'prog.s', text }], activeFile: 'prog.s' });

describe('openWorkspace', () => {
  it('opens the user\'s own workspace without a link', async () => {
    const storage = memoryBackend();
    await storage.write('main', '{"mine":1}');
    expect(await openWorkspace(storage, '')).toEqual({ kind: 'main', slot: 'main', saved: '{"mine":1}' });
    expect(await openWorkspace(storage, '#section-2')).toMatchObject({ kind: 'main' });
  });

  it('opens a link in a slot of its own, with its saved edits the next time', async () => {
    const storage = memoryBackend();
    await storage.write('main', '{"mine":1}');
    const hash = await encodeShare(ws('exit'));
    const first = await openWorkspace(storage, hash);
    expect(first).toEqual({ kind: 'shared', slot: `shared:${shareId(hash)}`, saved: null, workspace: ws('exit'), dropped: 0 });
    await storage.write(first.slot, '{"edited":1}');
    expect(await openWorkspace(storage, hash)).toMatchObject({ kind: 'shared', saved: '{"edited":1}' });
    expect(await storage.read('main')).toBe('{"mine":1}');
  });

  it('says why an unreadable link was not opened, and opens the user\'s workspace', async () => {
    const storage = memoryBackend();
    expect(await openWorkspace(storage, '#share=1.%%%')).toMatchObject({ kind: 'main', linkProblem: expect.stringContaining('base64url') });
  });

  it(`keeps the ${MAX_SHARED_SLOTS} most recent shared workspaces`, async () => {
    const storage = memoryBackend();
    const slots: string[] = [];
    for (let k = 0; k <= MAX_SHARED_SLOTS; k++) {
      const o = await openWorkspace(storage, await encodeShare(ws(`r0 = ${k}\nexit`)));
      await storage.write(o.slot, `{"k":${k}}`);
      slots.push(o.slot);
    }
    expect(await storage.read(slots[0])).toBeNull();
    expect(await storage.read(slots[1])).toBe('{"k":1}');
    expect(await storage.read(slots[MAX_SHARED_SLOTS])).toBe(`{"k":${MAX_SHARED_SLOTS}}`);
  });
});

describe('keeping a shared workspace', () => {
  it('moves the user\'s workspace to previous, and swapping brings it back', async () => {
    const storage = memoryBackend();
    await storage.write('main', '{"who":"mine","savedAt":5}');
    await keepShared(storage, '{"who":"shared","savedAt":9}', 100);
    expect(JSON.parse((await storage.read('main'))!)).toEqual({ who: 'shared', savedAt: 100 });
    expect(JSON.parse((await storage.read('previous'))!)).toEqual({ who: 'mine', savedAt: 100 });
    expect(await swapPrevious(storage, 200)).toBe(true);
    expect(JSON.parse((await storage.read('main'))!)).toEqual({ who: 'mine', savedAt: 200 });
    expect(JSON.parse((await storage.read('previous'))!)).toEqual({ who: 'shared', savedAt: 200 });
  });

  it('has nothing to swap without a previous workspace', async () => {
    expect(await swapPrevious(memoryBackend())).toBe(false);
  });

  it('restamps only objects', () => {
    expect(restamp('{"a":1}', 7)).toBe('{"a":1,"savedAt":7}');
    expect(restamp('damaged', 7)).toBe('damaged');
  });
});
