import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programFromHex } from '../isa/insn';
import { progTag, sha256 } from './tag';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('program tags', () => {
  it('hashes with SHA-256 (FIPS 180-4 test vectors)', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it("equals the kernel's tag of every recorded program (map fds zeroed)", () => {
    const dir = new URL('../../../test/golden/xlated/', import.meta.url);
    const jitDir = new URL('../../../test/golden/jit/', import.meta.url);
    let n = 0;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const x = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
      const j = JSON.parse(readFileSync(new URL(f, jitDir), 'utf8'));
      x.programs.forEach((p: { name: string; insns: string[] | null }) => {
        if (!p.insns) return;
        const tag = j.programs.find((q: { name: string }) => q.name === p.name).tag;
        expect(progTag(programFromHex(p.insns)), `${f} ${p.name}`).toBe(tag);
        n++;
      });
    }
    expect(n).toBeGreaterThan(40);
  });
});
