import { describe, expect, it } from 'vitest';
import { loadInput } from '../input';
import { bytesToHex, hexToBytes } from './maps';
import { Vm, type VmOptions } from './vm';

const asm = (src: string, type?: string) => loadInput(new TextEncoder().encode(src), 'p.s', { progType: type });
const vmOf = (src: string, type?: string, opts?: VmOptions) => new Vm(asm(src, type), opts);
const run1 = (src: string, type?: string, input = {}, opts?: VmOptions) => vmOf(src, type, opts).run(0, input);
const u32 = (v: number) => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v, true); return b; };
const u64 = (v: bigint) => { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, v, true); return b; };

describe('instructions', () => {
  it('32-bit results are zero-extended and 64-bit immediates sign-extended', () => {
    expect(run1('r0 = -1\nw0 += 1\nexit').r0).toBe(0n);
    expect(run1('r0 = -1\nexit').r0).toBe(0xffffffffffffffffn);
    expect(run1('w0 = -1\nexit').r0).toBe(0xffffffffn);
    expect(run1('r0 = 10\nr0 /= -1\nexit').r0).toBe(0n); // unsigned division by 0xffff...ffff
  });

  it('division by zero gives 0, modulo by zero keeps the dividend (truncated for 32-bit)', () => {
    expect(run1('r0 = 7\nr1 = 0\nr0 /= r1\nexit').r0).toBe(0n);
    expect(run1('r0 = -1\nr1 = 0\nr0 %= r1\nexit').r0).toBe(0xffffffffffffffffn);
    expect(run1('r0 = -1\nw1 = 0\nw0 %= w1\nexit').r0).toBe(0xffffffffn);
  });

  it('signed division and modulo truncate toward zero', () => {
    expect(run1('r0 = -7\nr0 s/= 2\nexit').r0).toBe(BigInt.asUintN(64, -3n));
    expect(run1('r0 = -7\nr0 s%= 2\nexit').r0).toBe(BigInt.asUintN(64, -1n));
    expect(run1('w0 = 0x80000000\nw0 s/= -1\nexit').r0).toBe(0x80000000n);
  });

  it('movsx, ldsx and byte swaps', () => {
    expect(run1('r1 = 0x80\nr0 = (s8)r1\nexit').r0).toBe(0xffffffffffffff80n);
    expect(run1('r1 = 0x8000\nw0 = (s16)w1\nexit').r0).toBe(0xffff8000n);
    expect(run1('r1 = 0xff\n*(u8 *)(r10 -1) = r1\nr0 = *(s8 *)(r10 -1)\nexit').r0).toBe(0xffffffffffffffffn);
    expect(run1('r0 = 0x1234\nr0 = be16 r0\nexit').r0).toBe(0x3412n);
    expect(run1('r0 = 0x12345678 ll\nr0 = bswap64 r0\nexit').r0).toBe(0x7856341200000000n);
    expect(run1('r0 = 0x112345678 ll\nr0 = le32 r0\nexit').r0).toBe(0x12345678n);
  });

  it('jmp32 compares the low halves only', () => {
    expect(run1('r1 = 0x100000001 ll\nr0 = 0\nif w1 == 1 goto +1\nexit\nr0 = 1\nexit').r0).toBe(1n);
    expect(run1('r1 = 0x100000001 ll\nr0 = 0\nif r1 == 1 goto +1\nexit\nr0 = 1\nexit').r0).toBe(0n);
  });

  it('atomics: fetch forms return the old value, cmpxchg compares with r0', () => {
    const src = `
      r1 = 5
      *(u64 *)(r10 -8) = r1
      r2 = 3
      r2 = atomic_fetch_add((u64 *)(r10 -8), r2)
      r0 = 8
      r3 = 100
      r0 = cmpxchg_64(r10 - 8, r0, r3)
      r4 = *(u64 *)(r10 -8)
      r0 <<= 16
      r0 |= r4
      r2 <<= 32
      r0 |= r2
      exit`;
    expect(run1(src).r0).toBe((5n << 32n) | (8n << 16n) | 100n);
  });

  it('bpf-to-bpf calls keep r6-r9 and give each frame its own stack', () => {
    const src = `
      r6 = 1
      r1 = 11
      *(u64 *)(r10 -8) = r1
      call sub
      r1 = *(u64 *)(r10 -8)
      r0 += r6
      r0 += r1
      exit
    sub:
      r6 = 100
      r1 = 22
      *(u64 *)(r10 -8) = r1
      r0 = *(u64 *)(r10 -8)
      exit`;
    expect(run1(src).r0).toBe(22n + 1n + 11n);
  });

  it('stops runaway programs at the budget, with a clear message', () => {
    const r = run1('l:\ngoto l', undefined, {}, { budget: 1000 });
    expect(r.ok).toBe(false);
    expect(r.error!.kind).toBe('budget');
    expect(r.error!.message).toMatch(/^instruction budget of 1000 exhausted/);
    expect(r.insnsExecuted).toBe(1000);
  });

  it('limits call depth to 8 frames', () => {
    const r = run1('f:\ncall f\nexit');
    expect(r.error!.message).toMatch(/call stack overflow: more than 8 frames/);
  });
});

describe('memory safety', () => {
  it('reports out-of-bounds context reads like the kernel names them', () => {
    const r = run1('r0 = *(u32 *)(r1 +60)\nexit', 'xdp');
    expect(r.error!.message).toBe('out-of-bounds read of 4 bytes at ctx+60 (struct xdp_md is 24 bytes) (insn 0)');
  });

  it('catches stack overflows, NULL and wild pointers', () => {
    expect(run1('*(u64 *)(r10 -520) = 1\nexit').error!.message).toBe('out-of-bounds write of 8 bytes at fp-520 (fp spans fp-512..fp+0) (insn 0)');
    expect(run1('r1 = 0\nr0 = *(u8 *)(r1 +0)\nexit').error!.message).toMatch(/^invalid read of 1 byte at address 0x0 \(NULL pointer\)/);
    expect(run1('r1 = 0x1234 ll\nr0 = *(u64 *)(r1 +0)\nexit').error!.message).toMatch(/^invalid read of 8 bytes at address 0x1234 /);
  });

  it('pointers survive arithmetic and spills', () => {
    const src = `
      r2 = r10
      r2 += -16
      *(u64 *)(r10 -8) = r2
      r3 = *(u64 *)(r10 -8)
      r4 = 0x2a
      *(u32 *)(r3 +4) = r4
      r0 = *(u32 *)(r10 -12)
      exit`;
    expect(run1(src).r0).toBe(42n);
  });

  it('keeps .rodata read-only for the program', () => {
    const obj = asm('r1 = 0 ll\nr2 = 1\n*(u8 *)(r1 +0) = r2\nr0 = 0\nexit');
    obj.maps.push({ name: '.rodata', type: 2, keySize: 4, valueSize: 4, maxEntries: 1, flags: 0x80, kind: 'rodata', initial: new Uint8Array([1, 2, 3, 4]) });
    obj.programs[0].insns[0] = { ...obj.programs[0].insns[0], src: 2, imm: 0 };
    const r = new Vm(obj).run(0);
    expect(r.error!.message).toBe('write of 1 byte at .rodata+0: .rodata is read-only (insn 3)');
  });
});

describe('maps', () => {
  const counter = `
    .map counts hash key=4 value=8 entries=2
    *(u32 *)(r10 -4) = r2
    r2 = r10
    r2 += -4
    r1 = counts ll
    call bpf_map_lookup_elem
    if r0 == 0 goto new
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
    r0 = 0
    exit
  new:
    r1 = 1
    *(u64 *)(r10 -16) = r1
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r1 = counts ll
    r4 = 1
    call bpf_map_update_elem
    exit`;

  it('a hash counter: lookup, NOEXIST insert, atomic add; E2BIG when full', () => {
    const vm = vmOf(counter);
    const runKey = (k: number) => vm.run(0, { mem: u32(k) }).r0;
    // r2 = the conformance memory length, used as the key: 4 each time
    expect(runKey(0)).toBe(0n);
    expect(runKey(0)).toBe(0n);
    expect(vm.dumpMaps().counts).toEqual([['04000000', '0200000000000000']]);
    const vm2 = vmOf(counter);
    expect(vm2.run(0, { mem: new Uint8Array(1) }).r0).toBe(0n);
    expect(vm2.run(0, { mem: new Uint8Array(2) }).r0).toBe(0n);
    expect(vm2.run(0, { mem: new Uint8Array(3) }).r0).toBe(BigInt.asUintN(64, -7n)); // -E2BIG
  });

  it('user-side updates follow the kernel flags', () => {
    const vm = vmOf(counter);
    const m = vm.map('counts')!;
    expect(m.updateUser(u32(1), u64(5n), 2)).toBe(-2); // BPF_EXIST on a missing key: -ENOENT
    expect(m.updateUser(u32(1), u64(5n), 1)).toBe(0);
    expect(m.updateUser(u32(1), u64(6n), 1)).toBe(-17); // BPF_NOEXIST on a present key: -EEXIST
    expect(m.delete(u32(9))).toBe(-2);
    expect(bytesToHex(m.lookupUser(u32(1))!)).toBe('0500000000000000');
  });

  it('refuses map definitions the kernel refuses', () => {
    expect(() => vmOf('.map a array key=8 value=4 entries=1\nr0 = 0\nexit')).toThrow(/map a \(ARRAY\): key_size must be 4, is 8 \(the kernel refuses it with EINVAL\)/);
    expect(() => vmOf('.map q queue key=4 value=4 entries=1\nr0 = 0\nexit')).toThrow(/key_size must be 0/);
  });
});

describe('helpers', () => {
  it('bpf_trace_printk writes trace_pipe lines', () => {
    const src = `
      r1 = 0x000a6425206968 ll
      *(u64 *)(r10 -8) = r1
      r1 = r10
      r1 += -8
      r2 = 7
      r3 = 42
      call bpf_trace_printk
      exit`;
    const r = run1(src);
    expect(r.r0).toBe(6n);
    expect(r.printk).toHaveLength(1);
    expect(r.printk[0]).toMatch(/^ {9}bpfplay-1000 {4}\[000\] \.\.\.1\. {2}1000\.\d{6}: bpf_trace_printk: hi 42$/);
  });

  it('bpf_loop calls the callback until it returns 1', () => {
    // `r2 = cb ll` is written as a plain lddw and turned into a function pointer (src 4).
    const src = `
      r1 = 10
      r2 = 0 ll
      r3 = r10
      r3 += -8
      r4 = 0
      *(u64 *)(r10 -8) = r4
      call bpf_loop
      r1 = *(u64 *)(r10 -8)
      r0 <<= 8
      r0 |= r1
      exit
    cb:
      r3 = *(u64 *)(r2 +0)
      r3 += r1
      *(u64 *)(r2 +0) = r3
      r0 = 0
      if r1 != 4 goto +1
      r0 = 1
      exit`;
    const obj = asm(src);
    const insns = obj.programs[0].insns;
    insns[1] = { ...insns[1], src: 4, imm: 12 - 2 };
    // Iterations 0..4 run (sum 10); the helper returns 5.
    expect(new Vm(obj).run(0).r0).toBe((5n << 8n) | 10n);
  });

  it('an unknown helper id is a clear error', () => {
    expect(run1('call 9999\nexit').error!.message).toBe('call to unknown helper function id 9999 (insn 0)');
    expect(run1('call 20\nexit').error!.message).toBe('helper bpf_skb_get_tunnel_key (id 20) is not available in the VM (insn 0)');
  });

  it('tail calls jump to the program in the slot, at most 33 times', () => {
    const obj = asm(`
      .map jt prog_array key=4 value=4 entries=1
      r0 = *(u32 *)(r10 -4)
      r0 += 1
      *(u32 *)(r10 -4) = r0
      r2 = jt ll
      r3 = 0
      call bpf_tail_call
      r0 = 1000
      exit`);
    obj.maps[0].initSlots = [{ slot: 0, program: 'prog' }];
    // Each tail call starts with a fresh stack, so the counter restarts; what is observable
    // is that the 34th attempt falls through.
    const vm = new Vm(obj);
    const r = vm.run(0);
    expect(r.ok).toBe(true);
    expect(r.r0).toBe(1000n);
    expect(r.insnsExecuted).toBe(34 * 6 + 2);
  });
});

describe('contexts', () => {
  const packet = hexToBytes('000000000000' + '000000000001' + '0800' + '4500001c0000000040110000' + '0a000001' + '0a000002' + '0000000000000000');

  it('socket filters see the packet from the network header and get zeroed MACs back', () => {
    const r = run1('r0 = *(u32 *)(r1 +0)\nexit', 'socket_filter', { data: packet });
    expect(r.retval).toBe(packet.length - 14);
    expect(bytesToHex(r.dataOut!)).toBe('0000000000000000000000000000' + bytesToHex(packet.subarray(14)));
  });

  it('tc programs see the frame and may write skb->mark (ctx_out)', () => {
    const r = run1('r2 = 7\n*(u32 *)(r1 +8) = r2\nr0 = *(u32 *)(r1 +16)\nexit', 'sched_cls', { data: packet, ctx: new Uint8Array(192) });
    expect(r.retval).toBe(0x0008); // htons(ETH_P_IP) as stored
    expect(r.ctxOut![8]).toBe(7);
    expect(r.ctxOut![40]).toBe(1); // ifindex of the loopback device
  });

  it('socket filters may not write skb->mark', () => {
    const r = run1('r2 = 7\n*(u32 *)(r1 +8) = r2\nr0 = 0\nexit', 'socket_filter', { data: packet });
    expect(r.error!.message).toBe('write of 4 bytes to __sk_buff.mark at ctx+8: the field is read-only for socket_filter programs (insn 1)');
  });

  it('LD_ABS loads big-endian and returns 0 from the program when out of bounds', () => {
    expect(run1('r6 = r1\nr0 = *(u16 *)skb[2]\nexit', 'socket_filter', { data: packet }).r0).toBe(0x1cn);
    expect(run1('r6 = r1\nr0 = *(u32 *)skb[1000]\nr0 = 5\nexit', 'socket_filter', { data: packet }).r0).toBe(0n);
  });

  it('xdp: adjust_head/meta/tail move the pointers within the frame', () => {
    const src = `
      r6 = r1
      r2 = -4
      call bpf_xdp_adjust_head
      r1 = r6
      r2 = -8
      call bpf_xdp_adjust_meta
      r1 = r6
      r2 = -2
      call bpf_xdp_adjust_tail
      r2 = *(u32 *)(r6 +0)
      r3 = *(u32 *)(r6 +4)
      r1 = 0xfeedf00d
      *(u32 *)(r2 +0) = r1
      r0 = r3
      r0 -= r2
      exit`;
    const r = run1(src, 'xdp', { data: packet });
    expect(r.r0).toBe(BigInt(packet.length + 4 - 2));
    // data_out runs from data_meta: 8 bytes of metadata, the 4 pushed bytes, the packet less 2.
    expect(bytesToHex(r.dataOut!)).toBe('0000000000000000' + '0df0edfe' + bytesToHex(packet.subarray(0, packet.length - 2)));
    expect(run1('r2 = -217\ncall bpf_xdp_adjust_head\nexit', 'xdp', { data: packet }).r0).toBe(BigInt.asUintN(64, -22n));
  });

  it('rejects packets the kernel rejects', () => {
    expect(() => run1('r0 = 0\nexit', 'xdp', { data: new Uint8Array(10) })).toThrow(/shorter than an Ethernet header/);
  });
});

describe('runs in slices', () => {
  it('gives the same result, instruction count and history as one go', () => {
    const src = 'r1 = 50\nr0 = 0\nl:\nr0 += r1\n*(u64 *)(r10 -8) = r0\nr1 += -1\nif r1 != 0 goto l\nexit';
    const whole = vmOf(src).run(0, { trace: true });
    const vm = vmOf(src);
    const s = vm.start(0, { trace: true });
    let slices = 0;
    while (!s.advance(7)) slices++;
    const sliced = s.result();
    expect(slices).toBeGreaterThan(20);
    expect(sliced.r0).toBe(whole.r0);
    expect(sliced.insnsExecuted).toBe(whole.insnsExecuted);
    expect(sliced.history!.length).toBe(whole.history!.length);
    expect(sliced.history!.state(100).regs).toEqual(whole.history!.state(100).regs);
  });

  it('stops at the budget even across slices', () => {
    const s = vmOf('l:\ngoto l', undefined, { budget: 100 }).start(0);
    while (!s.advance(30));
    expect(s.result().error!.kind).toBe('budget');
  });
});
