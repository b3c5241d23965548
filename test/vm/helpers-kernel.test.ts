// Helper semantics against the running kernel: small programs (assembly) that exercise one
// helper's return codes and side effects, loaded with kload and run with BPF_PROG_TEST_RUN,
// and run in the VM on the same input: same retval, data_out and map contents.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/core/asm/parse';
import { mapFromJson, objectFromInsns } from '../../src/core/elf/loaded-object';
import { MAP_TYPES } from '../../src/core/isa/kernel-types';
import { bytesToHex } from '../../src/core/vm/maps';
import { Vm } from '../../src/core/vm/vm';
import { kernelStatus, loadRaw, skipNote } from '../kernel/harness';
import { ipv4, udp } from './packets';

const k = kernelStatus();
if (!k.available) console.warn(skipNote());

const TYPE = { socket_filter: 1, sched_cls: 3, xdp: 6 } as const;

interface Case {
  name: string;
  type: keyof typeof TYPE;
  src: string;
  data?: Uint8Array;
}

const pkt = ipv4(17, udp(1000, 53, [1, 2, 3, 4, 5, 6, 7, 8]));
const udpNoCsum = pkt;

const CASES: Case[] = [
  {
    name: 'csum_diff of 8 bytes against 12 bytes with a seed',
    type: 'sched_cls',
    src: `
      r1 = 0x1122334455667788 ll
      *(u64 *)(r10 -8) = r1
      r1 = 0x99aabbccddeeff00 ll
      *(u64 *)(r10 -24) = r1
      r1 = 0x0102030405060708 ll
      *(u64 *)(r10 -16) = r1
      r1 = r10
      r1 += -8
      r2 = 8
      r3 = r10
      r3 += -24
      r4 = 12
      r5 = 0x1234
      call bpf_csum_diff
      exit`,
  },
  {
    name: 'csum_diff with nothing to remove, and a bad size',
    type: 'sched_cls',
    src: `
      r1 = 0xffffffff
      *(u32 *)(r10 -4) = r1
      r1 = 0
      r2 = 0
      r3 = r10
      r3 += -4
      r4 = 4
      r5 = 0
      call bpf_csum_diff
      r6 = r0
      r1 = 0
      r2 = 0
      r3 = r10
      r3 += -4
      r4 = 3
      r5 = 0
      call bpf_csum_diff
      r0 <<= 32
      r0 |= r6
      exit`,
  },
  {
    name: 'l3_csum_replace (2 and 4 bytes) and skb_store_bytes on the IPv4 header',
    type: 'sched_cls',
    data: pkt,
    src: `
      r6 = r1
      r1 = r6
      r2 = 24
      r3 = 0x0040
      r4 = 0x003f
      r5 = 2
      call bpf_l3_csum_replace
      r7 = r0
      r1 = 0x3f
      *(u8 *)(r10 -1) = r1
      r1 = r6
      r2 = 22
      r3 = r10
      r3 += -1
      r4 = 1
      r5 = 0
      call bpf_skb_store_bytes
      r1 = r6
      r2 = 24
      r3 = 0x0100000a
      r4 = 0x0101a8c0
      r5 = 4
      call bpf_l3_csum_replace
      r0 += r7
      exit`,
  },
  {
    name: 'l4_csum_replace keeps a zero UDP checksum with BPF_F_MARK_MANGLED_0, else updates it',
    type: 'sched_cls',
    data: udpNoCsum,
    src: `
      r6 = r1
      r1 = r6
      r2 = 40
      r3 = 0x0100000a
      r4 = 0x0101a8c0
      r5 = 0x34
      call bpf_l4_csum_replace
      r7 = r0
      r1 = r6
      r2 = 40
      r3 = 0x0100000a
      r4 = 0x0101a8c0
      r5 = 0x14
      call bpf_l4_csum_replace
      r0 <<= 8
      r0 |= r7
      exit`,
  },
  {
    name: 'l3/l4_csum_replace refuse odd offsets, bad flags and offsets past the packet',
    type: 'sched_cls',
    data: pkt,
    src: `
      r6 = r1
      r2 = 25
      r3 = 0
      r4 = 0
      r5 = 2
      call bpf_l3_csum_replace
      r7 = r0
      r1 = r6
      r2 = 24
      r3 = 0
      r4 = 0
      r5 = 0x102
      call bpf_l3_csum_replace
      r8 = r0
      r1 = r6
      r2 = 1000
      r3 = 0
      r4 = 0
      r5 = 2
      call bpf_l4_csum_replace
      r7 <<= 16
      r8 &= 0xff
      r8 <<= 8
      r0 &= 0xff
      r0 |= r7
      r0 |= r8
      exit`,
  },
  {
    name: 'skb_load_bytes inside and past the packet (socket filter offsets start at the IP header)',
    type: 'socket_filter',
    data: pkt,
    src: `
      r6 = r1
      r2 = 9
      r3 = r10
      r3 += -8
      r4 = 4
      call bpf_skb_load_bytes
      r7 = *(u32 *)(r10 -8)
      r1 = r6
      r2 = 200
      r3 = r10
      r3 += -8
      r4 = 4
      call bpf_skb_load_bytes
      r0 <<= 32
      r0 |= r7
      exit`,
  },
  {
    name: 'LD_ABS / LD_IND with SKF_NET_OFF and SKF_LL_OFF',
    type: 'socket_filter',
    data: pkt,
    src: `
      r6 = r1
      r0 = *(u8 *)skb[-1048567]
      r7 = r0
      r0 = *(u16 *)skb[-2097140]
      r7 <<= 16
      r7 |= r0
      r8 = 2
      r0 = *(u16 *)skb[r8 + 0]
      r7 <<= 16
      r0 |= r7
      exit`,
  },
  {
    name: 'array and hash map update flags and errors',
    type: 'socket_filter',
    src: `
      .map a array key=4 value=8 entries=2
      .map h hash key=4 value=8 entries=1
      *(u32 *)(r10 -4) = 0
      *(u64 *)(r10 -16) = 7
      r1 = a ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 1
      call bpf_map_update_elem
      r6 = r0
      r6 &= 0xff
      r1 = a ll
      r2 = r10
      r2 += -4
      call bpf_map_delete_elem
      r0 &= 0xff
      r6 <<= 8
      r6 |= r0
      *(u32 *)(r10 -4) = 5
      r1 = a ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 0
      call bpf_map_update_elem
      r0 &= 0xff
      r6 <<= 8
      r6 |= r0
      r1 = h ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 2
      call bpf_map_update_elem
      r0 &= 0xff
      r6 <<= 8
      r6 |= r0
      r1 = h ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 1
      call bpf_map_update_elem
      r1 = h ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 1
      call bpf_map_update_elem
      r0 &= 0xff
      r6 <<= 8
      r6 |= r0
      *(u32 *)(r10 -4) = 6
      r1 = h ll
      r2 = r10
      r2 += -4
      r3 = r10
      r3 += -16
      r4 = 0
      call bpf_map_update_elem
      r0 &= 0xff
      r6 <<= 8
      r6 |= r0
      r1 = h ll
      r2 = r10
      r2 += -4
      call bpf_map_delete_elem
      r0 &= 0xff
      r6 <<= 8
      r0 = r6
      exit`,
  },
  {
    name: 'queue push beyond capacity, with BPF_EXIST overwriting the oldest; pop and peek',
    type: 'socket_filter',
    src: `
      .map q queue key=0 value=4 entries=2
      r6 = 0
      *(u32 *)(r10 -4) = 1
      r1 = q ll
      r2 = r10
      r2 += -4
      r3 = 0
      call bpf_map_push_elem
      *(u32 *)(r10 -4) = 2
      r1 = q ll
      r2 = r10
      r2 += -4
      r3 = 0
      call bpf_map_push_elem
      *(u32 *)(r10 -4) = 3
      r1 = q ll
      r2 = r10
      r2 += -4
      r3 = 0
      call bpf_map_push_elem
      r6 = r0
      r6 &= 0xff
      r1 = q ll
      r2 = r10
      r2 += -4
      r3 = 2
      call bpf_map_push_elem
      r1 = q ll
      r2 = r10
      r2 += -8
      call bpf_map_pop_elem
      r7 = *(u32 *)(r10 -8)
      r6 <<= 8
      r6 |= r7
      r1 = q ll
      r2 = r10
      r2 += -8
      call bpf_map_peek_elem
      r7 = *(u32 *)(r10 -8)
      r6 <<= 8
      r6 |= r7
      r1 = q ll
      r2 = r10
      r2 += -8
      call bpf_map_pop_elem
      r1 = q ll
      r2 = r10
      r2 += -8
      call bpf_map_pop_elem
      r0 &= 0xff
      r6 <<= 8
      r0 |= r6
      exit`,
  },
  {
    name: 'ringbuf: output, reserve with flags (NULL), query',
    type: 'socket_filter',
    src: `
      .map rb ringbuf key=0 value=0 entries=4096
      r1 = rb ll
      r2 = r10
      r2 += -8
      r3 = 8
      r4 = 0
      *(u64 *)(r10 -8) = r4
      call bpf_ringbuf_output
      r6 = r0
      r1 = rb ll
      r2 = 8
      r3 = 1
      call bpf_ringbuf_reserve
      r6 <<= 8
      if r0 == 0 goto +4
      r1 = r0
      r2 = 0
      call bpf_ringbuf_discard
      r6 |= 0x10
      r1 = rb ll
      r2 = 0
      call bpf_ringbuf_query
      r6 <<= 8
      r6 |= r0
      r1 = rb ll
      r2 = 1
      call bpf_ringbuf_query
      r6 <<= 16
      r0 |= r6
      exit`,
  },
  {
    name: 'xdp_adjust_tail grows with zeroes, adjust_head/meta move data',
    type: 'xdp',
    data: pkt,
    src: `
      r6 = r1
      r2 = 6
      call bpf_xdp_adjust_tail
      r7 = r0
      r1 = r6
      r2 = 14
      call bpf_xdp_adjust_head
      r1 = r6
      r2 = -12
      call bpf_xdp_adjust_meta
      r1 = r6
      r2 = -3
      call bpf_xdp_adjust_meta
      r0 &= 0xff
      r0 |= r7
      exit`,
  },
  {
    name: 'redirect from tc: TC_ACT_REDIRECT, and TC_ACT_SHOT for unknown flags',
    type: 'sched_cls',
    data: pkt,
    src: `
      r1 = 3
      r2 = 0
      call bpf_redirect
      r6 = r0
      r1 = 3
      r2 = 2
      call bpf_redirect
      r6 <<= 8
      r0 |= r6
      exit`,
  },
  {
    name: 'bpf_trace_printk returns the length it printed; a bad format is EINVAL',
    type: 'socket_filter',
    src: `
      r1 = 0x0a7825206425 ll
      *(u64 *)(r10 -8) = r1
      r1 = r10
      r1 += -8
      r2 = 7
      r3 = -5
      r4 = 255
      call bpf_trace_printk
      r6 = r0
      r1 = 0x0a7a25 ll
      *(u64 *)(r10 -8) = r1
      r1 = r10
      r1 += -8
      r2 = 4
      r3 = 1
      call bpf_trace_printk
      r0 &= 0xff
      r6 <<= 8
      r0 |= r6
      exit`,
  },
  {
    name: 'probe_read_kernel from the stack and from NULL',
    type: 'socket_filter',
    src: `
      r1 = 0x0102030405060708 ll
      *(u64 *)(r10 -8) = r1
      r1 = r10
      r1 += -16
      r2 = 8
      r3 = r10
      r3 += -8
      call bpf_probe_read_kernel
      r6 = *(u64 *)(r10 -16)
      r1 = r10
      r1 += -16
      r2 = 8
      r3 = 0
      call bpf_probe_read_kernel
      r7 = *(u64 *)(r10 -16)
      r0 &= 0xff
      r0 += r7
      r0 += r6
      exit`,
  },
  {
    name: 'skb_vlan_push sets the accelerated tag (tc)',
    type: 'sched_cls',
    data: pkt,
    src: `
      r6 = r1
      r2 = 0x0081
      r3 = 0x123
      call bpf_skb_vlan_push
      r7 = r0
      r0 = *(u32 *)(r6 +24)
      r1 = *(u32 *)(r6 +20)
      r0 <<= 4
      r0 |= r1
      r2 = *(u32 *)(r6 +28)
      r0 <<= 16
      r0 |= r2
      r0 += r7
      exit`,
  },
];

describe.skipIf(!k.available)('helpers against the kernel', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const a = assemble(c.src);
      const maps = a.maps.map((m, i) => mapFromJson({ ...m, type: String(MAP_TYPES.value(m.type) ?? m.type) }, i));
      const data = c.data ?? new Uint8Array(64);
      const kr = loadRaw({ insns: a.insns, progType: TYPE[c.type], maps, mapFds: a.mapRefs, run: { data } });
      expect(kr.accepted, kr.log.split('\n').slice(-4).join('\n')).toBe(true);
      expect(kr.runErrno).toBeUndefined();
      const vm = new Vm(objectFromInsns({ insns: a.insns, progType: c.type, maps, mapFds: a.mapRefs }));
      const vr = vm.run(0, { data });
      expect(vr.error?.message).toBeUndefined();
      expect(vr.retval.toString(16)).toBe(kr.retval!.toString(16));
      expect(bytesToHex(vr.dataOut ?? new Uint8Array(0))).toBe(bytesToHex(kr.dataOut ?? new Uint8Array(0)));
      const ours = vm.dumpMaps();
      maps.forEach((m, i) => {
        if (m.type !== 1 && m.type !== 2) return;
        expect((ours[m.name] ?? []).map(([key, v]) => `${key}=${v}`).sort(), `map ${m.name}`).toEqual((kr.maps?.[i] ?? []).map(([key, v]) => `${key}=${v}`).sort());
      });
    });
  }
});
