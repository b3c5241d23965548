/**
 * Register and stack-slot values as the verifier log prints them (kernel/bpf/log.c
 * `print_reg_state`, `print_scalar_ranges`), read back into their parts: the type, the
 * known constant, the ranges (smin/smax/umin/umax and their 32-bit halves), the tnum
 * `var_off`, id / ref_obj_id, offsets, packet range, map. Both sources of states speak
 * this text: our verifier's trace and a log pasted from a real kernel.
 *
 *   5                                   a known scalar (P5 when precise)
 *   scalar(id=1,smin=0,smax=umax=0xffffffff,var_off=(0x0; 0xffffffff))
 *   fp-8, fp[1]-16                      a stack pointer (in another frame)
 *   pkt(off=14,r=14), map_value(map=counts,ks=4,vs=8,off=4), ctx(), map_ptr(map=m,ks=4,vs=8)
 */

export interface RegRanges {
  smin?: bigint;
  smax?: bigint;
  umin?: bigint;
  umax?: bigint;
  smin32?: bigint;
  smax32?: bigint;
  umin32?: bigint;
  umax32?: bigint;
}

export interface RegValue {
  /** The text as printed. */
  text: string;
  /** The base type as printed: `scalar`, `ctx`, `fp`, `pkt`, `map_value`, `map_value_or_null`, `trusted_ptr_task_struct`, ... */
  type: string;
  /** Marked precise (`P` prefix): the verifier tracks this value exactly for pruning. */
  precise: boolean;
  /** A known constant (scalars), or the constant offset of a stack pointer. */
  value?: bigint;
  id?: number;
  /** `id=N+D`: the register is another register's value plus a constant (BPF_ADD_CONST). */
  idDelta?: number;
  refObjId?: number;
  /** Pointer offset (`off=`), or a stack pointer's offset from the frame pointer. */
  off?: bigint;
  /** Packet pointers: bytes known to be inside the packet from this pointer (`r=`). */
  range?: bigint;
  /** Memory size (`sz=`). */
  size?: bigint;
  /** Pointer plus a constant scalar (`imm=`). */
  imm?: bigint;
  /** Stack pointers into another call frame: that frame. */
  frame?: number;
  map?: { name?: string; keySize?: number; valueSize?: number };
  ranges: RegRanges;
  /** `var_off=(value; mask)`: the bits known (value) and unknown (mask). */
  varOff?: { value: bigint; mask: bigint };
  /** Anything else printed inside the parentheses, as key → text. */
  extra: Record<string, string>;
}

const RANGE_KEYS = new Set(['smin', 'smax', 'umin', 'umax', 'smin32', 'smax32', 'umin32', 'umax32']);

/** A number as the log prints it: decimal (maybe negative) or `0x...`. */
export function parseLogNumber(s: string): bigint | undefined {
  const t = s.trim();
  if (/^-?\d+$/.test(t)) return BigInt(t);
  if (/^-?0x[0-9a-fA-F]+$/.test(t)) return t.startsWith('-') ? -BigInt(t.slice(1)) : BigInt(t);
  return undefined;
}

/** Splits `a,b=(x; y),c` at top-level commas. */
export function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === sep && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.filter((p) => p !== '');
}

/** Reads a register value; never throws (unknown shapes keep their text and a best-effort type). */
export function parseRegValue(text: string): RegValue {
  let t = text.trim();
  const v: RegValue = { text, type: '', precise: false, ranges: {}, extra: {} };
  if (t.startsWith('P') && /^P(-?\d|0x|scalar|-)/.test(t)) {
    v.precise = true;
    t = t.slice(1);
  }
  const n = parseLogNumber(t);
  if (n !== undefined) {
    v.type = 'scalar';
    v.value = n;
    return v;
  }
  // Stack pointers: fp-8, fp0, fp[1]-16
  const fp = /^fp(?:\[(\d+)\])?(-?\d+|0x[0-9a-f]+)?$/.exec(t);
  if (fp) {
    v.type = 'fp';
    if (fp[1] !== undefined) v.frame = Number(fp[1]);
    v.off = fp[2] !== undefined ? parseLogNumber(fp[2]) : 0n;
    v.value = v.off;
    return v;
  }
  const open = t.indexOf('(');
  if (open < 0 || !t.endsWith(')')) {
    // A bare name (`pkt_end` in old kernels) or something new.
    v.type = t.replace(/\(.*$/, '');
    if (v.type.startsWith('fp') && v.type !== 'fp') v.type = 'fp';
    return v;
  }
  v.type = t.slice(0, open);
  if (v.type.startsWith('fp[')) v.type = 'fp';
  const inner = t.slice(open + 1, -1);
  for (const part of splitTopLevel(inner)) {
    // `smax=umax=smax32=umax32=255`: several keys share one value.
    const pieces = part.split('=');
    if (pieces.length < 2) {
      v.extra[part] = '';
      continue;
    }
    // var_off=(0x0; 0xff) contains no '=' inside; keep the value whole.
    const valueText = pieces[pieces.length - 1];
    for (const key of pieces.slice(0, -1)) setField(v, key, valueText);
  }
  return v;
}

function setField(v: RegValue, key: string, text: string): void {
  if (RANGE_KEYS.has(key)) {
    const n = parseLogNumber(text);
    if (n === undefined) { v.extra[key] = text; return; }
    v.ranges[key as keyof RegRanges] = rangeValue(key, n);
    return;
  }
  switch (key) {
    case 'var_off': {
      const m = /^\((-?0x[0-9a-f]+|\d+); (0x[0-9a-f]+|\d+)\)$/.exec(text);
      if (m) v.varOff = { value: BigInt(m[1]), mask: BigInt(m[2]) };
      else v.extra[key] = text;
      return;
    }
    case 'id': {
      const m = /^(\d+)([+-]\d+)?$/.exec(text);
      if (m) {
        v.id = Number(m[1]);
        if (m[2]) v.idDelta = Number(m[2]);
      } else v.extra[key] = text;
      return;
    }
    case 'ref_obj_id': v.refObjId = Number(text); return;
    case 'off': v.off = parseLogNumber(text); return;
    case 'r': v.range = parseLogNumber(text); return;
    case 'sz': v.size = parseLogNumber(text); return;
    case 'imm': v.imm = parseLogNumber(text); return;
    case 'map': (v.map ??= {}).name = text; return;
    case 'ks': (v.map ??= {}).keySize = Number(text); return;
    case 'vs': (v.map ??= {}).valueSize = Number(text); return;
    default: v.extra[key] = text;
  }
}

/**
 * A range bound as a number with its sign: the log prints signed bounds outside the s16
 * range as the hex of their bit pattern (smin=0xffffffff80000000 is -2^31).
 */
function rangeValue(key: string, n: bigint): bigint {
  if (key === 'smin' || key === 'smax') return BigInt.asIntN(64, n);
  if (key === 'smin32' || key === 'smax32') return BigInt.asIntN(32, n);
  return n;
}

export type SlotByte = 'invalid' | 'spill' | 'misc' | 'zero' | 'dynptr' | 'iter' | 'irq_flag';
const SLOT_CHARS: Record<string, SlotByte> = { '?': 'invalid', r: 'spill', m: 'misc', '0': 'zero', d: 'dynptr', i: 'iter', f: 'irq_flag' };

export interface StackSlotValue {
  text: string;
  /**
   * What each of the slot's 8 bytes holds, in the order the log prints them: the first
   * character is the byte at the slot's highest address (fp-1 for fp-8).
   */
  bytes: SlotByte[];
  /** A spilled register. */
  spilled?: RegValue;
}

const isSlotChars = (s: string): boolean => [...s].every((c) => SLOT_CHARS[c] !== undefined);
const REG_LIKE = /^(P?-?\d|P?0x|fp|P?[a-z_]+(\(|$))/;

/**
 * Reads a stack slot: `mmmm????`, `00000000`, or a spilled register behind the types of
 * the bytes below it (`????scalar(...)` for a 32-bit spill, `ctx()` or `1` for 64 bits).
 * The kernel prints the byte types up to the first spilled byte: 0, 4, 6 or 7 characters.
 */
export function parseStackSlot(text: string): StackSlotValue {
  const t = text.trim();
  if (t.length === 8 && isSlotChars(t)) return { text, bytes: [...t].map((c) => SLOT_CHARS[c]) };
  for (const k of [7, 6, 4, 0]) {
    if (k >= t.length || !isSlotChars(t.slice(0, k)) || !REG_LIKE.test(t.slice(k))) continue;
    const bytes: SlotByte[] = [...t.slice(0, k)].map((c) => SLOT_CHARS[c]);
    while (bytes.length < 8) bytes.push('spill');
    return { text, bytes, spilled: parseRegValue(t.slice(k)) };
  }
  return { text, bytes: Array<SlotByte>(8).fill('invalid'), spilled: parseRegValue(t) };
}
