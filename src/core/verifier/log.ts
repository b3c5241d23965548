/**
 * The verifier log: a text buffer that, like the kernel's, can be rewound to an earlier
 * position (branches popped at log_level 1 forget the path that was explored), and the
 * state printers of kernel/bpf/log.c (`print_verifier_state`, `print_reg_state`,
 * `print_scalar_ranges`).
 */
import { hex, tnumIsConst, tnumIsUnknown, tnumStr } from './tnum';
import {
  baseType, BPF_ADD_CONST, CONST_PTR_TO_MAP, PTR_TO_ARENA, PTR_TO_BTF_ID, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM,
  PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_STACK, RegState, regTypeStr, S32_MAX, S32_MIN, S64_MAX, S64_MIN,
  SCALAR_VALUE, NOT_INIT, U32_MAX, u32,
} from './reg-state';
import { U64_MAX } from './tnum';
import { BPF_REG_SIZE, SLOT_TYPE_CHAR, STACK_INVALID, STACK_SPILL, type FuncState, type StackSlot, type VerifierState } from './state';

/**
 * Append-only text with rewind (`bpf_vlog_reset`). Like the kernel's log in its default
 * rotating mode, it keeps at most `limit` characters: the oldest text goes first (the
 * kernel would then fail the load with ENOSPC; we keep the verdict and say `truncated`).
 * Positions (`endPos`, `reset`) count everything ever written, as the kernel's do.
 */
export class LogBuffer {
  private chunks: string[] = [];
  private chunkLen = 0;
  /** Text since the last full chunk (V8 makes `+=` on it cheap). */
  private tail = '';
  /** Absolute position of the first character still kept. */
  private dropped = 0;
  private length = 0;
  truncated = false;

  constructor(readonly enabled: boolean, private readonly limit = 64 * 1024 * 1024) {}

  get endPos(): number {
    return this.length;
  }

  write(s: string): void {
    if (!this.enabled || s.length === 0) return;
    this.tail += s;
    this.length += s.length;
    if (this.tail.length >= 65536) {
      this.chunks.push(this.tail);
      this.chunkLen += this.tail.length;
      this.tail = '';
      while (this.chunkLen > this.limit && this.chunks.length > 1) {
        const first = this.chunks.shift()!;
        this.chunkLen -= first.length;
        this.dropped += first.length;
        this.truncated = true;
      }
    }
  }

  /** Truncates the log to `pos` characters. */
  reset(pos: number): void {
    if (!this.enabled || pos >= this.length) return;
    const tailStart = this.length - this.tail.length;
    if (pos >= tailStart) {
      this.tail = this.tail.slice(0, pos - tailStart);
    } else {
      // back into the full chunks: reopen the last one that survives
      let start = tailStart;
      while (this.chunks.length && start > pos) {
        const c = this.chunks.pop()!;
        start -= c.length;
        this.chunkLen -= c.length;
        if (start <= pos) {
          this.tail = c.slice(0, pos - start);
          break;
        }
        this.tail = '';
      }
      if (pos < this.dropped) {
        // rewinding past what rotation already dropped: nothing older is left
        this.dropped = pos;
        this.tail = '';
      }
    }
    this.length = pos;
  }

  toString(): string {
    const s = this.chunks.join('') + this.tail;
    this.chunks = [];
    this.chunkLen = 0;
    this.tail = s;
    if (!this.truncated) return s;
    // a rotated log starts mid-line: begin at the next full line
    const nl = s.indexOf('\n');
    return nl >= 0 ? s.slice(nl + 1) : s;
  }
}

// ---------------------------------------------------------------------------------------
// Number formatting (kernel/bpf/log.c)

const isUnumDecimal = (n: bigint): boolean => n <= 0xffffn;
const isSnumDecimal = (n: bigint): boolean => n >= -0x8000n && n <= 0x7fffn;
const unum = (n: bigint): string => (isUnumDecimal(n) ? n.toString() : hex(n));
/** `verbose_snum`: decimal in s16 range, else `%#llx` of the 64-bit pattern. */
export const snum = (n: bigint): string => (isSnumDecimal(n) ? n.toString() : hex(BigInt.asUintN(64, n)));

/** `print_scalar_ranges`: `smin=...,smax=umax=...` with equal values merged. */
function scalarRanges(reg: RegState): string[] {
  const s32v = (v: number): bigint => (isSnumDecimal(BigInt(v)) ? BigInt(v) : BigInt(u32(v)));
  const m = [
    { name: 'smin', val: BigInt.asUintN(64, reg.smin), omit: reg.smin === S64_MIN },
    { name: 'smax', val: BigInt.asUintN(64, reg.smax), omit: reg.smax === S64_MAX },
    { name: 'umin', val: reg.umin, omit: reg.umin === 0n },
    { name: 'umax', val: reg.umax, omit: reg.umax === U64_MAX },
    { name: 'smin32', val: BigInt.asUintN(64, s32v(reg.s32min)), omit: reg.s32min === S32_MIN },
    { name: 'smax32', val: BigInt.asUintN(64, s32v(reg.s32max)), omit: reg.s32max === S32_MAX },
    { name: 'umin32', val: BigInt(reg.u32min), omit: reg.u32min === 0 },
    { name: 'umax32', val: BigInt(reg.u32max), omit: reg.u32max === U32_MAX },
  ];
  const out: string[] = [];
  for (let i = 0; i < m.length; i++) {
    const m1 = m[i];
    if (m1.omit) continue;
    const neg1 = m1.name[0] === 's' && BigInt.asIntN(64, m1.val) < 0n;
    let s = `${m1.name}=`;
    for (let j = i + 2; j < m.length; j += 2) {
      const m2 = m[j];
      if (m2.omit || m2.val !== m1.val) continue;
      const neg2 = m2.name[0] === 's' && BigInt.asIntN(64, m2.val) < 0n;
      if (neg2 !== neg1) continue;
      m2.omit = true;
      s += `${m2.name}=`;
    }
    s += m1.name[0] === 's' ? snum(BigInt.asIntN(64, m1.val)) : unum(m1.val);
    out.push(s);
  }
  return out;
}

/** Names used when printing map pointers (`map=NAME,ks=..,vs=..`). */
export interface MapInfo {
  name: string;
  keySize: number;
  valueSize: number;
}

/** `print_reg_state`. */
export function formatRegState(reg: RegState, curFrameno: number, maps: readonly MapInfo[]): string {
  const t = reg.type;
  let out = '';
  if (t === SCALAR_VALUE && reg.precise) out += 'P';
  if (t === SCALAR_VALUE && tnumIsConst(reg.varOff)) return out + snum(BigInt.asIntN(64, reg.varOff.value));
  out += regTypeStr(t);
  if (t === PTR_TO_ARENA) return out;
  if (t === PTR_TO_STACK) {
    if (curFrameno !== reg.frameno) out += `[${reg.frameno}]`;
    if (tnumIsConst(reg.varOff)) return out + snum(BigInt.asIntN(64, reg.varOff.value + BigInt(reg.off)));
  }
  if (baseType(t) === PTR_TO_BTF_ID) out += reg.btfName;
  const attrs: string[] = [];
  let idText = '';
  if (reg.id) idText = `id=${reg.id & ~BPF_ADD_CONST}`;
  if (idText) attrs.push(idText);
  if (reg.id & BPF_ADD_CONST) {
    // "%+d" is appended right after "id=N" without a separator
    const d = reg.off | 0;
    attrs[attrs.length - 1] += d >= 0 ? `+${d}` : `${d}`;
  }
  if (reg.refObjId) attrs.push(`ref_obj_id=${reg.refObjId}`);
  const b = baseType(t);
  if (b === CONST_PTR_TO_MAP || b === PTR_TO_MAP_KEY || b === PTR_TO_MAP_VALUE) {
    const m = maps[reg.map];
    if (m) {
      // the kernel keeps BPF_OBJ_NAME_LEN - 1 = 15 characters of a map's name
      if (m.name) attrs.push(`map=${m.name.slice(0, 15)}`);
      attrs.push(`ks=${m.keySize},vs=${m.valueSize}`);
    }
  }
  if (t !== SCALAR_VALUE && reg.off) attrs.push(`off=${snum(BigInt(reg.off))}`);
  if (t === PTR_TO_PACKET || t === PTR_TO_PACKET_META) attrs.push(`r=${unum(BigInt.asUintN(64, BigInt(reg.range | 0)))}`);
  if (b === PTR_TO_MEM) attrs.push(`sz=${unum(BigInt(reg.memSize >>> 0))}`);
  if (tnumIsConst(reg.varOff)) {
    if (reg.varOff.value) attrs.push(`imm=${snum(BigInt.asIntN(64, reg.varOff.value))}`);
  } else {
    attrs.push(...scalarRanges(reg));
    if (!tnumIsUnknown(reg.varOff)) attrs.push(`var_off=${tnumStr(reg.varOff)}`);
  }
  return `${out}(${attrs.join(',')})`;
}

/** Which registers / stack slots changed since the last print (the kernel's "scratched" marks). */
export class Scratch {
  regs = 0;
  stack = 0n;
  all(): void {
    this.regs = 0xffff;
    this.stack = (1n << 64n) - 1n;
  }
  clean(): void {
    this.regs = 0;
    this.stack = 0n;
  }
  get any(): boolean {
    return this.regs !== 0 || this.stack !== 0n;
  }
  reg(r: number): void {
    this.regs |= 1 << r;
  }
  slot(spi: number): void {
    if (spi >= 0 && spi < 64) this.stack |= 1n << BigInt(spi);
  }
}

/**
 * `print_verifier_state` for frame `frameno` (without the trailing newline): ` frame1:`,
 * then ` R0=...` for initialised registers and ` fp-8=...` for used stack slots,
 * all of them or only the scratched ones.
 */
export function formatFrameState(vstate: VerifierState, frameno: number, printAll: boolean, scratch: Scratch | null, maps: readonly MapInfo[]): string {
  const state: FuncState = vstate.frames[frameno];
  let out = '';
  if (state.frameno) out += ` frame${state.frameno}:`;
  for (let i = 0; i < 11; i++) {
    const reg = state.regs[i];
    if (reg.type === NOT_INIT) continue;
    if (!printAll && !(scratch && scratch.regs & (1 << i))) continue;
    out += ` R${i}=${formatRegState(reg, state.frameno, maps)}`;
  }
  for (let i = 0; i < state.stack.length; i++) {
    if (!printAll && !(scratch && i < 64 && scratch.stack & (1n << BigInt(i)))) continue;
    const text = formatStackSlot(state.stack[i], state.frameno, maps);
    if (text !== null) out += ` fp${(-i - 1) * BPF_REG_SIZE}=${text}`;
  }
  if (vstate.refs.length && vstate.refs[0].id) {
    out += ` refs=${vstate.refs.filter((r, k) => k === 0 || r.id).map((r) => r.id).join(',')}`;
  }
  if (state.inCallbackFn) out += ' cb';
  if (state.inAsyncCallbackFn) out += ' async_cb';
  return out;
}

/**
 * One stack slot as `print_verifier_state` prints it after `fp-8=`: byte types
 * (`mmmm????`), or the spilled register behind its byte types; null for an unused slot.
 */
export function formatStackSlot(slot: StackSlot, frameno: number, maps: readonly MapInfo[]): string | null {
  let valid = false;
  let types = '';
  for (let j = 0; j < BPF_REG_SIZE; j++) {
    if (slot.slotType[j] !== STACK_INVALID) valid = true;
    types += SLOT_TYPE_CHAR[slot.slotType[j]] ?? '?';
  }
  if (!valid) return null;
  if (slot.slotType[BPF_REG_SIZE - 1] === STACK_SPILL) {
    let j = 0;
    while (j < BPF_REG_SIZE && slot.slotType[j] !== STACK_SPILL) j++;
    return types.slice(0, j) + formatRegState(slot.spilled, frameno, maps);
  }
  // misc/zero bytes, and dynptr / iterator slots (not modelled), print as byte types
  return types;
}

/** `vlog_alignment`: pad the `; state` to column 38 (or the next multiple of 8 after +4). */
export function vlogAlignment(pos: number): number {
  const BPF_LOG_MIN_ALIGNMENT = 8;
  const BPF_LOG_ALIGNMENT = 40;
  const x = Math.max(pos + BPF_LOG_MIN_ALIGNMENT / 2, BPF_LOG_ALIGNMENT);
  return Math.ceil(x / BPF_LOG_MIN_ALIGNMENT) * BPF_LOG_MIN_ALIGNMENT - pos - 1;
}

/** `bpf_fmt_stack_mask`: `-8,-24` for bits 0 and 2. */
export function fmtStackMask(mask: bigint): string {
  if (mask === 0n) return '';
  const out: string[] = [];
  let lo = Number(mask & 0xffff_ffffn);
  let hi = Number(mask >> 32n);
  for (let i = 0; lo; i++, lo >>>= 1) if (lo & 1) out.push(String(-(i + 1) * 8));
  for (let i = 32; hi; i++, hi >>>= 1) if (hi & 1) out.push(String(-(i + 1) * 8));
  return out.join(',');
}

/** `fmt_reg_mask`: `r0,r2`. */
export function fmtRegMask(mask: number): string {
  const out: string[] = [];
  for (let i = 0; i < 32; i++) if (mask & (1 << i)) out.push(`r${i}`);
  return out.join(',');
}

