/**
 * Per-program-type verifier facts (the kernel's `bpf_verifier_ops`): which context
 * offsets are readable/writable and what a context load yields, which helpers may be
 * called, direct packet access, LD_ABS, and the allowed return values.
 *
 * The context and helper tables were recorded from the 6.18 kernel by
 * scripts/record-verifier-tables.ts (kernel-tables.gen.ts); the rest follows
 * kernel/bpf/verifier.c (`may_access_direct_pkt_data`, `may_access_skb`,
 * `check_return_code`).
 */
import { ATTACH_TYPES, PROG_TYPES } from '../isa/kernel-types';
import { CTX_ACCESS, CTX_PROBE_END, HELPERS_ALLOWED } from './kernel-tables.gen';
import { protoFor, type FuncProto } from './helper-protos';
import {
  PTR_MAYBE_NULL, PTR_TO_FLOW_KEYS, PTR_TO_PACKET, PTR_TO_PACKET_END, PTR_TO_PACKET_META, PTR_TO_SOCK_COMMON, PTR_TO_SOCKET,
  PTR_TO_TCP_SOCK, PTR_TO_TP_BUFFER, SCALAR_VALUE,
} from './reg-state';
import type { RetvalRange } from './state';

export type HelperAllowed = 'yes' | 'no' | 'sleep' | 'probe';

export interface ProgTypeInfo {
  /** Kernel name without prefix: `socket_filter`, `xdp`, ... */
  readonly name: string;
  readonly id: number;
  readonly attachType: number;
  /** Which recorded table row was used. */
  readonly tableKey: string;
  ctxAccess(off: number, size: number, write: boolean): { ok: boolean; regType: number };
  helperAllowed(id: number): HelperAllowed;
  proto(id: number): FuncProto | undefined;
  readonly directPktAccess: 'none' | 'read' | 'rw' | 'sockopt';
  readonly mayAccessSkb: boolean;
  readonly convertsCtxAccess: boolean;
  /** Allowed return value range of the main program, or null when unchecked. */
  readonly returnRange: RetvalRange | null;
  /** `nr_cpu_ids` of the reference machine (bounds bpf_get_smp_processor_id). */
  readonly nrCpuIds: number;
}

const LETTER_TYPE: Record<string, number> = {
  s: SCALAR_VALUE, p: PTR_TO_PACKET, e: PTR_TO_PACKET_END, m: PTR_TO_PACKET_META, k: PTR_TO_FLOW_KEYS,
  C: PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL, S: PTR_TO_SOCKET | PTR_MAYBE_NULL, o: PTR_TO_SOCKET, c: PTR_TO_SOCK_COMMON,
  t: PTR_TO_TCP_SOCK, b: PTR_TO_TP_BUFFER,
};

const attachName = (a: number): string => ATTACH_TYPES.name(a) ?? '';

function tableKeyFor(name: string, attach: number): string {
  const a = attachName(attach);
  if (name === 'cgroup_sock_addr') {
    const key = `cgroup_sock_addr/${a.replace(/^cgroup_/, '')}`;
    return CTX_ACCESS[key] ? key : 'cgroup_sock_addr/inet4_connect';
  }
  if (name === 'cgroup_skb') return a === 'cgroup_inet_egress' ? 'cgroup_skb/egress' : 'cgroup_skb';
  if (name === 'cgroup_sockopt') return a === 'cgroup_setsockopt' ? 'cgroup_sockopt/setsockopt' : 'cgroup_sockopt/getsockopt';
  if (CTX_ACCESS[name]) return name;
  // program types the reference machine could not load (tracing, lsm, ...): closest relative
  if (name === 'tracing' || name === 'lsm' || name === 'struct_ops' || name === 'ext' || name === 'syscall') return 'kprobe';
  if (name === 'lwt_seg6local') return 'lwt_in';
  if (name === 'netfilter') return 'cgroup_device';
  return 'socket_filter';
}

function directPkt(name: string): ProgTypeInfo['directPktAccess'] {
  switch (name) {
    case 'lwt_in': case 'lwt_out': case 'lwt_seg6local': case 'sk_reuseport': case 'flow_dissector': case 'cgroup_skb':
      return 'read';
    case 'sched_cls': case 'sched_act': case 'xdp': case 'lwt_xmit': case 'sk_skb': case 'sk_msg':
      return 'rw';
    case 'cgroup_sockopt':
      return 'sockopt';
    default:
      return 'none';
  }
}

function returnRange(name: string, attach: string): RetvalRange | null {
  switch (name) {
    case 'cgroup_sock_addr':
      if (/^cgroup_(udp4_recvmsg|udp6_recvmsg|unix_recvmsg|inet4_getpeername|inet6_getpeername|unix_getpeername|inet4_getsockname|inet6_getsockname|unix_getsockname)$/.test(attach)) return { min: 1, max: 1 };
      if (attach === 'cgroup_inet4_bind' || attach === 'cgroup_inet6_bind') return { min: 0, max: 3 };
      return { min: 0, max: 1 };
    case 'cgroup_skb':
      return attach === 'cgroup_inet_egress' ? { min: 0, max: 3 } : { min: 0, max: 1 };
    case 'cgroup_sock': case 'sock_ops': case 'cgroup_device': case 'cgroup_sysctl': case 'cgroup_sockopt':
      return { min: 0, max: 1 };
    case 'tracing':
      if (attach === 'trace_fentry' || attach === 'trace_fexit') return { min: 0, max: 0 };
      if (attach === 'trace_iter') return { min: 0, max: 1 };
      return null;
    case 'kprobe':
      if (attach === 'trace_kprobe_session' || attach === 'trace_uprobe_session') return { min: 0, max: 1 };
      return null;
    case 'sk_lookup':
      return { min: 0, max: 1 };
    case 'netfilter':
      return { min: 0, max: 1 };
    default:
      return null;
  }
}

/** Verifier facts for a program type and expected attach type. */
export function progTypeInfo(id: number, attachType = 0): ProgTypeInfo {
  const name = PROG_TYPES.name(id) ?? 'unspec';
  const key = tableKeyFor(name, attachType);
  const table = CTX_ACCESS[key];
  const helpers = HELPERS_ALLOWED[key] ?? '';
  const attach = attachName(attachType);
  return {
    name,
    id,
    attachType,
    tableKey: key,
    ctxAccess(off, size, write) {
      if (off < 0 || !table) return { ok: false, regType: SCALAR_VALUE };
      if (off >= CTX_PROBE_END) {
        // tracepoint records extend to PERF_MAX_TRACE_SIZE, read-only, size-aligned
        const ok = !write && key === 'tracepoint' && off < 8192 && off % size === 0;
        return { ok, regType: SCALAR_VALUE };
      }
      if (write) return { ok: table.write[size]?.[off] === 'w', regType: SCALAR_VALUE };
      const c = table.read[size]?.[off] ?? '.';
      if (c === '.') return { ok: false, regType: SCALAR_VALUE };
      return { ok: true, regType: LETTER_TYPE[c] ?? SCALAR_VALUE };
    },
    helperAllowed(hid) {
      const c = helpers[hid];
      return c === '1' ? 'yes' : c === 'z' ? 'sleep' : c === 'p' ? 'probe' : 'no';
    },
    proto(hid) {
      const c = helpers[hid];
      if (c !== '1' && c !== 'z' && c !== 'p') return undefined;
      return protoFor(hid, name);
    },
    directPktAccess: directPkt(name),
    mayAccessSkb: name === 'socket_filter' || name === 'sched_cls' || name === 'sched_act',
    convertsCtxAccess: name !== 'syscall' && name !== 'tracing' && name !== 'lsm',
    returnRange: returnRange(name, attach),
    nrCpuIds: 2,
  };
}
