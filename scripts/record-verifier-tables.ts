#!/usr/bin/env -S npx tsx
/**
 * Records, from the running kernel, the per-program-type facts the verifier needs and
 * that the kernel keeps in code rather than tables:
 *   - context access: for every offset 0..CTX_PROBE_END and size 1/2/4/8, whether
 *     `r0 = *(uN *)(r1 + off)` and `*(uN *)(r1 + off) = r2` are accepted, and the type
 *     of r0 after the load (scalar or a pointer kind), read from the level-2 log;
 *   - helpers: whether `call N` is allowed ("program of this type cannot use helper").
 * Output: src/core/verifier/kernel-tables.gen.ts.
 *
 * Usage (root, on the Linux 6.18 machine): npx tsx scripts/record-verifier-tables.ts
 * Takes a few minutes (tens of thousands of loads through test/kernel/kload).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadRaw, kernelStatus } from '../test/kernel/harness';
import { insn, type Insn } from '../src/core/isa/insn';
import { ATTACH_TYPES, PROG_TYPES } from '../src/core/isa/kernel-types';
import { HELPER_MAX_ID } from '../src/core/isa/helpers';

const CTX_PROBE_END = 264;
const SIZES: [number, number][] = [[1, 0x10], [2, 0x08], [4, 0x00], [8, 0x18]];

/** [key, prog type, expected attach type] */
const TARGETS: [string, string, string | undefined][] = [
  ['socket_filter', 'socket_filter', undefined],
  ['sched_cls', 'sched_cls', undefined],
  ['sched_act', 'sched_act', undefined],
  ['xdp', 'xdp', undefined],
  ['tracepoint', 'tracepoint', undefined],
  ['kprobe', 'kprobe', undefined],
  ['perf_event', 'perf_event', undefined],
  ['raw_tracepoint', 'raw_tracepoint', undefined],
  ['raw_tracepoint_writable', 'raw_tracepoint_writable', undefined],
  ['cgroup_skb', 'cgroup_skb', undefined],
  ['cgroup_skb/egress', 'cgroup_skb', 'cgroup_inet_egress'],
  ['cgroup_sock', 'cgroup_sock', undefined],
  ['cgroup_sock_addr/udp6_sendmsg', 'cgroup_sock_addr', 'cgroup_udp6_sendmsg'],
  ['cgroup_sock_addr/inet4_connect', 'cgroup_sock_addr', 'cgroup_inet4_connect'],
  ['cgroup_sock_addr/inet6_connect', 'cgroup_sock_addr', 'cgroup_inet6_connect'],
  ['cgroup_sock_addr/udp4_sendmsg', 'cgroup_sock_addr', 'cgroup_udp4_sendmsg'],
  ['cgroup_sock_addr/inet4_bind', 'cgroup_sock_addr', 'cgroup_inet4_bind'],
  ['sk_skb', 'sk_skb', undefined],
  ['sk_msg', 'sk_msg', undefined],
  ['sock_ops', 'sock_ops', undefined],
  ['sk_lookup', 'sk_lookup', 'sk_lookup'],
  ['sk_reuseport', 'sk_reuseport', undefined],
  ['flow_dissector', 'flow_dissector', undefined],
  ['lwt_in', 'lwt_in', undefined],
  ['lwt_out', 'lwt_out', undefined],
  ['lwt_xmit', 'lwt_xmit', undefined],
  ['cgroup_device', 'cgroup_device', undefined],
  ['cgroup_sysctl', 'cgroup_sysctl', undefined],
  ['cgroup_sockopt/getsockopt', 'cgroup_sockopt', 'cgroup_getsockopt'],
  ['cgroup_sockopt/setsockopt', 'cgroup_sockopt', 'cgroup_setsockopt'],
];

const EXIT: Insn[] = [insn(0xb7, 0, 0, 0, 1), insn(0x95)];

/** One letter per outcome of a context load: the type of the loaded register. */
const TYPE_LETTER: [RegExp, string][] = [
  [/^(P?-?\d+|P?0x[0-9a-f]+|scalar)/, 's'],
  [/^pkt_meta\(/, 'm'],
  [/^pkt_end\(/, 'e'],
  [/^pkt\(/, 'p'],
  [/^flow_keys\(/, 'k'],
  [/^sock_common_or_null\(/, 'C'],
  [/^sock_or_null\(/, 'S'],
  [/^sock\(/, 'o'],
  [/^sock_common\(/, 'c'],
  [/^tcp_sock\(/, 't'],
  [/^tp_buffer\(/, 'b'],
];

function loadedType(log: string): string {
  const m = /^0: \([0-9a-f]{2}\) .*; R0=(\S+)/m.exec(log);
  if (!m) return '?';
  for (const [re, c] of TYPE_LETTER) if (re.test(m[1])) return c;
  return '?';
}

function main(): void {
  const st = kernelStatus();
  if (!st.available) {
    console.error(`cannot record: ${st.reason}`);
    process.exit(1);
  }
  const ctx: Record<string, { read: Record<number, string>; write: Record<number, string> }> = {};
  const helpers: Record<string, string> = {};
  const unknown = new Set<string>();
  for (const [key, type, attach] of TARGETS) {
    const progType = PROG_TYPES.value(type)!;
    const expectedAttachType = attach === undefined ? undefined : ATTACH_TYPES.value(attach);
    if (attach !== undefined && expectedAttachType === undefined) throw new Error(`unknown attach type ${attach}`);
    const load = (insns: Insn[]) => loadRaw({ insns, progType, expectedAttachType, logLevel: 2 });
    const probe = load([...EXIT]);
    if (!probe.accepted) {
      console.error(`${key}: trivial program refused (${probe.errorLine}); skipped`);
      continue;
    }
    const read: Record<number, string> = {};
    const write: Record<number, string> = {};
    for (const [size, sz] of SIZES) {
      let r = '';
      let w = '';
      for (let off = 0; off < CTX_PROBE_END; off++) {
        const lr = load([insn(0x61 | sz, 0, 1, off, 0), ...EXIT]);
        const c = lr.accepted ? loadedType(lr.log) : '.';
        if (c === '?') unknown.add(`${key} read ${off}/${size}: ${lr.log.split('\n').find((l) => l.startsWith('0: ('))}`);
        r += c;
        const lw = load([insn(0xb7, 2, 0, 0, 0), insn(0x63 | sz, 1, 2, off, 0), ...EXIT]);
        w += lw.accepted ? 'w' : '.';
      }
      read[size] = r;
      write[size] = w;
    }
    ctx[key] = { read, write };
    let h = '';
    for (let id = 0; id < HELPER_MAX_ID; id++) {
      const lr = load([insn(0x85, 0, 0, 0, id), ...EXIT]);
      const err = lr.errorLine ?? '';
      if (lr.accepted) h += '1';
      else if (/cannot use helper|invalid func/.test(err)) h += '0';
      else if (/might sleep/.test(err)) h += 'z';
      else if (/not allowed in probe/.test(err)) h += 'p';
      else h += '1';
    }
    helpers[key] = h;
    console.error(`${key}: done`);
  }
  if (unknown.size) console.error([...unknown].slice(0, 20).join('\n'));
  const out = fileURLToPath(new URL('../src/core/verifier/kernel-tables.gen.ts', import.meta.url));
  writeFileSync(out, [
    '// Generated by scripts/record-verifier-tables.ts from the Linux 6.18 kernel (verifier probes). DO NOT EDIT.',
    '//',
    '// CTX_ACCESS[key].read[size]: one character per context offset 0..' + (CTX_PROBE_END - 1) + ':',
    "//   '.' rejected, 's' scalar, 'p' pkt, 'e' pkt_end, 'm' pkt_meta, 'k' flow_keys,",
    "//   'C' sock_common_or_null, 'S' sock_or_null, 'o' sock, 'c' sock_common, 't' tcp_sock, 'b' tp_buffer.",
    "// CTX_ACCESS[key].write[size]: 'w' accepted, '.' rejected.",
    "// HELPERS_ALLOWED[key]: one character per helper id: '1' allowed, '0' not, 'z' might sleep, 'p' not in probes.",
    '',
    `export const CTX_PROBE_END = ${CTX_PROBE_END};`,
    '',
    `export const CTX_ACCESS: Readonly<Record<string, { read: Record<number, string>; write: Record<number, string> }>> = ${JSON.stringify(ctx, null, 1)};`,
    '',
    `export const HELPERS_ALLOWED: Readonly<Record<string, string>> = ${JSON.stringify(helpers, null, 1)};`,
    '',
  ].join('\n'));
  console.error(`wrote ${out}`);
}

main();
