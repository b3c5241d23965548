/**
 * Pre-decoding: turns the programs of a `LoadedObject` into one flat Int32Array the
 * interpreter's dispatch loop reads, after checking the structure of every instruction.
 *
 * Each 8-byte slot becomes one row of ROW int32 fields. The interpreter switches on the
 * opcode byte itself (a dense switch over literal cases, which V8 turns into a jump
 * table in every tier); the few forms the opcode byte does not tell apart get opcode
 * bytes that the ISA leaves unused (OP_*). Jump and call targets are resolved to absolute
 * rows, lddw constants (including map and function pointers) to their two 32-bit halves.
 *
 * All programs of an object share the array, so a tail call is a jump to another
 * program's entry row and callbacks are plain rows.
 */
import { checkInsn, InsnError, isLdImm64, type Decoded, type Insn } from '../isa/insn';
import {
  BPF_JMP, BPF_JMP32, BPF_PSEUDO_BTF_ID, BPF_PSEUDO_CALL, BPF_PSEUDO_FUNC, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD,
  BPF_PSEUDO_MAP_IDX, BPF_PSEUDO_MAP_IDX_VALUE, BPF_PSEUDO_MAP_VALUE, opClass,
} from '../isa/opcodes';

export const ROW = 8;
/** Row fields. */
export const F_OP = 0;
/** 2 * dst register (index into the register halves). */
export const F_DST = 1;
/** 2 * src register. */
export const F_SRC = 2;
/** `off`; for jumps and local calls, the absolute target row. */
export const F_OFF = 3;
/** `imm`; for lddw the low half of the constant; for OP_FAULT the message index. */
export const F_IMM = 4;
/** High half of an lddw constant; for ALU64/JMP immediates, the sign extension of imm. */
export const F_IMM_HI = 5;
/** Slot index of the instruction within its program. */
export const F_SLOT = 6;
/** Index of the program the row belongs to. */
export const F_PROG = 7;

/** Rows that stop the program with a message (invalid instruction, fell off the end, ...). LD|IMM|W is no instruction. */
export const OP_FAULT = 0x00;
/** bpf-to-bpf call (JMP32|CALL does not exist). F_OFF is the target row. */
export const OP_CALL_LOCAL = 0x86;
/** kfunc call (JMP32|EXIT does not exist). F_IMM is the BTF id. */
export const OP_CALL_KFUNC = 0x96;

/** A structurally invalid program (the VM refuses to load it). */
export class VmLoadError extends Error {
  constructor(message: string, readonly program: string, readonly insn: number) {
    super(message);
    this.name = 'VmLoadError';
  }
}

/** How lddw pseudo sources become pointers: supplied by the machine that owns the maps. */
export interface LdImmBinder {
  mapPtr(map: number): readonly [number, number] | string;
  mapValuePtr(map: number, off: number): readonly [number, number] | string;
  funcPtr(row: number): readonly [number, number];
}

export interface ProgramRows {
  name: string;
  /** Row of slot 0. */
  entry: number;
  /** Number of slots. */
  slots: number;
}

export interface CodeImage {
  code: Int32Array;
  programs: ProgramRows[];
  /** Messages of OP_FAULT rows. */
  faults: string[];
}

export interface DecodeOptions {
  /**
   * Refuse structurally invalid programs (bad opcodes or reserved fields, jumps out of
   * range or into an lddw, subprograms that run off their end). When false ("run
   * anyway"), such instructions become rows that stop the program when executed.
   */
  strict: boolean;
}

/** The kernel's limit on program size for privileged loaders (BPF_COMPLEXITY_LIMIT_INSNS). */
export const MAX_INSNS = 1_000_000;

const isJump = (code: number): boolean => {
  const cls = opClass(code);
  if (cls !== BPF_JMP && cls !== BPF_JMP32) return false;
  const op = code & 0xf0;
  return op !== 0x80 && op !== 0x90; // not call or exit
};

export function decodePrograms(
  progs: ReadonlyArray<{ name: string; insns: readonly Insn[] }>,
  binder: LdImmBinder,
  opts: DecodeOptions,
): CodeImage {
  const total = progs.reduce((n, p) => n + p.insns.length + 1, 0);
  const faults: string[] = [];
  // Rows: every slot, plus one "fell off the end" row per program; fault rows for bad jump
  // targets are appended after all programs.
  let code = new Int32Array(total * ROW);
  const programs: ProgramRows[] = [];
  let base = 0;
  const faultRows: { row: number; msg: string }[] = [];

  const addFault = (msg: string): number => {
    faults.push(msg);
    return faults.length - 1;
  };
  const setFault = (row: number, msg: string, slot: number, prog: number): void => {
    const k = row * ROW;
    code.fill(0, k, k + ROW);
    code[k + F_OP] = OP_FAULT;
    code[k + F_IMM] = addFault(msg);
    code[k + F_SLOT] = slot;
    code[k + F_PROG] = prog;
  };
  const pendingFaultRow = (msg: string): number => {
    const row = total + faultRows.length;
    faultRows.push({ row, msg });
    return row;
  };

  progs.forEach((p, pi) => {
    const insns = p.insns;
    const n = insns.length;
    const refuse = (msg: string, slot: number): never => {
      throw new VmLoadError(`program ${p.name}: insn ${slot}: ${msg}`, p.name, slot);
    };
    if (opts.strict && n === 0) throw new VmLoadError(`program ${p.name} has no instructions`, p.name, 0);
    if (opts.strict && n > MAX_INSNS) throw new VmLoadError(`program ${p.name} has ${n} instructions, more than the kernel's limit of ${MAX_INSNS}`, p.name, 0);
    programs.push({ name: p.name, entry: base, slots: n });

    // Which slots are second halves of lddw (not instructions).
    const second = new Uint8Array(n);
    for (let pc = 0; pc < n; pc++) if (isLdImm64(insns[pc]) && pc + 1 < n) second[++pc] = 1;

    const targetRow = (pc: number, target: number, what: string): number => {
      if (target < 0 || target >= n) {
        const msg = `${what} out of range from insn ${pc} to ${target}`;
        if (opts.strict) refuse(msg, pc);
        return pendingFaultRow(msg);
      }
      if (second[target]) {
        const msg = `${what} from insn ${pc} into the middle of the lddw at insn ${target - 1}`;
        if (opts.strict) refuse(msg, pc);
        return pendingFaultRow(msg);
      }
      return base + target;
    };

    const subprogStarts = new Set<number>([0]);
    for (let pc = 0; pc < n; pc++) {
      if (second[pc]) {
        setFault(base + pc, `jumped into the second half of the lddw at insn ${pc - 1}`, pc, pi);
        continue;
      }
      const i = insns[pc];
      const row = base + pc;
      const k = row * ROW;
      let d: Decoded;
      try {
        d = checkInsn(insns, pc);
      } catch (e) {
        if (!(e instanceof InsnError)) throw e;
        const msg = e.message.replace(/^instruction \d+ /, 'invalid instruction ');
        if (opts.strict) refuse(msg, pc);
        setFault(row, msg, pc, pi);
        continue;
      }
      code[k + F_OP] = i.code;
      code[k + F_DST] = (i.dst & 15) * 2;
      code[k + F_SRC] = (i.src & 15) * 2;
      code[k + F_OFF] = i.off;
      code[k + F_IMM] = i.imm;
      code[k + F_IMM_HI] = i.imm >> 31;
      code[k + F_SLOT] = pc;
      code[k + F_PROG] = pi;

      switch (d.kind) {
        case 'ja':
          code[k + F_OFF] = targetRow(pc, pc + 1 + d.offset, 'jump');
          break;
        case 'jcond':
        case 'may_goto':
          code[k + F_OFF] = targetRow(pc, pc + 1 + d.offset, 'jump');
          break;
        case 'call':
          if (d.call === 'subprog') {
            const t = pc + 1 + d.imm;
            code[k + F_OP] = OP_CALL_LOCAL;
            code[k + F_OFF] = targetRow(pc, t, 'call');
            if (t >= 0 && t < n) subprogStarts.add(t);
          } else if (d.call === 'kfunc') {
            code[k + F_OP] = OP_CALL_KFUNC;
          }
          break;
        case 'ld_imm64': {
          let v: readonly [number, number] | string;
          switch (d.pseudo) {
            case 0:
              v = [d.imm, d.imm2];
              break;
            case BPF_PSEUDO_MAP_FD:
            case BPF_PSEUDO_MAP_IDX:
              v = binder.mapPtr(d.imm);
              break;
            case BPF_PSEUDO_MAP_VALUE:
            case BPF_PSEUDO_MAP_IDX_VALUE:
              v = binder.mapValuePtr(d.imm, d.imm2);
              break;
            case BPF_PSEUDO_FUNC: {
              const t = pc + 1 + d.imm;
              const tr = targetRow(pc, t, 'function pointer');
              if (t >= 0 && t < n) subprogStarts.add(t);
              v = tr >= total ? `function pointer out of range from insn ${pc} to ${t}` : binder.funcPtr(tr);
              break;
            }
            case BPF_PSEUDO_BTF_ID:
              v = `lddw of a kernel variable (BTF id ${d.imm}) is not supported by the VM`;
              break;
            default:
              v = `lddw with unknown pseudo source ${d.pseudo}`;
          }
          if (typeof v === 'string') {
            const runtimeOnly = d.pseudo === BPF_PSEUDO_BTF_ID;
            if (opts.strict && !runtimeOnly) refuse(v, pc);
            setFault(row, v, pc, pi);
          } else {
            code[k + F_IMM] = v[0];
            code[k + F_IMM_HI] = v[1];
          }
          pc++;
          break;
        }
        default:
          break;
      }
    }

    if (opts.strict) checkSubprograms(p.name, insns, second, subprogStarts);
    setFault(base + n, n === 0 ? `program ${p.name} has no instructions` : `execution ran off the end of program ${p.name} after insn ${n - 1}`, n, pi);
    base += n + 1;
  });

  if (faultRows.length) {
    const grown = new Int32Array((total + faultRows.length) * ROW);
    grown.set(code);
    code = grown;
    for (const f of faultRows) setFault(f.row, f.msg, -1, -1);
  }
  return { code, programs, faults };
}

/**
 * The kernel's check_subprogs rules: a jump stays inside its subprogram, and each
 * subprogram ends with exit or an unconditional jump (no falling into the next one).
 */
function checkSubprograms(name: string, insns: readonly Insn[], second: Uint8Array, starts: Set<number>): void {
  const sorted = [...starts].sort((a, b) => a - b);
  const n = insns.length;
  const subOf = new Int32Array(n);
  let s = 0;
  for (let pc = 0; pc < n; pc++) {
    while (s + 1 < sorted.length && sorted[s + 1] <= pc) s++;
    subOf[pc] = s;
  }
  for (let pc = 0; pc < n; pc++) {
    if (second[pc]) continue;
    const i = insns[pc];
    if (isJump(i.code)) {
      const off = opClass(i.code) === BPF_JMP32 && (i.code & 0xf0) === 0 ? i.imm : i.off;
      const t = pc + 1 + off;
      if (subOf[t] !== subOf[pc]) throw new VmLoadError(`program ${name}: insn ${pc}: jump out of range from insn ${pc} to ${t} (leaves its subprogram)`, name, pc);
    }
  }
  sorted.forEach((start, k) => {
    const end = (k + 1 < sorted.length ? sorted[k + 1] : n) - 1;
    let last = end;
    if (last > start && second[last]) last--;
    const c = insns[last].code;
    const ok = c === 0x95 || c === 0x05 || c === 0x06;
    if (!ok) throw new VmLoadError(`program ${name}: insn ${last}: the last instruction of the subprogram at insn ${start} is not an exit or unconditional jump`, name, last);
  });
}

/** Is this call instruction a bpf-to-bpf call or a kfunc call (by src)? */
export const callKind = (i: Insn): 'helper' | 'subprog' | 'kfunc' =>
  i.src === BPF_PSEUDO_CALL ? 'subprog' : i.src === BPF_PSEUDO_KFUNC_CALL ? 'kfunc' : 'helper';
