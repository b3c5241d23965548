/**
 * Instructions in the kernel's own syntax: the text of `print_bpf_insn()`
 * (kernel/bpf/disasm.c) as the verifier log and `bpftool prog dump xlated` show it,
 * e.g. `(b7) r0 = 0`, `(85) call bpf_map_lookup_elem#1`, `(2d) if r1 > r2 goto pc+16`.
 *
 * What differs between the verifier log and bpftool is only how calls and 64-bit
 * immediates are named; those are the injected `KernelResolvers` (the kernel's
 * `bpf_insn_cbs.cb_call` / `cb_imm`).
 */
import { helperById, HELPER_MAX_ID } from '../isa/helpers';
import { decodeInsn, type Insn } from '../isa/insn';
import {
  ALU_OPS, ALU_SYMBOL, BPF_ALU, BPF_ALU64, BPF_ATOMIC, BPF_DW, BPF_JMP, BPF_JMP32, BPF_LD, BPF_LDX, BPF_MEM,
  BPF_PSEUDO_CALL, BPF_PSEUDO_KFUNC_CALL, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_VALUE, BPF_ST, BPF_STX,
  CLASS_NAMES, JMP_COND_SYMBOL, JMP_OPS, opClass, opMode, opOp, opSize,
} from '../isa/opcodes';

export interface KernelResolvers {
  /**
   * Name for a call the helper table does not name (`cb_call`): kfuncs, subprogram calls,
   * resolved helper addresses in xlated code. Return undefined for the kernel's default.
   */
  call?(insn: Insn, pc: number): string | undefined;
  /** Text of the constant of an `lddw` (`cb_imm`); undefined for the default `0x%llx`. */
  imm64?(insns: readonly Insn[], pc: number, value: bigint): string | undefined;
  /**
   * When false, map pointers print as 0 (the kernel's `allow_ptr_leaks == false`,
   * i.e. an unprivileged verifier log). Default true.
   */
  allowPtrLeaks?: boolean;
}

const LDST_TYPE = ['u32', 'u16', 'u8', 'u64'];
const LDSX_TYPE = ['s32', 's16', 's8', undefined];
const hex = (n: number): string => n.toString(16).padStart(2, '0');
/** printf `%+d`. */
const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
/** printf `%s` of a NULL pointer, as the kernel's vsnprintf prints it. */
const str = (s: string | undefined): string => s ?? '(null)';

/**
 * The kernel's text of the instruction at `pc`, without the index prefix: `(b7) r0 = 0`.
 * Every encoding prints something, exactly as the kernel would (`BUG_ldx_a1` and the like
 * for encodings its printer does not know).
 */
export function formatKernelInsn(insns: readonly Insn[], pc: number, r: KernelResolvers = {}): string {
  const i = insns[pc];
  const code = `(${hex(i.code)})`;
  const cls = opClass(i.code);
  const w = cls === BPF_ALU || cls === BPF_JMP32 ? 'w' : 'r';

  switch (cls) {
    case BPF_ALU:
    case BPF_ALU64: {
      const d = decodeInsn(insns, pc);
      const op = opOp(i.code);
      if (op === 0xd0) {
        return cls === BPF_ALU
          ? `${code} r${i.dst} = ${(i.code & 0x08) ? 'be' : 'le'}${i.imm} r${i.dst}`
          : `${code} r${i.dst} = bswap${i.imm} r${i.dst}`;
      }
      if (op === 0x80) return `${code} ${w}${i.dst} = -${w}${i.dst}`;
      if (d.kind === 'addr_space_cast') return `${code} r${i.dst} = addr_space_cast(r${i.src}, ${i.imm >>> 16}, ${i.imm & 0xffff})`;
      if (d.kind === 'mov_percpu_addr') return `${code} r${i.dst} = &(void __percpu *)(r${i.src})`;
      const signedDivMod = (op === 0x30 || op === 0x90) && i.off === 1;
      const sym = signedDivMod ? (op === 0x30 ? 's/=' : 's%=') : aluSymbol(op);
      if (i.code & 0x08) {
        const movsx = op === 0xb0 && (i.off === 8 || i.off === 16 || i.off === 32);
        const cast = movsx ? str([`(s8)`, `(s16)`, undefined, `(s32)`][(i.off >> 3) - 1]) : '';
        return `${code} ${w}${i.dst} ${sym} ${cast}${w}${i.src}`;
      }
      return `${code} ${w}${i.dst} ${sym} ${i.imm}`;
    }
    case BPF_STX: {
      const t = LDST_TYPE[opSize(i.code) >> 3];
      const mode = opMode(i.code);
      if (mode === BPF_MEM) return `${code} *(${t} *)(r${i.dst} ${signed(i.off)}) = r${i.src}`;
      if (mode === BPF_ATOMIC) {
        const a = formatAtomic(i, t);
        if (a) return `${code} ${a}`;
      }
      return `BUG_${hex(i.code)}`;
    }
    case BPF_ST: {
      const mode = opMode(i.code);
      if (mode === BPF_MEM) return `${code} *(${LDST_TYPE[opSize(i.code) >> 3]} *)(r${i.dst} ${signed(i.off)}) = ${i.imm}`;
      if (mode === 0xc0) return `${code} nospec`;
      return `BUG_st_${hex(i.code)}`;
    }
    case BPF_LDX: {
      const mode = opMode(i.code);
      if (mode !== BPF_MEM && mode !== 0x80) return `BUG_ldx_${hex(i.code)}`;
      const t = mode === BPF_MEM ? LDST_TYPE[opSize(i.code) >> 3] : str(LDSX_TYPE[opSize(i.code) >> 3]);
      return `${code} r${i.dst} = *(${t} *)(r${i.src} ${signed(i.off)})`;
    }
    case BPF_LD: {
      const mode = opMode(i.code);
      const t = LDST_TYPE[opSize(i.code) >> 3];
      if (mode === 0x20) return `${code} r0 = *(${t} *)skb[${i.imm}]`;
      if (mode === 0x40) return `${code} r0 = *(${t} *)skb[r${i.src} + ${i.imm}]`;
      if (mode === 0x00 && opSize(i.code) === BPF_DW) {
        let value = (BigInt((insns[pc + 1]?.imm ?? 0) >>> 0) << 32n) | BigInt(i.imm >>> 0);
        const isPtr = i.src === BPF_PSEUDO_MAP_FD || i.src === BPF_PSEUDO_MAP_VALUE;
        if (isPtr && r.allowPtrLeaks === false) value = 0n;
        return `${code} r${i.dst} = ${r.imm64?.(insns, pc, value) ?? `0x${value.toString(16)}`}`;
      }
      return `BUG_ld_${hex(i.code)}`;
    }
    case BPF_JMP:
    case BPF_JMP32: {
      const op = opOp(i.code);
      if (op === 0x80) {
        const name = callName(i, pc, r);
        return i.src === BPF_PSEUDO_CALL ? `${code} call pc${name}` : `${code} call ${name}#${i.imm}`;
      }
      if (i.code === (BPF_JMP | 0x00)) return `${code} goto pc${signed(i.off)}`;
      if (i.code === (BPF_JMP | 0xe0) && i.src === 0) return `${code} may_goto pc${signed(i.off)}`;
      if (i.code === (BPF_JMP32 | 0x00)) return `${code} gotol pc${signed(i.imm)}`;
      if (i.code === (BPF_JMP | 0x90)) return `${code} exit`;
      const sym = jmpSymbol(op);
      if (i.code & 0x08) return `${code} if ${w}${i.dst} ${sym} ${w}${i.src} goto pc${signed(i.off)}`;
      return `${code} if ${w}${i.dst} ${sym} 0x${(i.imm >>> 0).toString(16)} goto pc${signed(i.off)}`;
    }
  }
  return `${code} ${CLASS_NAMES[cls]}`;
}

/** `bpf_alu_string`: compound operators, plus `neg`/`endian` which have their own forms. */
function aluSymbol(op: number): string {
  const name = ALU_OPS[op >> 4];
  if (name === 'neg') return 'neg';
  if (name === 'end') return 'endian';
  return str(name && ALU_SYMBOL[name]);
}

/** `bpf_jmp_string`. */
function jmpSymbol(op: number): string {
  const name = JMP_OPS[op >> 4];
  if (name === 'ja') return 'jmp';
  if (name === 'call' || name === 'exit') return name;
  return str(name && JMP_COND_SYMBOL[name]);
}

const ATOMIC_ALU: Record<number, string> = { 0x00: 'add', 0x50: 'and', 0x40: 'or', 0xa0: 'xor' };

function formatAtomic(i: Insn, t: string): string | undefined {
  const x64 = opSize(i.code) === BPF_DW ? '64' : '';
  const base = i.imm & ~0x01;
  if (ATOMIC_ALU[i.imm] !== undefined) return `lock *(${t} *)(r${i.dst} ${signed(i.off)}) ${ALU_SYMBOL[ATOMIC_ALU[i.imm]]} r${i.src}`;
  if ((i.imm & 0x01) && ATOMIC_ALU[base] !== undefined && i.imm < 0x100) {
    return `r${i.src} = atomic${x64}_fetch_${ATOMIC_ALU[base]}((${t} *)(r${i.dst} ${signed(i.off)}), r${i.src})`;
  }
  if (i.imm === 0xf1) return `r0 = atomic${x64}_cmpxchg((${t} *)(r${i.dst} ${signed(i.off)}), r0, r${i.src})`;
  if (i.imm === 0xe1) return `r${i.src} = atomic${x64}_xchg((${t} *)(r${i.dst} ${signed(i.off)}), r${i.src})`;
  if (i.imm === 0x100) return `r${i.dst} = load_acquire((${t} *)(r${i.src} ${signed(i.off)}))`;
  if (i.imm === 0x110) return `store_release((${t} *)(r${i.dst} ${signed(i.off)}), r${i.src})`;
  return undefined;
}

/** `__func_get_name()`: the helper table first, then the resolver, then the defaults. */
function callName(i: Insn, pc: number, r: KernelResolvers): string {
  if (i.src === 0 && i.imm >= 0 && i.imm < HELPER_MAX_ID) {
    const h = helperById(i.imm);
    if (h) return h.name;
  }
  const named = r.call?.(i, pc);
  if (named !== undefined) return named;
  if (i.src === BPF_PSEUDO_CALL) return signed(i.imm);
  if (i.src === BPF_PSEUDO_KFUNC_CALL) return 'kernel-function';
  return 'unknown';
}

/** Verifier-log form of one instruction: `12: (b7) r0 = 0`. */
export const formatLogInsn = (insns: readonly Insn[], pc: number, r?: KernelResolvers): string =>
  `${pc}: ${formatKernelInsn(insns, pc, r)}`;
