#!/usr/bin/env python3
"""Records whether this machine's kernel accepts the packet builder's frames, as the
oracle for their lengths and checksums: test/golden/packets/kernel-delivery.json.

Each preset frame of src/ui/run/packet.ts (built by the playground's own code) loses its
Ethernet header and is written into a TUN device (no offloads there: the kernel checks
IPv4 header, UDP, TCP and ICMP checksums itself). What the kernel does is recorded:
  udp   a socket bound to the destination receives the payload
  tcp   a listening socket makes the kernel answer the SYN with a SYN-ACK
  icmp  the kernel answers the echo request with an echo reply
Then a copy with the transport checksum off by one (and, for IPv4, one with the header
checksum off by one) is written the same way: the kernel must drop those, which shows the
check can fail. Needs root. Run: python3 scripts/record-packet-delivery.py
"""
import fcntl, json, os, select, socket, struct, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'test/golden/packets/kernel-delivery.json')
TUN = 'bpfplay-t0'
TUNSETIFF = 0x400454ca
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000

frames = json.loads(subprocess.check_output(
    ['npx', 'tsx', '-e', "import { PACKET_PRESETS, buildPacket } from './src/ui/run/packet.ts';"
     "const hex = (b) => Buffer.from(b).toString('hex');"
     "console.log(JSON.stringify(PACKET_PRESETS.filter((p) => p.spec).map((p) => ({ id: p.id, spec: p.spec, frame: hex(buildPacket(p.spec)) }))));"],
    cwd=ROOT, stderr=subprocess.DEVNULL))

def sh(*args):
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

fd = os.open('/dev/net/tun', os.O_RDWR)
fcntl.ioctl(fd, TUNSETIFF, struct.pack('16sH', TUN.encode(), IFF_TUN | IFF_NO_PI))
try:
    sh('ip', 'link', 'set', TUN, 'up')
    # Every destination the presets use is made local to the TUN device, every source routed through it.
    for s in frames:
        sp, v6 = s['spec'], s['spec']['l3'] == 'ipv6'
        if not sp['dst'].startswith('ff'):
            subprocess.run(['ip'] + (['-6'] if v6 else []) + ['addr', 'add', sp['dst'] + ('/128' if v6 else '/32'), 'dev', TUN] + (['nodad'] if v6 else []),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(['ip'] + (['-6'] if v6 else []) + ['route', 'replace', sp['src'] + ('/128' if v6 else '/32'), 'dev', TUN],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Reverse-path filtering off for the test device (the global setting is put back below).
    rp_all = open('/proc/sys/net/ipv4/conf/all/rp_filter').read().strip()
    for k in ('all', TUN):
        subprocess.run(['sysctl', '-qw', f'net.ipv4.conf.{k}.rp_filter=0'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    ifindex = socket.if_nametoindex(TUN)

    def drain():
        while select.select([fd], [], [], 0)[0]:
            os.read(fd, 65536)

    def replies(timeout=0.5):
        out, end = [], time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
            if r:
                out.append(os.read(fd, 65536))
        return out

    def delivered(spec, ip):
        v6 = spec['l3'] == 'ipv6'
        fam = socket.AF_INET6 if v6 else socket.AF_INET
        drain()
        if spec['l4'] == 'udp':
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if spec['dst'].startswith('ff'):
                s.bind(('::', spec['dport']))
                s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(fam, spec['dst']) + struct.pack('@I', ifindex))
            else:
                s.bind((spec['dst'], spec['dport']))
            time.sleep(0.05)
            os.write(fd, ip)
            ok = bool(select.select([s], [], [], 0.5)[0]) and s.recv(65536) == spec['payload'].encode()
            s.close()
            return ok
        if spec['l4'] == 'tcp':
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((spec['dst'], spec['dport']))
            s.listen(1)
            os.write(fd, ip)
            got = replies()
            s.close()
            hl = 40 if v6 else 20
            return any(len(p) >= hl + 14 and p[(6 if v6 else 9)] == 6 and p[hl + 13] & 0x12 == 0x12
                       and struct.unpack('!H', p[hl + 2:hl + 4])[0] == spec['sport'] for p in got)
        os.write(fd, ip)
        hl = 40 if v6 else 20
        want = 129 if v6 else 0
        return any(len(p) > hl and p[(6 if v6 else 9)] == (58 if v6 else 1) and p[hl] == want for p in got) if (got := replies()) else False

    records = []
    for s in frames:
        spec, frame = s['spec'], bytes.fromhex(s['frame'])
        ip = frame[14:]
        hl = 40 if spec['l3'] == 'ipv6' else 20
        csum = hl + {'udp': 6, 'tcp': 16, 'icmp': 2}[spec['l4']]
        def flipped(at):
            b = bytearray(ip)
            b[at + 1] ^= 1
            return bytes(b)
        rec = {'id': s['id'], 'frame': s['frame'], 'delivered': delivered(spec, ip),
               'bad_transport_checksum_delivered': delivered(spec, flipped(csum))}
        if spec['l3'] == 'ipv4':
            rec['bad_header_checksum_delivered'] = delivered(spec, flipped(10))
        records.append(rec)
        print(s['id'], rec['delivered'], rec['bad_transport_checksum_delivered'], rec.get('bad_header_checksum_delivered'), file=sys.stderr)
finally:
    if 'rp_all' in dir():
        subprocess.run(['sysctl', '-qw', f'net.ipv4.conf.all.rp_filter={rp_all}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(fd)

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, 'w') as f:
    json.dump({'recorded_with': f'python3 scripts/record-packet-delivery.py on Linux {os.uname().release}', 'packets': records}, f, indent=1)
    f.write('\n')
print(f'wrote {OUT}')
