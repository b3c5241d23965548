import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, fromBase64Url, MAX_SHARED_BYTES, shareId, toBase64Url } from './share';

const link = (json: unknown) => `#share=1.${toBase64Url(deflateRawSync(Buffer.from(JSON.stringify(json))))}`;

describe('share links', () => {
  const workspace = {
    files: [
      { name: 'prog.s', text: '.section xdp\n    r0 = 2\n    exit\n' },
      { name: 'net/hdr.h', text: '// ünïcödé, </script><script>alert(1)</script>\n' },
    ],
    activeFile: 'net/hdr.h',
  };

  it('round-trip the files and the open file', async () => {
    const hash = await encodeShare(workspace);
    expect(hash).toMatch(/^#share=1\.[A-Za-z0-9_-]+$/);
    expect(await decodeShare(hash)).toEqual({ workspace, repaired: [], linkFiles: 2 });
  });

  it('carry the inputs of runs (packet, context), and drop inputs that do not read', async () => {
    const runInputs = { packet: '0200000000020200000000010800', ctx: { pt_regs: '2a' }, repeat: 5 };
    expect((await decodeShare(await encodeShare({ ...workspace, runInputs }))).workspace).toEqual({ ...workspace, runInputs });
    const bad = link({ f: [['prog.s', 'exit\n']], a: 'prog.s', r: { packet: '<b>', ctx: {}, repeat: 1 } });
    expect((await decodeShare(bad)).workspace).toEqual({ files: [{ name: 'prog.s', text: 'exit\n' }], activeFile: 'prog.s' });
  });

  it('are compressed: a typical program makes a short link', async () => {
    const big = { files: [{ name: 'prog.s', text: '    r0 += 1\n'.repeat(500) }], activeFile: 'prog.s' };
    expect((await encodeShare(big)).length).toBeLessThan(200);
  });

  it('read what another encoder made (deflate-raw is deflate-raw)', async () => {
    const made = link({ f: [['prog.s', 'exit\n']], a: 'prog.s' });
    expect((await decodeShare(made)).workspace).toEqual({ files: [{ name: 'prog.s', text: 'exit\n' }], activeFile: 'prog.s' });
  });

  it('drop files with unsafe names and keep the rest', async () => {
    const made = link({ f: [['<img src=x onerror=alert(1)>.h', 'x'], ['../../etc/passwd', 'y'], ['ok.s', 'exit'], 'junk'], a: '<img>' });
    expect(await decodeShare(made)).toEqual({
      workspace: { files: [{ name: 'ok.s', text: 'exit' }], activeFile: 'ok.s' },
      repaired: ['editor.files', 'editor.activeFile'],
      linkFiles: 4,
    });
  });

  it('refuse damaged, foreign and oversized links with a reason', async () => {
    await expect(decodeShare('#share=1.@@@')).rejects.toThrow(/not base64url/);
    await expect(decodeShare('#share=2.AAAA')).rejects.toThrow(/unknown share link format "2"/);
    await expect(decodeShare('#share=nodot')).rejects.toThrow(/unknown share link format ""/);
    await expect(decodeShare(`#share=1.${toBase64Url(new Uint8Array([0xff, 0xfe, 0xfd]))}`)).rejects.toThrow(/does not decompress/);
    await expect(decodeShare(`#share=1.${toBase64Url(deflateRawSync(Buffer.from('not json')))}`)).rejects.toThrow(/not JSON/);
    await expect(decodeShare(link({ nothing: true }))).rejects.toThrow(/holds no files/);
    await expect(decodeShare(link({ f: [['../x', 'y']], a: 'x' }))).rejects.toThrow(/no usable files/);
    // A zip bomb: 9 MB of zeros compress to a few KB.
    const bomb = `#share=1.${toBase64Url(deflateRawSync(Buffer.alloc(MAX_SHARED_BYTES + 1024 * 1024)))}`;
    expect(bomb.length).toBeLessThan(20_000);
    await expect(decodeShare(bomb)).rejects.toThrow(/larger than 8 MB/);
  });

  it('base64url round-trips all byte values', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(all))).toEqual(all);
  });

  it('have a stable id per link', () => {
    expect(shareId('#share=1.abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(shareId('#share=1.abc')).toBe(shareId('#share=1.abc'));
    expect(shareId('#share=1.abc')).not.toBe(shareId('#share=1.abd'));
  });
});
