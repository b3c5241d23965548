/**
 * Helper implementations, keyed by the kernel's helper ids (src/core/isa/helpers.ts is the
 * one table of ids and names; implementations are registered here by name). Each reads its
 * arguments from r1-r5 and returns r0, with the kernel's return codes (-EINVAL, -EFAULT,
 * -E2BIG, ...) and side effects (the packet, maps, trace_pipe lines, events).
 */
import { helperById, helperByName } from '../isa/helpers';
import { ETH_HLEN } from './context';
import { E2BIG, EACCES, EAGAIN, EEXIST, EFAULT, EINVAL, ENOMEM, EOPNOTSUPP, ERANGE } from './errno';
import { setHelperNamer, type Machine } from './interpreter';
import {
  ArrayMap, BloomFilterMap, HashMap, MAP, PerfEventArrayMap, ProgArrayMap, QueueStackMap, RingBufMap, StackTraceMap, type VmMap,
} from './maps';
import { LO_BASE, VmFault } from './memory';
import { bpfPrintf, type PrintfMemory } from './printf';
import type { Vm } from './vm';

export interface HelperImpl {
  name: string;
  fn: (vm: Vm) => number | bigint | void;
}

setHelperNamer((id) => helperById(id)?.name);

// ---------------------------------------------------------------------------------------
// Argument access

const m = (vm: Vm): Machine => vm.m;
const u64 = (vm: Vm, n: number): bigint => vm.m.reg(n);
const u32 = (vm: Vm, n: number): number => vm.m.R[2 * n] >>> 0;
const s32 = (vm: Vm, n: number): number => vm.m.R[2 * n] | 0;
const isNull = (vm: Vm, n: number): boolean => vm.m.R[2 * n] === 0 && vm.m.R[2 * n + 1] === 0;

/** Bytes at the pointer in argument `n` (a copy). */
function readArg(vm: Vm, n: number, len: number): Uint8Array {
  return vm.mem.readBytes(vm.m.R[2 * n], vm.m.R[2 * n + 1], len);
}

/** Writes bytes to the pointer in argument `n` (recorded by the tracer). */
function writeArg(vm: Vm, n: number, bytes: Uint8Array, at = 0): void {
  if (!bytes.length) return;
  const lo = (vm.m.R[2 * n] + at) | 0;
  const r = vm.mem.resolveOrThrow(lo, vm.m.R[2 * n + 1], bytes.length, true);
  if (r.region.special) throw new VmFault(`helper cannot write into ${r.region.describe(r.off)}`, 'helper');
  vm.m.tracer?.write(r.region, r.off, bytes.length);
  r.region.bytes.set(bytes, r.off);
}

/** A size argument, checked to be a sensible length. */
function sizeArg(vm: Vm, n: number, what = 'size'): number {
  const s = m(vm).argSize(n);
  if (s > 1 << 24) throw new VmFault(`${what} argument r${n} = ${u64(vm, n)} is too large`, 'helper');
  return s;
}

function mapArg(vm: Vm, n: number, helper: string): VmMap {
  const R = vm.m.R;
  const region = vm.mem.regionOf(R[2 * n + 1]);
  if (!region || region.kind !== 'map' || R[2 * n] !== LO_BASE) throw new VmFault(`${helper}: r${n} is not a pointer to a map`, 'helper');
  return region.owner as VmMap;
}

const ptrPair = (p: [number, number] | null): bigint => (p ? (BigInt(p[1] >>> 0) << 32n) | BigInt(p[0] >>> 0) : 0n);

function setPtrR0(vm: Vm, p: [number, number] | null): void {
  vm.m.R[0] = p ? p[0] : 0;
  vm.m.R[1] = p ? p[1] : 0;
}

// ---------------------------------------------------------------------------------------
// The table

const impls: Record<string, (vm: Vm) => number | bigint | void> = {};
const def = (name: string, fn: (vm: Vm) => number | bigint | void): void => {
  impls[name] = fn;
};

// ---- maps ------------------------------------------------------------------------------

def('map_lookup_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_map_lookup_elem');
  setPtrR0(vm, mp.lookupPtr(readArg(vm, 2, mp.def.keySize)));
});

def('map_update_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_map_update_elem');
  const key = readArg(vm, 2, mp.def.keySize);
  const valueSize = mp.type === MAP.ARRAY_OF_MAPS || mp.type === MAP.HASH_OF_MAPS || mp.type === MAP.PROG_ARRAY ? 4 : mp.def.valueSize;
  const value = readArg(vm, 3, valueSize);
  const flags = u64(vm, 4);
  return mp.update(key, value, flags > 0xffffn ? 0xffff : Number(flags));
});

def('map_delete_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_map_delete_elem');
  return mp.delete(readArg(vm, 2, mp.def.keySize));
});

def('map_lookup_percpu_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_map_lookup_percpu_elem');
  const cpu = u32(vm, 3);
  if (cpu >= vm.nrCpus || !mp.percpu) return 0;
  const saved = vm.cpu;
  vm.cpu = cpu;
  try {
    return ptrPair(mp.lookupPtr(readArg(vm, 2, mp.def.keySize)));
  } finally {
    vm.cpu = saved;
  }
});

def('map_push_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_map_push_elem');
  if (mp instanceof BloomFilterMap) return mp.push(readArg(vm, 2, mp.def.valueSize), Number(u64(vm, 3) & 0xffffffffn));
  if (!(mp instanceof QueueStackMap)) return -EINVAL;
  return mp.push(readArg(vm, 2, mp.def.valueSize), Number(u64(vm, 3) & 0xffffffffn));
});

const popPeek = (remove: boolean) => (vm: Vm) => {
  const mp = mapArg(vm, 1, remove ? 'bpf_map_pop_elem' : 'bpf_map_peek_elem');
  if (mp instanceof BloomFilterMap) return remove ? -EOPNOTSUPP : mp.peek(readArg(vm, 2, mp.def.valueSize));
  if (!(mp instanceof QueueStackMap)) return -EINVAL;
  const buf = new Uint8Array(mp.def.valueSize);
  const r = mp.take(buf, remove);
  writeArg(vm, 2, buf);
  return r;
};
def('map_pop_elem', popPeek(true));
def('map_peek_elem', popPeek(false));

def('for_each_map_elem', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_for_each_map_elem');
  const row = vm.funcRow(vm.m.R[4], vm.m.R[5]);
  if (row === undefined) throw new VmFault('bpf_for_each_map_elem: r2 is not a callback function', 'helper');
  if (u64(vm, 4) !== 0n) return -EINVAL;
  const ctxArg: [number, number] = [vm.m.R[6], vm.m.R[7]];
  const keyRegion = vm.mem.add('map_value', `${mp.name} key`, new Uint8Array(Math.max(mp.def.keySize, 4)), false);
  let n = 0;
  try {
    for (const [key] of mp.entries()) {
      const vp = mp.lookupPtr(key);
      if (!vp) continue;
      keyRegion.bytes.set(key);
      n++;
      const ret = vm.m.callFunction(row, [mp.ptr(), [keyRegion.ptrLo(0), keyRegion.ptrHi], vp, ctxArg]);
      if (ret[0] !== 0 || ret[1] !== 0) break;
    }
  } finally {
    vm.mem.release(keyRegion);
  }
  return n;
});

// ---- time, randomness, the task -------------------------------------------------------------

def('ktime_get_ns', (vm) => vm.nowNs());
def('ktime_get_boot_ns', (vm) => vm.nowNs());
def('ktime_get_coarse_ns', (vm) => vm.nowNs() - (vm.nowNs() % 4_000_000n));
def('ktime_get_tai_ns', (vm) => vm.nowNs() + 1_700_000_000_000_000_000n);
// HZ=250; jiffies start at INITIAL_JIFFIES (-300 s worth, as 32-bit) like the kernel's.
def('jiffies64', (vm) => 0xfffb6c20n + vm.nowNs() / 4_000_000n);
def('get_prandom_u32', (vm) => vm.random());
def('get_smp_processor_id', (vm) => vm.cpu);
def('get_numa_node_id', () => 0);
def('get_current_pid_tgid', (vm) => (BigInt(vm.task.tgid >>> 0) << 32n) | BigInt(vm.task.pid >>> 0));
def('get_current_uid_gid', (vm) => (BigInt(vm.task.gid >>> 0) << 32n) | BigInt(vm.task.uid >>> 0));
def('get_current_comm', (vm) => {
  const size = sizeArg(vm, 2);
  const buf = new Uint8Array(size);
  const comm = new TextEncoder().encode(vm.task.comm).subarray(0, Math.min(15, Math.max(0, size - 1)));
  buf.set(comm);
  writeArg(vm, 1, buf);
  return 0;
});
def('get_current_task', (vm) => vm.task.taskAddr);
def('get_current_task_btf', (vm) => vm.task.taskAddr);
def('get_current_cgroup_id', (vm) => vm.task.cgroupId);
def('get_current_ancestor_cgroup_id', (vm) => vm.task.cgroupId);
def('get_ns_current_pid_tgid', (vm) => {
  const size = u32(vm, 4);
  if (size !== 8) return -EINVAL;
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, vm.task.pid, true);
  dv.setUint32(4, vm.task.tgid, true);
  writeArg(vm, 3, b);
  return 0;
});
def('get_func_ip', () => 0);
def('get_attach_cookie', () => 0);
def('get_cgroup_classid', () => 0);
def('get_route_realm', () => 0);
def('send_signal', () => 0);
def('send_signal_thread', () => 0);

// ---- probe_read ----------------------------------------------------------------------------

/** x86-64 TASK_SIZE_MAX: addresses below it are user space. */
const USER_TOP = 0x00007ffffffff000n;

/**
 * Which addresses a probe_read variant may read. VM memory (stacks, maps, the packet) is
 * always readable; other addresses come from the simulated memory, where the kernel
 * variants refuse user addresses (and non-canonical ones) with -ERANGE, as
 * copy_from_kernel_nofault does on x86-64.
 */
function probeError(vm: Vm, addr: bigint, kind: 'kernel' | 'user' | 'any'): number {
  if (vm.mem.regionOf(Number(addr >> 32n) | 0)) return -EFAULT;
  const canonicalKernel = addr >= 0xffff800000000000n;
  if (kind === 'kernel' && (addr < USER_TOP || !canonicalKernel)) return -ERANGE;
  return -EFAULT;
}

const probeRead = (kind: 'kernel' | 'user' | 'any') => (vm: Vm) => {
  const size = sizeArg(vm, 2);
  const src = u64(vm, 3);
  const bytes = vm.readAddress(src, size);
  writeArg(vm, 1, bytes ?? new Uint8Array(size));
  return bytes ? 0 : probeError(vm, src, kind);
};

const probeReadStr = (kind: 'kernel' | 'user' | 'any') => (vm: Vm) => {
  const size = sizeArg(vm, 2);
  if (size === 0) return 0;
  const src = u64(vm, 3);
  const s = vm.readString(src, size - 1);
  if (!s) {
    writeArg(vm, 1, new Uint8Array(1));
    return probeError(vm, src, kind);
  }
  const buf = new Uint8Array(s.length + 1);
  buf.set(s);
  writeArg(vm, 1, buf);
  return s.length + 1;
};

def('probe_read', probeRead('any'));
def('probe_read_kernel', probeRead('kernel'));
def('probe_read_user', probeRead('user'));
def('probe_read_str', probeReadStr('any'));
def('probe_read_kernel_str', probeReadStr('kernel'));
def('probe_read_user_str', probeReadStr('user'));
def('copy_from_user', probeRead('user'));

// ---- printk, snprintf, strncmp ------------------------------------------------------------

function printfMemory(vm: Vm): PrintfMemory {
  const dec = new TextDecoder('latin1');
  return {
    str: (p, max) => {
      const s = vm.readString(p, max - 1);
      return s ? dec.decode(s) : undefined;
    },
    bytes: (p, n) => vm.readAddress(p, n),
  };
}

def('trace_printk', (vm) => {
  const size = sizeArg(vm, 2, 'fmt_size');
  const fmt = readArg(vm, 1, size);
  const r = bpfPrintf(fmt, [u64(vm, 3), u64(vm, 4), u64(vm, 5)], 3, printfMemory(vm));
  if (!r.ok) return -EINVAL;
  vm.printk(r.text);
  return r.text.length;
});

/** The u64 argument array of the vprintk/snprintf family. */
function dataArgs(vm: Vm, n: number): bigint[] | undefined {
  const len = sizeArg(vm, n + 1, 'data_len');
  if (len % 8 !== 0 || len > 8 * 12) return undefined;
  if (len === 0) return [];
  const b = readArg(vm, n, len);
  const dv = new DataView(b.buffer);
  const out: bigint[] = [];
  for (let k = 0; k < len; k += 8) out.push(dv.getBigUint64(k, true));
  return out;
}

def('trace_vprintk', (vm) => {
  const size = sizeArg(vm, 2, 'fmt_size');
  const args = dataArgs(vm, 3);
  if (!args) return -EINVAL;
  const r = bpfPrintf(readArg(vm, 1, size), args, 12, printfMemory(vm));
  if (!r.ok) return -EINVAL;
  vm.printk(r.text);
  return r.text.length;
});

def('snprintf', (vm) => {
  const size = sizeArg(vm, 2, 'str_size');
  const args = dataArgs(vm, 4);
  if (!args) return -EINVAL;
  const fmtAddr = u64(vm, 3);
  const fmt = vm.readString(fmtAddr, 1024);
  if (!fmt) return -EINVAL;
  const withNul = new Uint8Array(fmt.length + 1);
  withNul.set(fmt);
  const r = bpfPrintf(withNul, args, 12, printfMemory(vm));
  if (!r.ok) return -EINVAL;
  const text = new TextEncoder().encode(r.text);
  if (size > 0) {
    const n = Math.min(text.length, size - 1);
    const out = new Uint8Array(n + 1);
    out.set(text.subarray(0, n));
    writeArg(vm, 1, out);
  }
  return text.length + 1;
});

def('strncmp', (vm) => {
  const n = sizeArg(vm, 2, 's1_sz');
  const a = readArg(vm, 1, n);
  const b = vm.readString(u64(vm, 3), n + 1) ?? new Uint8Array(0);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
});

// ---- control flow: tail calls, loops ----------------------------------------------------------

def('tail_call', (vm) => {
  const mp = mapArg(vm, 2, 'bpf_tail_call');
  if (!(mp instanceof ProgArrayMap)) throw new VmFault('bpf_tail_call: r2 is not a PROG_ARRAY map', 'helper');
  const idx = u32(vm, 3);
  if (idx >= mp.def.maxEntries) return;
  if (vm.m.tailCalls >= 33) return;
  vm.m.tailCalls++;
  const prog = mp.slots.get(idx);
  if (prog === undefined || !vm.image.programs[prog]) return;
  vm.m.requestTailCall(vm.image.programs[prog].entry);
});

def('loop', (vm) => {
  const n = u32(vm, 1);
  if (u64(vm, 1) >> 32n !== 0n || n > 1 << 23) return -E2BIG;
  const row = vm.funcRow(vm.m.R[4], vm.m.R[5]);
  if (row === undefined) throw new VmFault('bpf_loop: r2 is not a callback function', 'helper');
  if (u64(vm, 4) !== 0n) return -EINVAL;
  const ctxArg: [number, number] = [vm.m.R[6], vm.m.R[7]];
  for (let i = 0; i < n; i++) {
    const ret = vm.m.callFunction(row, [[i, 0], ctxArg]);
    if (ret[0] !== 0 || ret[1] !== 0) return i + 1;
  }
  return n;
});

// ---- spin locks ---------------------------------------------------------------------------------

def('spin_lock', (vm) => {
  const r = m(vm).argRegion(1);
  if (!r || r.region.kind !== 'map_value') throw new VmFault('bpf_spin_lock: r1 does not point into a map value', 'helper');
  const key = r.region.id * 0x100000000 + r.off;
  if (vm.cur?.locks.has(key)) throw new VmFault(`bpf_spin_lock: deadlock, the lock at ${r.region.describe(r.off)} is already held`, 'helper');
  if (vm.cur && vm.cur.locks.size > 0) throw new VmFault('bpf_spin_lock: a program may hold only one lock at a time', 'helper');
  vm.cur?.locks.add(key);
  writeArg(vm, 1, new Uint8Array([1, 0, 0, 0]));
});

def('spin_unlock', (vm) => {
  const r = m(vm).argRegion(1);
  if (!r) throw new VmFault('bpf_spin_unlock: r1 does not point into a map value', 'helper');
  const key = r.region.id * 0x100000000 + r.off;
  if (!vm.cur?.locks.delete(key)) throw new VmFault(`bpf_spin_unlock: the lock at ${r.region.describe(r.off)} is not held`, 'helper');
  writeArg(vm, 1, new Uint8Array(4));
});

// ---- ring buffers and perf events -----------------------------------------------------------

const BPF_RB_NO_WAKEUP = 1;
const BPF_RB_FORCE_WAKEUP = 2;

function ringArg(vm: Vm, n: number, helper: string): RingBufMap {
  const mp = mapArg(vm, n, helper);
  if (!(mp instanceof RingBufMap)) throw new VmFault(`${helper}: r${n} is not a RINGBUF map`, 'helper');
  return mp;
}

def('ringbuf_output', (vm) => {
  const rb = ringArg(vm, 1, 'bpf_ringbuf_output');
  const size = sizeArg(vm, 3);
  if (u64(vm, 4) & ~BigInt(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) return -EINVAL;
  const data = readArg(vm, 2, size);
  const rec = rb.reserve(size);
  if (!rec) return -EAGAIN;
  rec.region.bytes.set(data);
  rec.state = 'submitted';
  return 0;
});

def('ringbuf_reserve', (vm) => {
  const rb = ringArg(vm, 1, 'bpf_ringbuf_reserve');
  if (u64(vm, 3) !== 0n) return 0;
  const size = m(vm).argSize(2);
  if (size > rb.def.maxEntries) return 0;
  const rec = rb.reserve(size);
  if (!rec) return 0;
  return ptrPair([rec.region.ptrLo(0), rec.region.ptrHi]);
});

const ringCommit = (state: 'submitted' | 'discarded') => (vm: Vm) => {
  const r = m(vm).argRegion(1);
  const rb = r?.region.kind === 'ringbuf' ? (r.region.owner as RingBufMap) : undefined;
  const rec = rb?.recordAt(r!.region);
  if (!rec || r!.off !== 0) throw new VmFault(`bpf_ringbuf_${state === 'submitted' ? 'submit' : 'discard'}: r1 is not a reserved ring buffer record`, 'helper');
  if (rec.state !== 'reserved') throw new VmFault(`bpf_ringbuf_${state === 'submitted' ? 'submit' : 'discard'}: the record was already ${rec.state}`, 'helper');
  rec.state = state;
};
def('ringbuf_submit', ringCommit('submitted'));
def('ringbuf_discard', ringCommit('discarded'));

def('ringbuf_query', (vm) => {
  const rb = ringArg(vm, 1, 'bpf_ringbuf_query');
  switch (Number(u64(vm, 2))) {
    case 0: return rb.used;
    case 1: return rb.def.maxEntries;
    case 2: return rb.consumed;
    case 3: return rb.produced;
    default: return 0;
  }
});

const BPF_F_CURRENT_CPU = 0xffffffffn;

def('perf_event_output', (vm) => {
  const mp = mapArg(vm, 2, 'bpf_perf_event_output');
  if (!(mp instanceof PerfEventArrayMap)) return -EINVAL;
  const flags = u64(vm, 3);
  const index = flags & 0xffffffffn;
  const ctxLen = Number((flags >> 32n) & 0xfffffn);
  if (flags >> 52n) return -EINVAL;
  const cpu = index === BPF_F_CURRENT_CPU ? vm.cpu : Number(index);
  if (cpu >= mp.def.maxEntries) return -E2BIG;
  const size = sizeArg(vm, 5);
  let data = readArg(vm, 4, size);
  if (ctxLen) {
    const pkt = vm.cur?.ctx.packet;
    if (!pkt) return -EINVAL;
    if (ctxLen > pkt.end - pkt.data) return -EFAULT;
    const both = new Uint8Array(size + ctxLen);
    both.set(data);
    both.set(pkt.bytes.subarray(pkt.data, pkt.data + ctxLen), size);
    data = both;
  }
  vm.event({ kind: 'perf_event', map: mp.name, cpu, data });
  return 0;
});

// ---- stacks -------------------------------------------------------------------------------------

const BPF_F_SKIP_FIELD_MASK = 0xffn;
const BPF_F_USER_STACK = 1n << 8n;
const BPF_F_FAST_STACK_CMP = 1n << 9n;
const BPF_F_REUSE_STACKID = 1n << 10n;
const BPF_F_USER_BUILD_ID = 1n << 11n;

def('get_stackid', (vm) => {
  const mp = mapArg(vm, 2, 'bpf_get_stackid');
  if (!(mp instanceof StackTraceMap)) return -EINVAL;
  const flags = u64(vm, 3);
  if (flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_FAST_STACK_CMP | BPF_F_REUSE_STACKID)) return -EINVAL;
  const stack = (flags & BPF_F_USER_STACK ? vm.userStack : vm.kernelStack).slice(Number(flags & BPF_F_SKIP_FIELD_MASK));
  if (!stack.length) return -EFAULT;
  const depth = Math.min(stack.length, mp.def.valueSize / 8);
  const ips = new Uint8Array(mp.def.valueSize);
  const dv = new DataView(ips.buffer);
  stack.slice(0, depth).forEach((ip, k) => dv.setBigUint64(8 * k, ip, true));
  let h = 2166136261;
  for (const b of ips) h = Math.imul(h ^ b, 16777619) >>> 0;
  const id = h % mp.def.maxEntries;
  const cur = mp.buckets.get(id);
  if (cur && !cur.ips.every((b, k) => b === ips[k])) {
    if (!(flags & BPF_F_REUSE_STACKID)) return -EEXIST;
    if (cur.region) vm.mem.release(cur.region);
  }
  if (!cur || !cur.ips.every((b, k) => b === ips[k])) mp.buckets.set(id, { ips });
  return id;
});

const getStack = (task: boolean) => (vm: Vm) => {
  const size = sizeArg(vm, 3);
  const flags = u64(vm, 4);
  if (flags & ~(BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_USER_BUILD_ID)) return -EINVAL;
  if (flags & BPF_F_USER_BUILD_ID || size % 8 !== 0) { writeArg(vm, 2, new Uint8Array(size)); return -EINVAL; }
  void task;
  const stack = (flags & BPF_F_USER_STACK ? vm.userStack : vm.kernelStack).slice(Number(flags & BPF_F_SKIP_FIELD_MASK));
  const n = Math.min(stack.length, size / 8);
  const buf = new Uint8Array(size);
  const dv = new DataView(buf.buffer);
  for (let k = 0; k < n; k++) dv.setBigUint64(8 * k, stack[k], true);
  writeArg(vm, 2, buf);
  return n * 8;
};
def('get_stack', getStack(false));
def('get_task_stack', getStack(true));

// ---- packets: skb ------------------------------------------------------------------------------

function skbOf(vm: Vm, helper: string) {
  const skb = vm.cur?.ctx.skb;
  if (!skb) throw new VmFault(`${helper} needs a socket buffer context (this program's context is ${vm.cur?.ctx.kind ?? 'none'})`, 'helper');
  return skb;
}

def('skb_load_bytes', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_load_bytes');
  const off = u32(vm, 2);
  const len = sizeArg(vm, 4, 'len');
  const p = skb.pkt;
  if (off > 0x7fffffff || off + len > p.len) {
    writeArg(vm, 3, new Uint8Array(len));
    return -EFAULT;
  }
  writeArg(vm, 3, p.bytes.slice(p.data + off, p.data + off + len));
  return 0;
});

def('skb_load_bytes_relative', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_load_bytes_relative');
  const off = u32(vm, 2);
  const len = sizeArg(vm, 4, 'len');
  const hdr = u32(vm, 5); // BPF_HDR_START_MAC = 0, BPF_HDR_START_NET = 1
  const p = skb.pkt;
  const start = hdr === 0 ? skb.macHeader : hdr === 1 ? skb.networkHeader : -1;
  if (start < 0 || off > 0xffff || start + off + len > p.end) {
    writeArg(vm, 3, new Uint8Array(len));
    return start < 0 ? -EINVAL : -EFAULT;
  }
  writeArg(vm, 3, p.bytes.slice(start + off, start + off + len));
  return 0;
});

const BPF_F_RECOMPUTE_CSUM = 1n;
const BPF_F_INVALIDATE_HASH = 2n;

def('skb_store_bytes', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_store_bytes');
  const off = u32(vm, 2);
  const len = sizeArg(vm, 4, 'len');
  const flags = u64(vm, 5);
  if (flags & ~(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) return -EINVAL;
  const p = skb.pkt;
  if (off > 0x7fffffff || off + len > p.len) return -EFAULT;
  const data = readArg(vm, 3, len);
  vm.m.tracer?.write(p.region, p.data + off, len);
  p.bytes.set(data, p.data + off);
  if (flags & BPF_F_INVALIDATE_HASH) skb.setU32(68, 0);
  return 0;
});

def('skb_pull_data', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_pull_data');
  return u32(vm, 2) > skb.pkt.len ? -ENOMEM : 0;
});

def('get_hash_recalc', (vm) => skbOf(vm, 'bpf_get_hash_recalc').u32(68));
def('set_hash_invalid', (vm) => { skbOf(vm, 'bpf_set_hash_invalid').setU32(68, 0); });
def('set_hash', (vm) => { skbOf(vm, 'bpf_set_hash').setU32(68, u32(vm, 2)); return 0; });
def('get_socket_cookie', () => 0);
def('get_socket_uid', () => 65534); // overflowuid: the test-run socket has no owner

/** Reads the checksum field (u16 as stored, little-endian load) at a packet offset relative to skb->data. */
function csumField(vm: Vm, helper: string): { bytes: Uint8Array; at: number; skb: ReturnType<typeof skbOf> } | number {
  const skb = skbOf(vm, helper);
  const off = u32(vm, 2);
  if (off > 0xffff || off & 1) return -EFAULT;
  const p = skb.pkt;
  if (off + 2 > p.len) return -EFAULT;
  return { bytes: p.bytes, at: p.data + off, skb };
}

const BPF_F_HDR_FIELD_MASK = 0xfn;
const BPF_F_PSEUDO_HDR = 1n << 4n;
const BPF_F_MARK_MANGLED_0 = 1n << 5n;
const BPF_F_MARK_ENFORCE = 1n << 6n;
const BPF_F_IPV6 = 1n << 7n;

def('l3_csum_replace', (vm) => {
  const flags = u64(vm, 5);
  if (flags & ~BPF_F_HDR_FIELD_MASK) return -EINVAL;
  const f = csumField(vm, 'bpf_l3_csum_replace');
  if (typeof f === 'number') return f;
  const from = u64(vm, 3);
  const to = u64(vm, 4);
  const old = f.bytes[f.at] | (f.bytes[f.at + 1] << 8);
  let v: number;
  switch (Number(flags & BPF_F_HDR_FIELD_MASK)) {
    case 0:
      if (from !== 0n) return -EINVAL;
      v = csumFold(csumAdd(Number(to & 0xffffffffn), ~old >>> 0));
      break;
    case 2:
      v = (~csum16Add(csum16Add(~old & 0xffff, ~Number(from) & 0xffff), Number(to) & 0xffff)) & 0xffff;
      break;
    case 4:
      v = csumFold(csumAdd(csumAdd(~old >>> 0, ~Number(from & 0xffffffffn) >>> 0), Number(to & 0xffffffffn)));
      break;
    default:
      return -EINVAL;
  }
  vm.m.tracer?.write(f.skb.pkt.region, f.at, 2);
  f.bytes[f.at] = v & 0xff;
  f.bytes[f.at + 1] = v >>> 8;
  return 0;
});

def('l4_csum_replace', (vm) => {
  const flags = u64(vm, 5);
  if (flags & ~(BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6)) return -EINVAL;
  const f = csumField(vm, 'bpf_l4_csum_replace');
  if (typeof f === 'number') return f;
  const from = u64(vm, 3);
  const to = u64(vm, 4);
  const mmzero = (flags & BPF_F_MARK_MANGLED_0) !== 0n;
  const old = f.bytes[f.at] | (f.bytes[f.at + 1] << 8);
  if (mmzero && !(flags & BPF_F_MARK_ENFORCE) && old === 0) return 0;
  let v: number;
  switch (Number(flags & BPF_F_HDR_FIELD_MASK)) {
    case 0:
      if (from !== 0n) return -EINVAL;
      v = csumFold(csumAdd(Number(to & 0xffffffffn), ~old >>> 0));
      break;
    case 2:
    case 4: {
      const size = Number(flags & BPF_F_HDR_FIELD_MASK);
      const mask = size === 2 ? 0xffffn : 0xffffffffn;
      // inet_proto_csum_replace4 on a CHECKSUM_NONE skb: fold(csum_partial({~from, to}, ~unfold(sum)))
      const s = csumPartialWords([~Number(from & mask) >>> 0, Number(to & mask)], ~old >>> 0);
      v = csumFold(s);
      break;
    }
    default:
      return -EINVAL;
  }
  if (mmzero && v === 0) v = 0xffff;
  vm.m.tracer?.write(f.skb.pkt.region, f.at, 2);
  f.bytes[f.at] = v & 0xff;
  f.bytes[f.at + 1] = v >>> 8;
  return 0;
});

// Linux 6.13+ folds the result to 16 bits on every architecture (csum_from32to16), and
// computes it from the two partial sums rather than from a diff buffer.
def('csum_diff', (vm) => {
  const fromSize = u32(vm, 2);
  const toSize = u32(vm, 4);
  if ((fromSize | toSize) & 3 || fromSize + toSize > 512 || u64(vm, 2) >> 32n || u64(vm, 4) >> 32n) return -EINVAL;
  const words = (n: number, size: number): number[] => {
    if (!size) return [];
    const b = readArg(vm, n, size);
    const dv = new DataView(b.buffer);
    const out: number[] = [];
    for (let k = 0; k < size; k += 4) out.push(dv.getUint32(k, true));
    return out;
  };
  const from = words(1, fromSize);
  const to = words(3, toSize);
  const seed = u32(vm, 5);
  let sum: number;
  if (fromSize && toSize) sum = csumAdd(csumPartialWords(to, seed), ~csumPartialWords(from, 0) >>> 0);
  else if (toSize) sum = csumPartialWords(to, seed);
  else if (fromSize) sum = ~csumPartialWords(from, ~seed >>> 0) >>> 0;
  else sum = seed;
  return csumFrom32to16(sum);
});

def('csum_update', (vm) => {
  skbOf(vm, 'bpf_csum_update');
  return u32(vm, 2); // skb->csum is only kept for CHECKSUM_COMPLETE; a test-run skb has CHECKSUM_NONE
});

def('skb_vlan_push', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_vlan_push');
  let proto = u32(vm, 2) & 0xffff;
  if (proto !== 0x0081 && proto !== 0xa888) proto = 0x0081; // htons(ETH_P_8021Q), htons(ETH_P_8021AD)
  if (skb.u32(20)) {
    // The present (accelerated) tag moves into the packet; the new one becomes the accelerated tag.
    const p = skb.pkt;
    if (p.data - 4 < 0) return -ENOMEM;
    const macStart = skb.l2 ? p.data : p.data - ETH_HLEN;
    const b = p.bytes;
    b.copyWithin(macStart - 4, macStart, macStart + 12);
    const oldProto = skb.u32(28);
    const oldTci = skb.u32(24);
    b[macStart + 8] = oldProto & 0xff;
    b[macStart + 9] = oldProto >>> 8;
    b[macStart + 10] = oldTci >>> 8;
    b[macStart + 11] = oldTci & 0xff;
    p.data -= skb.l2 ? 4 : 0;
    p.meta = p.data;
    p.sync();
    skb.packetChanged();
  }
  skb.setU32(20, 1);
  skb.setU32(24, u32(vm, 3) & 0xffff);
  skb.setU32(28, proto); // __be16 as the program passed it
  return 0;
});

def('skb_vlan_pop', (vm) => {
  const skb = skbOf(vm, 'bpf_skb_vlan_pop');
  if (skb.u32(20)) {
    skb.setU32(20, 0);
    skb.setU32(24, 0);
    skb.setU32(28, 0);
  }
  return 0;
});

def('redirect', (vm) => {
  const ifindex = u32(vm, 1);
  const flags = u64(vm, 2);
  const xdp = vm.cur?.ctx.kind === 'xdp';
  if (xdp) {
    if (flags !== 0n) return 0; // XDP_ABORTED
    if (vm.cur) vm.cur.redirect = { ifindex, flags: 0 };
    return 4; // XDP_REDIRECT
  }
  if (flags & ~1n) return 2; // TC_ACT_SHOT; BPF_F_INGRESS is the only flag
  if (vm.cur) vm.cur.redirect = { ifindex, flags: Number(flags) };
  return 7; // TC_ACT_REDIRECT
});

def('redirect_map', (vm) => {
  const mp = mapArg(vm, 1, 'bpf_redirect_map');
  const key = u32(vm, 2);
  const flags = u64(vm, 3);
  const actionMask = 3n; // XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX
  const BROADCAST = 1n << 3n;
  const EXCLUDE_INGRESS = 1n << 4n;
  if (flags & ~(actionMask | BROADCAST | EXCLUDE_INGRESS)) return 0;
  const kb = new Uint8Array(4);
  new DataView(kb.buffer).setUint32(0, key, true);
  const found = mp instanceof ArrayMap || mp instanceof HashMap ? mp.lookupUser(kb) : undefined;
  const present = found && (mp instanceof HashMap || found.some((b) => b !== 0));
  if (!present) return Number(flags & actionMask);
  if (vm.cur) vm.cur.redirect = { ifindex: new DataView(found.buffer, found.byteOffset).getUint32(0, true), flags: Number(flags), map: mp.name };
  return 4; // XDP_REDIRECT
});

// ---- packets: xdp ------------------------------------------------------------------------------

function xdpPacket(vm: Vm, helper: string) {
  const p = vm.cur?.ctx.kind === 'xdp' ? vm.cur.ctx.packet : undefined;
  if (!p) throw new VmFault(`${helper} needs an xdp context`, 'helper');
  return p;
}

def('xdp_adjust_head', (vm) => {
  const p = xdpPacket(vm, 'bpf_xdp_adjust_head');
  const delta = s32(vm, 2);
  const metalen = p.data - p.meta;
  const data = p.data + delta;
  if (data < p.minStart + metalen || data > p.end - ETH_HLEN) return -EINVAL;
  if (metalen) {
    vm.m.tracer?.write(p.region, p.meta + delta, metalen);
    p.bytes.copyWithin(p.meta + delta, p.meta, p.data);
  }
  p.meta += delta;
  p.data = data;
  p.sync();
  return 0;
});

def('xdp_adjust_tail', (vm) => {
  const p = xdpPacket(vm, 'bpf_xdp_adjust_tail');
  const delta = s32(vm, 2);
  const end = p.end + delta;
  if (end > p.maxEnd || end < p.data + ETH_HLEN) return -EINVAL;
  if (delta > 0) {
    vm.m.tracer?.write(p.region, p.end, delta);
    p.bytes.fill(0, p.end, end);
  }
  p.end = end;
  p.sync();
  return 0;
});

def('xdp_adjust_meta', (vm) => {
  const p = xdpPacket(vm, 'bpf_xdp_adjust_meta');
  const delta = s32(vm, 2);
  const meta = p.meta + delta;
  const metalen = p.data - meta;
  if (meta < p.minStart || meta > p.data) return -EINVAL;
  if (metalen & 3 || metalen > 255) return -EACCES;
  p.meta = meta;
  p.sync();
  return 0;
});

// ---------------------------------------------------------------------------------------
// Checksum arithmetic (include/net/checksum.h, arch/x86/lib/csum-partial_64.c)

/** 32-bit ones' complement add (csum_add). */
function csumAdd(a: number, b: number): number {
  const s = (a >>> 0) + (b >>> 0);
  return (s >= 0x100000000 ? s - 0x100000000 + 1 : s) >>> 0;
}

function csum16Add(a: number, b: number): number {
  const s = (a & 0xffff) + (b & 0xffff);
  return (s > 0xffff ? s - 0xffff : s) & 0xffff;
}

/** csum_from32to16: adds the two halves with end-around carry (no complement). */
function csumFrom32to16(sum: number): number {
  const s = (sum + (((sum >>> 16) | (sum << 16)) >>> 0)) >>> 0;
  return s >>> 16;
}

/** csum_fold: 32-bit sum to the 16-bit complemented checksum. */
function csumFold(sum: number): number {
  let s = sum >>> 0;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/**
 * csum_partial over little-endian 32-bit words with a seed, as x86-64 computes it: an
 * end-around-carry sum folded to 32 bits, which is 0 only when every input is 0 and is
 * otherwise the sum modulo 2^32 - 1 in [1, 2^32 - 1].
 */
export function csumPartialWords(words: readonly number[], seed: number): number {
  let s = BigInt(seed >>> 0);
  let zero = (seed >>> 0) === 0;
  for (const w of words) {
    s += BigInt(w >>> 0);
    if (w >>> 0) zero = false;
  }
  if (zero) return 0;
  const r = Number(s % 0xffffffffn);
  return r === 0 ? 0xffffffff : r;
}

// ---------------------------------------------------------------------------------------

function build(): Map<number, HelperImpl> {
  const table = new Map<number, HelperImpl>();
  for (const [name, fn] of Object.entries(impls)) {
    const info = helperByName(name);
    if (!info) throw new Error(`helpers.ts: no helper named bpf_${name} in the helper table`);
    table.set(info.id, { name: info.name, fn });
  }
  return table;
}

/** The kernel helpers the VM implements, by id. */
export const KERNEL_HELPERS: ReadonlyMap<number, HelperImpl> = build();

/** Ids of kernel helpers that are supported (for docs and tests). */
export const supportedHelperNames = (): string[] => [...KERNEL_HELPERS.values()].map((h) => h.name).sort();
