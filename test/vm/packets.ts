/** Test packets: Ethernet frames with valid IPv4/IPv6 headers and checksums. */

const MAC_DST = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];
const MAC_SRC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

function csum16(b: number[]): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i] << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const be16 = (v: number) => [v >>> 8, v & 0xff];

export function ipv4(proto: number, payload: number[], opts: { ttl?: number; src?: number[]; dst?: number[] } = {}): Uint8Array {
  const src = opts.src ?? [10, 0, 0, 1];
  const dst = opts.dst ?? [10, 0, 0, 2];
  const hdr = [0x45, 0, ...be16(20 + payload.length), 0x12, 0x34, 0x40, 0, opts.ttl ?? 64, proto, 0, 0, ...src, ...dst];
  const c = csum16(hdr);
  hdr[10] = c >>> 8;
  hdr[11] = c & 0xff;
  return new Uint8Array([...MAC_DST, ...MAC_SRC, 0x08, 0x00, ...hdr, ...payload]);
}

export const udp = (sport: number, dport: number, data: number[] = [1, 2, 3, 4]) => [...be16(sport), ...be16(dport), ...be16(8 + data.length), 0, 0, ...data];
export const tcp = (sport: number, dport: number) => [...be16(sport), ...be16(dport), 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0];

export function ipv6udp(dport: number): Uint8Array {
  const payload = udp(1234, dport);
  const src = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 1];
  const dst = [0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 2];
  return new Uint8Array([...MAC_DST, ...MAC_SRC, 0x86, 0xdd, 0x60, 0, 0, 0, ...be16(payload.length), 17, 64, ...src, ...dst, ...payload]);
}

export const arp = (): Uint8Array => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...MAC_SRC, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...MAC_SRC, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);

/** A spread of packets that takes most parsing branches of our test programs. */
export const TEST_PACKETS: [string, Uint8Array][] = [
  ['ipv4 udp :53', ipv4(17, udp(40000, 53))],
  ['ipv4 udp :9', ipv4(17, udp(40000, 9))],
  ['ipv4 udp :53, 100 bytes', ipv4(17, udp(5000, 53, new Array(100).fill(7)))],
  ['ipv4 tcp :80', ipv4(6, tcp(40000, 80))],
  ['ipv4 icmp ttl 1', ipv4(1, [8, 0, 0xf7, 0xff, 0, 0, 0, 0], { ttl: 1 })],
  ['ipv4 udp from 192.168.1.7', ipv4(17, udp(1, 2), { src: [192, 168, 1, 7] })],
  ['ipv6 udp :53', ipv6udp(53)],
  ['arp', arp()],
  ['ethernet only', new Uint8Array([...MAC_DST, ...MAC_SRC, 0x88, 0xb5])],
];
