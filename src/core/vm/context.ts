/**
 * Program contexts: what r1 points at when a program starts, built the way the kernel's
 * BPF_PROG_TEST_RUN builds it (net/bpf/test_run.c), so results match `bpftool prog run`.
 *
 * - skb programs (socket_filter, sched_cls/act, cgroup_skb, lwt_*): a `struct __sk_buff`
 *   view over a socket buffer holding the packet. The buffer has 64 bytes of headroom
 *   (NET_SKB_PAD) and the packet's Ethernet header is parsed by eth_type_trans on the
 *   loopback device (protocol, pkt_type); socket filters and the others see the packet
 *   from the network header on (skb->len = size - 14) and get the first 14 bytes of
 *   data_out zeroed; sched_cls/act see and return the whole frame.
 * - xdp: a `struct xdp_md` over a 4096-byte frame: 256 bytes of headroom, of which the
 *   first 40 hold the xdp_frame (so adjust_head/adjust_meta stop there), and the last 320
 *   bytes reserved for skb_shared_info (so adjust_tail stops there). data_out runs from
 *   data_meta to data_end.
 * - kprobe (x86-64 pt_regs), perf_event (bpf_perf_event_data), tracepoint (raw record),
 *   raw_tracepoint and tracing programs (u64 argument arrays): read-only bytes the user
 *   supplies.
 *
 * `__sk_buff.data`, `data_end` and `data_meta` (and `xdp_md`'s) are u32 fields in the UAPI
 * struct that the verifier rewrites into 64-bit pointer loads; the context region's
 * special access does the same.
 */
import { PROG_TYPES } from '../isa/kernel-types';
import { type AddressSpace, HI_BASE, LO_BASE, type Region, type SpecialAccess } from './memory';
import type { AbsLoader } from './interpreter';

export const PT = {
  SOCKET_FILTER: 1, KPROBE: 2, SCHED_CLS: 3, SCHED_ACT: 4, TRACEPOINT: 5, XDP: 6, PERF_EVENT: 7, CGROUP_SKB: 8,
  LWT_IN: 10, LWT_OUT: 11, LWT_XMIT: 12, RAW_TRACEPOINT: 17, LWT_SEG6LOCAL: 19, RAW_TRACEPOINT_WRITABLE: 24, TRACING: 26,
  SYSCALL: 31,
} as const;

export const ETH_HLEN = 14;
/** NET_SKB_PAD + NET_IP_ALIGN on x86-64. */
export const SKB_HEADROOM = 64;
/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)). */
export const SKB_SHINFO = 320;
export const PAGE_SIZE = 4096;
export const XDP_PACKET_HEADROOM = 256;
/** sizeof(struct xdp_frame): adjust_head/adjust_meta cannot move data below it (measured: -216 of 256 works, -217 does not). */
export const XDP_FRAME_SIZE = 40;
/** The most packet data a test run takes for xdp (4096 - 256 - 320). */
export const XDP_MAX_DATA = PAGE_SIZE - XDP_PACKET_HEADROOM - SKB_SHINFO;

export const SK_BUFF_SIZE = 192;
export const XDP_MD_SIZE = 24;
export const PT_REGS_SIZE = 168;
export const PERF_EVENT_DATA_SIZE = 184;

/** Offsets in struct __sk_buff (Linux 6.18 UAPI, from the kernel's BTF). */
export const SKB = {
  len: 0, pkt_type: 4, mark: 8, queue_mapping: 12, protocol: 16, vlan_present: 20, vlan_tci: 24, vlan_proto: 28,
  priority: 32, ingress_ifindex: 36, ifindex: 40, tc_index: 44, cb: 48, hash: 68, tc_classid: 72, data: 76,
  data_end: 80, napi_id: 84, family: 88, remote_ip4: 92, local_ip4: 96, remote_ip6: 100, local_ip6: 116,
  remote_port: 132, local_port: 136, data_meta: 140, flow_keys: 144, tstamp: 152, wire_len: 160, gso_segs: 164,
  sk: 168, gso_size: 176, tstamp_type: 180, hwtstamp: 184,
} as const;

export const XDP_MD = { data: 0, data_end: 4, data_meta: 8, ingress_ifindex: 12, rx_queue_index: 16, egress_ifindex: 20 } as const;

/** Field offset -> name, for messages. */
const SKB_NAMES = new Map<number, string>(Object.entries(SKB).map(([n, o]) => [o, n]));

export type ContextKind = 'skb' | 'xdp' | 'mem' | 'bytes' | 'none';

/** The packet buffer of an skb or xdp context, with the kernel's pointers as offsets into it. */
export class PacketBuffer {
  constructor(
    readonly region: Region,
    /** Offsets into the buffer. */
    public meta: number,
    public data: number,
    public end: number,
    /** Lowest offset data_meta/data may move to. */
    readonly minStart: number,
    /** Highest offset data_end may move to. */
    readonly maxEnd: number,
  ) {
    this.sync();
  }

  get bytes(): Uint8Array {
    return this.region.bytes;
  }

  get len(): number {
    return this.end - this.data;
  }

  /** Applies the current bounds to the region: the program may touch [data_meta, data_end). */
  sync(): void {
    this.region.lo = this.meta;
    this.region.end = this.end;
    this.region.origin = this.data;
    this.region.refresh();
  }

  ptr(off: number): { lo: number; hi: number } {
    return { lo: (LO_BASE + off) | 0, hi: (HI_BASE + this.region.id) | 0 };
  }
}

/** The socket buffer behind a `__sk_buff` context. */
export class SkBuff implements AbsLoader {
  /** The __sk_buff view (192 bytes). Pointer fields are computed on access. */
  readonly view: Uint8Array;
  private readonly dv: DataView;
  /** Offset of the MAC header and network header in the buffer. */
  readonly macHeader: number;
  readonly networkHeader: number;
  /** Whether the program sees the frame from the MAC header (sched_cls/act). */
  readonly l2: boolean;

  constructor(readonly pkt: PacketBuffer, readonly progType: number, ctxIn: Uint8Array | undefined) {
    this.view = new Uint8Array(SK_BUFF_SIZE);
    if (ctxIn) this.view.set(ctxIn.subarray(0, SK_BUFF_SIZE));
    this.dv = new DataView(this.view.buffer);
    this.l2 = progType === PT.SCHED_CLS || progType === PT.SCHED_ACT;
    this.macHeader = pkt.data;
    this.networkHeader = pkt.data + ETH_HLEN;
    const b = pkt.bytes;
    const m = pkt.data;
    // eth_type_trans on the loopback device (address 00:00:00:00:00:00).
    const dst = b.subarray(m, m + 6);
    const pktType = dst.every((x) => x === 0) ? 0 : dst[0] & 1 ? 2 : 3; // HOST, MULTICAST, OTHERHOST
    const hProto = (b[m + 12] << 8) | b[m + 13];
    let proto = hProto;
    if (hProto < 0x600) proto = b[m + 14] === 0xff && b[m + 15] === 0xff ? 0x0001 : 0x0004; // ETH_P_802_3 / ETH_P_802_2
    const set = (off: number, v: number) => this.dv.setUint32(off, v >>> 0, true);
    if (!this.l2) pkt.data = this.networkHeader;
    pkt.meta = pkt.data;
    pkt.sync();
    // Fields the kernel fills (the ones ctx_in may set are taken from it).
    set(SKB.len, pkt.len);
    set(SKB.pkt_type, pktType);
    set(SKB.protocol, ((proto & 0xff) << 8) | (proto >> 8)); // __be16 as stored
    set(SKB.ifindex, 1); // the loopback device
    set(SKB.queue_mapping, 0);
    set(SKB.vlan_present, 0);
    set(SKB.vlan_tci, 0);
    set(SKB.vlan_proto, 0);
    set(SKB.tc_index, 0);
    set(SKB.hash, 0);
    set(SKB.tc_classid, 0);
    set(SKB.napi_id, 0);
    // wire_len: the packet length when a ctx was given (convert___skb_to_skb), else 0.
    if (ctxIn) { if (this.dv.getUint32(SKB.wire_len, true) === 0) set(SKB.wire_len, pkt.len); } else set(SKB.wire_len, 0);
  }

  get len(): number {
    return this.pkt.len;
  }

  /** Refreshes fields that follow the packet (after helpers change it). */
  packetChanged(): void {
    this.dv.setUint32(SKB.len, this.pkt.len, true);
  }

  u32(off: number): number {
    return this.dv.getUint32(off, true);
  }

  setU32(off: number, v: number): void {
    this.dv.setUint32(off, v >>> 0, true);
  }

  /** LD_ABS / LD_IND: big-endian load relative to skb->data, or -1 (the program returns 0). */
  loadAbs(off: number, size: number): number {
    const p = this.pkt;
    let at: number;
    if (off >= 0) {
      if (off + size > p.len) return -1;
      at = p.data + off;
    } else if (off >= -0x100000) { // SKF_NET_OFF
      at = this.networkHeader + off + 0x100000;
    } else if (off >= -0x200000) { // SKF_LL_OFF
      at = this.macHeader + off + 0x200000;
    } else return -1;
    if (at < 0 || at + size > p.end) return -1;
    const b = p.bytes;
    if (size === 1) return b[at];
    if (size === 2) return (b[at] << 8) | b[at + 1];
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
  }

  /** The fields test_run copies back into ctx_out (convert_skb_to___skb), over ctx_in. */
  ctxOut(ctxIn: Uint8Array | undefined): Uint8Array {
    const out = new Uint8Array(SK_BUFF_SIZE);
    if (ctxIn) out.set(ctxIn.subarray(0, SK_BUFF_SIZE));
    const copy = (off: number, n = 4) => out.set(this.view.subarray(off, off + n), off);
    copy(SKB.mark);
    copy(SKB.priority);
    copy(SKB.ingress_ifindex);
    copy(SKB.ifindex);
    copy(SKB.tstamp, 8);
    copy(SKB.cb, 20);
    copy(SKB.wire_len);
    copy(SKB.gso_segs);
    copy(SKB.hwtstamp, 8);
    return out;
  }

  /** data_out: the frame from the MAC header; the Ethernet header is zeroed for non-L2 programs. */
  dataOut(): Uint8Array {
    const p = this.pkt;
    if (this.l2) return p.bytes.slice(p.data, p.end);
    const start = p.data - ETH_HLEN;
    const out = p.bytes.slice(start, p.end);
    out.fill(0, 0, ETH_HLEN);
    return out;
  }
}

/** Which __sk_buff fields a program type may write (the rest are read-only). */
function skbWritable(progType: number, off: number, size: number): boolean {
  const inCb = off >= SKB.cb && off + size <= SKB.cb + 20;
  if (inCb) return true;
  const field = (o: number, n = 4) => off >= o && off + size <= o + n;
  switch (progType) {
    case PT.SCHED_CLS:
    case PT.SCHED_ACT:
      return field(SKB.mark) || field(SKB.priority) || field(SKB.tc_index) || field(SKB.tc_classid) || field(SKB.queue_mapping) || field(SKB.tstamp, 8);
    case PT.CGROUP_SKB:
      return field(SKB.mark) || field(SKB.priority) || field(SKB.tstamp, 8);
    case PT.LWT_XMIT:
    case PT.LWT_IN:
    case PT.LWT_OUT:
      return field(SKB.mark) || field(SKB.priority);
    default:
      return false;
  }
}

const fieldName = (off: number): string => {
  let best = 0;
  for (const o of SKB_NAMES.keys()) if (o <= off && o > best) best = o;
  const name = SKB_NAMES.get(best) ?? '?';
  return off === best ? name : `${name}+${off - best}`;
};

/** Special access of a __sk_buff region: pointer fields and write permissions. */
class SkbAccess implements SpecialAccess {
  constructor(private readonly skb: SkBuff, private readonly progType: number) {}

  load(off: number, size: number): { lo: number; hi: number } | string {
    const p = this.skb.pkt;
    const ptrField = off === SKB.data ? p.data : off === SKB.data_end ? p.end : off === SKB.data_meta ? p.meta : -1;
    if (ptrField >= 0) {
      if (size !== 4) return `invalid ${size}-byte load of __sk_buff.${fieldName(off)} at ctx+${off} (packet pointers are loaded as u32)`;
      return p.ptr(ptrField);
    }
    if (off + size > SK_BUFF_SIZE || off < 0) return `out-of-bounds read of ${size} bytes at ctx+${off} (struct __sk_buff is ${SK_BUFF_SIZE} bytes)`;
    const v = this.skb.view;
    if (size === 8) {
      const dv = new DataView(v.buffer);
      return { lo: dv.getInt32(off, true), hi: dv.getInt32(off + 4, true) };
    }
    let x = 0;
    for (let k = size - 1; k >= 0; k--) x = (x << 8) | v[off + k];
    return { lo: x | 0, hi: 0 };
  }

  store(off: number, size: number, lo: number, hi: number): true | string {
    if (off < 0 || off + size > SK_BUFF_SIZE) return `out-of-bounds write of ${size} bytes at ctx+${off} (struct __sk_buff is ${SK_BUFF_SIZE} bytes)`;
    if (!skbWritable(this.progType, off, size)) {
      return `write of ${size} bytes to __sk_buff.${fieldName(off)} at ctx+${off}: the field is read-only for ${PROG_TYPES.name(this.progType) ?? 'this program type'} programs`;
    }
    const v = this.skb.view;
    for (let k = 0; k < size; k++) v[off + k] = (k < 4 ? lo >>> (8 * k) : hi >>> (8 * (k - 4))) & 0xff;
    return true;
  }
}

/** Special access of an xdp_md region. */
class XdpAccess implements SpecialAccess {
  constructor(private readonly pkt: PacketBuffer, private readonly md: Uint8Array) {}

  load(off: number, size: number): { lo: number; hi: number } | string {
    const p = this.pkt;
    const ptrField = off === XDP_MD.data ? p.data : off === XDP_MD.data_end ? p.end : off === XDP_MD.data_meta ? p.meta : -1;
    if (ptrField >= 0) {
      if (size !== 4) return `invalid ${size}-byte load of an xdp_md packet pointer at ctx+${off} (they are loaded as u32)`;
      return p.ptr(ptrField);
    }
    if (off < 0 || off + size > XDP_MD_SIZE) return `out-of-bounds read of ${size} bytes at ctx+${off} (struct xdp_md is ${XDP_MD_SIZE} bytes)`;
    let x = 0;
    for (let k = Math.min(size, 4) - 1; k >= 0; k--) x = (x << 8) | this.md[off + k];
    return { lo: x | 0, hi: 0 };
  }

  store(off: number, size: number): true | string {
    return `write of ${size} bytes at ctx+${off}: struct xdp_md is read-only`;
  }
}

/** What a run's context consists of. */
export interface RunContext {
  kind: ContextKind;
  /** r1 at entry (and r2 for the conformance form). */
  r1: [number, number];
  r2?: [number, number];
  ctxRegion?: Region;
  packet?: PacketBuffer;
  skb?: SkBuff;
  /** xdp_md values (ingress_ifindex, rx_queue_index). */
  xdpMd?: Uint8Array;
  /** Regions to free when the run ends. */
  regions: Region[];
  dataOut(): Uint8Array | undefined;
  ctxOut(): Uint8Array | undefined;
}

export interface ContextInput {
  /** Packet bytes (skb / xdp programs). */
  data?: Uint8Array;
  /** Context bytes (ctx_in). */
  ctx?: Uint8Array;
  /**
   * Function arguments, written over ctx_in: the u64 argument array of raw_tracepoint and
   * tracing programs, or for kprobe and perf_event the x86-64 argument registers of
   * pt_regs (di, si, dx, cx, r8, r9: what PT_REGS_PARM1..6 read).
   */
  args?: readonly (bigint | number)[];
}

/** Offsets of di, si, dx, cx, r8, r9 in x86-64 struct pt_regs. */
export const PT_REGS_ARG_OFFSETS = [112, 104, 96, 88, 72, 64] as const;

/** A bad test-run input, with the reason (the kernel would answer EINVAL). */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

const SKB_TYPES = new Set<number>([PT.SOCKET_FILTER, PT.SCHED_CLS, PT.SCHED_ACT, PT.CGROUP_SKB, PT.LWT_IN, PT.LWT_OUT, PT.LWT_XMIT, PT.LWT_SEG6LOCAL]);

export const isSkbType = (t: number): boolean => SKB_TYPES.has(t);

/** Builds the context of a run for a program type. */
export function buildContext(mem: AddressSpace, progType: number, input: ContextInput): RunContext {
  if (isSkbType(progType)) return skbContext(mem, progType, input);
  if (progType === PT.XDP) return xdpContext(mem, input);
  return bytesContext(mem, progType, input);
}

function skbContext(mem: AddressSpace, progType: number, input: ContextInput): RunContext {
  const data = input.data ?? new Uint8Array(64);
  const maxData = PAGE_SIZE - SKB_HEADROOM - SKB_SHINFO;
  if (data.length < ETH_HLEN) throw new ContextError(`packet of ${data.length} bytes is shorter than an Ethernet header (14 bytes); the kernel refuses it with EINVAL`);
  if (data.length > maxData) throw new ContextError(`packet of ${data.length} bytes is larger than ${maxData} bytes, the most a socket buffer test run takes`);
  if (input.ctx) checkSkbCtxIn(input.ctx);
  const alignedSize = (data.length + 63) & ~63;
  const buf = new Uint8Array(SKB_HEADROOM + alignedSize + SKB_SHINFO);
  buf.set(data, SKB_HEADROOM);
  const pktRegion = mem.add('packet', 'pkt', buf, true);
  const pkt = new PacketBuffer(pktRegion, SKB_HEADROOM, SKB_HEADROOM, SKB_HEADROOM + data.length, 0, SKB_HEADROOM + alignedSize);
  const skb = new SkBuff(pkt, progType, input.ctx);
  const ctxRegion = mem.add('ctx', 'ctx', skb.view, true);
  ctxRegion.special = new SkbAccess(skb, progType);
  ctxRegion.label = 'struct __sk_buff';
  ctxRegion.refresh();
  return {
    kind: 'skb',
    r1: [ctxRegion.ptrLo(0), ctxRegion.ptrHi],
    ctxRegion,
    packet: pkt,
    skb,
    regions: [pktRegion, ctxRegion],
    dataOut: () => skb.dataOut(),
    ctxOut: () => (input.ctx ? skb.ctxOut(input.ctx) : undefined),
  };
}

/** convert___skb_to_skb: only some fields of ctx_in may be set. */
function checkSkbCtxIn(ctx: Uint8Array): void {
  if (ctx.length > SK_BUFF_SIZE && ctx.subarray(SK_BUFF_SIZE).some((b) => b !== 0)) {
    throw new ContextError(`ctx_in is ${ctx.length} bytes; struct __sk_buff is ${SK_BUFF_SIZE} (the kernel refuses non-zero bytes beyond it with E2BIG)`);
  }
  const allowed: [number, number][] = [[SKB.mark, 4], [SKB.priority, 4], [SKB.ingress_ifindex, 4], [SKB.ifindex, 4], [SKB.cb, 20], [SKB.tstamp, 8], [SKB.wire_len, 4], [SKB.gso_segs, 4], [SKB.gso_size, 4], [SKB.hwtstamp, 8]];
  for (let off = 0; off < Math.min(ctx.length, SK_BUFF_SIZE); off++) {
    if (ctx[off] === 0) continue;
    if (!allowed.some(([o, n]) => off >= o && off < o + n)) {
      throw new ContextError(`ctx_in sets __sk_buff.${fieldName(off)} (byte ${off}); a test run accepts only mark, priority, ingress_ifindex, ifindex, cb, tstamp, wire_len, gso_segs, gso_size and hwtstamp (the kernel refuses others with EINVAL)`);
    }
  }
  const ifindex = new DataView(ctx.buffer, ctx.byteOffset, ctx.length).getUint32(SKB.ifindex, true);
  if (ifindex > 1) throw new ContextError(`ctx_in sets ifindex ${ifindex}: the VM simulates only the loopback device (ifindex 1)`);
}

function xdpContext(mem: AddressSpace, input: ContextInput): RunContext {
  const data = input.data ?? new Uint8Array(64);
  const md = new Uint8Array(XDP_MD_SIZE);
  let metaLen = 0;
  if (input.ctx) {
    if (input.ctx.length > XDP_MD_SIZE && input.ctx.subarray(XDP_MD_SIZE).some((b) => b !== 0)) throw new ContextError(`ctx_in is ${input.ctx.length} bytes; struct xdp_md is ${XDP_MD_SIZE}`);
    md.set(input.ctx.subarray(0, XDP_MD_SIZE));
    const dv = new DataView(md.buffer);
    metaLen = dv.getUint32(XDP_MD.data, true);
    const dataEnd = dv.getUint32(XDP_MD.data_end, true);
    if (dv.getUint32(XDP_MD.data_meta, true) !== 0) throw new ContextError('ctx_in: xdp_md.data_meta must be 0 (the kernel refuses it with EINVAL)');
    if (dataEnd !== data.length) throw new ContextError(`ctx_in: xdp_md.data_end must be the packet size (${data.length}), is ${dataEnd}`);
    if (metaLen > dataEnd || metaLen % 4 !== 0 || metaLen > XDP_PACKET_HEADROOM - XDP_FRAME_SIZE) throw new ContextError(`ctx_in: xdp_md.data (the metadata length) must be a multiple of 4 and at most the packet size, is ${metaLen}`);
    if (dv.getUint32(XDP_MD.egress_ifindex, true) !== 0) throw new ContextError('ctx_in: xdp_md.egress_ifindex must be 0');
    const ingress = dv.getUint32(XDP_MD.ingress_ifindex, true);
    const rxq = dv.getUint32(XDP_MD.rx_queue_index, true);
    if (ingress > 1) throw new ContextError(`ctx_in sets ingress_ifindex ${ingress}: the VM simulates only the loopback device (ifindex 1)`);
    if (rxq !== 0) throw new ContextError(`ctx_in sets rx_queue_index ${rxq}: the loopback device has one queue (0)`);
  }
  if (data.length < ETH_HLEN) throw new ContextError(`packet of ${data.length} bytes is shorter than an Ethernet header (14 bytes); the kernel refuses it with EINVAL`);
  const headroom = XDP_PACKET_HEADROOM - metaLen;
  const size = Math.min(data.length, XDP_MAX_DATA + metaLen);
  if (data.length > size) throw new ContextError(`packet of ${data.length} bytes is larger than ${XDP_MAX_DATA} bytes, the most an xdp test run takes in one buffer`);
  const frame = new Uint8Array(PAGE_SIZE);
  frame.set(data, headroom);
  const region = mem.add('packet', 'pkt', frame, true);
  const pkt = new PacketBuffer(region, headroom, headroom + metaLen, headroom + data.length, XDP_FRAME_SIZE, PAGE_SIZE - SKB_SHINFO);
  // The rx queue of the loopback device.
  new DataView(md.buffer).setUint32(XDP_MD.ingress_ifindex, 1, true);
  const ctxRegion = mem.add('ctx', 'ctx', md, false);
  ctxRegion.special = new XdpAccess(pkt, md);
  ctxRegion.label = 'struct xdp_md';
  ctxRegion.refresh();
  return {
    kind: 'xdp',
    r1: [ctxRegion.ptrLo(0), ctxRegion.ptrHi],
    ctxRegion,
    packet: pkt,
    xdpMd: md,
    regions: [region, ctxRegion],
    dataOut: () => pkt.bytes.slice(pkt.meta, pkt.end),
    ctxOut: () => {
      if (!input.ctx) return undefined;
      const out = input.ctx.slice(0, XDP_MD_SIZE);
      const dv = new DataView(out.buffer, out.byteOffset, out.length);
      dv.setUint32(XDP_MD.data, pkt.data - pkt.meta, true);
      dv.setUint32(XDP_MD.data_end, pkt.end - pkt.meta, true);
      return out;
    },
  };
}

/** Contexts that are plain bytes the user supplies (read-only for the program). */
function bytesContext(mem: AddressSpace, progType: number, input: ContextInput): RunContext {
  const size =
    progType === PT.KPROBE ? PT_REGS_SIZE
    : progType === PT.PERF_EVENT ? PERF_EVENT_DATA_SIZE
    : progType === PT.RAW_TRACEPOINT || progType === PT.RAW_TRACEPOINT_WRITABLE || progType === PT.TRACING ? Math.max(input.ctx?.length ?? 0, 8 * 12)
    : Math.max(input.ctx?.length ?? 0, 64);
  if (input.ctx && input.ctx.length > size) {
    throw new ContextError(`ctx_in is ${input.ctx.length} bytes; the ${PROG_TYPES.name(progType) ?? ''} context is ${size} bytes`);
  }
  const bytes = new Uint8Array(size);
  if (input.ctx) bytes.set(input.ctx);
  if (input.args?.length) {
    const dv = new DataView(bytes.buffer);
    const regs = progType === PT.KPROBE || progType === PT.PERF_EVENT;
    const max = regs ? PT_REGS_ARG_OFFSETS.length : Math.floor(size / 8);
    if (input.args.length > max) throw new ContextError(`${input.args.length} arguments given; the ${PROG_TYPES.name(progType) ?? ''} context holds ${max}`);
    input.args.forEach((a, i) => dv.setBigUint64(regs ? PT_REGS_ARG_OFFSETS[i] : 8 * i, BigInt.asUintN(64, BigInt(a)), true));
  }
  const region = mem.add('ctx', 'ctx', bytes, progType === PT.SYSCALL);
  region.label =
    progType === PT.KPROBE ? 'struct pt_regs'
    : progType === PT.PERF_EVENT ? 'struct bpf_perf_event_data'
    : progType === PT.TRACEPOINT ? 'the tracepoint record'
    : 'the argument array';
  return {
    kind: 'bytes',
    r1: [region.ptrLo(0), region.ptrHi],
    ctxRegion: region,
    regions: [region],
    dataOut: () => undefined,
    ctxOut: () => (progType === PT.SYSCALL ? bytes.slice() : undefined),
  };
}

/** The conformance form: r1 points at a copy of `mem` (or is 0 when empty), r2 is its length. */
export function memContext(mem: AddressSpace, bytes: Uint8Array): RunContext {
  if (bytes.length === 0) return { kind: 'mem', r1: [0, 0], r2: [0, 0], regions: [], dataOut: () => new Uint8Array(0), ctxOut: () => undefined };
  const region = mem.add('mem', 'mem', bytes.slice(), true);
  return {
    kind: 'mem',
    r1: [region.ptrLo(0), region.ptrHi],
    r2: [bytes.length, 0],
    ctxRegion: region,
    regions: [region],
    dataOut: () => region.bytes.slice(),
    ctxOut: () => undefined,
  };
}
