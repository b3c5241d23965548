import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildPacket, dissect, formatHexLines, formatIpv6, internetChecksum, PACKET_PRESETS, parseHexText, parseIpv6, parseMac, PacketError, usedFields,
} from './packet';

/** What this machine's kernel did with each preset frame (scripts/record-packet-delivery.py). */
const golden = JSON.parse(readFileSync(new URL('../../../test/golden/packets/kernel-delivery.json', import.meta.url), 'utf8')) as {
  packets: { id: string; frame: string; delivered: boolean; bad_transport_checksum_delivered: boolean; bad_header_checksum_delivered?: boolean }[];
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

describe('the packet builder', () => {
  const built = PACKET_PRESETS.filter((p) => p.spec);
  it('has a kernel verdict for every preset it builds', () => {
    expect(golden.packets.map((p) => p.id)).toEqual(built.map((p) => p.id));
  });

  for (const preset of built) {
    it(`${preset.id}: makes frames the kernel accepts (lengths and checksums right), and it drops them with a checksum off by one`, () => {
      const g = golden.packets.find((p) => p.id === preset.id)!;
      expect(g.delivered).toBe(true);
      expect(g.bad_transport_checksum_delivered).toBe(false);
      if (g.bad_header_checksum_delivered !== undefined) expect(g.bad_header_checksum_delivered).toBe(false);
      expect(hex(buildPacket(preset.spec!))).toBe(g.frame);
    });

    it(`${preset.id}: reads back into the same fields, with nothing wrong`, () => {
      const d = dissect(buildPacket(preset.spec!));
      expect(d.problems).toEqual([]);
      expect(usedFields(d.spec!)).toEqual(usedFields(preset.spec!));
    });
  }

  it('computes the IPv4 header checksum of the classic example (RFC 1071 style, b861)', () => {
    const h = bytes('450000730000400040110000c0a80001c0a800c7');
    expect(internetChecksum(h).toString(16)).toBe('b861');
  });

  it('says which field is wrong and what it should be', () => {
    const frame = bytes(golden.packets[0].frame);
    frame[frame.length - 6] ^= 1; // a payload byte: the UDP checksum no longer matches
    frame[17] += 1; // IPv4 total length
    const d = dissect(frame);
    expect(d.problems).toEqual([
      'IPv4 total length: 34, the packet has 33 bytes after the Ethernet header',
      'IPv4 header checksum: 0x26ca, should be 0x26c9',
      'UDP checksum: 0x0b8b, should be 0x0b8a',
    ]);
    expect(d.spec).toBeNull();
    const udp = bytes(golden.packets[0].frame);
    udp[41] ^= 1; // the UDP checksum itself
    expect(dissect(udp).problems).toEqual(['UDP checksum: 0x0b8b, should be 0x0b8a']);
  });

  it('summarises frames in one line', () => {
    expect(PACKET_PRESETS.map((p) => dissect(p.spec ? buildPacket(p.spec) : bytes(p.hex!)).summary)).toEqual([
      'IPv4 10.0.0.1:40000 → 10.0.0.2:53 UDP, 5 bytes of payload',
      'IPv4 192.168.1.10:51000 → 93.184.216.34:80 TCP [SYN]',
      'IPv4 10.0.0.1 → 10.0.0.2 ICMP echo request, 4 bytes of payload',
      'IPv6 fd00::1:5353 → ff02::fb:5353 UDP, 5 bytes of payload',
      'IPv6 fd00::1 → fd00::2 ICMPv6 echo request, 4 bytes of payload',
      'ARP request: 10.0.0.1 → 10.0.0.2',
      'Ethernet header only (IPv4)',
    ]);
    expect(dissect(new Uint8Array(10)).problems[0]).toMatch(/shorter than an Ethernet header/);
  });

  it('refuses bad fields with the reason', () => {
    const spec = PACKET_PRESETS[0].spec!;
    expect(() => buildPacket({ ...spec, src: '10.0.0.300' })).toThrow(PacketError);
    expect(() => buildPacket({ ...spec, dport: 70000 })).toThrow('destination port 70000 is not a port (0 to 65535)');
    expect(() => parseMac('02:00:00')).toThrow(/not a MAC address/);
  });
});

describe('addresses and hex text', () => {
  it('reads and writes IPv6 addresses (RFC 5952 text)', () => {
    expect(formatIpv6(parseIpv6('fd00::1'))).toBe('fd00::1');
    expect(formatIpv6(parseIpv6('2001:db8:0:0:1:0:0:1'))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(parseIpv6('::ffff:10.0.0.1'))).toBe('::ffff:a00:1');
    expect(formatIpv6(parseIpv6('::'))).toBe('::');
    expect(() => parseIpv6('1::2::3')).toThrow(/not an IPv6 address/);
    expect(() => parseIpv6('1:2:3:4:5:6:7')).toThrow(/not an IPv6 address/);
  });

  it('parses typed hex loosely and says where it is wrong', () => {
    expect(parseHexText('0x01, 0x02\n03:04 ff')).toEqual({ bytes: Uint8Array.from([1, 2, 3, 4, 255]) });
    expect(parseHexText('01 0g')).toEqual({ problem: '"g" at line 1, column 5 is not a hex digit' });
    expect(parseHexText('012')).toEqual({ problem: '3 hex digits: an odd number (each byte is two digits)' });
    expect(formatHexLines(new Uint8Array(18))).toBe(`${'00 '.repeat(15)}00\n00 00`);
  });
});
