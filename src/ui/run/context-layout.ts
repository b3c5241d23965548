/**
 * What the Input panel edits for a program type: the packet (socket, tc, XDP, cgroup_skb,
 * lwt programs: the VM builds `__sk_buff` / `xdp_md` around it as BPF_PROG_TEST_RUN does),
 * or the context's bytes shown as named 64-bit fields (x86-64 `struct pt_regs` for
 * kprobes with the PT_REGS_PARM names, `bpf_perf_event_data`, a tracepoint's raw record,
 * the u64 argument array of raw tracepoints and fentry/fexit programs).
 */

export interface CtxField {
  name: string;
  offset: number;
  /** What reads it: `PT_REGS_PARM1(ctx)`, `ctx->args[0]`. */
  note?: string;
}

export interface CtxLayout {
  /** Key of the saved bytes (programs of types with one layout share them). */
  id: string;
  title: string;
  /** Bytes of the context. */
  size: number;
  fields: CtxField[];
}

const PT_REGS_NAMES = ['r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss'];
/** Which PT_REGS_* macro of bpf_tracing.h reads a register (x86-64). */
const PT_REGS_NOTES: Record<string, string> = {
  di: 'PT_REGS_PARM1', si: 'PT_REGS_PARM2', dx: 'PT_REGS_PARM3', cx: 'PT_REGS_PARM4', r8: 'PT_REGS_PARM5', r9: 'PT_REGS_PARM6',
  ax: 'PT_REGS_RC (kretprobe)', ip: 'PT_REGS_IP', sp: 'PT_REGS_SP', bp: 'PT_REGS_FP',
};
const ptRegs = (): CtxField[] => PT_REGS_NAMES.map((name, k) => ({ name, offset: 8 * k, note: PT_REGS_NOTES[name] }));

export const PT_REGS: CtxLayout = { id: 'pt_regs', title: 'struct pt_regs (x86-64)', size: 168, fields: ptRegs() };

export const PERF_EVENT_DATA: CtxLayout = {
  id: 'perf_event',
  title: 'struct bpf_perf_event_data',
  size: 184,
  fields: [...ptRegs().map((f) => ({ ...f, name: `regs.${f.name}` })), { name: 'sample_period', offset: 168 }, { name: 'addr', offset: 176 }],
};

export const TRACEPOINT_RECORD: CtxLayout = {
  id: 'tracepoint',
  title: 'the tracepoint\'s raw record (64 bytes)',
  size: 64,
  fields: Array.from({ length: 8 }, (_, k) => (k === 0
    ? { name: '+0', offset: 0, note: 'common fields: type (u16), flags, preempt_count (u8), pid (s32)' }
    : { name: `+${8 * k}`, offset: 8 * k, note: k === 1 ? 'first field (sys_enter: syscall nr)' : undefined })),
};

export const ARG_ARRAY: CtxLayout = {
  id: 'args',
  title: 'the u64 argument array',
  size: 96,
  fields: Array.from({ length: 12 }, (_, k) => ({ name: `arg${k}`, offset: 8 * k, note: `ctx[${k}] / BPF_PROG argument ${k + 1}` })),
};

export const PLAIN_CTX: CtxLayout = {
  id: 'bytes',
  title: 'context bytes',
  size: 64,
  fields: Array.from({ length: 8 }, (_, k) => ({ name: `+${8 * k}`, offset: 8 * k })),
};

/** Program types whose input is a packet (the VM wraps it in __sk_buff or xdp_md). */
const PACKET_TYPES = new Set(['socket_filter', 'sched_cls', 'sched_act', 'cgroup_skb', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local', 'xdp']);

export type RunInputKind = { kind: 'packet' } | { kind: 'ctx'; layout: CtxLayout };

export function inputKindOf(progType: string): RunInputKind {
  if (PACKET_TYPES.has(progType)) return { kind: 'packet' };
  switch (progType) {
    case 'kprobe': return { kind: 'ctx', layout: PT_REGS };
    case 'perf_event': return { kind: 'ctx', layout: PERF_EVENT_DATA };
    case 'tracepoint': return { kind: 'ctx', layout: TRACEPOINT_RECORD };
    case 'raw_tracepoint': case 'raw_tracepoint_writable': case 'tracing': return { kind: 'ctx', layout: ARG_ARRAY };
    default: return { kind: 'ctx', layout: PLAIN_CTX };
  }
}

/** The u64 at `offset` of little-endian bytes (zero beyond their end). */
export function readU64(bytes: Uint8Array, offset: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(bytes[offset + k] ?? 0);
  return v;
}

/** Bytes with the u64 at `offset` set (the array grows to `size` when shorter). */
export function writeU64(bytes: Uint8Array, offset: number, value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(Math.max(size, bytes.length, offset + 8));
  out.set(bytes);
  let v = BigInt.asUintN(64, value);
  for (let k = 0; k < 8; k++, v >>= 8n) out[offset + k] = Number(v & 0xffn);
  return out;
}

/** Reads `123`, `-1`, `0xffff8880` as a 64-bit value; null when it is not a number that fits. */
export function parseU64(text: string): bigint | null {
  const t = text.trim().replace(/_/g, '');
  if (!/^-?(0x[0-9a-f]+|\d+)$/i.test(t)) return null;
  const neg = t.startsWith('-');
  const v = BigInt(neg ? t.slice(1) : t);
  if (neg ? v > 1n << 63n : v >= 1n << 64n) return null;
  return neg ? -v : v;
}
