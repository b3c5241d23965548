/**
 * libbpf's program section conventions (`SEC("xdp")`, `SEC("kprobe/do_unlinkat")`, ...):
 * which program type and expected attach type a section name means.
 *
 * The table follows libbpf's `section_defs[]` (libbpf 1.x): a name matches an entry when
 * it equals the entry's prefix, or, for entries marked `plus` (libbpf's "+" suffix), when
 * it starts with the prefix followed by '/'. Entries are tried in order.
 */
import { ATTACH_TYPES, PROG_TYPES } from '../isa/kernel-types';

export interface SectionDef {
  prefix: string;
  progType: string;
  attachType?: string;
  /** `name+`: the prefix alone or followed by `/target`. */
  plus?: boolean;
  sleepable?: boolean;
  /** Needs a BTF attach target (fentry, lsm, tp_btf, ...). */
  attachBtf?: boolean;
}

const d = (prefix: string, progType: string, attachType?: string, extra: Partial<SectionDef> = {}): SectionDef =>
  ({ prefix, progType, attachType, ...extra });
const plus = { plus: true };

export const SECTION_DEFS: readonly SectionDef[] = [
  d('socket', 'socket_filter'),
  d('sk_reuseport/migrate', 'sk_reuseport', 'sk_reuseport_select_or_migrate'),
  d('sk_reuseport', 'sk_reuseport', 'sk_reuseport_select'),
  d('kprobe', 'kprobe', undefined, plus),
  d('uprobe', 'kprobe', undefined, plus),
  d('uprobe.s', 'kprobe', undefined, { plus: true, sleepable: true }),
  d('kretprobe', 'kprobe', undefined, plus),
  d('uretprobe', 'kprobe', undefined, plus),
  d('uretprobe.s', 'kprobe', undefined, { plus: true, sleepable: true }),
  d('kprobe.multi', 'kprobe', 'trace_kprobe_multi', plus),
  d('kretprobe.multi', 'kprobe', 'trace_kprobe_multi', plus),
  d('uprobe.multi', 'kprobe', 'trace_uprobe_multi', plus),
  d('uretprobe.multi', 'kprobe', 'trace_uprobe_multi', plus),
  d('kprobe.session', 'kprobe', 'trace_kprobe_session', plus),
  d('ksyscall', 'kprobe', undefined, plus),
  d('kretsyscall', 'kprobe', undefined, plus),
  d('usdt', 'kprobe', undefined, plus),
  d('tc/ingress', 'sched_cls', 'tcx_ingress'),
  d('tc/egress', 'sched_cls', 'tcx_egress'),
  d('tcx/ingress', 'sched_cls', 'tcx_ingress'),
  d('tcx/egress', 'sched_cls', 'tcx_egress'),
  d('tc', 'sched_cls'),
  d('classifier', 'sched_cls'),
  d('action', 'sched_act'),
  d('netkit/primary', 'sched_cls', 'netkit_primary'),
  d('netkit/peer', 'sched_cls', 'netkit_peer'),
  d('tracepoint', 'tracepoint', undefined, plus),
  d('tp', 'tracepoint', undefined, plus),
  d('raw_tracepoint', 'raw_tracepoint', undefined, plus),
  d('raw_tp', 'raw_tracepoint', undefined, plus),
  d('raw_tracepoint.w', 'raw_tracepoint_writable', undefined, plus),
  d('raw_tp.w', 'raw_tracepoint_writable', undefined, plus),
  d('tp_btf', 'tracing', 'trace_raw_tp', { plus: true, attachBtf: true }),
  d('fentry', 'tracing', 'trace_fentry', { plus: true, attachBtf: true }),
  d('fmod_ret', 'tracing', 'modify_return', { plus: true, attachBtf: true }),
  d('fexit', 'tracing', 'trace_fexit', { plus: true, attachBtf: true }),
  d('fentry.s', 'tracing', 'trace_fentry', { plus: true, attachBtf: true, sleepable: true }),
  d('fmod_ret.s', 'tracing', 'modify_return', { plus: true, attachBtf: true, sleepable: true }),
  d('fexit.s', 'tracing', 'trace_fexit', { plus: true, attachBtf: true, sleepable: true }),
  d('freplace', 'ext', undefined, { plus: true, attachBtf: true }),
  d('lsm', 'lsm', 'lsm_mac', { plus: true, attachBtf: true }),
  d('lsm.s', 'lsm', 'lsm_mac', { plus: true, attachBtf: true, sleepable: true }),
  d('lsm_cgroup', 'lsm', 'lsm_cgroup', { plus: true, attachBtf: true }),
  d('iter', 'tracing', 'trace_iter', { plus: true, attachBtf: true }),
  d('iter.s', 'tracing', 'trace_iter', { plus: true, attachBtf: true, sleepable: true }),
  d('syscall', 'syscall', undefined, { sleepable: true }),
  d('xdp.frags/devmap', 'xdp', 'xdp_devmap'),
  d('xdp/devmap', 'xdp', 'xdp_devmap'),
  d('xdp.frags/cpumap', 'xdp', 'xdp_cpumap'),
  d('xdp/cpumap', 'xdp', 'xdp_cpumap'),
  d('xdp.frags', 'xdp', 'xdp'),
  d('xdp', 'xdp', 'xdp'),
  d('perf_event', 'perf_event'),
  d('lwt_in', 'lwt_in'),
  d('lwt_out', 'lwt_out'),
  d('lwt_xmit', 'lwt_xmit'),
  d('lwt_seg6local', 'lwt_seg6local'),
  d('sockops', 'sock_ops', 'cgroup_sock_ops'),
  d('sk_skb/stream_parser', 'sk_skb', 'sk_skb_stream_parser'),
  d('sk_skb/stream_verdict', 'sk_skb', 'sk_skb_stream_verdict'),
  d('sk_skb/verdict', 'sk_skb', 'sk_skb_verdict'),
  d('sk_skb', 'sk_skb'),
  d('sk_msg', 'sk_msg', 'sk_msg_verdict'),
  d('lirc_mode2', 'lirc_mode2', 'lirc_mode2'),
  d('flow_dissector', 'flow_dissector', 'flow_dissector'),
  d('cgroup_skb/ingress', 'cgroup_skb', 'cgroup_inet_ingress'),
  d('cgroup_skb/egress', 'cgroup_skb', 'cgroup_inet_egress'),
  d('cgroup/skb', 'cgroup_skb'),
  d('cgroup/sock_create', 'cgroup_sock', 'cgroup_inet_sock_create'),
  d('cgroup/sock_release', 'cgroup_sock', 'cgroup_inet_sock_release'),
  d('cgroup/sock', 'cgroup_sock', 'cgroup_inet_sock_create'),
  d('cgroup/post_bind4', 'cgroup_sock', 'cgroup_inet4_post_bind'),
  d('cgroup/post_bind6', 'cgroup_sock', 'cgroup_inet6_post_bind'),
  d('cgroup/bind4', 'cgroup_sock_addr', 'cgroup_inet4_bind'),
  d('cgroup/bind6', 'cgroup_sock_addr', 'cgroup_inet6_bind'),
  d('cgroup/connect4', 'cgroup_sock_addr', 'cgroup_inet4_connect'),
  d('cgroup/connect6', 'cgroup_sock_addr', 'cgroup_inet6_connect'),
  d('cgroup/connect_unix', 'cgroup_sock_addr', 'cgroup_unix_connect'),
  d('cgroup/sendmsg4', 'cgroup_sock_addr', 'cgroup_udp4_sendmsg'),
  d('cgroup/sendmsg6', 'cgroup_sock_addr', 'cgroup_udp6_sendmsg'),
  d('cgroup/sendmsg_unix', 'cgroup_sock_addr', 'cgroup_unix_sendmsg'),
  d('cgroup/recvmsg4', 'cgroup_sock_addr', 'cgroup_udp4_recvmsg'),
  d('cgroup/recvmsg6', 'cgroup_sock_addr', 'cgroup_udp6_recvmsg'),
  d('cgroup/recvmsg_unix', 'cgroup_sock_addr', 'cgroup_unix_recvmsg'),
  d('cgroup/getpeername4', 'cgroup_sock_addr', 'cgroup_inet4_getpeername'),
  d('cgroup/getpeername6', 'cgroup_sock_addr', 'cgroup_inet6_getpeername'),
  d('cgroup/getpeername_unix', 'cgroup_sock_addr', 'cgroup_unix_getpeername'),
  d('cgroup/getsockname4', 'cgroup_sock_addr', 'cgroup_inet4_getsockname'),
  d('cgroup/getsockname6', 'cgroup_sock_addr', 'cgroup_inet6_getsockname'),
  d('cgroup/getsockname_unix', 'cgroup_sock_addr', 'cgroup_unix_getsockname'),
  d('cgroup/sysctl', 'cgroup_sysctl', 'cgroup_sysctl'),
  d('cgroup/getsockopt', 'cgroup_sockopt', 'cgroup_getsockopt'),
  d('cgroup/setsockopt', 'cgroup_sockopt', 'cgroup_setsockopt'),
  d('cgroup/dev', 'cgroup_device', 'cgroup_device'),
  d('struct_ops', 'struct_ops', undefined, plus),
  d('struct_ops.s', 'struct_ops', undefined, { plus: true, sleepable: true }),
  d('sk_lookup', 'sk_lookup', 'sk_lookup'),
  d('netfilter', 'netfilter', 'netfilter'),
];

export interface SectionMeaning {
  def: SectionDef;
  progType: number;
  expectedAttachType?: number;
  /** `do_unlinkat` of `kprobe/do_unlinkat`. */
  target?: string;
}

/** What libbpf makes of a program section name, or undefined if it knows no such section. */
export function sectionMeaning(section: string): SectionMeaning | undefined {
  for (const def of SECTION_DEFS) {
    const exact = section === def.prefix;
    const withTarget = def.plus && section.startsWith(`${def.prefix}/`);
    if (!exact && !withTarget) continue;
    const progType = PROG_TYPES.value(def.progType);
    if (progType === undefined) throw new Error(`section table names unknown program type ${def.progType}`);
    const expectedAttachType = def.attachType === undefined ? undefined : ATTACH_TYPES.value(def.attachType);
    return { def, progType, expectedAttachType, target: withTarget ? section.slice(def.prefix.length + 1) : undefined };
  }
  return undefined;
}
