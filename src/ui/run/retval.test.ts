import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseBtf } from '../../core/btf/btf';
import { retvalMeaning, retvalText } from './retval';

/** The 6.18 kernel's BTF (public/kernel): its enums are the return values' definitions. */
const kernel = parseBtf(gunzipSync(readFileSync(new URL('../../../public/kernel/6.18/vmlinux.btf.gz', import.meta.url))));
const enumValues = (name: string): Map<string, number> => {
  const id = kernel.findByName(name, 'enum');
  const t = id !== undefined ? kernel.types[id] : undefined;
  if (!t || t.kind !== 'enum') throw new Error(`no enum ${name} in the kernel BTF`);
  return new Map(t.values.map((v) => [v.name, Number(v.value)]));
};

describe('return values', () => {
  it('name XDP actions as enum xdp_action does', () => {
    for (const [name, value] of enumValues('xdp_action')) expect(retvalMeaning('xdp', value)?.name, name).toBe(name);
  });

  it('name sk verdicts and BPF_* return codes as the kernel\'s enums do', () => {
    for (const [name, value] of enumValues('sk_action')) {
      for (const t of ['sk_skb', 'sk_msg', 'sk_reuseport', 'sk_lookup']) expect(retvalMeaning(t, value)?.name).toBe(name);
    }
    const codes = enumValues('bpf_ret_code');
    for (const name of ['BPF_OK', 'BPF_DROP', 'BPF_REDIRECT', 'BPF_LWT_REROUTE']) expect(retvalMeaning('lwt_xmit', codes.get(name)!)?.name).toBe(name);
    for (const name of ['BPF_OK', 'BPF_DROP', 'BPF_FLOW_DISSECTOR_CONTINUE']) expect(retvalMeaning('flow_dissector', codes.get(name)!)?.name).toBe(name);
  });

  it('name tc actions as pkt_cls.h defines them (the u32 retval of TC_ACT_UNSPEC is 0xffffffff)', () => {
    const header = readFileSync(new URL('../../../public/include/linux/pkt_cls.h', import.meta.url), 'utf8');
    const defs = [...header.matchAll(/^#define (TC_ACT_[A-Z_]+)\s+(-?\d+)\s*$/gm)].map((m) => [m[1], Number(m[2])] as const);
    expect(defs.length).toBeGreaterThanOrEqual(9);
    for (const [name, value] of defs) if (name !== 'TC_ACT_VALUE_MAX') expect(retvalMeaning('sched_cls', value >>> 0)?.name, name).toBe(name);
    expect(retvalText(0xffffffff)).toBe('4294967295 (-1)');
  });

  it('say what a socket filter keeps', () => {
    expect(retvalMeaning('socket_filter', 0)).toMatchObject({ name: 'drop', drops: true });
    expect(retvalMeaning('socket_filter', 64, 33)?.meaning).toBe('the socket gets the whole packet (33 bytes)');
    expect(retvalMeaning('socket_filter', 20, 33)?.meaning).toBe('the socket gets the first 20 bytes of 33');
    expect(retvalMeaning('xdp', 9)).toMatchObject({ name: 'unknown', drops: true });
    expect(retvalMeaning('kprobe', 0)?.name).toBe('filter out');
  });
});
