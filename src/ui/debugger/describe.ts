/**
 * Register and stack values in words: what the Registers and Stack panels show beside
 * the kernel's own text. Pure (tested in Node); the numbers come from `parseRegValue`.
 */
import { parseRegValue, parseStackSlot, type RegValue, type SlotByte } from '../../core/trace/reg-text';

export interface RegDescription {
  /** Short kind: `scalar`, `stack pointer`, `packet pointer`, `map value or NULL`, ... */
  kind: string;
  /** One line: `= 5`, `0 … 255`, `fp-8`, `packet +14 (14 bytes checked)`. */
  summary: string;
  /** Label / value pairs for the details. */
  details: [string, string][];
  /** The value is a pointer the program must check for NULL before use. */
  maybeNull: boolean;
  value: RegValue;
}

const S64_MIN = -(1n << 63n);
const S64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;
const S32_MIN = -(1n << 31n);
const S32_MAX = (1n << 31n) - 1n;
const U32_MAX = (1n << 32n) - 1n;

/** A number as people read it: decimal when short, hex otherwise (with the sign of signed values). */
export function num(n: bigint): string {
  const a = n < 0n ? -n : n;
  if (a <= 0xffffn) return n.toString();
  return `${n < 0n ? '-' : ''}0x${a.toString(16)}`;
}

/**
 * A tnum as a pattern of hex digits: known nibbles as digits, fully unknown ones as `x`,
 * partly known ones as `?`; leading zero nibbles dropped.
 */
export function tnumPattern(value: bigint, mask: bigint, bits = 64): string {
  let out = '';
  for (let k = bits / 4 - 1; k >= 0; k--) {
    const shift = BigInt(k * 4);
    const m = (mask >> shift) & 0xfn;
    const v = (value >> shift) & 0xfn;
    out += m === 0n ? v.toString(16) : m === 0xfn && v === 0n ? 'x' : '?';
  }
  out = out.replace(/^0+(?=.)/, '');
  return `0x${out}`;
}

const POINTER_KIND: Record<string, string> = {
  ctx: 'context pointer',
  fp: 'stack pointer',
  pkt: 'packet pointer',
  pkt_meta: 'packet metadata pointer',
  pkt_end: 'packet end',
  map_ptr: 'map',
  map_value: 'map value pointer',
  map_key: 'map key pointer',
  flow_keys: 'flow keys pointer',
  sock: 'socket pointer',
  sock_common: 'socket (common) pointer',
  tcp_sock: 'TCP socket pointer',
  tp_buffer: 'tracepoint buffer',
  xdp_sock: 'XDP socket pointer',
  mem: 'memory pointer',
  buf: 'buffer pointer',
  func: 'function pointer',
  arena: 'arena pointer',
  dynptr_ptr: 'dynptr pointer',
};

/** Splits `rdonly_trusted_ptr_or_null_task_struct` into flags, base kind, NULL-ness and BTF type. */
function typeParts(type: string): { flags: string[]; base: string; orNull: boolean; btf?: string } {
  let t = type;
  const flags: string[] = [];
  for (;;) {
    const m = /^(rdonly|ringbuf|user|percpu|rcu|untrusted|trusted)_/.exec(t);
    if (!m) break;
    flags.push(m[1]);
    t = t.slice(m[0].length);
  }
  let orNull = false;
  if (t.startsWith('ptr_or_null_')) { orNull = true; return { flags, base: 'ptr', orNull, btf: t.slice('ptr_or_null_'.length) }; }
  if (t.startsWith('ptr_')) return { flags, base: 'ptr', orNull, btf: t.slice(4) };
  if (t.endsWith('_or_null')) { orNull = true; t = t.slice(0, -'_or_null'.length); }
  return { flags, base: t, orNull };
}

function rangeText(lo: bigint | undefined, hi: bigint | undefined, min: bigint, max: bigint): string | undefined {
  const l = lo ?? min;
  const h = hi ?? max;
  if (l === min && h === max) return undefined;
  return l === h ? `= ${num(l)}` : `${num(l)} … ${num(h)}`;
}

export function describeReg(text: string): RegDescription {
  const v = parseRegValue(text);
  const details: [string, string][] = [];
  const r = v.ranges;
  const pushRanges = () => {
    const s64 = rangeText(r.smin, r.smax, S64_MIN, S64_MAX);
    const u64 = rangeText(r.umin, r.umax, 0n, U64_MAX);
    const s32 = rangeText(r.smin32, r.smax32, S32_MIN, S32_MAX);
    const u32 = rangeText(r.umin32, r.umax32, 0n, U32_MAX);
    if (s64) details.push(['signed 64-bit', s64]);
    if (u64) details.push(['unsigned 64-bit', u64]);
    if (s32) details.push(['signed 32-bit', s32]);
    if (u32) details.push(['unsigned 32-bit', u32]);
    if (v.varOff) details.push(['known bits (tnum)', `${tnumPattern(v.varOff.value, v.varOff.mask)}  (value ${num(v.varOff.value)}, unknown mask ${num(v.varOff.mask)})`]);
  };
  const common = () => {
    if (v.id !== undefined) details.push(['id', `${v.id}${v.idDelta !== undefined ? ` (${v.idDelta >= 0 ? '+' : ''}${v.idDelta} from the linked register)` : ''}`]);
    if (v.refObjId !== undefined) details.push(['reference', `ref_obj_id=${v.refObjId}: must be released before exit`]);
    if (v.precise) details.push(['precise', 'tracked exactly (it decides a branch or an access)']);
    for (const [k, x] of Object.entries(v.extra)) details.push([k, x || '(set)']);
  };

  if (v.type === 'scalar') {
    let summary: string;
    if (v.value !== undefined) {
      summary = `= ${num(v.value)}`;
      if (v.value < 0n) details.push(['as u64', `0x${BigInt.asUintN(64, v.value).toString(16)}`]);
      else if (v.value > 9n && v.value <= 0xffffn) details.push(['hex', `0x${v.value.toString(16)}`]);
    } else {
      pushRanges();
      // The tightest bound the user would read first: unsigned 64, then signed 64.
      summary = rangeText(r.umin, r.umax, 0n, U64_MAX) ?? rangeText(r.smin, r.smax, S64_MIN, S64_MAX)
        ?? rangeText(r.umin32, r.umax32, 0n, U32_MAX)?.concat(' (low 32 bits)') ?? 'any value';
    }
    common();
    return { kind: v.precise ? 'scalar (precise)' : 'scalar', summary, details, maybeNull: false, value: v };
  }

  const parts = typeParts(v.type);
  const base = POINTER_KIND[parts.base] ?? (parts.btf ? `pointer to struct ${parts.btf}` : v.type);
  let kind = parts.orNull ? `${base} or NULL` : base;
  if (parts.flags.length) kind = `${parts.flags.join(' ')} ${kind}`;
  let summary = '';
  switch (parts.base) {
    case 'fp':
      summary = `fp${num(v.off ?? 0n)}${v.frame !== undefined ? ` (frame ${v.frame})` : ''}`;
      break;
    case 'pkt':
    case 'pkt_meta':
      summary = `packet${v.off ? ` +${num(v.off)}` : ''}, ${num(v.range ?? 0n)} byte${v.range === 1n ? '' : 's'} checked`;
      details.push(['checked range (r)', `${num(v.range ?? 0n)} bytes from this pointer are known to be before data_end`]);
      break;
    case 'map_ptr':
      summary = v.map?.name ? `map ${v.map.name}` : 'a map';
      break;
    case 'map_value':
    case 'map_key':
      summary = `${v.map?.name ?? 'map'}${v.off ? ` +${num(v.off)}` : ''}`;
      break;
    case 'mem':
      summary = v.size !== undefined ? `${num(v.size)} bytes` : '';
      break;
    default:
      summary = parts.btf ? `struct ${parts.btf}` : '';
  }
  if (v.map) details.push(['map', `${v.map.name ?? '?'} (key ${v.map.keySize ?? '?'} B, value ${v.map.valueSize ?? '?'} B)`]);
  if (v.off !== undefined && parts.base !== 'fp') details.push(['offset', num(v.off)]);
  if (v.imm !== undefined) details.push(['constant offset', num(v.imm)]);
  if (v.size !== undefined) details.push(['size', `${num(v.size)} bytes`]);
  // A variable offset on a pointer: its ranges.
  pushRanges();
  if (Object.keys(r).length || v.varOff) summary += ' + variable offset';
  if (parts.orNull) details.push(['NULL', 'may be NULL: compare it with 0 before using it']);
  common();
  return { kind, summary: summary.trim(), details, maybeNull: parts.orNull, value: v };
}

export interface SlotDescription {
  bytes: SlotByte[];
  /** `misc`, `zero`, `spilled ctx pointer`, `invalid`. */
  summary: string;
  spilled?: RegDescription;
}

const BYTE_WORD: Record<SlotByte, string> = {
  invalid: 'not written', spill: 'spilled register', misc: 'data (misc)', zero: 'zero', dynptr: 'dynptr', iter: 'iterator', irq_flag: 'IRQ flag',
};

export function describeSlot(text: string): SlotDescription {
  const s = parseStackSlot(text);
  if (s.spilled) {
    const d = describeReg(s.spilled.text);
    return { bytes: s.bytes, summary: `spilled ${d.kind}${d.summary ? ` ${d.summary}` : ''}`, spilled: d };
  }
  const kinds = [...new Set(s.bytes)];
  return { bytes: s.bytes, summary: kinds.map((k) => BYTE_WORD[k]).join(' + ') };
}
