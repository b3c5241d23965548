/**
 * Register operand checks and memory accesses: `check_reg_arg`, `check_mem_access` and
 * everything under it (stack spill/fill, map values, packets, context, sockets), plus the
 * helper-argument memory checks (`check_helper_mem_access`, `check_mem_size_reg`).
 */
import type { Insn } from '../isa/insn';
import { tnumAdd, tnumConst, tnumIsAligned, tnumIsConst, tnumStr, u64 } from './tnum';
import { baseType, CONST_PTR_TO_MAP, markRegConstZero, markRegKnown, markRegKnownZero, markRegUnknown, MEM_RDONLY, NOT_INIT, PTR_MAYBE_NULL, PTR_TO_ARENA, PTR_TO_BTF_ID, PTR_TO_BUF, PTR_TO_CTX, PTR_TO_FLOW_KEYS, PTR_TO_FUNC, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_PACKET, PTR_TO_PACKET_END, PTR_TO_PACKET_META, PTR_TO_SOCK_COMMON, PTR_TO_SOCKET, PTR_TO_STACK, PTR_TO_TCP_SOCK, PTR_TO_TP_BUFFER, PTR_TO_XDP_SOCK, PTR_UNTRUSTED, regBoundsSanityProblem, registerIsNull, RegState, regTypeStr, S64_MIN, SCALAR_VALUE, typeMayBeNull, markRegUnbounded } from './reg-state';
import { coerceRegToSize, coerceRegToSizeSx } from './scalar-alu';
import { EACCES, EFAULT, EPERM, type Env, BPF_MAX_VAR_OFF, BPF_MAX_VAR_SIZ, EINVAL } from './env';
import { BPF_REG_SIZE, isSpilledScalarReg, isStackSlotSpecial, MAX_BPF_STACK, STACK_INVALID, STACK_MISC, STACK_ZERO, STACK_DYNPTR, type FuncState, INSN_F_STACK_ACCESS, INSN_F_SPI_SHIFT, type StackSlot, STACK_SPILL, isSpilledReg } from './state';
import { markChainPrecision } from './precision';


export const SRC_OP = 0;
export const DST_OP = 1;
export const DST_OP_NO_MARK = 2;
export const BPF_READ = 1;
export const BPF_WRITE = 2;
export const ACCESS_DIRECT = 1;
export const ACCESS_HELPER = 2;

// ---------------------------------------------------------------------------------------
// Register operands

/** `is_reg64`: does the instruction read/write this register as 64 bits. */
function isReg64(insn: Insn, regno: number, reg: RegState | null, t: number): boolean {
  const cls = insn.code & 7;
  const op = insn.code & 0xf0;
  if (cls === 0x05) {
    if (op === 0x90) return true;
    if (op === 0x80) {
      if (insn.src === 1) return false;
      return t === SRC_OP;
    }
  }
  if (cls === 0x07 && op === 0xd0 && (insn.imm === 16 || insn.imm === 32)) return false;
  if (cls === 0x07 || cls === 0x05 || (cls === 0x04 && op === 0xd0 && insn.imm === 64)) return true;
  if (cls === 0x04 || cls === 0x06) return false;
  if (cls === 0x01) {
    if (t !== SRC_OP) return (insn.code & 0x18) === 0x18 || (insn.code & 0xe0) === 0x80;
    return true;
  }
  if (cls === 0x03) {
    if (t === SRC_OP && reg && reg.type !== SCALAR_VALUE) return true;
    return (insn.code & 0x18) === 0x18;
  }
  if (cls === 0x00) {
    if ((insn.code & 0xe0) === 0x00) return true;
    if (t !== SRC_OP) return false;
    return true;
  }
  return true;
}

/** `__check_reg_arg` on an explicit register file. */
export function checkRegArgIn(env: Env, regs: RegState[], regno: number, t: number): number {
  const insn = env.insns[env.insnIdx];
  if (regno >= 11) {
    env.verbose(`R${regno} is invalid\n`);
    return -EINVAL;
  }
  env.scratch.reg(regno);
  const reg = regs[regno];
  const rw64 = isReg64(insn, regno, reg, t);
  if (t === SRC_OP) {
    if (reg.type === NOT_INIT) {
      env.verbose(`R${regno} !read_ok\n`);
      return -EACCES;
    }
    if (regno === 10) return 0;
    if (rw64) reg.subregDef = 0;
    return 0;
  }
  if (regno === 10) {
    env.verbose('frame pointer is read only\n');
    return -EACCES;
  }
  reg.subregDef = rw64 ? 0 : env.insnIdx + 1;
  if (t === DST_OP) markRegUnknown(reg, env.bpfCapable);
  return 0;
}

export const checkRegArg = (env: Env, regno: number, t: number): number => checkRegArgIn(env, env.regs(), regno, t);

export const isPointerValue = (env: Env, regno: number): boolean => !env.allowPtrLeaks && env.regs()[regno].type !== SCALAR_VALUE;

/** The frame a stack pointer register points into. */
export const funcOf = (env: Env, reg: RegState): FuncState => env.curState.frames[reg.frameno];

const spiOf = (off: number): number => Math.trunc((-off - 1) / BPF_REG_SIZE);

// ---------------------------------------------------------------------------------------
// Stack

function markStackSlotMisc(stype: Uint8Array, j: number): void {
  if (stype[j] === STACK_ZERO || stype[j] === STACK_INVALID) return;
  stype[j] = STACK_MISC;
}

function scrubSpilledSlot(stype: Uint8Array, j: number): void {
  if (stype[j] !== STACK_INVALID) stype[j] = STACK_MISC;
}

function saveRegisterState(slot: StackSlot, reg: RegState, size: number): void {
  slot.spilled.copyFrom(reg);
  let i = BPF_REG_SIZE;
  for (; i > BPF_REG_SIZE - size; i--) slot.slotType[i - 1] = STACK_SPILL;
  for (; i; i--) markStackSlotMisc(slot.slotType, i - 1);
}

const getRegWidth = (reg: RegState): number => (reg.umax === 0n ? 0 : reg.umax.toString(2).length);

function isSpillableRegtype(t: number): boolean {
  switch (baseType(t)) {
    case PTR_TO_MAP_VALUE: case PTR_TO_STACK: case PTR_TO_CTX: case PTR_TO_PACKET: case PTR_TO_PACKET_META:
    case PTR_TO_PACKET_END: case PTR_TO_FLOW_KEYS: case CONST_PTR_TO_MAP: case PTR_TO_SOCKET: case PTR_TO_SOCK_COMMON:
    case PTR_TO_TCP_SOCK: case PTR_TO_XDP_SOCK: case PTR_TO_BTF_ID: case PTR_TO_BUF: case PTR_TO_MEM: case PTR_TO_FUNC:
    case PTR_TO_MAP_KEY: case PTR_TO_ARENA:
      return true;
    default:
      return false;
  }
}

/** `assign_scalar_id_before_mov`. */
export function assignScalarIdBeforeMov(env: Env, src: RegState): void {
  if (src.type !== SCALAR_VALUE) return;
  if (src.id & 0x8000_0000) {
    src.id = 0;
    src.off = 0;
  }
  if (!src.id && !tnumIsConst(src.varOff)) src.id = ++env.idGen;
}

/** `push_jmp_history`. */
export function pushJmpHistory(env: Env, flags: number, linkedRegs: bigint): number {
  const cur = env.curState;
  if (env.curHistEnt) {
    env.curHistEnt.flags |= flags;
    env.curHistEnt.linkedRegs = linkedRegs;
    return 0;
  }
  const e = { idx: env.insnIdx, prevIdx: env.prevInsnIdx, flags, linkedRegs };
  cur.jmpHistory.push(e);
  env.curHistEnt = e;
  return 0;
}

const stackAccessFlags = (frameno: number, spi: number): number => INSN_F_STACK_ACCESS | (spi << INSN_F_SPI_SHIFT) | frameno;

/** `check_stack_write_fixed_off`. */
function checkStackWriteFixedOff(env: Env, state: FuncState, off: number, size: number, valueRegno: number, insnIdx: number): number {
  const slotIdx = -off - 1;
  const spi = Math.trunc(slotIdx / BPF_REG_SIZE);
  const insn = env.insns[insnIdx];
  let flags = stackAccessFlags(state.frameno, spi);
  const slot = state.stack[spi];
  if (!env.allowPtrLeaks && isSpilledReg(slot) && !isSpilledScalarReg(slot) && size !== BPF_REG_SIZE) {
    env.verbose('attempt to corrupt spilled pointer on stack\n');
    return -EACCES;
  }
  const cur = env.cur();
  const reg = valueRegno >= 0 ? cur.regs[valueRegno] : null;
  if (!env.bypassSpecV4) {
    let sanitize = !!reg && isSpillableRegtype(reg.type);
    for (let i = 0; i < size; i++) {
      const t = slot.slotType[i];
      if (t !== STACK_MISC && t !== STACK_ZERO) { sanitize = true; break; }
    }
    if (sanitize) env.aux[insnIdx].nospecResult = true;
  }
  const err = destroyIfDynptrStackSlot(env, state, spi);
  if (err) return err;
  if (!(off % BPF_REG_SIZE) && size === BPF_REG_SIZE) env.liveness.markStackWrite(state.frameno, 1n << BigInt(spi));
  env.scratch.slot(spi);
  const isStMem = (insn.code & 7) === 0x02 && (insn.code & 0xe0) === 0x60;
  if (reg && !(off % BPF_REG_SIZE) && reg.type === SCALAR_VALUE && env.bpfCapable) {
    const fits = getRegWidth(reg) <= 8 * size;
    if (fits) assignScalarIdBeforeMov(env, reg);
    saveRegisterState(slot, reg, size);
    if (!fits) slot.spilled.id = 0;
  } else if (!reg && !(off % BPF_REG_SIZE) && isStMem && env.bpfCapable) {
    const tmp = env.fakeReg[0];
    tmp.copyFrom(new RegState());
    markRegKnown(tmp, BigInt(insn.imm));
    tmp.type = SCALAR_VALUE;
    saveRegisterState(slot, tmp, size);
  } else if (reg && isSpillableRegtype(reg.type)) {
    if (size !== BPF_REG_SIZE) {
      env.verboseLinfo(insnIdx, '; ');
      env.verbose('invalid size of register spill\n');
      return -EACCES;
    }
    if (state !== cur && reg.type === PTR_TO_STACK) {
      env.verbose('cannot spill pointers to stack into stack frame of the caller\n');
      return -EINVAL;
    }
    saveRegisterState(slot, reg, size);
  } else {
    let type = STACK_MISC;
    slot.spilled.type = NOT_INIT;
    if (isStackSlotSpecial(slot)) for (let i = 0; i < BPF_REG_SIZE; i++) scrubSpilledSlot(slot.slotType, i);
    if ((reg && registerIsNull(reg)) || (!reg && isStMem && insn.imm === 0)) {
      const e = markChainPrecision(env, valueRegno);
      if (e) return e;
      type = STACK_ZERO;
    }
    for (let i = 0; i < size; i++) slot.slotType[(slotIdx - i) % BPF_REG_SIZE] = type;
    flags = 0;
  }
  if (flags) return pushJmpHistory(env, flags, 0n);
  return 0;
}

function destroyIfDynptrStackSlot(env: Env, state: FuncState, spi: number): number {
  if (spi < 0 || spi >= state.stack.length) return 0;
  if (state.stack[spi].slotType[0] !== STACK_DYNPTR) return 0;
  // dynptrs are not modelled; treat the slot as plain data
  return 0;
}

/** `check_stack_write_var_off`. */
function checkStackWriteVarOff(env: Env, state: FuncState, ptrRegno: number, off: number, size: number, valueRegno: number, insnIdx: number): number {
  const cur = env.cur();
  const ptr = cur.regs[ptrRegno];
  const minOff = Number(ptr.smin) + off;
  const maxOff = Number(ptr.smax) + off + size;
  const insn = env.insns[insnIdx];
  const valueReg = valueRegno >= 0 ? cur.regs[valueRegno] : null;
  const isStMem = (insn.code & 7) === 0x02 && (insn.code & 0xe0) === 0x60;
  const writingZero = (valueReg && registerIsNull(valueReg)) || (!valueReg && isStMem && insn.imm === 0);
  let zeroUsed = false;
  for (let i = minOff; i < maxOff; i++) {
    const err = destroyIfDynptrStackSlot(env, state, spiOf(i));
    if (err) return err;
  }
  for (let i = minOff; i < maxOff; i++) {
    const slot = -i - 1;
    const spi = Math.trunc(slot / BPF_REG_SIZE);
    const st = state.stack[spi];
    const j = slot % BPF_REG_SIZE;
    env.scratch.slot(spi);
    const t = st.slotType[j];
    if (!env.allowPtrLeaks && t !== STACK_MISC && t !== STACK_ZERO) {
      env.verbose(`spilled ptr in range of var-offset stack write; insn ${insnIdx}, ptr off: ${i}`);
      return -EINVAL;
    }
    if (writingZero && t === STACK_SPILL && isSpilledScalarReg(st)) {
      const sr = st.spilled;
      if (tnumIsConst(sr.varOff) && sr.varOff.value === 0n) { zeroUsed = true; continue; }
    }
    st.spilled.type = NOT_INIT;
    let nt = STACK_MISC;
    if (writingZero && t === STACK_ZERO) { nt = STACK_ZERO; zeroUsed = true; }
    if (t === STACK_INVALID && !env.allowUninitStack) {
      env.verbose(`uninit stack in range of var-offset write prohibited for !root; insn ${insnIdx}, off: ${i}`);
      return -EINVAL;
    }
    st.slotType[j] = nt;
  }
  if (zeroUsed) {
    const err = markChainPrecision(env, valueRegno);
    if (err) return err;
  }
  return 0;
}

/** `mark_reg_stack_read`. */
function markRegStackRead(env: Env, ptrState: FuncState, minOff: number, maxOff: number, dstRegno: number): void {
  const state = env.cur();
  let zeros = 0;
  for (let i = minOff; i < maxOff; i++) {
    const slot = -i - 1;
    const spi = Math.trunc(slot / BPF_REG_SIZE);
    env.scratch.slot(spi);
    if (ptrState.stack[spi].slotType[slot % BPF_REG_SIZE] !== STACK_ZERO) break;
    zeros++;
  }
  if (zeros === maxOff - minOff) markRegConstZero(state.regs[dstRegno], env.bpfCapable);
  else markRegUnknown(state.regs[dstRegno], env.bpfCapable);
}

/** `bpf_stack_narrow_access_ok` (little-endian: the fill must start at the slot's low address). */
const stackNarrowAccessOk = (off: number): boolean => off % BPF_REG_SIZE === 0;

/** `check_stack_read_fixed_off`. */
function checkStackReadFixedOff(env: Env, regState: FuncState, off: number, size: number, dstRegno: number): number {
  const state = env.cur();
  const slotIdx = -off - 1;
  const spi = Math.trunc(slotIdx / BPF_REG_SIZE);
  const slot = regState.stack[spi];
  const stype = slot.slotType;
  const reg = slot.spilled;
  let flags = stackAccessFlags(regState.frameno, spi);
  env.scratch.slot(spi);
  env.liveness.markStackRead(regState.frameno, env.insnIdx, 1n << BigInt(spi));
  if (isSpilledReg(slot)) {
    let spillSize = 1;
    for (let i = BPF_REG_SIZE - 1; i > 0 && stype[i - 1] === STACK_SPILL; i--) spillSize++;
    if (size !== BPF_REG_SIZE || spillSize !== BPF_REG_SIZE) {
      if (reg.type !== SCALAR_VALUE) {
        env.verboseLinfo(env.insnIdx, '; ');
        env.verbose('invalid size of register fill\n');
        return -EACCES;
      }
      if (dstRegno < 0) return 0;
      if (size <= spillSize && stackNarrowAccessOk(off)) {
        const subregDef = state.regs[dstRegno].subregDef;
        state.regs[dstRegno].copyFrom(reg);
        state.regs[dstRegno].subregDef = subregDef;
        if (getRegWidth(reg) > size * 8) state.regs[dstRegno].id = 0;
      } else {
        let spillCnt = 0;
        let zeroCnt = 0;
        for (let i = 0; i < size; i++) {
          const type = stype[(slotIdx - i) % BPF_REG_SIZE];
          if (type === STACK_SPILL) { spillCnt++; continue; }
          if (type === STACK_MISC) continue;
          if (type === STACK_ZERO) { zeroCnt++; continue; }
          if (type === STACK_INVALID && env.allowUninitStack) continue;
          env.verbose(`invalid read from stack off ${off}+${i} size ${size}\n`);
          return -EACCES;
        }
        if (spillCnt === size && tnumIsConst(reg.varOff) && reg.varOff.value === 0n) {
          markRegConstZero(state.regs[dstRegno], env.bpfCapable);
        } else if (zeroCnt === size) {
          markRegConstZero(state.regs[dstRegno], env.bpfCapable);
          flags = 0;
        } else {
          markRegUnknown(state.regs[dstRegno], env.bpfCapable);
          flags = 0;
        }
      }
    } else if (dstRegno >= 0) {
      state.regs[dstRegno].copyFrom(reg);
    } else if (!env.allowPtrLeaks && reg.type !== SCALAR_VALUE) {
      env.verbose(`leaking pointer from stack off ${off}\n`);
      return -EACCES;
    }
  } else {
    for (let i = 0; i < size; i++) {
      const type = stype[(slotIdx - i) % BPF_REG_SIZE];
      if (type === STACK_MISC || type === STACK_ZERO) continue;
      if (type === STACK_INVALID && env.allowUninitStack) continue;
      env.verbose(`invalid read from stack off ${off}+${i} size ${size}\n`);
      return -EACCES;
    }
    if (dstRegno >= 0) markRegStackRead(env, regState, off, off + size, dstRegno);
    flags = 0;
  }
  if (flags) return pushJmpHistory(env, flags, 0n);
  return 0;
}

/** `check_stack_read`. */
function checkStackRead(env: Env, ptrRegno: number, off: number, size: number, dstRegno: number): number {
  const reg = env.regs()[ptrRegno];
  const state = funcOf(env, reg);
  const varOff = !tnumIsConst(reg.varOff);
  if (dstRegno < 0 && varOff) {
    env.verbose(`variable offset stack pointer cannot be passed into helper function; var_off=${tnumStr(reg.varOff)} off=${off} size=${size}\n`);
    return -EACCES;
  }
  if (!varOff) return checkStackReadFixedOff(env, state, off + Number(BigInt.asIntN(64, reg.varOff.value)), size, dstRegno);
  const err = checkStackRangeInitialized(env, ptrRegno, off, size, false, BPF_READ, null);
  if (err) return err;
  const minOff = Number(reg.smin) + off;
  const maxOff = Number(reg.smax) + off;
  markRegStackRead(env, state, minOff, maxOff + size, dstRegno);
  return 0;
}

function checkStackWrite(env: Env, ptrRegno: number, off: number, size: number, valueRegno: number, insnIdx: number): number {
  const reg = env.regs()[ptrRegno];
  const state = funcOf(env, reg);
  if (tnumIsConst(reg.varOff)) return checkStackWriteFixedOff(env, state, off + Number(BigInt.asIntN(64, reg.varOff.value)), size, valueRegno, insnIdx);
  return checkStackWriteVarOff(env, state, ptrRegno, off, size, valueRegno, insnIdx);
}

/** `check_stack_access_within_bounds`; grows the frame's stack. */
function checkStackAccessWithinBounds(env: Env, regno: number, off: number, accessSize: number, type: number): number {
  const reg = env.regs()[regno];
  const state = funcOf(env, reg);
  const errExtra = type === BPF_READ ? ' read from' : ' write to';
  let minOff: number;
  let maxOff: number;
  if (tnumIsConst(reg.varOff)) {
    minOff = Number(BigInt.asIntN(64, reg.varOff.value)) + off;
    maxOff = minOff + accessSize;
  } else {
    if (reg.smax >= BigInt(BPF_MAX_VAR_OFF) || reg.smin <= -BigInt(BPF_MAX_VAR_OFF)) {
      env.verbose(`invalid unbounded variable-offset${errExtra} stack R${regno}\n`);
      return -EACCES;
    }
    minOff = Number(reg.smin) + off;
    maxOff = Number(reg.smax) + off + accessSize;
  }
  const minValid = type === BPF_WRITE || env.allowUninitStack ? -MAX_BPF_STACK : -state.allocatedStack;
  let err = minOff < minValid || minOff > -1 ? -EACCES : 0;
  if (!err && maxOff > 0) err = -EINVAL;
  if (!err && accessSize < 0) err = -EFAULT;
  if (err) {
    if (tnumIsConst(reg.varOff)) env.verbose(`invalid${errExtra} stack R${regno} off=${off} size=${accessSize}\n`);
    else env.verbose(`invalid variable-offset${errExtra} stack R${regno} var_off=${tnumStr(reg.varOff)} off=${off} size=${accessSize}\n`);
    return err;
  }
  growStackState(env, state, -minOff);
  return 0;
}

export function growStackState(env: Env, state: FuncState, size: number): void {
  const rounded = Math.ceil(size / BPF_REG_SIZE) * BPF_REG_SIZE;
  if (state.allocatedStack >= rounded) return;
  state.growStack(rounded);
  const sp = env.subprogs[state.subprogno];
  if (sp.stackDepth < rounded) sp.stackDepth = rounded;
}

/** `check_stack_range_initialized`. */
export function checkStackRangeInitialized(env: Env, regno: number, off: number, accessSize: number, zeroSizeAllowed: boolean, type: number, meta: CallArgMeta | null): number {
  const reg = env.regs()[regno];
  const state = funcOf(env, reg);
  const clobber = type === BPF_WRITE;
  if (accessSize === 0 && !zeroSizeAllowed) {
    env.verbose('invalid zero-sized read\n');
    return -EACCES;
  }
  let err = checkStackAccessWithinBounds(env, regno, off, accessSize, type);
  if (err) return err;
  let minOff: number;
  let maxOff: number;
  if (tnumIsConst(reg.varOff)) {
    minOff = maxOff = Number(BigInt.asIntN(64, reg.varOff.value)) + off;
  } else {
    if (!env.bypassSpecV1) {
      env.verbose(`R${regno} variable offset stack access prohibited for !root, var_off=${tnumStr(reg.varOff)}\n`);
      return -EACCES;
    }
    if (meta && meta.rawMode) meta = null;
    minOff = Number(reg.smin) + off;
    maxOff = Number(reg.smax) + off;
  }
  if (meta && meta.rawMode) {
    meta.accessSize = accessSize;
    meta.regno = regno;
    return 0;
  }
  for (let i = minOff; i < maxOff + accessSize; i++) {
    const slot = -i - 1;
    const spi = Math.trunc(slot / BPF_REG_SIZE);
    if (state.allocatedStack <= slot) {
      env.verbose('allocated_stack too small\n');
      return -EFAULT;
    }
    const st = state.stack[spi];
    const j = slot % BPF_REG_SIZE;
    const t = st.slotType[j];
    let ok = false;
    if (t === STACK_MISC) ok = true;
    else if (t === STACK_ZERO || (t === STACK_INVALID && env.allowUninitStack)) {
      if (clobber) st.slotType[j] = STACK_MISC;
      ok = true;
    } else if (isSpilledReg(st) && (st.spilled.type === SCALAR_VALUE || env.allowPtrLeaks)) {
      if (clobber) {
        markRegUnknown(st.spilled, env.bpfCapable);
        for (let k = 0; k < BPF_REG_SIZE; k++) scrubSpilledSlot(st.slotType, k);
      }
      ok = true;
    }
    if (!ok) {
      if (tnumIsConst(reg.varOff)) env.verbose(`invalid read from stack R${regno} off ${minOff}+${i - minOff} size ${accessSize}\n`);
      else env.verbose(`invalid read from stack R${regno} var_off ${tnumStr(reg.varOff)}+${i - minOff} size ${accessSize}\n`);
      return -EACCES;
    }
    env.liveness.markStackRead(reg.frameno, env.insnIdx, 1n << BigInt(spi));
  }
  err = 0;
  return err;
}

// ---------------------------------------------------------------------------------------
// Bounded memory regions (map values, keys, PTR_TO_MEM, packets)

function checkMemAccessRaw(env: Env, regno: number, off: bigint, size: number, memSize: number, zeroSizeAllowed: boolean): number {
  const sizeOk = size > 0 || (size === 0 && zeroSizeAllowed);
  if (off >= 0n && sizeOk && off + BigInt(size) <= BigInt(memSize)) return 0;
  const reg = env.regs()[regno];
  const o = Number(BigInt.asIntN(32, off));
  switch (reg.type) {
    case PTR_TO_MAP_KEY:
      env.verbose(`invalid access to map key, key_size=${memSize} off=${o} size=${size}\n`);
      break;
    case PTR_TO_MAP_VALUE:
      env.verbose(`invalid access to map value, value_size=${memSize} off=${o} size=${size}\n`);
      break;
    case PTR_TO_PACKET:
    case PTR_TO_PACKET_META:
    case PTR_TO_PACKET_END:
      env.verbose(`invalid access to packet, off=${o} size=${size}, R${regno}(id=${reg.id},off=${o},r=${memSize})\n`);
      break;
    default:
      env.verbose(`invalid access to memory, mem_size=${memSize >>> 0} off=${o} size=${size}\n`);
  }
  return -EACCES;
}

/** `check_mem_region_access`. */
export function checkMemRegionAccess(env: Env, regno: number, off: number, size: number, memSize: number, zeroSizeAllowed: boolean): number {
  const reg = env.regs()[regno];
  const offB = BigInt(off);
  if (reg.smin < 0n && (reg.smin === S64_MIN || offB + reg.smin !== BigInt.asIntN(32, offB + reg.smin) || reg.smin + offB < 0n)) {
    env.verbose(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.\n`);
    return -EACCES;
  }
  let err = checkMemAccessRaw(env, regno, reg.smin + offB, size, memSize, zeroSizeAllowed);
  if (err) {
    env.verbose(`R${regno} min value is outside of the allowed memory range\n`);
    return err;
  }
  if (reg.umax >= BigInt(BPF_MAX_VAR_OFF)) {
    env.verbose(`R${regno} unbounded memory access, make sure to bounds check any such access\n`);
    return -EACCES;
  }
  err = checkMemAccessRaw(env, regno, reg.umax + offB, size, memSize, zeroSizeAllowed);
  if (err) {
    env.verbose(`R${regno} max value is outside of the allowed memory range\n`);
    return err;
  }
  return 0;
}

/** `check_map_access_type`: BPF_F_RDONLY_PROG / BPF_F_WRONLY_PROG. */
function checkMapAccessType(env: Env, regno: number, off: number, size: number, type: number): number {
  const map = env.maps[env.regs()[regno].map];
  const BPF_F_RDONLY_PROG = 1 << 7;
  const BPF_F_WRONLY_PROG = 1 << 8;
  if (type === BPF_WRITE && map.flags & BPF_F_RDONLY_PROG) {
    env.verbose(`write into map forbidden, value_size=${map.valueSize} off=${off} size=${size}\n`);
    return -EACCES;
  }
  if (type === BPF_READ && map.flags & BPF_F_WRONLY_PROG) {
    env.verbose(`read from map forbidden, value_size=${map.valueSize} off=${off} size=${size}\n`);
    return -EACCES;
  }
  return 0;
}

/** `check_map_access` (no BTF-described special fields are modelled). */
export function checkMapAccess(env: Env, regno: number, off: number, size: number, zeroSizeAllowed: boolean, src: 'direct' | 'helper' = 'helper'): number {
  const reg = env.regs()[regno];
  const map = env.maps[reg.map];
  const err = checkMemRegionAccess(env, regno, off, size, map.valueSize, zeroSizeAllowed);
  if (err) return err;
  // special fields (locks, timers, kptrs) may not be touched by plain loads and stores
  for (const f of env.mapFields[reg.map] ?? []) {
    if (!(reg.smin + BigInt(off) < BigInt(f.offset + f.size) && BigInt(f.offset) < reg.umax + BigInt(off + size))) continue;
    if (f.type !== 'kptr') {
      env.verbose(`${f.type} cannot be accessed directly by load/store\n`);
      return -EACCES;
    }
    if (src !== 'direct') {
      env.verbose('kptr cannot be accessed indirectly by helper\n');
      return -EACCES;
    }
    if (!tnumIsConst(reg.varOff)) {
      env.verbose('kptr access cannot have variable offset\n');
      return -EACCES;
    }
    if (BigInt(f.offset) !== BigInt(off) + reg.varOff.value) {
      env.verbose(`kptr access misaligned expected=${f.offset} off=${BigInt(off) + reg.varOff.value}\n`);
      return -EACCES;
    }
    if (size !== 8) {
      env.verbose('kptr access size must be BPF_DW\n');
      return -EACCES;
    }
  }
  return 0;
}

/** `may_access_direct_pkt_data`. */
export function mayAccessDirectPktData(env: Env, meta: CallArgMeta | null, t: number): boolean {
  const r = env.ptype.directPktAccess;
  if (r === 'none') return false;
  if (r === 'read' && t === BPF_WRITE) return false;
  if (r === 'sockopt') {
    if (t === BPF_WRITE) env.seenDirectWrite = true;
    return true;
  }
  if (meta) return meta.pktAccess;
  env.seenDirectWrite = true;
  return true;
}

/** `check_packet_access`. */
export function checkPacketAccess(env: Env, regno: number, off: number, size: number, zeroSizeAllowed: boolean): number {
  const reg = env.regs()[regno];
  if (reg.smin < 0n) {
    env.verbose(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.\n`);
    return -EACCES;
  }
  const err = reg.range < 0 ? -EINVAL : checkMemAccessRaw(env, regno, BigInt(off), size, reg.range, zeroSizeAllowed);
  if (err) {
    env.verbose(`R${regno} offset is outside of the packet\n`);
    return err;
  }
  return 0;
}

/** `check_ctx_access` against the recorded per-program-type table. */
function checkCtxAccess(env: Env, off: number, size: number, t: number): { err: number; regType: number } {
  const r = env.ptype.ctxAccess(off, size, t === BPF_WRITE);
  if (r.ok) return { err: 0, regType: r.regType };
  env.verbose(`invalid bpf_context access off=${off} size=${size}\n`);
  return { err: -EACCES, regType: SCALAR_VALUE };
}

/** `__check_ptr_off_reg`. */
export function checkPtrOffReg(env: Env, reg: RegState, regno: number, fixedOffOk: boolean): number {
  if (reg.off < 0) {
    env.verbose(`negative offset ${regTypeStr(reg.type)} ptr R${regno} off=${reg.off} disallowed\n`);
    return -EACCES;
  }
  if (!fixedOffOk && reg.off) {
    env.verbose(`dereference of modified ${regTypeStr(reg.type)} ptr R${regno} off=${reg.off} disallowed\n`);
    return -EACCES;
  }
  if (!tnumIsConst(reg.varOff) || reg.varOff.value) {
    env.verbose(`variable ${regTypeStr(reg.type)} access var_off=${tnumStr(reg.varOff)} disallowed\n`);
    return -EACCES;
  }
  return 0;
}

function checkPktPtrAlignment(env: Env, reg: RegState, off: number, size: number, strict: boolean): number {
  if (!strict || size === 1) return 0;
  const ipAlign = 2;
  const regOff = tnumAdd(reg.varOff, tnumConst(BigInt(ipAlign + reg.off + off)));
  if (!tnumIsAligned(regOff, BigInt(size))) {
    env.verbose(`misaligned packet access off ${ipAlign}+${tnumStr(reg.varOff)}+${reg.off}+${off} size ${size}\n`);
    return -EACCES;
  }
  return 0;
}

function checkGenericPtrAlignment(env: Env, reg: RegState, desc: string, off: number, size: number, strict: boolean): number {
  if (!strict || size === 1) return 0;
  const regOff = tnumAdd(reg.varOff, tnumConst(BigInt(reg.off + off)));
  if (!tnumIsAligned(regOff, BigInt(size))) {
    env.verbose(`misaligned ${desc}access off ${tnumStr(reg.varOff)}+${reg.off}+${off} size ${size}\n`);
    return -EACCES;
  }
  return 0;
}

/** `check_ptr_alignment`. */
export function checkPtrAlignment(env: Env, reg: RegState, off: number, size: number, strictOnce: boolean): number {
  let strict = env.strictAlignment || strictOnce;
  let desc = '';
  switch (reg.type) {
    case PTR_TO_PACKET:
    case PTR_TO_PACKET_META:
      return checkPktPtrAlignment(env, reg, off, size, strict);
    case PTR_TO_FLOW_KEYS: desc = 'flow keys '; break;
    case PTR_TO_MAP_KEY: desc = 'key '; break;
    case PTR_TO_MAP_VALUE: desc = 'value '; break;
    case PTR_TO_CTX: desc = 'context '; break;
    case PTR_TO_STACK: desc = 'stack '; strict = true; break;
    case PTR_TO_SOCKET: desc = 'sock '; break;
    case PTR_TO_SOCK_COMMON: desc = 'sock_common '; break;
    case PTR_TO_TCP_SOCK: desc = 'tcp_sock '; break;
    case PTR_TO_XDP_SOCK: desc = 'xdp_sock '; break;
    case PTR_TO_ARENA: return 0;
  }
  return checkGenericPtrAlignment(env, reg, desc, off, size, strict);
}

/** `bpf_ctx_narrow_access_ok`. */
const narrowAccessOk = (size: number, sizeDefault: number): boolean => size <= sizeDefault && (size & (size - 1)) === 0;

/** `bpf_sock_is_valid_access` (struct bpf_sock, 80 bytes; net/core/filter.c). */
function bpfSockAccessOk(off: number, size: number): boolean {
  if (off < 0 || off >= 80 || off % size !== 0) return false;
  // state, family, type, protocol, src_port, rx_queue_mapping and the addresses allow narrow loads
  if (off === 72 || off === 4 || off === 8 || off === 12 || off === 44 || off === 76 || (off >= 24 && off < 44) || (off >= 52 && off < 72)) {
    return narrowAccessOk(size, 4);
  }
  if (off === 48 || off === 49) return narrowAccessOk(size, size === 4 ? 4 : 2); // dst_port (__be16)
  if (off === 50 || off === 51) return false; // padding after dst_port
  return size === 4;
}

/** `check_sock_access`'s per-type rules (sock_common, sock, tcp_sock, xdp_sock). */
function sockAccessOk(type: number, off: number, size: number): boolean {
  switch (type) {
    case PTR_TO_SOCK_COMMON:
      // type .. priority are not part of sock_common
      if (off >= 8 && off < 24) return false;
      return bpfSockAccessOk(off, size);
    case PTR_TO_SOCKET:
      return bpfSockAccessOk(off, size);
    case PTR_TO_TCP_SOCK:
      if (off < 0 || off >= 112 || off % size !== 0) return false;
      return off === 80 || off === 88 ? size === 8 : size === 4; // bytes_received, bytes_acked are u64
    case PTR_TO_XDP_SOCK:
      if (off < 0 || off >= 4 || off % size !== 0) return false;
      return size === 4;
    default:
      return false;
  }
}

/**
 * `check_mem_access`: is `[regno + off, +size)` readable/writable, and the result of a
 * read in `valueRegno` (-1: none). Returns 0 or -errno (the message is logged).
 */
export function checkMemAccess(env: Env, insnIdx: number, regno: number, off: number, size: number, t: number, valueRegno: number, strictAlignmentOnce: boolean, isLdsx: boolean): number {
  const regs = env.regs();
  const reg = regs[regno];
  let err = checkPtrAlignment(env, reg, off, size, strictAlignmentOnce);
  if (err) return err;
  off += reg.off;
  if (reg.type === PTR_TO_MAP_KEY) {
    if (t === BPF_WRITE) {
      env.verbose(`write to change key R${regno} not allowed\n`);
      return -EACCES;
    }
    err = checkMemRegionAccess(env, regno, off, size, env.maps[reg.map].keySize, false);
    if (err) return err;
    if (valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_MAP_VALUE) {
    if (t === BPF_WRITE && valueRegno >= 0 && isPointerValue(env, valueRegno)) {
      env.verbose(`R${valueRegno} leaks addr into map\n`);
      return -EACCES;
    }
    err = checkMapAccessType(env, regno, off, size, t);
    if (err) return err;
    err = checkMapAccess(env, regno, off, size, false, 'direct');
    if (err) return err;
    if (t === BPF_READ && valueRegno >= 0) {
      const map = env.maps[reg.map];
      const frozenRdonly = (map.flags & (1 << 7)) !== 0 && map.frozen === true && map.initial !== undefined;
      if (tnumIsConst(reg.varOff) && frozenRdonly) {
        const mapOff = off + Number(reg.varOff.value);
        const val = readMapConst(map.initial!, mapOff, size, isLdsx);
        regs[valueRegno].type = SCALAR_VALUE;
        markRegKnown(regs[valueRegno], val);
      } else {
        markRegUnknown(regs[valueRegno], env.bpfCapable);
      }
    }
  } else if (baseType(reg.type) === PTR_TO_MEM) {
    const rdonly = (reg.type & MEM_RDONLY) !== 0;
    const rdonlyUntrusted = rdonly && (reg.type & PTR_UNTRUSTED) !== 0;
    if (typeMayBeNull(reg.type)) {
      env.verbose(`R${regno} invalid mem access '${regTypeStr(reg.type)}'\n`);
      return -EACCES;
    }
    if (t === BPF_WRITE && rdonly) {
      env.verbose(`R${regno} cannot write into ${regTypeStr(reg.type)}\n`);
      return -EACCES;
    }
    if (t === BPF_WRITE && valueRegno >= 0 && isPointerValue(env, valueRegno)) {
      env.verbose(`R${valueRegno} leaks addr into mem\n`);
      return -EACCES;
    }
    if (!rdonlyUntrusted) err = checkMemRegionAccess(env, regno, off, size, reg.memSize, false);
    if (!err && valueRegno >= 0 && (t === BPF_READ || rdonly)) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_CTX) {
    if (t === BPF_WRITE && valueRegno >= 0 && isPointerValue(env, valueRegno)) {
      env.verbose(`R${valueRegno} leaks addr into ctx\n`);
      return -EACCES;
    }
    err = checkPtrOffReg(env, reg, regno, false);
    if (err < 0) return err;
    const r = checkCtxAccess(env, off, size, t);
    err = r.err;
    if (err) env.verboseLinfo(insnIdx, '; ');
    if (!err && t === BPF_READ && valueRegno >= 0) {
      if (r.regType === SCALAR_VALUE) {
        markRegUnknown(regs[valueRegno], env.bpfCapable);
      } else {
        markRegKnownZero(regs[valueRegno]);
        if (typeMayBeNull(r.regType)) regs[valueRegno].id = ++env.idGen;
        regs[valueRegno].subregDef = 0;
      }
      regs[valueRegno].type = r.regType;
    }
  } else if (reg.type === PTR_TO_STACK) {
    err = checkStackAccessWithinBounds(env, regno, off, size, t);
    if (err) return err;
    if (t === BPF_READ) err = checkStackRead(env, regno, off, size, valueRegno);
    else err = checkStackWrite(env, regno, off, size, valueRegno, insnIdx);
  } else if (reg.type === PTR_TO_PACKET || reg.type === PTR_TO_PACKET_META) {
    if (t === BPF_WRITE && !mayAccessDirectPktData(env, null, t)) {
      env.verbose('cannot write into packet\n');
      return -EACCES;
    }
    if (t === BPF_WRITE && valueRegno >= 0 && isPointerValue(env, valueRegno)) {
      env.verbose(`R${valueRegno} leaks addr into packet\n`);
      return -EACCES;
    }
    err = checkPacketAccess(env, regno, off, size, false);
    if (!err && t === BPF_READ && valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_FLOW_KEYS) {
    if (t === BPF_WRITE && valueRegno >= 0 && isPointerValue(env, valueRegno)) {
      env.verbose(`R${valueRegno} leaks addr into flow keys\n`);
      return -EACCES;
    }
    const FLOW_KEYS_SIZE = 56;
    if (size < 0 || off < 0 || off + size > FLOW_KEYS_SIZE) {
      env.verbose(`invalid access to flow keys off=${off} size=${size}\n`);
      err = -EACCES;
    }
    if (!err && t === BPF_READ && valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_SOCKET || reg.type === PTR_TO_SOCK_COMMON || reg.type === PTR_TO_TCP_SOCK || reg.type === PTR_TO_XDP_SOCK) {
    if (t === BPF_WRITE) {
      env.verbose(`R${regno} cannot write into ${regTypeStr(reg.type)}\n`);
      return -EACCES;
    }
    if (reg.smin < 0n) {
      env.verbose(`R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.\n`);
      return -EACCES;
    }
    if (!sockAccessOk(reg.type, off, size)) {
      env.verbose(`R${regno} invalid ${regTypeStr(reg.type)} access off=${off} size=${size}\n`);
      return -EACCES;
    }
    if (valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_TP_BUFFER) {
    if (off < 0) {
      env.verbose(`R${regno} invalid tracepoint buffer access: off=${off}, size=${size}\n`);
      return -EACCES;
    }
    if (!tnumIsConst(reg.varOff) || reg.varOff.value) {
      env.verbose(`R${regno} invalid variable buffer offset: off=${off}, var_off=${tnumStr(reg.varOff)}\n`);
      return -EACCES;
    }
    if (t === BPF_READ && valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (baseType(reg.type) === PTR_TO_BTF_ID && !typeMayBeNull(reg.type)) {
    if (!env.allowPtrLeaks) {
      env.verbose(`'struct ${reg.btfName}' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN\n`);
      return -EPERM;
    }
    if (off < 0) {
      env.verbose(`R${regno} is ptr_${reg.btfName} invalid negative access: off=${off}\n`);
      return -EACCES;
    }
    if (t !== BPF_READ) {
      env.verbose('only read is supported\n');
      return -EACCES;
    }
    // struct layouts come from kernel BTF, which is not available: reads give scalars
    if (valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === CONST_PTR_TO_MAP) {
    if (t !== BPF_READ) {
      env.verbose('only read from bpf_map is supported\n');
      return -EACCES;
    }
    if (valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else if (reg.type === PTR_TO_ARENA) {
    if (t === BPF_READ && valueRegno >= 0) markRegUnknown(regs[valueRegno], env.bpfCapable);
  } else {
    env.verbose(`R${regno} invalid mem access '${regTypeStr(reg.type)}'\n`);
    return -EACCES;
  }
  if (!err && size < BPF_REG_SIZE && valueRegno >= 0 && t === BPF_READ && regs[valueRegno].type === SCALAR_VALUE) {
    if (!isLdsx) coerceRegToSize(regs[valueRegno], size);
    else coerceRegToSizeSx(regs[valueRegno], size);
  }
  return err;
}

function readMapConst(bytes: Uint8Array, off: number, size: number, sx: boolean): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[off + i] ?? 0);
  if (sx && size < 8) v = BigInt.asIntN(size * 8, v);
  return u64(v);
}

/** `reg_type_mismatch_ok`: pointer kinds an instruction may see alternately. */
function regTypeMismatchOk(t: number): boolean {
  switch (baseType(t)) {
    case PTR_TO_CTX: case PTR_TO_SOCKET: case PTR_TO_SOCK_COMMON: case PTR_TO_TCP_SOCK: case PTR_TO_XDP_SOCK:
    case PTR_TO_BTF_ID: case PTR_TO_ARENA:
      return false;
    default:
      return true;
  }
}

/** `save_aux_ptr_type`. */
export function saveAuxPtrType(env: Env, type: number, allowTrustMismatch: boolean): number {
  const aux = env.aux[env.insnIdx];
  if (aux.ptrType === NOT_INIT) {
    aux.ptrType = type;
  } else if (type !== aux.ptrType && (!regTypeMismatchOk(type) || !regTypeMismatchOk(aux.ptrType))) {
    const memOrBtf = (x: number): boolean => baseType(x) === PTR_TO_MEM || baseType(x) === PTR_TO_BTF_ID;
    if (allowTrustMismatch && memOrBtf(type) && memOrBtf(aux.ptrType)) {
      let merged = baseType(type) === PTR_TO_MEM || baseType(aux.ptrType) === PTR_TO_MEM ? PTR_TO_MEM : PTR_TO_BTF_ID;
      if ((type | aux.ptrType) & PTR_UNTRUSTED) merged |= PTR_UNTRUSTED;
      if ((type | aux.ptrType) & MEM_RDONLY) merged |= MEM_RDONLY;
      aux.ptrType = merged;
    } else {
      env.verbose('same insn cannot be used with different pointers\n');
      return -EINVAL;
    }
  }
  return 0;
}

/** `check_load_mem`. */
export function checkLoadMem(env: Env, insn: Insn, strictOnce: boolean, isLdsx: boolean, allowTrustMismatch: boolean, ctx: string): number {
  const regs = env.regs();
  let err = checkRegArg(env, insn.src, SRC_OP);
  if (err) return err;
  err = checkRegArg(env, insn.dst, DST_OP_NO_MARK);
  if (err) return err;
  const srcType = regs[insn.src].type;
  err = checkMemAccess(env, env.insnIdx, insn.src, insn.off, sizeBytes(insn.code), BPF_READ, insn.dst, strictOnce, isLdsx);
  if (!err) err = saveAuxPtrType(env, srcType, allowTrustMismatch);
  if (!err) err = regBoundsSanityCheck(env, regs[insn.dst], ctx);
  return err;
}

/** `check_store_reg`. */
export function checkStoreReg(env: Env, insn: Insn, strictOnce: boolean): number {
  const regs = env.regs();
  let err = checkRegArg(env, insn.src, SRC_OP);
  if (err) return err;
  err = checkRegArg(env, insn.dst, SRC_OP);
  if (err) return err;
  const dstType = regs[insn.dst].type;
  err = checkMemAccess(env, env.insnIdx, insn.dst, insn.off, sizeBytes(insn.code), BPF_WRITE, insn.src, strictOnce, false);
  if (!err) err = saveAuxPtrType(env, dstType, false);
  return err;
}

export const sizeBytes = (code: number): number => [4, 2, 1, 8][(code & 0x18) >> 3];

/** `reg_bounds_sanity_check`. */
export function regBoundsSanityCheck(env: Env, reg: RegState, ctx: string): number {
  const problem = regBoundsSanityProblem(reg);
  if (!problem) return 0;
  const h = (v: bigint): string => `0x${BigInt.asUintN(64, v).toString(16)}`;
  const h32 = (v: number): string => `0x${(v >>> 0).toString(16)}`;
  env.verbose(`verifier bug: REG INVARIANTS VIOLATION (${ctx}): ${problem} u64=[${h(reg.umin)}, ${h(reg.umax)}] s64=[${h(reg.smin)}, ${h(reg.smax)}] u32=[${h32(reg.u32min)}, ${h32(reg.u32max)}] s32=[${h32(reg.s32min)}, ${h32(reg.s32max)}] var_off=(${h(reg.varOff.value)}, ${h(reg.varOff.mask)})\n`);
  if (env.testRegInvariants) return -EFAULT;
  markRegUnbounded(reg);
  return 0;
}

const isCtxReg = (env: Env, r: number): boolean => env.regs()[r].type === PTR_TO_CTX;
const isPktReg = (env: Env, r: number): boolean => { const t = env.regs()[r].type; return t === PTR_TO_PACKET || t === PTR_TO_PACKET_META; };
const isSkReg = (env: Env, r: number): boolean => { const t = env.regs()[r].type; return t === PTR_TO_SOCKET || t === PTR_TO_SOCK_COMMON || t === PTR_TO_TCP_SOCK || t === PTR_TO_XDP_SOCK; };

function atomicPtrTypeOk(env: Env, regno: number): boolean {
  if (isCtxReg(env, regno) || isPktReg(env, regno) || env.regs()[regno].type === PTR_TO_FLOW_KEYS || isSkReg(env, regno)) return false;
  return true;
}

/** `check_atomic` and its read-modify-write / load-acquire / store-release cases. */
export function checkAtomic(env: Env, insn: Insn): number {
  switch (insn.imm) {
    case 0x00: case 0x01: case 0x50: case 0x51: case 0x40: case 0x41: case 0xa0: case 0xa1: case 0xe1: case 0xf1:
      return checkAtomicRmw(env, insn);
    case 0x100: {
      let err = checkLoadMem(env, insn, true, false, false, 'atomic_load');
      if (err) return err;
      if (!atomicPtrTypeOk(env, insn.src)) {
        env.verbose(`BPF_ATOMIC loads from R${insn.src} ${regTypeStr(env.regs()[insn.src].type)} is not allowed\n`);
        return -EACCES;
      }
      err = 0;
      return err;
    }
    case 0x110: {
      const err = checkStoreReg(env, insn, true);
      if (err) return err;
      if (!atomicPtrTypeOk(env, insn.dst)) {
        env.verbose(`BPF_ATOMIC stores into R${insn.dst} ${regTypeStr(env.regs()[insn.dst].type)} is not allowed\n`);
        return -EACCES;
      }
      return 0;
    }
    default:
      env.verbose(`BPF_ATOMIC uses invalid atomic opcode ${(insn.imm >>> 0).toString(16).padStart(2, '0')}\n`);
      return -EINVAL;
  }
}

function checkAtomicRmw(env: Env, insn: Insn): number {
  const size = insn.code & 0x18;
  if (size !== 0x00 && size !== 0x18) {
    env.verbose('invalid atomic operand size\n');
    return -EINVAL;
  }
  let err = checkRegArg(env, insn.src, SRC_OP);
  if (err) return err;
  err = checkRegArg(env, insn.dst, SRC_OP);
  if (err) return err;
  if (insn.imm === 0xf1) {
    err = checkRegArg(env, 0, SRC_OP);
    if (err) return err;
    if (isPointerValue(env, 0)) {
      env.verbose('R0 leaks addr into mem\n');
      return -EACCES;
    }
  }
  if (isPointerValue(env, insn.src)) {
    env.verbose(`R${insn.src} leaks addr into mem\n`);
    return -EACCES;
  }
  if (!atomicPtrTypeOk(env, insn.dst)) {
    env.verbose(`BPF_ATOMIC stores into R${insn.dst} ${regTypeStr(env.regs()[insn.dst].type)} is not allowed\n`);
    return -EACCES;
  }
  let loadReg = -1;
  if (insn.imm & 1) {
    loadReg = insn.imm === 0xf1 ? 0 : insn.src;
    err = checkRegArg(env, loadReg, DST_OP);
    if (err) return err;
  }
  const sz = sizeBytes(insn.code);
  err = checkMemAccess(env, env.insnIdx, insn.dst, insn.off, sz, BPF_READ, -1, true, false);
  if (!err && loadReg >= 0) err = checkMemAccess(env, env.insnIdx, insn.dst, insn.off, sz, BPF_READ, loadReg, true, false);
  if (err) return err;
  return checkMemAccess(env, env.insnIdx, insn.dst, insn.off, sz, BPF_WRITE, -1, true, false);
}

// ---------------------------------------------------------------------------------------
// Helper memory arguments

export interface CallArgMeta {
  map: number;
  mapUid: number;
  rawMode: boolean;
  pktAccess: boolean;
  releaseRegno: number;
  regno: number;
  accessSize: number;
  memSize: number;
  msizeMaxValue: bigint;
  refObjId: number;
  funcId: number;
  subprogno: number;
  constMapKey: bigint;
}

export const newCallArgMeta = (): CallArgMeta => ({
  map: -1, mapUid: 0, rawMode: false, pktAccess: false, releaseRegno: 0, regno: 0, accessSize: 0, memSize: 0,
  msizeMaxValue: 0n, refObjId: 0, funcId: 0, subprogno: 0, constMapKey: -1n,
});

/** `check_helper_mem_access`. */
export function checkHelperMemAccess(env: Env, regno: number, accessSize: number, accessType: number, zeroSizeAllowed: boolean, meta: CallArgMeta | null): number {
  const reg = env.regs()[regno];
  switch (baseType(reg.type)) {
    case PTR_TO_PACKET:
    case PTR_TO_PACKET_META:
      return checkPacketAccess(env, regno, reg.off, accessSize, zeroSizeAllowed);
    case PTR_TO_MAP_KEY:
      if (accessType === BPF_WRITE) {
        env.verbose(`R${regno} cannot write into ${regTypeStr(reg.type)}\n`);
        return -EACCES;
      }
      return checkMemRegionAccess(env, regno, reg.off, accessSize, env.maps[reg.map].keySize, false);
    case PTR_TO_MAP_VALUE:
      if (checkMapAccessType(env, regno, reg.off, accessSize, accessType)) return -EACCES;
      return checkMapAccess(env, regno, reg.off, accessSize, zeroSizeAllowed);
    case PTR_TO_MEM:
      if (reg.type & MEM_RDONLY && accessType === BPF_WRITE) {
        env.verbose(`R${regno} cannot write into ${regTypeStr(reg.type)}\n`);
        return -EACCES;
      }
      return checkMemRegionAccess(env, regno, reg.off, accessSize, reg.memSize, zeroSizeAllowed);
    case PTR_TO_STACK:
      return checkStackRangeInitialized(env, regno, reg.off, accessSize, zeroSizeAllowed, accessType, meta);
    default:
      if (baseType(reg.type) === PTR_TO_CTX && !env.ptype.convertsCtxAccess) {
        if (accessSize === 0) return zeroSizeAllowed ? 0 : -EACCES;
        return checkMemAccess(env, env.insnIdx, regno, accessSize - 1, 1, accessType, -1, false, false);
      }
      if (zeroSizeAllowed && accessSize === 0 && registerIsNull(reg)) return 0;
      env.verbose(`R${regno} type=${regTypeStr(reg.type)} expected=${regTypeStr(PTR_TO_STACK)}\n`);
      return -EACCES;
  }
}

/** `check_mem_size_reg`: a size argument and the memory argument before it. */
export function checkMemSizeReg(env: Env, reg: RegState, regno: number, accessType: number, zeroSizeAllowed: boolean, meta: CallArgMeta | null): number {
  if (meta) meta.msizeMaxValue = reg.umax;
  if (!tnumIsConst(reg.varOff)) meta = null;
  if (reg.smin < 0n) {
    env.verbose(`R${regno} min value is negative, either use unsigned or 'var &= const'\n`);
    return -EACCES;
  }
  if (reg.umin === 0n && !zeroSizeAllowed) {
    env.verbose(`R${regno} invalid zero-sized read: u64=[${BigInt.asIntN(64, reg.umin)},${BigInt.asIntN(64, reg.umax)}]\n`);
    return -EACCES;
  }
  if (reg.umax >= BigInt(BPF_MAX_VAR_SIZ)) {
    env.verbose(`R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'\n`);
    return -EACCES;
  }
  let err = checkHelperMemAccess(env, regno - 1, Number(reg.umax), accessType, zeroSizeAllowed, meta);
  if (!err) err = markChainPrecision(env, regno);
  return err;
}

/** `check_mem_reg` (memory arguments of global functions). */
export function checkMemReg(env: Env, reg: RegState, regno: number, memSize: number): number {
  if (registerIsNull(reg)) return 0;
  const mayBeNull = typeMayBeNull(reg.type);
  const saved = reg.clone();
  if (mayBeNull) reg.type &= ~PTR_MAYBE_NULL;
  let err = checkHelperMemAccess(env, regno, memSize, BPF_READ, true, null);
  if (!err) err = checkHelperMemAccess(env, regno, memSize, BPF_WRITE, true, null);
  if (mayBeNull) reg.copyFrom(saved);
  return err;
}

