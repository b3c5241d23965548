/**
 * Context access conversion (`convert_ctx_accesses` with each program type's
 * `convert_ctx_access`): a load or store of a field of the UAPI context struct
 * (`struct __sk_buff`, `struct xdp_md`, `struct bpf_perf_event_data`) becomes loads and
 * stores of the kernel structs behind it (`struct sk_buff`, `struct xdp_buff`, ...), as
 * net/core/filter.c and kernel/trace/bpf_trace.c emit them in Linux 6.18.
 *
 * The kernel struct offsets are those of the 6.18 x86-64 build the goldens were recorded
 * on (its vmlinux BTF).
 */
import type { Insn } from '../isa/insn';
import { PROG_TYPES } from '../isa/kernel-types';

/** Offsets in the kernel's structs (6.18 x86-64, from its BTF). */
export const KERNEL_LAYOUT = {
  sk_buff: {
    sk: 24, cb: 40, len: 112, data_len: 116, queue_mapping: 124, cloned: 126, pkt_type: 128, tc_index: 132,
    priority: 140, skb_iif: 144, hash: 148, vlan_all: 152, vlan_proto: 152, vlan_tci: 154, napi_id: 156,
    mark: 164, protocol: 176, dev: 16, data: 200,
  },
  /** struct qdisc_skb_cb inside sk_buff.cb. */
  qdisc_skb_cb: { tc_classid: 6, data: 8 },
  /** struct bpf_skb_data_end inside sk_buff.cb. */
  bpf_skb_data_end: { data_meta: 32, data_end: 40 },
  net_device: { ifindex: 224 },
  sock_common: { skc_daddr: 0, skc_rcv_saddr: 4, skc_dport: 12, skc_num: 14, skc_family: 16 },
  xdp_buff: { data: 0, data_end: 8, data_meta: 16, rxq: 32, txq: 40 },
  xdp_rxq_info: { dev: 0, queue_index: 8 },
  xdp_txq_info: { dev: 0 },
  bpf_perf_event_data_kern: { regs: 0, data: 8 },
  perf_sample_data: { period: 8, addr: 184 },
} as const;

const L = KERNEL_LAYOUT;
const PKT_TYPE_MAX = 7;
const CLONED_MASK = 1;
/** MIN_NAPI_ID = NR_CPUS + 1 (include/net/busy_poll.h; this build has NR_CPUS 256): smaller ids are sender CPUs. */
const MIN_NAPI_ID = 0x101;

const SIZE_CODE: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };
const ldx = (size: number, dst: number, src: number, off: number): Insn => ({ code: 0x61 | SIZE_CODE[size], dst, src, off, imm: 0 });
const stx = (size: number, dst: number, src: number, off: number): Insn => ({ code: 0x63 | SIZE_CODE[size], dst, src, off, imm: 0 });
const st = (size: number, dst: number, off: number, imm: number): Insn => ({ code: 0x62 | SIZE_CODE[size], dst, src: 0, off, imm });
const jeqImm = (dst: number, imm: number, off: number): Insn => ({ code: 0x15, dst, src: 0, off, imm });
const jgeImm = (dst: number, imm: number, off: number): Insn => ({ code: 0x35, dst, src: 0, off, imm });
const alu32Imm = (op: number, dst: number, imm: number): Insn => ({ code: 0x04 | op, dst, src: 0, off: 0, imm });
const mov64Imm = (dst: number, imm: number): Insn => ({ code: 0xb7, dst, src: 0, off: 0, imm });

export interface CtxConversion {
  insns: Insn[];
  /** Size of the kernel field read (`target_size`), for narrow loads. */
  targetSize: number;
}

export interface CtxConverter {
  /** Size of the UAPI field at `off` (`ctx_field_size`), for narrow loads. */
  fieldSize(off: number): number;
  convert(insn: Insn, write: boolean): CtxConversion | undefined;
  /** Prologue instructions (`gen_prologue`); none unless direct packet writes need it. */
  prologue?(first: Insn, directWrite: boolean): Insn[] | undefined;
}

/** Offsets of `struct __sk_buff` (include/uapi/linux/bpf.h). */
const SKB = {
  len: 0, pkt_type: 4, mark: 8, queue_mapping: 12, protocol: 16, vlan_present: 20, vlan_tci: 24, vlan_proto: 28,
  priority: 32, ingress_ifindex: 36, ifindex: 40, tc_index: 44, cb: 48, hash: 68, tc_classid: 72, data: 76,
  data_end: 80, napi_id: 84, family: 88, remote_ip4: 92, local_ip4: 96, remote_ip6: 100, local_ip6: 116,
  remote_port: 132, local_port: 136, data_meta: 140, flow_keys: 144, tstamp: 152, wire_len: 160, gso_segs: 164,
  sk: 168, gso_size: 176, tstamp_type: 180, hwtstamp: 184,
} as const;

/** Size of the __sk_buff field containing `off`. */
function skbFieldSize(off: number): number {
  if (off === SKB.flow_keys || off === SKB.tstamp || off === SKB.sk || off === SKB.hwtstamp) return 8;
  return 4;
}

/** bpf_convert_ctx_access (net/core/filter.c) for the `struct __sk_buff` fields. */
function convertSkb(insn: Insn, write: boolean, tc: boolean): CtxConversion | undefined {
  const d = write ? insn.dst : insn.dst;
  const s = insn.src;
  const sizeOf = [4, 2, 1, 8][(insn.code >> 3) & 3];
  const off = insn.off;
  // Stores: `*(u32 *)(skb + field) = reg/imm` keep their form with the kernel offset.
  const store = (kernSize: number, kernOff: number): Insn[] =>
    (insn.code & 7) === 3 ? [stx(kernSize, insn.dst, insn.src, kernOff)] : [st(kernSize, insn.dst, kernOff, insn.imm)];
  const simple = (size: number, kernOff: number): CtxConversion => ({ insns: write ? store(size, kernOff) : [ldx(size, d, s, kernOff)], targetSize: size });

  if (off >= SKB.cb && off < SKB.cb + 20) {
    const k = L.sk_buff.cb + L.qdisc_skb_cb.data + (off - SKB.cb);
    return { insns: write ? store(sizeOf, k) : [ldx(sizeOf, d, s, k)], targetSize: sizeOf };
  }
  switch (off) {
    case SKB.len: return simple(4, L.sk_buff.len);
    case SKB.protocol: return simple(2, L.sk_buff.protocol);
    case SKB.vlan_proto: return simple(2, L.sk_buff.vlan_proto);
    case SKB.priority: return simple(4, L.sk_buff.priority);
    case SKB.ingress_ifindex: return simple(4, L.sk_buff.skb_iif);
    case SKB.hash: return simple(4, L.sk_buff.hash);
    case SKB.mark: return simple(4, L.sk_buff.mark);
    case SKB.tc_index: return simple(2, L.sk_buff.tc_index);
    case SKB.vlan_tci: return simple(2, L.sk_buff.vlan_tci);
    case SKB.tc_classid: return simple(2, L.sk_buff.cb + L.qdisc_skb_cb.tc_classid);
    case SKB.data: return simple(8, L.sk_buff.data);
    case SKB.data_meta: return simple(8, L.sk_buff.cb + L.bpf_skb_data_end.data_meta);
    case SKB.data_end: return simple(8, L.sk_buff.cb + L.bpf_skb_data_end.data_end);
    case SKB.queue_mapping:
      if (write) return undefined;
      return simple(2, L.sk_buff.queue_mapping);
    case SKB.pkt_type:
      return { insns: [ldx(1, d, s, L.sk_buff.pkt_type), alu32Imm(0x50, d, PKT_TYPE_MAX)], targetSize: 1 };
    case SKB.vlan_present:
      return { insns: [ldx(4, d, s, L.sk_buff.vlan_all), jeqImm(d, 0, 1), alu32Imm(0xb0, d, 1)], targetSize: 4 };
    case SKB.ifindex:
      return tc
        ? { insns: [ldx(8, d, s, L.sk_buff.dev), ldx(4, d, d, L.net_device.ifindex)], targetSize: 4 }
        : { insns: [ldx(8, d, s, L.sk_buff.dev), jeqImm(d, 0, 1), ldx(4, d, d, L.net_device.ifindex)], targetSize: 4 };
    case SKB.napi_id:
      return { insns: [ldx(4, d, s, L.sk_buff.napi_id), jgeImm(d, MIN_NAPI_ID, 1), mov64Imm(d, 0)], targetSize: 4 };
    case SKB.family:
      return { insns: [ldx(8, d, s, L.sk_buff.sk), ldx(2, d, d, L.sock_common.skc_family)], targetSize: 2 };
    case SKB.remote_ip4:
      return { insns: [ldx(8, d, s, L.sk_buff.sk), ldx(4, d, d, L.sock_common.skc_daddr)], targetSize: 4 };
    case SKB.local_ip4:
      return { insns: [ldx(8, d, s, L.sk_buff.sk), ldx(4, d, d, L.sock_common.skc_rcv_saddr)], targetSize: 4 };
    case SKB.local_port:
      return { insns: [ldx(8, d, s, L.sk_buff.sk), ldx(2, d, d, L.sock_common.skc_num)], targetSize: 2 };
  }
  return undefined;
}

/** xdp_convert_ctx_access for `struct xdp_md`. */
function convertXdp(insn: Insn, write: boolean): CtxConversion | undefined {
  if (write) return undefined;
  const d = insn.dst;
  const s = insn.src;
  switch (insn.off) {
    case 0: return { insns: [ldx(8, d, s, L.xdp_buff.data)], targetSize: 8 };
    case 4: return { insns: [ldx(8, d, s, L.xdp_buff.data_end)], targetSize: 8 };
    case 8: return { insns: [ldx(8, d, s, L.xdp_buff.data_meta)], targetSize: 8 };
    case 12: return { insns: [ldx(8, d, s, L.xdp_buff.rxq), ldx(8, d, d, L.xdp_rxq_info.dev), ldx(4, d, d, L.net_device.ifindex)], targetSize: 4 };
    case 16: return { insns: [ldx(8, d, s, L.xdp_buff.rxq), ldx(4, d, d, L.xdp_rxq_info.queue_index)], targetSize: 4 };
    case 20: return { insns: [ldx(8, d, s, L.xdp_buff.txq), ldx(8, d, d, L.xdp_txq_info.dev), ldx(4, d, d, L.net_device.ifindex)], targetSize: 4 };
  }
  return undefined;
}

/** pe_prog_convert_ctx_access for `struct bpf_perf_event_data` (pt_regs, then sample_period at 168, addr at 176). */
function convertPerfEvent(insn: Insn): CtxConversion | undefined {
  const d = insn.dst;
  const s = insn.src;
  if (insn.off === 168) return { insns: [ldx(8, d, s, L.bpf_perf_event_data_kern.data), ldx(8, d, d, L.perf_sample_data.period)], targetSize: 8 };
  if (insn.off === 176) return { insns: [ldx(8, d, s, L.bpf_perf_event_data_kern.data), ldx(8, d, d, L.perf_sample_data.addr)], targetSize: 8 };
  return { insns: [ldx(8, d, s, L.bpf_perf_event_data_kern.regs), ldx(8, d, d, insn.off)], targetSize: 8 };
}

/** bpf_unclone_prologue: tc programs that write packet data first make the skb private. */
function uncloneProlog(first: Insn, directWrite: boolean, dropVerdict: number): Insn[] | undefined {
  if (!directWrite) return undefined;
  return [
    ldx(1, 6, 1, L.sk_buff.cloned),
    alu32Imm(0x50, 6, CLONED_MASK),
    jeqImm(6, 0, 7),
    { code: 0xbf, dst: 6, src: 1, off: 0, imm: 0 },
    { code: 0xaf, dst: 2, src: 2, off: 0, imm: 0 },
    { code: 0x85, dst: 0, src: 0, off: 0, imm: 39 }, // bpf_skb_pull_data
    jeqImm(0, 0, 2),
    alu32Imm(0xb0, 0, dropVerdict),
    { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
    { code: 0xbf, dst: 1, src: 6, off: 0, imm: 0 },
    { ...first },
  ];
}

const T = (name: string): number => PROG_TYPES.value(name)!;
const TC_ACT_SHOT = 2;

/** The converter of a program type; undefined when the type's context is not converted. */
export function ctxConverter(progType: number): CtxConverter | undefined {
  switch (progType) {
    case T('socket_filter'):
    case T('cgroup_skb'):
      return { fieldSize: skbFieldSize, convert: (i, w) => convertSkb(i, w, false) };
    case T('sched_cls'):
    case T('sched_act'):
      return { fieldSize: skbFieldSize, convert: (i, w) => convertSkb(i, w, true), prologue: (f, dw) => uncloneProlog(f, dw, TC_ACT_SHOT) };
    case T('xdp'):
      return { fieldSize: () => 4, convert: convertXdp };
    case T('perf_event'):
      return { fieldSize: () => 8, convert: (i) => convertPerfEvent(i) };
  }
  return undefined;
}
