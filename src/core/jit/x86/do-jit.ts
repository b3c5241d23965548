/**
 * One pass of the x86-64 JIT over one function: `do_jit` in the kernel's
 * arch/x86/net/bpf_jit_comp.c (Linux 6.18), instruction by instruction.
 *
 * `addrs[i]` is the end offset of instruction slot i-1 (so `addrs[0]` is the end of the
 * prologue). A pass reads the offsets of the previous pass for forward jumps and of this
 * pass for backward ones, and overwrites them as it goes, exactly like the kernel; the
 * driver (compile.ts) repeats passes until the size stops changing.
 */
import {
  BPF_ADD, BPF_ALU, BPF_ALU64, BPF_AND, BPF_ARSH, BPF_ATOMIC, BPF_CALL, BPF_CMPXCHG, BPF_DIV, BPF_DW, BPF_END, BPF_EXIT, BPF_FETCH, BPF_JA,
  BPF_JCOND, BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JLE, BPF_JLT, BPF_JMP, BPF_JMP32, BPF_JNE, BPF_JSET, BPF_JSGE, BPF_JSGT, BPF_JSLE, BPF_JSLT,
  BPF_LD, BPF_LDX, BPF_LOAD_ACQ, BPF_LSH, BPF_MEM, BPF_MEMSX, BPF_MOD, BPF_MOV, BPF_MUL, BPF_NEG, BPF_NOSPEC, BPF_OR, BPF_PSEUDO_CALL,
  BPF_PSEUDO_FUNC, BPF_PSEUDO_MAP_FD, BPF_PSEUDO_MAP_IDX, BPF_PSEUDO_MAP_IDX_VALUE, BPF_PSEUDO_MAP_VALUE, BPF_RSH, BPF_ST,
  BPF_STORE_REL, BPF_STX, BPF_SUB, BPF_TO_BE, BPF_W, BPF_X, BPF_XOR, opClass, opMode, opOp, opSize, opSrc,
  BPF_ADDR_PERCPU, BPF_ADDR_SPACE_CAST, BPF_B, BPF_H,
} from '../../isa/opcodes';
import type { Insn } from '../../isa/insn';
import {
  Code, isImm8, isImm8JmpOffset, isSimm32, JitError, simpleAluOpcode,
  X86_JA, X86_JAE, X86_JB, X86_JBE, X86_JE, X86_JG, X86_JGE, X86_JL, X86_JLE, X86_JNE,
} from './emit';
import type { JitAddresses, JitMachine } from './machine';
import { add1mod, add1reg, add2mod, add2reg, AUX_REG, BPF_REG_AX, isAxReg, isEreg, X86_REG_R9 } from './regs';

/** Kernel-internal opcodes the verifier may leave for the JIT (include/linux/filter.h). */
export const BPF_TAIL_CALL = 0xf0;
export const BPF_PROBE_MEM = 0x20;
export const BPF_PROBE_MEMSX = 0x40;
export const BPF_PROBE_MEM32 = 0xa0;
export const BPF_PROBE_ATOMIC = 0xe0;
/** The helper id of bpf_tail_call: how `bpftool prog dump xlated` shows a tail call. */
export const BPF_FUNC_TAIL_CALL = 12;

/** Kernel addresses that bound a PROBE_MEM access (4-level paging). */
const VSYSCALL_ADDR = 0xffffffffff600000n;
const TASK_SIZE_MAX_PLUS_PAGE = 0x0000800000000000n;

/** One function of a program, as the JIT sees it. */
export interface JitFunction {
  /** Index of the function in the program (0: the main program). */
  index: number;
  /** The function's xlated slots; jump offsets are relative within them. */
  insns: readonly Insn[];
  /** The verifier's stack depth for this function (rounded up to 8 by the JIT). */
  stackDepth: number;
  /** Whether a tail call can happen in this function or a function it calls. */
  tailCallReachable: boolean;
  /** Whether the function runs on the per-CPU private stack (tracing programs, >= 64 bytes). */
  privateStack: boolean;
  /** Local slots of tail calls with a constant key (patched direct jumps). */
  directTailCalls: ReadonlySet<number>;
  /** Local slots of loads the verifier turned into PROBE_MEM (BTF pointers). */
  probeMem: ReadonlySet<number>;
}

export interface JitContext {
  /** Offset of the epilogue: the first `exit`. */
  cleanupAddr: number;
  /** End of the last direct / indirect tail-call sequence, relative to its start. */
  tailCallDirectLabel: number;
  tailCallIndirectLabel: number;
}

export interface PassEnv {
  machine: JitMachine;
  addresses: JitAddresses;
  /** Address of every function of the program; [fn.index] is this one's. */
  funcAddrs: readonly bigint[];
  /** Emit nops to keep jumps from shrinking (late passes and the final subprogram pass). */
  padding: boolean;
}

export interface PassResult {
  code: Code;
  /** [start, end) of each slot's code in the function (lddw: both slots the same). */
  ranges: [number, number][];
}

const COND_JUMPS = new Map<number, number>([
  [BPF_JEQ, X86_JE], [BPF_JSET, X86_JNE], [BPF_JNE, X86_JNE], [BPF_JGT, X86_JA], [BPF_JLT, X86_JB],
  [BPF_JGE, X86_JAE], [BPF_JLE, X86_JBE], [BPF_JSGT, X86_JG], [BPF_JSLT, X86_JL], [BPF_JSGE, X86_JGE], [BPF_JSLE, X86_JLE],
]);

/** ModRM /digit and short-form opcode (rax only) of ALU operations with an immediate. */
const ALU_IMM_FORMS = new Map<number, { modrm: number; axShort: number }>([
  [BPF_ADD, { modrm: 0xc0, axShort: 0x05 }], [BPF_SUB, { modrm: 0xe8, axShort: 0x2d }], [BPF_AND, { modrm: 0xe0, axShort: 0x25 }],
  [BPF_OR, { modrm: 0xc8, axShort: 0x0d }], [BPF_XOR, { modrm: 0xf0, axShort: 0x35 }],
]);

/** VEX `pp` selecting shlx / shrx / sarx. */
const SHIFTX_PP = new Map<number, number>([[BPF_LSH, 1], [BPF_RSH, 3], [BPF_ARSH, 2]]);

const roundUp8 = (n: number): number => (n + 7) & ~7;

/** Whether a slot is a tail call: the kernel's BPF_JMP|BPF_TAIL_CALL, or `call 12` as bpftool dumps it. */
export const isTailCall = (i: Insn): boolean =>
  i.code === (BPF_JMP | BPF_TAIL_CALL) || (i.code === (BPF_JMP | BPF_CALL) && i.src === 0 && i.imm === BPF_FUNC_TAIL_CALL);

/** Which of r6..r9 (rbx, r13, r14, r15) a function mentions anywhere (`detect_reg_usage`). */
export function calleeRegsUsed(insns: readonly Insn[]): boolean[] {
  const used = [false, false, false, false];
  for (const i of insns) for (let r = 6; r <= 9; r++) if (i.dst === r || i.src === r) used[r - 6] = true;
  return used;
}

export function doJit(fn: JitFunction, addrs: number[], ctx: JitContext, env: PassEnv): PassResult {
  const { machine, addresses } = env;
  const funcAddr = env.funcAddrs[fn.index];
  const insns = fn.insns;
  const code = new Code();
  const ranges: [number, number][] = [];
  const calleeUsed = calleeRegsUsed(insns);
  const privFrame = fn.privateStack ? addresses.privateStackFrame(fn.index) : undefined;
  const stackDepth = fn.privateStack ? 0 : fn.stackDepth;
  const isSubprog = fn.index !== 0;
  const tailCallReachable = fn.tailCallReachable;
  const ipNow = (): bigint => funcAddr + BigInt(code.length);

  // --- prologue (emit_prologue; no CFI / IBT on this machine) ---
  code.emitNops(5); // patched by the BPF trampoline
  if (tailCallReachable && !isSubprog) code.emit(0x48, 0x31, 0xc0); // xor rax, rax: tail_call_cnt = 0
  else code.emitNops(3);
  code.emit(0x55); // push rbp
  code.emit(0x48, 0x89, 0xe5); // mov rbp, rsp
  // X86_TAIL_CALL_OFFSET: a tail call enters here.
  if (stackDepth) {
    code.emit(0x48, 0x81, 0xec);
    code.emitU32(roundUp8(stackDepth));
  }
  if (tailCallReachable) emitPrologueTailCall(code, isSubprog, machine);
  code.pushCalleeRegs(calleeUsed);
  if (privFrame !== undefined) emitPrivFramePtr(code, privFrame, addresses);
  addrs[0] = code.length;

  let seenExit = false;
  for (let i = 1; i <= insns.length; i++) {
    const slot = i - 1;
    const insn = insns[slot];
    const start = code.length;
    const imm32 = insn.imm | 0;
    let dst = insn.dst;
    let src = insn.src;
    if (privFrame !== undefined) {
      if (src === 10) src = X86_REG_R9;
      if (dst === 10) dst = X86_REG_R9;
    }
    const cls = opClass(insn.code);
    const op = opOp(insn.code);
    const is64 = cls === BPF_ALU64;
    /** INSN_SZ_DIFF: this slot's size in the previous pass minus what is emitted so far. */
    const sizeDiff = (): number => addrs[i] - addrs[i - 1] - (code.length - start);
    let ldImm64 = false;

    const emitJmp = (jmpOffset: number): void => {
      if (isImm8JmpOffset(jmpOffset)) {
        if (env.padding) {
          const nops = sizeDiff() - 2;
          if (nops !== 0 && nops !== 3) throw new JitError(`unexpected jump padding: ${nops} bytes`, slot);
          code.emitNops(nops);
        }
        code.emit(0xeb, jmpOffset);
      } else if (isSimm32(BigInt(jmpOffset))) {
        code.emit(0xe9);
        code.emitU32(jmpOffset);
      } else throw new JitError(`jmp gen bug ${jmpOffset}`, slot);
    };

    const emitCondJmp = (): void => {
      const jmpCond = COND_JUMPS.get(op);
      if (jmpCond === undefined) throw new JitError(`no x86 condition for jump op 0x${op.toString(16)}`, slot);
      const jmpOffset = addrs[i + insn.off] - addrs[i];
      if (isImm8JmpOffset(jmpOffset)) {
        if (env.padding) {
          const nops = sizeDiff() - 2;
          if (nops !== 0 && nops !== 4) throw new JitError(`unexpected jmp_cond padding: ${nops} bytes`, slot);
          code.emitNops(nops);
        }
        code.emit(jmpCond, jmpOffset);
      } else if (isSimm32(BigInt(jmpOffset))) {
        code.emit(0x0f, jmpCond + 0x10);
        code.emitU32(jmpOffset);
      } else throw new JitError(`cond_jmp gen bug ${jmpOffset}`, slot);
    };

    switch (cls) {
      case BPF_ALU:
      case BPF_ALU64:
        emitAlu(code, insn, dst, src, imm32, is64, machine, slot, addresses);
        break;

      case BPF_LD: {
        if (insn.code !== (BPF_LD | 0x18)) throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)} (the verifier rewrites ld_abs/ld_ind)`, slot);
        const next = insns[slot + 1];
        if (!next) throw new JitError('lddw without its second slot', slot);
        emitLdImm64(code, insn, next, dst, env, slot);
        ldImm64 = true;
        i++;
        break;
      }

      case BPF_ST:
        if (insn.code === (BPF_ST | BPF_NOSPEC)) {
          code.emit(0x0f, 0xae, 0xe8); // lfence
          break;
        }
        if (opMode(insn.code) !== BPF_MEM) throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)} (arena stores are not supported)`, slot);
        emitSt(code, insn, dst);
        break;

      case BPF_STX:
        if (opMode(insn.code) === BPF_MEM) {
          code.stx(opSize(insn.code), dst, src, insn.off);
        } else if (opMode(insn.code) === BPF_ATOMIC) {
          emitAtomic(code, insn, dst, src, slot);
        } else throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)} (arena accesses are not supported)`, slot);
        break;

      case BPF_LDX: {
        const mode = opMode(insn.code);
        const probe = fn.probeMem.has(slot) || mode === BPF_PROBE_MEM || mode === BPF_PROBE_MEMSX;
        const signed = mode === BPF_MEMSX || mode === BPF_PROBE_MEMSX;
        if (mode !== BPF_MEM && mode !== BPF_MEMSX && mode !== BPF_PROBE_MEM && mode !== BPF_PROBE_MEMSX) {
          throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)} (arena loads are not supported)`, slot);
        }
        if (probe) emitProbeMemCheck(code, insn, dst, src);
        const ldStart = code.length;
        if (signed) code.ldsx(opSize(insn.code), dst, src, insn.off);
        else code.ldx(opSize(insn.code), dst, src, insn.off);
        if (probe) code.bytes[ldStart - 1] = code.length - ldStart; // the jmp over the load
        break;
      }

      case BPF_JMP:
      case BPF_JMP32: {
        if (insn.code === (BPF_JMP | BPF_CALL) && !isTailCall(insn)) {
          let target: bigint;
          if (src === BPF_PSEUDO_CALL) {
            const f = env.funcAddrs[imm32];
            if (f === undefined) throw new JitError(`call to function ${imm32}, which the program does not have`, slot);
            target = f;
            if (tailCallReachable) loadTailCallCntPtr(code, stackDepth);
          } else target = addresses.callBase + BigInt(imm32);
          if (privFrame !== undefined) code.pushR9();
          const rel = target - (ipNow() + 5n);
          if (!isSimm32(rel)) throw new JitError(`Target call 0x${target.toString(16)} is out of range`, slot);
          code.emit(0xe8);
          code.emitU32(Number(rel));
          code.relocate(src === BPF_PSEUDO_CALL ? 'subprog_call' : 'helper_call', 4, target);
          if (privFrame !== undefined) code.popR9();
          break;
        }
        if (isTailCall(insn)) {
          if (fn.directTailCalls.has(slot)) emitTailCallDirect(code, calleeUsed, stackDepth, ctx, machine);
          else emitTailCallIndirect(code, calleeUsed, stackDepth, ctx, machine, addresses, funcAddr);
          break;
        }
        if (op === BPF_EXIT) {
          if (cls !== BPF_JMP) throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)}`, slot);
          if (seenExit) {
            emitJmp(ctx.cleanupAddr - addrs[i]);
            break;
          }
          seenExit = true;
          ctx.cleanupAddr = start;
          code.popCalleeRegs(calleeUsed);
          code.emit(0xc9); // leave
          emitReturn(code, machine, addresses, funcAddr);
          break;
        }
        if (op === BPF_JA) {
          const off = cls === BPF_JMP ? insn.off : imm32;
          // A jump to itself (-1) is always 2 bytes back; saves passes over long dead code.
          const jmpOffset = off === -1 ? -2 : addrs[i + off] - addrs[i];
          if (!jmpOffset) {
            // A jump to the next instruction is no code at all (or padding, late).
            if (env.padding) {
              const nops = sizeDiff();
              if (nops !== 0 && nops !== 2 && nops !== 5) throw new JitError(`unexpected nop jump padding: ${nops} bytes`, slot);
              code.emitNops(nops);
            }
            break;
          }
          emitJmp(jmpOffset);
          break;
        }
        if (op === BPF_CALL || op === BPF_JCOND || op === BPF_TAIL_CALL) {
          throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)}${op === BPF_JCOND ? ' (may_goto is rewritten by the verifier)' : ''}`, slot);
        }
        // Conditional jumps: set the flags, then jcc.
        const jmp64 = cls === BPF_JMP;
        if (opSrc(insn.code) === BPF_X) {
          code.maybeEmitMod(dst, src, jmp64);
          code.emit(op === BPF_JSET ? 0x85 : 0x39, add2reg(0xc0, dst, src)); // test / cmp dst, src
        } else if (op === BPF_JSET) {
          code.maybeEmit1mod(dst, jmp64);
          code.emit(0xf7, add1reg(0xc0, dst)); // test dst, imm32
          code.emitU32(imm32);
        } else if (imm32 === 0) {
          code.maybeEmitMod(dst, dst, jmp64);
          code.emit(0x85, add2reg(0xc0, dst, dst)); // test dst, dst: a byte shorter
        } else {
          code.maybeEmit1mod(dst, jmp64);
          if (isImm8(imm32)) code.emit(0x83, add1reg(0xf8, dst), imm32);
          else {
            code.emit(0x81, add1reg(0xf8, dst));
            code.emitU32(imm32);
          }
        }
        emitCondJmp();
        break;
      }
      default:
        throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)}`, slot);
    }

    ranges[slot] = [start, code.length];
    if (ldImm64) ranges[slot + 1] = [start, code.length];
    addrs[i] = code.length;
  }
  return { code, ranges };
}

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

function emitAlu(code: Code, insn: Insn, dst: number, src: number, imm32: number, is64: boolean, machine: JitMachine, slot: number, addresses: JitAddresses): void {
  const op = opOp(insn.code);
  const isX = opSrc(insn.code) === BPF_X;
  switch (op) {
    case BPF_ADD: case BPF_SUB: case BPF_AND: case BPF_OR: case BPF_XOR:
      if (isX) {
        code.maybeEmitMod(dst, src, is64);
        code.emit(simpleAluOpcode(op), add2reg(0xc0, dst, src));
      } else {
        code.maybeEmit1mod(dst, is64);
        const form = ALU_IMM_FORMS.get(op)!;
        if (isImm8(imm32)) code.emit(0x83, add1reg(form.modrm, dst), imm32);
        else if (isAxReg(dst)) {
          code.emit(form.axShort);
          code.emitU32(imm32);
        } else {
          code.emit(0x81, add1reg(form.modrm, dst));
          code.emitU32(imm32);
        }
      }
      return;
    case BPF_MOV:
      if (!isX) {
        code.movImm32(is64, dst, imm32);
        return;
      }
      if (is64 && insn.off === BPF_ADDR_SPACE_CAST && insn.imm === 1 << 16) throw new JitError('arena address-space casts are not supported', slot);
      if (is64 && insn.off === BPF_ADDR_PERCPU) {
        // mov dst, src; add dst, gs:[this_cpu_off]
        code.emitMov(dst, src);
        code.emit(0x65, add1mod(0x48, dst), 0x03, add2reg(0x04, 0, dst), 0x25);
        code.emitU32(Number(BigInt.asUintN(32, addresses.thisCpuOff)));
        code.relocate('this_cpu_off', 4, addresses.thisCpuOff);
        return;
      }
      if (insn.off === 0) code.movReg(is64, dst, src);
      else code.movsxReg(insn.off, is64, dst, src);
      return;
    case BPF_NEG:
      code.maybeEmit1mod(dst, is64);
      code.emit(0xf7, add1reg(0xd8, dst));
      return;
    case BPF_MUL:
      if (isX) {
        code.maybeEmitMod(src, dst, is64);
        code.emit(0x0f, 0xaf, add2reg(0xc0, src, dst)); // imul dst, src
      } else {
        code.maybeEmitMod(dst, dst, is64);
        if (isImm8(imm32)) code.emit(0x6b, add2reg(0xc0, dst, dst), imm32);
        else {
          code.emit(0x69, add2reg(0xc0, dst, dst));
          code.emitU32(imm32);
        }
      }
      return;
    case BPF_DIV: case BPF_MOD:
      emitDivMod(code, insn, dst, src, imm32, is64, op);
      return;
    case BPF_LSH: case BPF_RSH: case BPF_ARSH:
      if (!isX) {
        code.maybeEmit1mod(dst, is64);
        const b3 = simpleAluOpcode(op);
        if (imm32 === 1) code.emit(0xd1, add1reg(b3, dst));
        else code.emit(0xc1, add1reg(b3, dst), imm32);
        return;
      }
      emitShiftX(code, dst, src, insn.dst, is64, op, machine);
      return;
    case BPF_END:
      emitEnd(code, insn, dst, imm32, slot);
      return;
    default:
      throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)}`, slot);
  }
}

/** Division and modulo go through rax:rdx: save what the program keeps there, divide, restore. */
function emitDivMod(code: Code, insn: Insn, dst: number, src: number, imm32: number, is64: boolean, op: number): void {
  if (dst !== 0) code.emit(0x50); // push rax
  if (dst !== 3) code.emit(0x52); // push rdx
  if (opSrc(insn.code) === BPF_X) {
    if (src === 0 || src === 3) {
      code.emitMov(AUX_REG, src); // mov r11, src
      src = AUX_REG;
    }
  } else {
    code.emit(0x49, 0xc7, 0xc3); // mov r11, imm32
    code.emitU32(imm32);
    src = AUX_REG;
  }
  if (dst !== 0) code.movReg(is64, 0, dst); // mov rax, dst
  if (insn.off === 0) {
    code.emit(0x31, 0xd2); // xor edx, edx
    code.maybeEmit1mod(src, is64);
    code.emit(0xf7, add1reg(0xf0, src)); // div src
  } else {
    if (opClass(insn.code) === BPF_ALU) code.emit(0x99); // cdq
    else code.emit(0x48, 0x99); // cqo
    code.maybeEmit1mod(src, is64);
    code.emit(0xf7, add1reg(0xf8, src)); // idiv src
  }
  if (op === BPF_MOD && dst !== 3) code.movReg(is64, dst, 3); // mov dst, rdx
  else if (op === BPF_DIV && dst !== 0) code.movReg(is64, dst, 0); // mov dst, rax
  if (dst !== 3) code.emit(0x5a); // pop rdx
  if (dst !== 0) code.emit(0x58); // pop rax
}

/** Shifts by a register: shlx/shrx/sarx with BMI2, else through cl (saving rcx or moving dst to r11). */
function emitShiftX(code: Code, dst: number, src: number, origDst: number, is64: boolean, op: number, machine: JitMachine): void {
  if (machine.bmi2 && src !== 4) {
    code.shiftx(dst, src, is64, SHIFTX_PP.get(op)!);
    return;
  }
  if (src !== 4) {
    if (dst === 4) {
      code.emitMov(AUX_REG, dst); // mov r11, dst
      dst = AUX_REG;
    } else code.emit(0x51); // push rcx
    code.emitMov(4, src); // mov rcx, src
  }
  code.maybeEmit1mod(dst, is64);
  code.emit(0xd3, add1reg(simpleAluOpcode(op), dst));
  if (src !== 4) {
    if (origDst === 4) code.emitMov(origDst, AUX_REG);
    else code.emit(0x59); // pop rcx
  }
}

function emitEnd(code: Code, insn: Insn, dst: number, imm32: number, slot: number): void {
  const swap = insn.code === (BPF_ALU | BPF_END | BPF_TO_BE) || insn.code === (BPF_ALU64 | BPF_END);
  if (insn.code === (BPF_ALU64 | BPF_END | BPF_TO_BE)) throw new JitError(`bpf_jit: unknown opcode ${hex2(insn.code)}`, slot);
  if (swap) {
    switch (imm32) {
      case 16:
        code.emit(0x66); // ror %ax, 8
        if (isEreg(dst)) code.emit(0x41);
        code.emit(0xc1, add1reg(0xc8, dst), 8);
        if (isEreg(dst)) code.emit(0x45, 0x0f, 0xb7); // movzwl
        else code.emit(0x0f, 0xb7);
        code.emit(add2reg(0xc0, dst, dst));
        return;
      case 32:
        if (isEreg(dst)) code.emit(0x41, 0x0f);
        else code.emit(0x0f);
        code.emit(add1reg(0xc8, dst)); // bswap eax
        return;
      case 64:
        code.emit(add1mod(0x48, dst), 0x0f, add1reg(0xc8, dst)); // bswap rax
        return;
    }
    return;
  }
  switch (imm32) {
    case 16: // movzwl: zero-extend the low 16 bits
      if (isEreg(dst)) code.emit(0x45, 0x0f, 0xb7);
      else code.emit(0x0f, 0xb7);
      code.emit(add2reg(0xc0, dst, dst));
      return;
    case 32: // mov eax, eax: clear the upper half
      if (isEreg(dst)) code.emit(0x45);
      code.emit(0x89, add2reg(0xc0, dst, dst));
      return;
    case 64: // nothing to do on a little-endian machine
      return;
  }
}

function emitSt(code: Code, insn: Insn, dst: number): void {
  const size = opSize(insn.code);
  switch (size) {
    case BPF_B: if (isEreg(dst)) code.emit(0x41, 0xc6); else code.emit(0xc6); break;
    case BPF_H: if (isEreg(dst)) code.emit(0x66, 0x41, 0xc7); else code.emit(0x66, 0xc7); break;
    case BPF_W: if (isEreg(dst)) code.emit(0x41, 0xc7); else code.emit(0xc7); break;
    case BPF_DW: code.emit(add1mod(0x48, dst), 0xc7); break;
  }
  if (isImm8(insn.off)) code.emit(add1reg(0x40, dst), insn.off);
  else {
    code.emit(add1reg(0x80, dst));
    code.emitU32(insn.off);
  }
  code.emitLe(insn.imm | 0, size === BPF_B ? 1 : size === BPF_H ? 2 : 4);
}

function emitAtomic(code: Code, insn: Insn, dst: number, src: number, slot: number): void {
  const size = opSize(insn.code);
  const imm = insn.imm | 0;
  const isLoadStore = imm === BPF_LOAD_ACQ || imm === BPF_STORE_REL;
  if ((size === BPF_B || size === BPF_H) && !isLoadStore) throw new JitError('bpf_jit: 1- and 2-byte RMW atomics are not supported', slot);
  if (imm === (BPF_AND | BPF_FETCH) || imm === (BPF_OR | BPF_FETCH) || imm === (BPF_XOR | BPF_FETCH)) {
    // No single x86 instruction: a cmpxchg loop, with r0 parked in r10 (BPF_REG_AX).
    const is64 = size === BPF_DW;
    let realSrc = src;
    let realDst = dst;
    code.movReg(true, BPF_REG_AX, 0);
    if (src === 0) realSrc = BPF_REG_AX;
    if (dst === 0) realDst = BPF_REG_AX;
    const loop = code.length;
    code.ldx(size, 0, realDst, insn.off); // load the old value
    code.movReg(is64, AUX_REG, 0);
    code.maybeEmitMod(AUX_REG, realSrc, is64);
    code.emit(simpleAluOpcode(imm & 0xf0), add2reg(0xc0, AUX_REG, realSrc));
    code.atomicRmw(BPF_CMPXCHG, realDst, AUX_REG, insn.off, size);
    code.emit(X86_JNE, -(code.length - loop) - 2); // retry when another CPU won
    code.movReg(is64, realSrc, 0); // the old value
    code.movReg(true, 0, BPF_REG_AX);
    return;
  }
  if (imm === BPF_LOAD_ACQ) code.ldx(size, dst, src, insn.off);
  else if (imm === BPF_STORE_REL) code.stx(size, dst, src, insn.off);
  else code.atomicRmw(imm, dst, src, insn.off, size);
}

function emitLdImm64(code: Code, insn: Insn, next: Insn, dst: number, env: PassEnv, slot: number): void {
  const imm = insn.imm | 0;
  const imm2 = next.imm | 0;
  let value: bigint;
  let kind: 'map_address' | 'func_address' | undefined;
  switch (insn.src) {
    case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
      value = env.addresses.map(imm >>> 0, 0, insn.src);
      kind = 'map_address';
      break;
    case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE:
      value = env.addresses.map(imm >>> 0, imm2 >>> 0, insn.src);
      kind = 'map_address';
      break;
    case BPF_PSEUDO_FUNC: {
      // Dumped xlated code keeps the callee's function index in the second slot.
      const f = env.funcAddrs[imm2];
      if (f === undefined) throw new JitError(`address of function ${imm2}, which the program does not have`, slot);
      value = f;
      kind = 'func_address';
      break;
    }
    default:
      value = (BigInt(imm2 >>> 0) << 32n) | BigInt(imm >>> 0);
  }
  const before = code.length;
  code.movImm64(dst, value);
  if (kind) code.relocate(kind, code.length - before === 10 ? 8 : 4, value);
}

/**
 * A PROBE_MEM load first checks that the address is a kernel address (above the user
 * half plus a page, below the vsyscall page) and otherwise yields 0 without loading.
 */
function emitProbeMemCheck(code: Code, insn: Insn, dst: number, src: number): void {
  code.movImm64(BPF_REG_AX, VSYSCALL_ADDR); // movabs r10, VSYSCALL_ADDR
  code.emitMov(AUX_REG, src); // mov r11, src
  if (insn.off) {
    code.maybeEmit1mod(AUX_REG, true);
    code.emit(0x81, add1reg(0xc0, AUX_REG)); // add r11, off
    code.emitU32(insn.off);
  }
  code.maybeEmitMod(AUX_REG, BPF_REG_AX, true);
  code.emit(0x29, add2reg(0xc0, AUX_REG, BPF_REG_AX)); // sub r11, r10
  code.movImm64(BPF_REG_AX, BigInt.asUintN(64, TASK_SIZE_MAX_PLUS_PAGE - VSYSCALL_ADDR)); // movabs r10, limit
  code.maybeEmitMod(AUX_REG, BPF_REG_AX, true);
  code.emit(0x39, add2reg(0xc0, AUX_REG, BPF_REG_AX)); // cmp r11, r10
  code.emit(X86_JA, 0);
  const endOfJmp = code.length;
  code.movImm32(false, dst, 0); // xor dst, dst
  code.emit(0xeb, 0); // jmp over the load (patched by the caller)
  code.bytes[endOfJmp - 1] = code.length - endOfJmp;
}

/** Tail-call counter set-up in a tail_call_reachable function's prologue. */
function emitPrologueTailCall(code: Code, isSubprog: boolean, machine: JitMachine): void {
  if (!isSubprog) {
    code.emit(0x48, 0x83, 0xf8, machine.maxTailCallCnt); // cmp rax, MAX_TAIL_CALL_CNT
    code.emit(X86_JA, 6); // ja: rax is already a pointer to the counter
    code.emit(0x50); // push rax: the counter
    code.emit(0x48, 0x89, 0xe0); // mov rax, rsp: its address
    code.emit(0xeb, 1);
    code.emit(0x50);
    code.emit(0x50); // push the counter's address
  } else {
    code.emit(0x50, 0x50);
  }
}

function emitPrivFramePtr(code: Code, frame: bigint, addresses: JitAddresses): void {
  const before = code.length;
  code.movImm64(X86_REG_R9, frame); // movabs r9, frame
  if (code.length - before === 10) code.relocate('private_stack', 8, frame);
  code.emit(0x65, 0x4c, 0x03, 0x0c, 0x25); // add r9, gs:[this_cpu_off]
  code.emitU32(Number(BigInt.asUintN(32, addresses.thisCpuOff)));
  code.relocate('this_cpu_off', 4, addresses.thisCpuOff);
}

/** mov rax, [rbp - round_up(stack, 8) - 16]: the tail-call counter's address. */
function loadTailCallCntPtr(code: Code, stackDepth: number): void {
  code.emit(0x48, 0x8b, 0x85);
  code.emitU32(-16 - roundUp8(stackDepth));
}

function emitReturn(code: Code, machine: JitMachine, addresses: JitAddresses, funcAddr: bigint): void {
  if (machine.returnThunk) {
    const at = funcAddr + BigInt(code.length);
    code.emit(0xe9);
    code.emitU32(Number(BigInt.asIntN(32, addresses.returnThunk - (at + 5n))));
    code.relocate('return_thunk', 4, addresses.returnThunk);
  } else {
    code.emit(0xc3); // ret
    if (machine.sls) code.emit(0xcc);
  }
}

function emitIndirectJumpRcx(code: Code, machine: JitMachine, addresses: JitAddresses, funcAddr: bigint): void {
  switch (machine.indirectJump) {
    case 'lfence':
      code.emit(0x0f, 0xae, 0xe8, 0xff, 0xe1);
      return;
    case 'retpoline': {
      const at = funcAddr + BigInt(code.length);
      code.emit(0xe9);
      code.emitU32(Number(BigInt.asIntN(32, addresses.indirectThunkRcx - (at + 5n))));
      code.relocate('indirect_thunk', 4, addresses.indirectThunkRcx);
      return;
    }
    case 'plain':
      code.emit(0xff, 0xe1); // jmp *%rcx
      if (machine.sls) code.emit(0xcc);
  }
}

/** Unwinds the frame (callee-saved registers, counter slots, stack) before entering the next program. */
function emitTailCallUnwind(code: Code, calleeUsed: readonly boolean[], stackDepth: number): void {
  code.popCalleeRegs(calleeUsed);
  code.emit(0x58); // pop rax: the counter's address
  code.emit(0x58); // pop rax: the counter (main) or its address (subprogram)
  if (stackDepth) {
    code.emit(0x48, 0x81, 0xc4); // add rsp, stack
    code.emitU32(roundUp8(stackDepth));
  }
}

/**
 * `bpf_tail_call(ctx, array, index)` through the prog array: bounds check, counter
 * check, load the target program, unwind, jump past its prologue.
 */
function emitTailCallIndirect(code: Code, calleeUsed: readonly boolean[], stackDepth: number, ctx: JitContext, machine: JitMachine, addresses: JitAddresses, funcAddr: bigint): void {
  const start = code.length;
  const toOut = (): number => ctx.tailCallIndirectLabel - (code.length + 2 - start);
  code.emit(0x89, 0xd2); // mov edx, edx
  code.emit(0x39, 0x56, machine.bpfArrayMaxEntriesOffset); // cmp [rsi + max_entries], edx
  code.emit(X86_JBE, toOut());
  code.emit(0x48, 0x8b, 0x85); // mov rax, [rbp - tcc_ptr_off]
  code.emitU32(-16 - roundUp8(stackDepth));
  code.emit(0x48, 0x83, 0x38, machine.maxTailCallCnt); // cmp qword [rax], MAX_TAIL_CALL_CNT
  code.emit(X86_JAE, toOut());
  code.emit(0x48, 0x8b, 0x8c, 0xd6); // mov rcx, [rsi + rdx * 8 + ptrs]
  code.emitU32(machine.bpfArrayPtrsOffset);
  code.emit(0x48, 0x85, 0xc9); // test rcx, rcx
  code.emit(X86_JE, toOut());
  code.emit(0x48, 0x83, 0x00, 0x01); // add qword [rax], 1
  emitTailCallUnwind(code, calleeUsed, stackDepth);
  code.emit(0x48, 0x8b, 0x49, machine.bpfProgBpfFuncOffset); // mov rcx, [rcx + bpf_func]
  code.emit(0x48, 0x83, 0xc1, machine.tailCallOffset); // add rcx, X86_TAIL_CALL_OFFSET
  emitIndirectJumpRcx(code, machine, addresses, funcAddr);
  ctx.tailCallIndirectLabel = code.length - start;
}

/**
 * A tail call with a constant key: a jump over a 5-byte nop that the kernel patches into
 * `jmp target` when the prog array slot is filled (and the bypass jump into a nop).
 */
function emitTailCallDirect(code: Code, calleeUsed: readonly boolean[], stackDepth: number, ctx: JitContext, machine: JitMachine): void {
  const start = code.length;
  code.emit(0x48, 0x8b, 0x85); // mov rax, [rbp - tcc_ptr_off]
  code.emitU32(-16 - roundUp8(stackDepth));
  code.emit(0x48, 0x83, 0x38, machine.maxTailCallCnt);
  code.emit(X86_JAE, ctx.tailCallDirectLabel - (code.length + 2 - start));
  // Bypass: jmp to the end of the (unpatched) target nop.
  const bypassAt = code.length - start;
  code.emit(0xe9);
  code.emitU32(ctx.tailCallDirectLabel - (bypassAt + 5));
  code.emit(0x48, 0x83, 0x00, 0x01);
  emitTailCallUnwind(code, calleeUsed, stackDepth);
  code.emitNops(5); // the patchable jump to the target program
  ctx.tailCallDirectLabel = code.length - start;
}

