/**
 * What a program's return value means to the kernel, by program type: the names of the
 * UAPI constants (`XDP_PASS`, `TC_ACT_SHOT`, `SK_DROP`) and what the kernel does with
 * them, or for types that return a number (socket filters: bytes to keep) what that
 * number does. Values from include/uapi/linux/bpf.h and pkt_cls.h of Linux 6.18; the
 * uses from the kernel's callers (sk_filter_trim_cap, trace_call_bpf, ...).
 */

export interface RetvalMeaning {
  /** The constant's name (`XDP_PASS`), or a short word when the value is a number (`accept`). */
  name: string;
  /** What the kernel does with it. */
  meaning: string;
  /** True when the kernel refuses or drops (shown as a failure colour). */
  drops?: boolean;
}

type Table = Record<number, RetvalMeaning>;

const XDP: Table = {
  0: { name: 'XDP_ABORTED', meaning: 'drop the packet and raise the xdp_exception tracepoint (a program error)', drops: true },
  1: { name: 'XDP_DROP', meaning: 'drop the packet', drops: true },
  2: { name: 'XDP_PASS', meaning: 'pass the packet on to the network stack' },
  3: { name: 'XDP_TX', meaning: 'send the packet back out of the interface it came in on' },
  4: { name: 'XDP_REDIRECT', meaning: 'send the packet where bpf_redirect / bpf_redirect_map said' },
};

/** pkt_cls.h; TC_ACT_UNSPEC is -1 (0xffffffff as the u32 retval). */
const TC: Table = {
  [-1]: { name: 'TC_ACT_UNSPEC', meaning: 'use the default action configured for the classifier' },
  0: { name: 'TC_ACT_OK', meaning: 'let the packet through' },
  1: { name: 'TC_ACT_RECLASSIFY', meaning: 'restart classification from the first filter' },
  2: { name: 'TC_ACT_SHOT', meaning: 'drop the packet', drops: true },
  3: { name: 'TC_ACT_PIPE', meaning: 'go on with the next action' },
  4: { name: 'TC_ACT_STOLEN', meaning: 'the packet was consumed (dropped without counting it as a drop)', drops: true },
  5: { name: 'TC_ACT_QUEUED', meaning: 'the packet was queued for later (consumed)' },
  6: { name: 'TC_ACT_REPEAT', meaning: 'run the same action again' },
  7: { name: 'TC_ACT_REDIRECT', meaning: 'send the packet where bpf_redirect said' },
  8: { name: 'TC_ACT_TRAP', meaning: 'hand the packet to the CPU (hardware offload)' },
};

const LWT: Table = {
  0: { name: 'BPF_OK', meaning: 'go on processing the packet' },
  2: { name: 'BPF_DROP', meaning: 'drop the packet', drops: true },
  7: { name: 'BPF_REDIRECT', meaning: 'send the packet where bpf_redirect said' },
  128: { name: 'BPF_LWT_REROUTE', meaning: 'route the packet again (its headers changed)' },
};

const SK_VERDICT: Table = {
  0: { name: 'SK_DROP', meaning: 'drop', drops: true },
  1: { name: 'SK_PASS', meaning: 'pass' },
};

const FLOW_DISSECTOR: Table = {
  0: { name: 'BPF_OK', meaning: 'the flow keys are filled in' },
  2: { name: 'BPF_DROP', meaning: 'dissection failed: the packet is dropped', drops: true },
  129: { name: 'BPF_FLOW_DISSECTOR_CONTINUE', meaning: 'fall back to the kernel\'s own dissector' },
};

const NETFILTER: Table = {
  0: { name: 'NF_DROP', meaning: 'drop the packet', drops: true },
  1: { name: 'NF_ACCEPT', meaning: 'let the packet through' },
};

const ALLOW: Table = {
  0: { name: 'reject', meaning: 'the operation fails with EPERM', drops: true },
  1: { name: 'allow', meaning: 'the operation goes ahead' },
};

const CGROUP_SKB: Table = {
  0: { name: 'drop', meaning: 'the packet is dropped', drops: true },
  1: { name: 'allow', meaning: 'the packet goes on' },
  2: { name: 'drop + congestion', meaning: 'egress: the packet is dropped and the socket told of congestion (ECN)', drops: true },
  3: { name: 'allow + congestion', meaning: 'egress: the packet goes on and the socket is told of congestion (ECN)' },
};

const TABLES: Record<string, Table> = {
  xdp: XDP,
  sched_cls: TC,
  sched_act: TC,
  lwt_in: LWT,
  lwt_out: LWT,
  lwt_xmit: LWT,
  lwt_seg6local: LWT,
  sk_skb: SK_VERDICT,
  sk_msg: SK_VERDICT,
  sk_reuseport: SK_VERDICT,
  sk_lookup: SK_VERDICT,
  flow_dissector: FLOW_DISSECTOR,
  netfilter: NETFILTER,
  cgroup_skb: CGROUP_SKB,
  cgroup_sock: ALLOW,
  cgroup_sock_addr: ALLOW,
  cgroup_device: ALLOW,
  cgroup_sysctl: ALLOW,
  cgroup_sockopt: ALLOW,
};

/** What each program type's return value is, in one line (for the Output panel's heading). */
export const RETURN_ROLE: Record<string, string> = {
  socket_filter: 'bytes of the packet to keep (0 drops it)',
  kprobe: '0 drops the perf event sample; other values let it be recorded',
  tracepoint: '0 drops the perf event sample; other values let it be recorded',
  perf_event: '0 drops the sample; other values let it be recorded',
  raw_tracepoint: 'ignored by the kernel',
  raw_tracepoint_writable: 'ignored by the kernel',
  tracing: 'ignored for fentry/fexit; the new return value for fmod_ret',
  syscall: 'returned to the caller of BPF_PROG_RUN',
  lsm: '0 allows the operation; a negative errno denies it',
};

/**
 * The meaning of `retval` (r0 as the u32 BPF_PROG_TEST_RUN reports) for a program of
 * `progType` (the kernel's lower-case name, `xdp`). `packetLen`: the packet length the
 * program saw (socket filters keep at most that many bytes).
 */
export function retvalMeaning(progType: string, retval: number, packetLen?: number): RetvalMeaning | null {
  const u = retval >>> 0;
  const s = u | 0;
  const table = TABLES[progType];
  if (table) {
    const m = table[u] ?? table[s];
    return m ?? { name: 'unknown', meaning: `not one of the ${progType} return values; the kernel treats it as an error or a drop`, drops: true };
  }
  switch (progType) {
    case 'socket_filter':
      if (u === 0) return { name: 'drop', meaning: 'the socket does not get the packet', drops: true };
      if (packetLen !== undefined && u >= packetLen) return { name: 'accept', meaning: `the socket gets the whole packet (${packetLen} bytes)` };
      return { name: 'accept', meaning: `the socket gets the first ${u} bytes${packetLen !== undefined ? ` of ${packetLen}` : ''}` };
    case 'kprobe':
    case 'tracepoint':
    case 'perf_event':
      return u === 0
        ? { name: 'filter out', meaning: 'the perf event sample is dropped (trace_call_bpf returned 0)' }
        : { name: 'keep', meaning: 'the perf event sample is recorded' };
    case 'raw_tracepoint':
    case 'raw_tracepoint_writable':
      return { name: 'ignored', meaning: 'raw tracepoints do not use the return value' };
    case 'syscall':
      return { name: 'result', meaning: 'returned to the caller of BPF_PROG_RUN' };
    case 'lsm':
      return s === 0 ? { name: 'allow', meaning: 'the operation goes ahead' } : { name: `deny (${s})`, meaning: 'the operation fails with this errno', drops: true };
    default:
      return null;
  }
}

/** `2`, or `4294967295 (-1)` for values that read better signed. */
export function retvalText(retval: number): string {
  const u = retval >>> 0;
  return u >= 0x80000000 ? `${u} (${u | 0})` : String(u);
}
