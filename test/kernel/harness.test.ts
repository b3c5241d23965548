// The harness itself, against facts recorded in ../shared/KERNEL-FACTS.md (P1, P2, P5).
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/asm/parse';
import { kernelStatus, loadObject, loadRaw, skipNote } from './harness';

const k = kernelStatus();
if (!k.available) console.warn(skipNote());

describe.skipIf(!k.available)('kernel harness', () => {
  it('loads an accepted program and reports the summary line', () => {
    const r = loadRaw({ insns: assemble('r0 = 0\nexit').insns, progType: 1 });
    expect(r.accepted).toBe(true);
    expect(r.processedInsns).toBe(2);
    expect(r.errorLine).toBeNull();
  });

  it('reports a rejection with the kernel error line and EACCES', () => {
    const r = loadRaw({ insns: assemble('r0 = r2\nexit').insns, progType: 1 });
    expect(r.accepted).toBe(false);
    expect(r.errno).toBe(13);
    expect(r.errorLine).toBe('R2 !read_ok');
    expect(r.log).toContain('0: (bf) r0 = r2');
  });

  it('creates maps, runs the program and dumps the maps', () => {
    const a = assemble(`
      *(u32 *)(r10 -4) = 0
      r2 = r10
      r2 += -4
      r1 = map[idx:0]
      call bpf_map_lookup_elem
      if r0 == 0 goto +2
      r1 = 1
      lock *(u64 *)(r0 +0) += r1
      r0 = 7
      exit`);
    const r = loadRaw({
      insns: a.insns, progType: 1, maps: [{ name: 'c', type: 2, keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, kind: 'user' }],
      mapFds: [[3, 0]], run: { data: new Uint8Array(64), repeat: 3 },
    });
    expect(r.accepted).toBe(true);
    expect(r.retval).toBe(7);
    expect(r.maps).toEqual([[['00000000', '0300000000000000']]]);
  });

  it('loads an object with bpftool and dumps xlated', () => {
    const o = loadObject(new URL('../progs/obj/socket_len.o', import.meta.url).pathname);
    try {
      expect(o.accepted).toBe(true);
      expect(o.programs).toEqual(['socket_len']);
      expect(o.logs.get('socket_len')).toMatch(/processed \d+ insns/);
      expect(o.xlated('socket_len')).toContain('(61) r0 = *(u32 *)(r1 +112)');
      const run = o.run('socket_len', new Uint8Array(60));
      expect(run.retval).toBe(46); // skb->len excludes the 14-byte Ethernet header for socket filters
    } finally {
      o.cleanup();
    }
  });
});
