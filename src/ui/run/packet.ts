/**
 * Test packets for XDP, tc and socket programs: a small builder (Ethernet + IPv4/IPv6 +
 * UDP/TCP/ICMP, lengths and checksums computed as RFC 791/768/793/792/8200/4443 define
 * them) and a dissector that reads a packet back into the same fields, names every byte
 * (for the hex editor) and checks lengths and checksums. Pure: tested in Node, the
 * checksums against a real kernel (test/golden/packets/, recorded through a TUN device).
 */

export type L3 = 'ipv4' | 'ipv6';
export type L4 = 'udp' | 'tcp' | 'icmp';

export const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'] as const;
export type TcpFlag = (typeof TCP_FLAGS)[number];

/** What the builder makes: one frame, described by the fields people choose. */
export interface PacketSpec {
  srcMac: string;
  dstMac: string;
  l3: L3;
  src: string;
  dst: string;
  /** IPv4 TTL, IPv6 hop limit. */
  ttl: number;
  l4: L4;
  sport: number;
  dport: number;
  tcpFlags: TcpFlag[];
  /** ICMP (ICMPv6 for IPv6) type and code; echo requests carry id 1, sequence 1. */
  icmpType: number;
  icmpCode: number;
  /** Payload text (UTF-8). */
  payload: string;
}

export class PacketError extends Error {
  override name = 'PacketError';
}

// --- addresses ---------------------------------------------------------------------

export function parseMac(s: string): Uint8Array {
  const parts = s.trim().split(/[:-]/);
  if (parts.length !== 6 || !parts.every((p) => /^[0-9a-f]{1,2}$/i.test(p))) throw new PacketError(`${JSON.stringify(s)} is not a MAC address (six hex bytes: 02:00:00:00:00:01)`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

export const formatMac = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(':');

export function parseIpv4(s: string): Uint8Array {
  const parts = s.trim().split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) throw new PacketError(`${JSON.stringify(s)} is not an IPv4 address (like 10.0.0.1)`);
  return Uint8Array.from(parts.map(Number));
}

export const formatIpv4 = (b: Uint8Array): string => Array.from(b).join('.');

export function parseIpv6(s: string): Uint8Array {
  const text = s.trim();
  const bad = () => new PacketError(`${JSON.stringify(s)} is not an IPv6 address (like fd00::1)`);
  const halves = text.split('::');
  if (halves.length > 2) throw bad();
  const groups = (h: string): number[] => {
    if (h === '') return [];
    const g = h.split(':');
    // An embedded IPv4 address at the end (::ffff:10.0.0.1).
    const last = g[g.length - 1];
    const out: number[] = [];
    for (const x of g.slice(0, -1)) out.push(hexGroup(x));
    if (last.includes('.')) {
      const v4 = parseIpv4(last);
      out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else out.push(hexGroup(last));
    return out;
  };
  const hexGroup = (x: string): number => {
    if (!/^[0-9a-f]{1,4}$/i.test(x)) throw bad();
    return parseInt(x, 16);
  };
  let words: number[];
  try {
    const head = groups(halves[0]);
    if (halves.length === 1) {
      if (head.length !== 8) throw bad();
      words = head;
    } else {
      const tail = groups(halves[1]);
      if (head.length + tail.length > 7) throw bad();
      words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
    }
  } catch (e) {
    if (e instanceof PacketError) throw bad();
    throw e;
  }
  const out = new Uint8Array(16);
  words.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  return out;
}

/** RFC 5952 text: lower case, the longest run of zero groups (two or more) as `::`. */
export function formatIpv6(b: Uint8Array): string {
  const w = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(w);
  return `${hex(w.slice(0, best))}::${hex(w.slice(best + bestLen))}`;
}

// --- checksums ---------------------------------------------------------------------

/** The ones'-complement sum of 16-bit big-endian words (RFC 1071), not yet complemented. */
function sum16(bytes: Uint8Array, start = 0, end = bytes.length, acc = 0): number {
  let s = acc;
  let i = start;
  for (; i + 1 < end; i += 2) s += (bytes[i] << 8) | bytes[i + 1];
  if (i < end) s += bytes[i] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The Internet checksum of bytes [start, end) (their checksum field set to zero first). */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length, acc = 0): number {
  return ~sum16(bytes, start, end, acc) & 0xffff;
}

/** The pseudo-header sum of UDP, TCP and ICMPv6 (RFC 768, RFC 8200 8.1). */
function pseudoSum(l3: L3, src: Uint8Array, dst: Uint8Array, proto: number, length: number): number {
  let s = sum16(src) + sum16(dst);
  s += l3 === 'ipv4' ? proto + length : (length >>> 16) + (length & 0xffff) + proto;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

// --- building ----------------------------------------------------------------------

export const ETH_P_IP = 0x0800;
export const ETH_P_IPV6 = 0x86dd;
export const ETH_P_ARP = 0x0806;
export const IPPROTO = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58 } as const;

const put16 = (b: Uint8Array, at: number, v: number) => { b[at] = (v >>> 8) & 0xff; b[at + 1] = v & 0xff; };
const put32 = (b: Uint8Array, at: number, v: number) => { put16(b, at, v >>> 16); put16(b, at + 2, v & 0xffff); };
const get16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const get32 = (b: Uint8Array, at: number) => ((get16(b, at) << 16) | get16(b, at + 2)) >>> 0;

const l4Proto = (spec: Pick<PacketSpec, 'l3' | 'l4'>): number =>
  spec.l4 === 'udp' ? IPPROTO.udp : spec.l4 === 'tcp' ? IPPROTO.tcp : spec.l3 === 'ipv4' ? IPPROTO.icmp : IPPROTO.icmpv6;

function checkPort(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 65535) throw new PacketError(`${name} ${v} is not a port (0 to 65535)`);
}

/** The frame a spec describes; throws PacketError naming the field that is wrong. */
export function buildPacket(spec: PacketSpec): Uint8Array {
  const payload = new TextEncoder().encode(spec.payload);
  const v4 = spec.l3 === 'ipv4';
  const src = v4 ? parseIpv4(spec.src) : parseIpv6(spec.src);
  const dst = v4 ? parseIpv4(spec.dst) : parseIpv6(spec.dst);
  if (!Number.isInteger(spec.ttl) || spec.ttl < 0 || spec.ttl > 255) throw new PacketError(`${v4 ? 'TTL' : 'hop limit'} ${spec.ttl} is not 0 to 255`);
  const proto = l4Proto(spec);
  let l4: Uint8Array;
  if (spec.l4 === 'udp') {
    checkPort('source port', spec.sport);
    checkPort('destination port', spec.dport);
    l4 = new Uint8Array(8 + payload.length);
    put16(l4, 0, spec.sport);
    put16(l4, 2, spec.dport);
    put16(l4, 4, l4.length);
    l4.set(payload, 8);
  } else if (spec.l4 === 'tcp') {
    checkPort('source port', spec.sport);
    checkPort('destination port', spec.dport);
    l4 = new Uint8Array(20 + payload.length);
    put16(l4, 0, spec.sport);
    put16(l4, 2, spec.dport);
    put32(l4, 4, 1); // sequence number
    put32(l4, 8, spec.tcpFlags.includes('ACK') ? 1 : 0);
    l4[12] = 5 << 4; // data offset: 5 words, no options
    l4[13] = TCP_FLAGS.reduce((f, name, bit) => (spec.tcpFlags.includes(name) ? f | (1 << bit) : f), 0);
    put16(l4, 14, 64240); // window
    l4.set(payload, 20);
  } else {
    for (const [name, v] of [['ICMP type', spec.icmpType], ['ICMP code', spec.icmpCode]] as const) {
      if (!Number.isInteger(v) || v < 0 || v > 255) throw new PacketError(`${name} ${v} is not 0 to 255`);
    }
    l4 = new Uint8Array(8 + payload.length);
    l4[0] = spec.icmpType;
    l4[1] = spec.icmpCode;
    put16(l4, 4, 1); // identifier
    put16(l4, 6, 1); // sequence number
    l4.set(payload, 8);
  }
  const ipLen = v4 ? 20 : 40;
  if (ipLen + l4.length > 0xffff) throw new PacketError(`the payload is too long for one ${v4 ? 'IPv4' : 'IPv6'} packet`);
  const frame = new Uint8Array(14 + ipLen + l4.length);
  frame.set(parseMac(spec.dstMac), 0);
  frame.set(parseMac(spec.srcMac), 6);
  put16(frame, 12, v4 ? ETH_P_IP : ETH_P_IPV6);
  const ip = 14;
  if (v4) {
    frame[ip] = 0x45;
    put16(frame, ip + 2, ipLen + l4.length);
    put16(frame, ip + 6, 0x4000); // don't fragment
    frame[ip + 8] = spec.ttl;
    frame[ip + 9] = proto;
    frame.set(src, ip + 12);
    frame.set(dst, ip + 16);
    put16(frame, ip + 10, internetChecksum(frame, ip, ip + 20));
  } else {
    frame[ip] = 0x60;
    put16(frame, ip + 4, l4.length);
    frame[ip + 6] = proto;
    frame[ip + 7] = spec.ttl;
    frame.set(src, ip + 8);
    frame.set(dst, ip + 24);
  }
  const at = ip + ipLen;
  frame.set(l4, at);
  const csumAt = at + (spec.l4 === 'udp' ? 6 : spec.l4 === 'tcp' ? 16 : 2);
  // ICMPv4 has no pseudo header; UDP, TCP and ICMPv6 do.
  const pseudo = spec.l4 === 'icmp' && v4 ? 0 : pseudoSum(spec.l3, src, dst, proto, l4.length);
  let c = internetChecksum(frame, at, frame.length, pseudo);
  if (spec.l4 === 'udp' && c === 0) c = 0xffff; // RFC 768: a computed 0 is sent as all ones
  put16(frame, csumAt, c);
  return frame;
}

/** The fields of a spec that make its frame (TCP flags only for TCP, ports not for ICMP, ...). */
export function usedFields(spec: PacketSpec): Partial<PacketSpec> {
  const { srcMac, dstMac, l3, src, dst, ttl, l4, payload } = spec;
  const base = { srcMac, dstMac, l3, src, dst, ttl, l4, payload };
  if (l4 === 'icmp') return { ...base, icmpType: spec.icmpType, icmpCode: spec.icmpCode };
  if (l4 === 'tcp') return { ...base, sport: spec.sport, dport: spec.dport, tcpFlags: [...spec.tcpFlags].sort() };
  return { ...base, sport: spec.sport, dport: spec.dport };
}

// --- presets -------------------------------------------------------------------------

const BASE: PacketSpec = {
  srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02', l3: 'ipv4', src: '10.0.0.1', dst: '10.0.0.2', ttl: 64,
  l4: 'udp', sport: 40000, dport: 53, tcpFlags: ['SYN'], icmpType: 8, icmpCode: 0, payload: 'hello',
};

export interface PacketPreset {
  id: string;
  title: string;
  /** Built with the builder... */
  spec?: PacketSpec;
  /** ...or given as bytes (hex), for frames the builder does not make. */
  hex?: string;
}

export const PACKET_PRESETS: readonly PacketPreset[] = [
  { id: 'ipv4-udp', title: 'IPv4 UDP to port 53', spec: BASE },
  { id: 'ipv4-tcp-syn', title: 'IPv4 TCP SYN to port 80', spec: { ...BASE, src: '192.168.1.10', dst: '93.184.216.34', l4: 'tcp', sport: 51000, dport: 80, tcpFlags: ['SYN'], payload: '' } },
  { id: 'ipv4-icmp', title: 'IPv4 ICMP echo request', spec: { ...BASE, l4: 'icmp', icmpType: 8, payload: 'ping' } },
  { id: 'ipv6-udp', title: 'IPv6 UDP (mDNS)', spec: { ...BASE, dstMac: '33:33:00:00:00:fb', l3: 'ipv6', src: 'fd00::1', dst: 'ff02::fb', ttl: 255, sport: 5353, dport: 5353, payload: 'hello' } },
  { id: 'ipv6-icmp', title: 'IPv6 ICMPv6 echo request', spec: { ...BASE, l3: 'ipv6', src: 'fd00::1', dst: 'fd00::2', l4: 'icmp', icmpType: 128, payload: 'ping' } },
  {
    id: 'arp',
    title: 'ARP request (who has 10.0.0.2)',
    hex: 'ffffffffffff020000000001080600010800060400010200000000010a000001000000000000' + '0a000002',
  },
  { id: 'runt', title: 'Ethernet header only (14 bytes)', hex: '020000000002020000000001' + '0800' },
];

export const DEFAULT_PACKET_SPEC = BASE;

// --- dissecting ----------------------------------------------------------------------

export interface PacketField {
  name: string;
  /** Byte range in the frame. */
  start: number;
  end: number;
  /** The value as people read it (`10.0.0.1`, `0x0800 (IPv4)`, `64`). */
  value: string;
  /** For lengths and checksums: what it should be, when it is not. */
  problem?: string;
}

export interface PacketLayer {
  name: string;
  start: number;
  end: number;
  fields: PacketField[];
}

export interface Dissection {
  layers: PacketLayer[];
  /** One line: `IPv4 UDP 10.0.0.1:40000 → 10.0.0.2:53, 5 bytes payload`. */
  summary: string;
  /** Lengths and checksums that are wrong, and truncations. */
  problems: string[];
  /** The builder's fields, when the packet is one the builder makes (else null). */
  spec: PacketSpec | null;
}

const ETHER_TYPES: Record<number, string> = { [ETH_P_IP]: 'IPv4', [ETH_P_IPV6]: 'IPv6', [ETH_P_ARP]: 'ARP', 0x8100: '802.1Q VLAN', 0x88a8: '802.1ad' };
const hex16 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

export function dissect(frame: Uint8Array): Dissection {
  const layers: PacketLayer[] = [];
  const problems: string[] = [];
  const n = frame.length;
  // Only a packet with nothing wrong is one the builder would make.
  const out = (summary: string, spec: PacketSpec | null = null): Dissection => ({ layers, summary, problems, spec: problems.length ? null : spec });
  if (n < 14) {
    problems.push(`${n} bytes: shorter than an Ethernet header (14 bytes); the kernel refuses such test packets`);
    return out(`${n} bytes, not a whole Ethernet header`);
  }
  const ethType = get16(frame, 12);
  layers.push({
    name: 'Ethernet', start: 0, end: 14,
    fields: [
      { name: 'destination MAC', start: 0, end: 6, value: formatMac(frame.subarray(0, 6)) },
      { name: 'source MAC', start: 6, end: 12, value: formatMac(frame.subarray(6, 12)) },
      { name: 'EtherType', start: 12, end: 14, value: `${hex16(ethType)}${ETHER_TYPES[ethType] ? ` (${ETHER_TYPES[ethType]})` : ''}` },
    ],
  });
  const macs = { dstMac: formatMac(frame.subarray(0, 6)), srcMac: formatMac(frame.subarray(6, 12)) };
  if (n === 14) return out(`Ethernet header only (${ETHER_TYPES[ethType] ?? hex16(ethType)})`);
  let l3: L3;
  let ipEnd: number;
  let l4At: number;
  let proto: number;
  let src: Uint8Array;
  let dst: Uint8Array;
  let ttl: number;
  let ipWord: string;
  let builderShape = true;
  if (ethType === ETH_P_IP) {
    l3 = 'ipv4';
    ipWord = 'IPv4';
    if (n < 34) {
      problems.push(`the IPv4 header is cut off: ${n - 14} of at least 20 bytes`);
      return out(`IPv4, truncated (${n} bytes)`);
    }
    const ihl = (frame[14] & 0x0f) * 4;
    const version = frame[14] >> 4;
    const total = get16(frame, 16);
    proto = frame[23];
    ttl = frame[22];
    src = frame.slice(26, 30);
    dst = frame.slice(30, 34);
    const f: PacketField[] = [
      { name: 'version / header length', start: 14, end: 15, value: `${version} / ${ihl} bytes`, problem: version !== 4 ? 'should be 4' : ihl < 20 ? 'at least 20 bytes' : undefined },
      { name: 'DSCP / ECN', start: 15, end: 16, value: String(frame[15]) },
      { name: 'total length', start: 16, end: 18, value: String(total), problem: total !== n - 14 ? `the packet has ${n - 14} bytes after the Ethernet header` : undefined },
      { name: 'identification', start: 18, end: 20, value: hex16(get16(frame, 18)) },
      { name: 'flags / fragment offset', start: 20, end: 22, value: hex16(get16(frame, 20)) },
      { name: 'TTL', start: 22, end: 23, value: String(ttl) },
      { name: 'protocol', start: 23, end: 24, value: `${proto}${protoName(proto) ? ` (${protoName(proto)})` : ''}` },
      { name: 'header checksum', start: 24, end: 26, value: hex16(get16(frame, 24)) },
      { name: 'source address', start: 26, end: 30, value: formatIpv4(src) },
      { name: 'destination address', start: 30, end: 34, value: formatIpv4(dst) },
    ];
    // Summed with the stored checksum, a correct header gives 0.
    if (ihl >= 20 && 14 + ihl <= n && internetChecksum(frame, 14, 14 + ihl) !== 0) {
      const copy = frame.slice(14, 14 + ihl);
      copy[10] = 0; copy[11] = 0;
      f[7].problem = `should be ${hex16(internetChecksum(copy))}`;
    }
    layers.push({ name: 'IPv4', start: 14, end: 14 + Math.max(20, ihl), fields: f });
    l4At = 14 + ihl;
    ipEnd = Math.min(n, 14 + total);
    if (ihl !== 20 || get16(frame, 20) !== 0x4000 || get16(frame, 18) !== 0 || frame[15] !== 0) builderShape = false;
  } else if (ethType === ETH_P_IPV6) {
    l3 = 'ipv6';
    ipWord = 'IPv6';
    if (n < 54) {
      problems.push(`the IPv6 header is cut off: ${n - 14} of 40 bytes`);
      return out(`IPv6, truncated (${n} bytes)`);
    }
    const plen = get16(frame, 18);
    proto = frame[20];
    ttl = frame[21];
    src = frame.slice(22, 38);
    dst = frame.slice(38, 54);
    layers.push({
      name: 'IPv6', start: 14, end: 54,
      fields: [
        { name: 'version / traffic class / flow label', start: 14, end: 18, value: `${frame[14] >> 4} / ${((frame[14] & 0xf) << 4) | (frame[15] >> 4)} / ${((frame[15] & 0xf) << 16) | get16(frame, 16)}`, problem: frame[14] >> 4 !== 6 ? 'version should be 6' : undefined },
        { name: 'payload length', start: 18, end: 20, value: String(plen), problem: plen !== n - 54 ? `the packet has ${n - 54} bytes after the IPv6 header` : undefined },
        { name: 'next header', start: 20, end: 21, value: `${proto}${protoName(proto) ? ` (${protoName(proto)})` : ''}` },
        { name: 'hop limit', start: 21, end: 22, value: String(ttl) },
        { name: 'source address', start: 22, end: 38, value: formatIpv6(src) },
        { name: 'destination address', start: 38, end: 54, value: formatIpv6(dst) },
      ],
    });
    l4At = 54;
    ipEnd = Math.min(n, 54 + plen);
    if (frame[14] !== 0x60 || frame[15] !== 0 || get16(frame, 16) !== 0) builderShape = false;
  } else {
    if (ethType === ETH_P_ARP && n >= 42) {
      const op = get16(frame, 20);
      return out(`ARP ${op === 1 ? 'request' : op === 2 ? 'reply' : `op ${op}`}: ${formatIpv4(frame.subarray(28, 32))} → ${formatIpv4(frame.subarray(38, 42))}`);
    }
    return out(`Ethernet, ${ETHER_TYPES[ethType] ?? `EtherType ${hex16(ethType)}`}, ${n - 14} bytes of payload`);
  }
  for (const l of layers) for (const f of l.fields) if (f.problem) problems.push(`${l.name} ${f.name}: ${f.value}, ${f.problem}`);
  const where = `${ipWord} ${l3 === 'ipv4' ? formatIpv4(src) : formatIpv6(src)} → ${l3 === 'ipv4' ? formatIpv4(dst) : formatIpv6(dst)}`;
  const segLen = ipEnd - l4At;
  const pseudo = (p: number) => pseudoSum(l3, src, dst, p, segLen);
  const checksumProblem = (at: number, withPseudo: boolean, p: number): string | undefined => {
    if (ipEnd > n || segLen < 0) return undefined;
    const stored = get16(frame, at);
    if (p === IPPROTO.udp && stored === 0 && l3 === 'ipv4') return undefined; // no checksum (allowed for UDP over IPv4)
    const copy = frame.slice(l4At, ipEnd);
    copy[at - l4At] = 0; copy[at - l4At + 1] = 0;
    let want = internetChecksum(copy, 0, copy.length, withPseudo ? pseudo(p) : 0);
    if (p === IPPROTO.udp && want === 0) want = 0xffff;
    return stored === want ? undefined : `should be ${hex16(want)}`;
  };
  const payloadText = (from: number) => new TextDecoder().decode(frame.subarray(from, ipEnd));
  const spec = (l4: L4, extra: Partial<PacketSpec>, payloadAt: number): PacketSpec | null => {
    if (!builderShape || ipEnd !== n) return null;
    const payload = payloadText(payloadAt);
    // Only payloads the builder would write the same way (UTF-8 text).
    if (new TextEncoder().encode(payload).length !== ipEnd - payloadAt) return null;
    return {
      ...macs, l3, src: l3 === 'ipv4' ? formatIpv4(src) : formatIpv6(src), dst: l3 === 'ipv4' ? formatIpv4(dst) : formatIpv6(dst), ttl,
      l4, sport: 0, dport: 0, tcpFlags: [], icmpType: l3 === 'ipv4' ? 8 : 128, icmpCode: 0, payload, ...extra,
    };
  };
  const payloadNote = (bytes: number) => (bytes > 0 ? `, ${bytes} byte${bytes === 1 ? '' : 's'} of payload` : '');
  if (proto === IPPROTO.udp) {
    if (l4At + 8 > n) { problems.push('the UDP header is cut off'); return out(`${where}, UDP (truncated)`); }
    const sport = get16(frame, l4At);
    const dport = get16(frame, l4At + 2);
    const len = get16(frame, l4At + 4);
    const fields: PacketField[] = [
      { name: 'source port', start: l4At, end: l4At + 2, value: String(sport) },
      { name: 'destination port', start: l4At + 2, end: l4At + 4, value: String(dport) },
      { name: 'length', start: l4At + 4, end: l4At + 6, value: String(len), problem: len !== segLen ? `should be ${segLen}` : undefined },
      { name: 'checksum', start: l4At + 6, end: l4At + 8, value: hex16(get16(frame, l4At + 6)), problem: checksumProblem(l4At + 6, true, IPPROTO.udp) },
    ];
    layers.push({ name: 'UDP', start: l4At, end: l4At + 8, fields });
    addPayload(layers, l4At + 8, ipEnd);
    for (const f of fields) if (f.problem) problems.push(`UDP ${f.name}: ${f.value}, ${f.problem}`);
    return out(`${where.replace(' →', `:${sport} →`)}:${dport} UDP${payloadNote(ipEnd - l4At - 8)}`, spec('udp', { sport, dport }, l4At + 8));
  }
  if (proto === IPPROTO.tcp) {
    if (l4At + 20 > n) { problems.push('the TCP header is cut off'); return out(`${where}, TCP (truncated)`); }
    const sport = get16(frame, l4At);
    const dport = get16(frame, l4At + 2);
    const off = (frame[l4At + 12] >> 4) * 4;
    const flags = TCP_FLAGS.filter((_, bit) => frame[l4At + 13] & (1 << bit));
    const fields: PacketField[] = [
      { name: 'source port', start: l4At, end: l4At + 2, value: String(sport) },
      { name: 'destination port', start: l4At + 2, end: l4At + 4, value: String(dport) },
      { name: 'sequence number', start: l4At + 4, end: l4At + 8, value: String(get32(frame, l4At + 4)) },
      { name: 'acknowledgment number', start: l4At + 8, end: l4At + 12, value: String(get32(frame, l4At + 8)) },
      { name: 'data offset', start: l4At + 12, end: l4At + 13, value: `${off} bytes` },
      { name: 'flags', start: l4At + 13, end: l4At + 14, value: flags.join(' ') || 'none' },
      { name: 'window', start: l4At + 14, end: l4At + 16, value: String(get16(frame, l4At + 14)) },
      { name: 'checksum', start: l4At + 16, end: l4At + 18, value: hex16(get16(frame, l4At + 16)), problem: checksumProblem(l4At + 16, true, IPPROTO.tcp) },
      { name: 'urgent pointer', start: l4At + 18, end: l4At + 20, value: String(get16(frame, l4At + 18)) },
    ];
    layers.push({ name: 'TCP', start: l4At, end: l4At + Math.max(20, off), fields });
    addPayload(layers, l4At + Math.max(20, off), ipEnd);
    for (const f of fields) if (f.problem) problems.push(`TCP ${f.name}: ${f.value}, ${f.problem}`);
    const shape = off === 20 && get32(frame, l4At + 4) === 1 && get32(frame, l4At + 8) === (flags.includes('ACK') ? 1 : 0) && get16(frame, l4At + 14) === 64240 && get16(frame, l4At + 18) === 0 && (frame[l4At + 12] & 0xf) === 0 && (frame[l4At + 13] & 0xc0) === 0;
    return out(`${where.replace(' →', `:${sport} →`)}:${dport} TCP [${flags.join(' ') || 'no flags'}]${payloadNote(ipEnd - l4At - off)}`, shape ? spec('tcp', { sport, dport, tcpFlags: flags }, l4At + 20) : null);
  }
  if (proto === IPPROTO.icmp || proto === IPPROTO.icmpv6) {
    const v6 = proto === IPPROTO.icmpv6;
    const name = v6 ? 'ICMPv6' : 'ICMP';
    if (l4At + 8 > n) { problems.push(`the ${name} header is cut off`); return out(`${where}, ${name} (truncated)`); }
    const type = frame[l4At];
    const code = frame[l4At + 1];
    const fields: PacketField[] = [
      { name: 'type', start: l4At, end: l4At + 1, value: `${type}${icmpName(v6, type) ? ` (${icmpName(v6, type)})` : ''}` },
      { name: 'code', start: l4At + 1, end: l4At + 2, value: String(code) },
      { name: 'checksum', start: l4At + 2, end: l4At + 4, value: hex16(get16(frame, l4At + 2)), problem: checksumProblem(l4At + 2, v6, proto) },
      { name: 'rest of header', start: l4At + 4, end: l4At + 8, value: `0x${Array.from(frame.subarray(l4At + 4, l4At + 8), (b) => b.toString(16).padStart(2, '0')).join('')}` },
    ];
    layers.push({ name, start: l4At, end: l4At + 8, fields });
    addPayload(layers, l4At + 8, ipEnd);
    for (const f of fields) if (f.problem) problems.push(`${name} ${f.name}: ${f.value}, ${f.problem}`);
    const shape = get16(frame, l4At + 4) === 1 && get16(frame, l4At + 6) === 1 && (v6 === (l3 === 'ipv6'));
    return out(`${where} ${name} ${icmpName(v6, type) ?? `type ${type}`}${payloadNote(ipEnd - l4At - 8)}`, shape ? spec('icmp', { icmpType: type, icmpCode: code }, l4At + 8) : null);
  }
  addPayload(layers, l4At, ipEnd);
  return out(`${where}, protocol ${proto}${payloadNote(ipEnd - l4At)}`);
}

function addPayload(layers: PacketLayer[], start: number, end: number): void {
  if (end > start) layers.push({ name: 'Payload', start, end, fields: [{ name: 'payload', start, end, value: `${end - start} bytes` }] });
}

function protoName(p: number): string | undefined {
  return ({ 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6' } as Record<number, string>)[p];
}

function icmpName(v6: boolean, type: number): string | undefined {
  const names: Record<number, string> = v6
    ? { 1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded', 128: 'echo request', 129: 'echo reply', 133: 'router solicitation', 135: 'neighbor solicitation', 136: 'neighbor advertisement' }
    : { 0: 'echo reply', 3: 'destination unreachable', 5: 'redirect', 8: 'echo request', 11: 'time exceeded' };
  return names[type];
}

// --- hex text --------------------------------------------------------------------------

/** Bytes as the hex editor shows them: 16 per line, space-separated. */
export function formatHexLines(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return lines.join('\n');
}

/**
 * Reads hex the user typed: whitespace, `0x` prefixes, commas and colons between bytes
 * are ignored; anything else is an error that says where.
 */
export function parseHexText(text: string): { bytes: Uint8Array } | { problem: string } {
  const digits: string[] = [];
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l].replace(/0x/gi, '  ');
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (/[0-9a-f]/i.test(ch)) digits.push(ch);
      else if (!/[\s,:]/.test(ch)) return { problem: `${JSON.stringify(ch)} at line ${l + 1}, column ${c + 1} is not a hex digit` };
    }
  }
  if (digits.length % 2) return { problem: `${digits.length} hex digits: an odd number (each byte is two digits)` };
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits[2 * i] + digits[2 * i + 1], 16);
  return { bytes: out };
}
