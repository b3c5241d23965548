import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../bpfplay';

const golden = (kind: 'xlated' | 'jit', name: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/golden/${kind}/${name}.json`, import.meta.url), 'utf8')).programs[0];
const obj = (name: string) => new URL(`../../../test/progs/obj/${name}.o`, import.meta.url).pathname;

describe('bpfplay dump', () => {
  it('prints the xlated program as bpftool does (map ids are the map index + 1)', async () => {
    const r = await main(['dump', 'xlated', obj('xdp_count_proto'), '--printer', 'bpftool-7.1']);
    expect(r.code).toBe(0);
    const g = golden('xlated', 'xdp_count_proto');
    const names = new Map<number, string>(g.maps.map((m: { id: number; name: string }) => [m.id, m.name]));
    // Our object's maps in order: proto_count is map 0 -> id 1.
    const kernel = (g.bpftool.plain as string).replace(/map\[id:(\d+)\]/g, (_, id) => `map[id:${names.get(Number(id)) === 'proto_count' ? 1 : id}]`);
    expect(r.stdout).toBe(kernel);
  });

  it('prints the jited listing and, with --json, bytes equal in length to the kernel image', async () => {
    const text = await main(['dump', 'jited', obj('xdp_count_proto')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^int xdp_count_proto\(struct xdp_md \* ctx\):\nbpf_prog_[0-9a-f]{16}_xdp_count_proto:\n; /);
    const j = await main(['dump', 'jited', obj('xdp_count_proto'), '--json']);
    const out = JSON.parse(j.stdout!);
    const g = golden('jit', 'xdp_count_proto');
    expect(out.bytes.length / 2).toBe(g.jited.length / 2);
    expect(out.jited_func_lens).toEqual(g.jited_func_lens);
    expect(out.insn_ranges.length).toBe(g.xlated.length);
    expect(out.insns[0]).toMatchObject({ func: 0, pc: '0x0', operation: 'nopl' });
  });

  it('gives the DOT graph with --visual', async () => {
    const r = await main(['dump', 'xlated', obj('socket_len'), '--visual']);
    expect(r.stdout).toMatch(/^digraph "DOT graph for eBPF program" \{\nsubgraph "cluster_0" \{/);
  });

  it('rejects bad requests with exit status 2 and one line', async () => {
    for (const argv of [['dump', 'what', obj('socket_len')], ['dump', 'jited', obj('socket_len'), '--visual'], ['dump', 'xlated', obj('socket_len'), '--prog', 'nope'], ['dump', 'xlated', '/nonexistent.o']]) {
      const r = await main(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr!.trim().split('\n')).toHaveLength(1);
    }
  });
});
