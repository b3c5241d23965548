/**
 * ALU instructions: `check_alu_op`, pointer arithmetic (`adjust_ptr_min_max_vals`) and
 * scalar arithmetic (`adjust_scalar_min_max_vals`, bounds in scalar-alu.ts).
 */
import type { Insn } from '../isa/insn';
import { tnumAdd, tnumBswap16, tnumBswap32, tnumBswap64, tnumIsConst, tnumSub, U64_MAX } from './tnum';
import { BPF_ADD_CONST, BPF_ADD_CONST32, BPF_ADD_CONST64, baseType, CONST_PTR_TO_DYNPTR, CONST_PTR_TO_MAP, isRegConst, markReg32Unbounded, markRegKnown, markRegUnknown, PTR_MAYBE_NULL, PTR_TO_ARENA, PTR_TO_BTF_ID, PTR_TO_BUF, PTR_TO_CTX, PTR_TO_FLOW_KEYS, PTR_TO_FUNC, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_STACK, PTR_TO_TP_BUFFER, PTR_UNTRUSTED, regBoundsSync, regConstValue, RegState, regTypeStr, S32_MAX, S32_MIN, S64_MAX, S64_MIN, SCALAR_VALUE, zext32To64, markReg32Known, markRegUnbounded } from './reg-state';
import { coerceRegToSize, coerceRegToSizeSx, coerceSubregToSizeSx, isSafeToComputeDstRegRange, scalarAluBounds, type ScalarOp } from './scalar-alu';
import { pushStack } from './paths';
import { EACCES, EINVAL, type Env, BPF_MAX_VAR_OFF } from './env';
import { assignScalarIdBeforeMov, checkMapAccess, checkRegArg, DST_OP_NO_MARK, isPointerValue, regBoundsSanityCheck, SRC_OP, DST_OP } from './check-mem';
import { markChainPrecision } from './precision';
import { regIsPktPointer } from './branch';
import { MAX_BPF_STACK } from './state';

/** `bpf_alu_string` (for messages). */
const ALU_STRING = ['+=', '-=', '*=', '/=', '|=', '&=', '<<=', '>>=', 'neg', '%=', '^=', '=', 's>>=', 'endian'];

const OP_NAMES: ScalarOp[] = ['add', 'sub', 'mul', 'other', 'or', 'and', 'lsh', 'rsh', 'neg', 'other', 'xor', 'other', 'arsh', 'end'];

/** `check_reg_sane_offset`. */
function checkRegSaneOffset(env: Env, reg: RegState, type: number): boolean {
  const known = tnumIsConst(reg.varOff);
  const val = BigInt.asIntN(64, reg.varOff.value);
  const MAX = BigInt(BPF_MAX_VAR_OFF);
  if (known && (val >= MAX || val <= -MAX)) {
    env.verbose(`math between ${regTypeStr(type)} pointer and ${val} is not allowed\n`);
    return false;
  }
  if (reg.off >= BPF_MAX_VAR_OFF || reg.off <= -BPF_MAX_VAR_OFF) {
    env.verbose(`${regTypeStr(type)} pointer offset ${reg.off} is not allowed\n`);
    return false;
  }
  if (reg.smin === S64_MIN) {
    env.verbose(`math between ${regTypeStr(type)} pointer and register with unbounded min value is not allowed\n`);
    return false;
  }
  if (reg.smin >= MAX || reg.smin <= -MAX) {
    env.verbose(`value ${reg.smin} makes ${regTypeStr(type)} pointer be out of bounds\n`);
    return false;
  }
  return true;
}

const REASON_BOUNDS = -1;
const REASON_TYPE = -2;
const REASON_PATHS = -3;
const REASON_LIMIT = -4;

function retrievePtrLimit(env: Env, ptr: RegState, maskToLeft: boolean): number {
  let max: number;
  let limit: number;
  switch (ptr.type) {
    case PTR_TO_STACK:
      max = MAX_BPF_STACK + (maskToLeft ? 1 : 0);
      limit = -(Number(BigInt.asIntN(64, ptr.varOff.value)) + ptr.off);
      break;
    case PTR_TO_MAP_VALUE:
      max = env.maps[ptr.map].valueSize;
      limit = Number(maskToLeft ? ptr.smin : ptr.umax) + ptr.off;
      break;
    default:
      return REASON_TYPE;
  }
  return limit >>> 0 >= max ? REASON_LIMIT : limit >>> 0;
}

/** `sanitize_ptr_alu` for the unprivileged case (without speculative path simulation). */
function sanitizePtrAlu(env: Env, insn: Insn, ptr: RegState, off: RegState, dst: RegState, info: { maskToLeft: boolean; limit: number; state: number }, commit: boolean): number {
  if (env.bypassSpecV1 || (insn.code & 0x08) === 0 || env.aux[env.insnIdx].nospec) return 0;
  const offIsImm = tnumIsConst(off.varOff);
  const offIsNeg = off.smin < 0n;
  const op = insn.code & 0xf0;
  if (env.curState.speculative) return 0;
  if (!commit) {
    if (!offIsImm && (off.smin < 0n) !== (off.smax < 0n)) return REASON_BOUNDS;
    info.maskToLeft = (op === 0x00 && offIsNeg) || (op === 0x10 && !offIsNeg);
  }
  const limit = retrievePtrLimit(env, ptr, info.maskToLeft);
  if (limit < 0) return limit;
  let state: number;
  let alimit: number;
  if (commit) {
    state = info.state;
    alimit = Math.abs(info.limit - limit);
  } else {
    state = (offIsNeg ? 1 : 0) | (offIsImm ? 2 : 0) | (ptr === dst ? 4 : 8);
    alimit = limit;
    info.state = state;
    info.limit = limit;
    if (!offIsImm) env.exploreAluLimits = true;
  }
  const aux = env.aux[env.insnIdx];
  if (commit) {
    if (aux.aluState && (aux.aluState !== state || aux.aluLimit !== alimit)) return REASON_PATHS;
    aux.aluState = state;
    aux.aluLimit = alimit;
  }
  return 0;
}

function sanitizeErr(env: Env, insn: Insn, reason: number, offIsDst: boolean): number {
  const err = 'pointer arithmetic with it prohibited for !root';
  const op = (insn.code & 0xf0) === 0x00 ? 'add' : 'sub';
  const dst = insn.dst;
  const src = insn.src;
  switch (reason) {
    case REASON_BOUNDS: env.verbose(`R${offIsDst ? dst : src} has unknown scalar with mixed signed bounds, ${err}\n`); break;
    case REASON_TYPE: env.verbose(`R${offIsDst ? src : dst} has pointer with unsupported alu operation, ${err}\n`); break;
    case REASON_PATHS: env.verbose(`R${dst} tried to ${op} from different maps, paths or scalars, ${err}\n`); break;
    case REASON_LIMIT: env.verbose(`R${dst} tried to ${op} beyond pointer bounds, ${err}\n`); break;
    default: return env.bug(`unknown reason (${reason})`);
  }
  return -EACCES;
}

function sanitizeCheckBounds(env: Env, insn: Insn, dst: RegState): number {
  if (env.bypassSpecV1) return 0;
  const d = insn.dst;
  switch (dst.type) {
    case PTR_TO_STACK: {
      const off = dst.off + Number(BigInt.asIntN(64, dst.varOff.value));
      if (!tnumIsConst(dst.varOff)) {
        env.verbose(`R${d} variable stack access prohibited for !root, var_off=${dst.varOff.value} off=${off}\n`);
        return -EACCES;
      }
      if (off >= 0 || off < -MAX_BPF_STACK) {
        env.verbose(`R${d} stack pointer arithmetic goes out of range, prohibited for !root; off=${off}\n`);
        return -EACCES;
      }
      return 0;
    }
    case PTR_TO_MAP_VALUE:
      if (checkMapAccess(env, d, dst.off, 1, false)) {
        env.verbose(`R${d} pointer arithmetic of map value goes out of range, prohibited for !root\n`);
        return -EACCES;
      }
      return 0;
    default:
      return -95;
  }
}

const addOv = (a: bigint, b: bigint, lo: bigint, hi: bigint): [bigint, boolean] => { const r = a + b; return [r, r < lo || r > hi]; };

/** `adjust_ptr_min_max_vals`: pointer +/- scalar. */
function adjustPtrMinMaxVals(env: Env, insn: Insn, ptr: RegState, off: RegState): number {
  const regs = env.regs();
  const dst = regs[insn.dst];
  const known = tnumIsConst(off.varOff);
  const sminVal = off.smin;
  const smaxVal = off.smax;
  const uminVal = off.umin;
  const umaxVal = off.umax;
  const sminPtr = ptr.smin;
  const smaxPtr = ptr.smax;
  const uminPtr = ptr.umin;
  const umaxPtr = ptr.umax;
  const opcode = insn.code & 0xf0;
  const info = { maskToLeft: false, limit: 0, state: 0 };
  if ((known && (sminVal !== smaxVal || uminVal !== umaxVal)) || sminVal > smaxVal || uminVal > umaxVal) {
    markRegUnknown(dst, env.bpfCapable);
    return 0;
  }
  if ((insn.code & 7) !== 0x07) {
    if (opcode === 0x10 && env.allowPtrLeaks) {
      markRegUnknown(dst, env.bpfCapable);
      return 0;
    }
    env.verbose(`R${insn.dst} 32-bit pointer arithmetic prohibited\n`);
    return -EACCES;
  }
  if (ptr.type & PTR_MAYBE_NULL) {
    env.verbose(`R${insn.dst} pointer arithmetic on ${regTypeStr(ptr.type)} prohibited, null-check it first\n`);
    return -EACCES;
  }
  if (baseType(ptr.type) === PTR_TO_MEM && ptr.type & PTR_UNTRUSTED) return 0;
  const bt = baseType(ptr.type);
  const allowed = [PTR_TO_CTX, PTR_TO_MAP_VALUE, PTR_TO_MAP_KEY, PTR_TO_STACK, PTR_TO_PACKET_META, PTR_TO_PACKET,
    PTR_TO_TP_BUFFER, PTR_TO_BTF_ID, PTR_TO_MEM, PTR_TO_BUF, PTR_TO_FUNC, CONST_PTR_TO_DYNPTR].includes(bt) ||
    (bt === PTR_TO_FLOW_KEYS && known) ||
    ((bt === PTR_TO_FLOW_KEYS || bt === CONST_PTR_TO_MAP) && known && sminVal === 0n && opcode === 0x00);
  if (!allowed) {
    env.verbose(`R${insn.dst} pointer arithmetic on ${regTypeStr(ptr.type)} prohibited\n`);
    return -EACCES;
  }
  // `scalar += pointer`: dst takes the pointer's type and id
  const ptrSnap = ptr === dst ? ptr.clone() : ptr;
  const offSnap = off === dst ? off.clone() : off;
  dst.type = ptr.type;
  dst.id = ptr.id;
  if (!checkRegSaneOffset(env, offSnap, ptr.type) || !checkRegSaneOffset(env, ptrSnap, ptr.type)) return -EINVAL;
  markReg32Unbounded(dst);
  if (opcode === 0x00 || opcode === 0x10) {
    const ret = sanitizePtrAlu(env, insn, ptrSnap, offSnap, dst, info, false);
    if (ret < 0) return sanitizeErr(env, insn, ret, off === dst);
  }
  switch (opcode) {
    case 0x00: {
      const sum = BigInt(ptrSnap.off) + sminVal;
      if (known && sum === BigInt.asIntN(32, sum)) {
        dst.smin = sminPtr; dst.smax = smaxPtr; dst.umin = uminPtr; dst.umax = umaxPtr;
        dst.varOff = ptrSnap.varOff;
        dst.off = Number(sum);
        dst.copyRaw(ptrSnap);
        break;
      }
      const [smin, o1] = addOv(sminPtr, sminVal, S64_MIN, S64_MAX);
      const [smax, o2] = addOv(smaxPtr, smaxVal, S64_MIN, S64_MAX);
      if (o1 || o2) { dst.smin = S64_MIN; dst.smax = S64_MAX; } else { dst.smin = smin; dst.smax = smax; }
      const [umin, o3] = addOv(uminPtr, uminVal, 0n, U64_MAX);
      const [umax, o4] = addOv(umaxPtr, umaxVal, 0n, U64_MAX);
      if (o3 || o4) { dst.umin = 0n; dst.umax = U64_MAX; } else { dst.umin = umin; dst.umax = umax; }
      dst.varOff = tnumAdd(ptrSnap.varOff, offSnap.varOff);
      dst.off = ptrSnap.off;
      dst.copyRaw(ptrSnap);
      if (regIsPktPointer(ptrSnap)) {
        dst.id = ++env.idGen;
        dst.range = 0;
      }
      break;
    }
    case 0x10: {
      if (dst === off) {
        env.verbose(`R${insn.dst} tried to subtract pointer from scalar\n`);
        return -EACCES;
      }
      if (ptrSnap.type === PTR_TO_STACK) {
        env.verbose(`R${insn.dst} subtraction from stack pointer prohibited\n`);
        return -EACCES;
      }
      const diff = BigInt(ptrSnap.off) - sminVal;
      if (known && diff === BigInt.asIntN(32, diff)) {
        dst.smin = sminPtr; dst.smax = smaxPtr; dst.umin = uminPtr; dst.umax = umaxPtr;
        dst.varOff = ptrSnap.varOff;
        dst.id = ptrSnap.id;
        dst.off = Number(diff);
        dst.copyRaw(ptrSnap);
        break;
      }
      const a = sminPtr - smaxVal;
      const b = smaxPtr - sminVal;
      if (a < S64_MIN || a > S64_MAX || b < S64_MIN || b > S64_MAX) { dst.smin = S64_MIN; dst.smax = S64_MAX; } else { dst.smin = a; dst.smax = b; }
      if (uminPtr < umaxVal) { dst.umin = 0n; dst.umax = U64_MAX; } else { dst.umin = uminPtr - umaxVal; dst.umax = umaxPtr - uminVal; }
      dst.varOff = tnumSub(ptrSnap.varOff, offSnap.varOff);
      dst.off = ptrSnap.off;
      dst.copyRaw(ptrSnap);
      if (regIsPktPointer(ptrSnap)) {
        dst.id = ++env.idGen;
        if (sminVal < 0n) dst.range = 0;
      }
      break;
    }
    case 0x50: case 0x40: case 0xa0:
      env.verbose(`R${insn.dst} bitwise operator ${ALU_STRING[opcode >> 4]} on pointer prohibited\n`);
      return -EACCES;
    default:
      env.verbose(`R${insn.dst} pointer arithmetic with ${ALU_STRING[opcode >> 4]} operator prohibited\n`);
      return -EACCES;
  }
  if (!checkRegSaneOffset(env, dst, ptrSnap.type)) return -EINVAL;
  regBoundsSync(dst);
  const boundsRet = sanitizeCheckBounds(env, insn, dst);
  if (boundsRet === -EACCES) return boundsRet;
  if (opcode === 0x00 || opcode === 0x10) {
    const ret = sanitizePtrAlu(env, insn, dst, offSnap, dst, info, true);
    if (ret < 0) return sanitizeErr(env, insn, ret, off === dst);
  }
  return 0;
}

/** `adjust_scalar_min_max_vals`. */
function adjustScalarMinMaxVals(env: Env, insn: Insn, dst: RegState, src: RegState): number {
  const opcode = insn.code & 0xf0;
  const alu32 = (insn.code & 7) !== 0x07;
  const op = OP_NAMES[opcode >> 4] ?? 'other';
  if (!isSafeToComputeDstRegRange(op, alu32, src)) {
    markRegUnknown(dst, env.bpfCapable);
    return 0;
  }
  if (op === 'add' || op === 'sub') {
    if (!env.bypassSpecV1 && (insn.code & 0x08) && !env.aux[env.insnIdx].nospec) {
      const aux = env.aux[env.insnIdx];
      if (aux.aluState && (aux.aluState !== 16 || aux.aluLimit !== 0)) return sanitizeErr(env, insn, REASON_PATHS, false);
      aux.aluState = 16;
      aux.aluLimit = 0;
    }
  }
  if ((op === 'and' || op === 'or') && tnumIsConst(src.varOff)) {
    const err = maybeForkScalars(env, insn, dst);
    if (err) return err;
  }
  if (op === 'end') {
    scalarByteSwap(dst, insn);
    regBoundsSync(dst);
    return 0;
  }
  scalarAluBounds(dst, src, op, alu32);
  return 0;
}

/**
 * `maybe_fork_scalars`: a scalar known to be -1 or 0 (the result of `x s>> 63`) is split
 * into two paths before an AND/OR with a constant; the 0 path re-runs the instruction.
 */
function maybeForkScalars(env: Env, insn: Insn, dst: RegState): number {
  let alu32: boolean;
  if (dst.smin === -1n && dst.smax === 0n) alu32 = false;
  else if (dst.s32min === -1 && dst.s32max === 0) alu32 = true;
  else return 0;
  const branch = pushStack(env, env.insnIdx, env.insnIdx, false);
  if (typeof branch === 'number') return branch;
  const breg = branch.frames[branch.curframe].regs[insn.dst];
  if (alu32) {
    markReg32Known(breg, 0);
    markReg32Known(dst, -1);
  } else {
    markRegKnown(breg, 0n);
    markRegKnown(dst, -1n);
  }
  return 0;
}

/**
 * `scalar_byte_swap` (x86-64 is little-endian): `bswap` and `be` swap the tnum's bytes and
 * re-derive the bounds from it; 16/32-bit forms also truncate. `le64` is a no-op.
 */
function scalarByteSwap(dst: RegState, insn: Insn): void {
  const alu64 = (insn.code & 7) === 0x07;
  const toLe = (insn.code & 0x08) === 0;
  const needBswap = alu64 || !toLe;
  const narrow = insn.imm === 16 || insn.imm === 32;
  if (needBswap || narrow) dst.id = 0;
  if (needBswap) {
    dst.varOff = insn.imm === 16 ? tnumBswap16(dst.varOff) : insn.imm === 32 ? tnumBswap32(dst.varOff) : tnumBswap64(dst.varOff);
    markRegUnbounded(dst);
  }
  if (narrow) coerceRegToSize(dst, insn.imm / 8);
}

/** `adjust_reg_min_max_vals`: ALU ops other than END, NEG and MOV. */
function adjustRegMinMaxVals(env: Env, insn: Insn): number {
  const regs = env.regs();
  const dst = regs[insn.dst];
  const alu32 = (insn.code & 7) !== 0x07;
  const opcode = insn.code & 0xf0;
  if (dst.type === PTR_TO_ARENA) return 0;
  const ptr = dst.type !== SCALAR_VALUE ? dst : null;
  let src: RegState;
  if (insn.code & 0x08) {
    src = regs[insn.src];
    if (src.type !== SCALAR_VALUE) {
      if (dst.type !== SCALAR_VALUE) {
        if (opcode === 0x10 && env.allowPtrLeaks) {
          markRegUnknown(dst, env.bpfCapable);
          return 0;
        }
        env.verbose(`R${insn.dst} pointer ${ALU_STRING[opcode >> 4]} pointer prohibited\n`);
        return -EACCES;
      }
      const err = markChainPrecision(env, insn.dst);
      if (err) return err;
      return adjustPtrMinMaxVals(env, insn, src, dst);
    } else if (ptr) {
      const err = markChainPrecision(env, insn.src);
      if (err) return err;
      return adjustPtrMinMaxVals(env, insn, dst, src);
    } else if (dst.precise) {
      const err = markChainPrecision(env, insn.src);
      if (err) return err;
    }
  } else {
    src = new RegState();
    src.type = SCALAR_VALUE;
    markRegKnown(src, BigInt(insn.imm));
    if (ptr) return adjustPtrMinMaxVals(env, insn, ptr, src);
  }
  if (ptr) return env.bug('unexpected ptr_reg');
  const srcCopy = src === dst ? src.clone() : src;
  const dstUmax = dst.umax;
  const err = adjustScalarMinMaxVals(env, insn, dst, srcCopy);
  if (err) return err;
  // `rX += const` / `rX -= const` on a scalar with an id: remember the delta so that
  // bounds learnt on a linked register carry over (sync_linked_regs); a 32-bit op only
  // when the upper half was zero
  if (env.bpfCapable && (opcode === 0x00 || opcode === 0x10) && dst.id && isRegConst(srcCopy, alu32)) {
    const val = regConstValue(srcCopy, alu32);
    let off = Number(BigInt.asIntN(32, val));
    let clear = !alu32 ? BigInt.asIntN(64, val) !== BigInt(off) : dstUmax > 0xffff_ffffn;
    if (!clear && opcode === 0x10) {
      if (off === S32_MIN) clear = true;
      else off = -off;
    }
    if (clear || dst.id & BPF_ADD_CONST) {
      dst.off = 0;
      dst.id = 0;
    } else {
      dst.id = (dst.id | (alu32 ? BPF_ADD_CONST32 : BPF_ADD_CONST64)) >>> 0;
      dst.off = off;
    }
  } else {
    dst.id = 0;
    dst.off = 0;
  }
  return 0;
}

/** `check_alu_op`. */
export function checkAluOp(env: Env, insn: Insn): number {
  const regs = env.regs();
  const opcode = insn.code & 0xf0;
  const cls = insn.code & 7;
  let err: number;
  if (opcode === 0xd0 || opcode === 0x80) {
    if (opcode === 0x80) {
      if ((insn.code & 0x08) !== 0 || insn.src !== 0 || insn.off !== 0 || insn.imm !== 0) {
        env.verbose('BPF_NEG uses reserved fields\n');
        return -EINVAL;
      }
    } else if (insn.src !== 0 || insn.off !== 0 || (insn.imm !== 16 && insn.imm !== 32 && insn.imm !== 64) || (cls === 0x07 && (insn.code & 0x08) !== 0)) {
      env.verbose('BPF_END uses reserved fields\n');
      return -EINVAL;
    }
    err = checkRegArg(env, insn.dst, SRC_OP);
    if (err) return err;
    if (isPointerValue(env, insn.dst)) {
      env.verbose(`R${insn.dst} pointer arithmetic prohibited\n`);
      return -EACCES;
    }
    if ((opcode === 0x80 || opcode === 0xd0) && regs[insn.dst].type === SCALAR_VALUE) {
      err = checkRegArg(env, insn.dst, DST_OP_NO_MARK);
      if (!err) err = adjustScalarMinMaxVals(env, insn, regs[insn.dst], regs[insn.dst].clone());
    } else {
      err = checkRegArg(env, insn.dst, DST_OP);
    }
    if (err) return err;
  } else if (opcode === 0xb0) {
    if (insn.code & 0x08) {
      if (cls === 0x04) {
        if ((insn.off !== 0 && insn.off !== 8 && insn.off !== 16) || insn.imm) {
          env.verbose('BPF_MOV uses reserved fields\n');
          return -EINVAL;
        }
      } else if (insn.off === 1) {
        if (insn.imm !== 1 && insn.imm !== 1 << 16) {
          env.verbose('addr_space_cast insn can only convert between address space 1 and 0\n');
          return -EINVAL;
        }
        env.verbose('addr_space_cast insn can only be used in a program that has an associated arena\n');
        return -EINVAL;
      } else if ((insn.off !== 0 && insn.off !== 8 && insn.off !== 16 && insn.off !== 32) || insn.imm) {
        env.verbose('BPF_MOV uses reserved fields\n');
        return -EINVAL;
      }
      err = checkRegArg(env, insn.src, SRC_OP);
      if (err) return err;
    } else if (insn.src !== 0 || insn.off !== 0) {
      env.verbose('BPF_MOV uses reserved fields\n');
      return -EINVAL;
    }
    err = checkRegArg(env, insn.dst, DST_OP_NO_MARK);
    if (err) return err;
    if (insn.code & 0x08) {
      const src = regs[insn.src];
      const dst = regs[insn.dst];
      if (cls === 0x07) {
        if (insn.off === 0) {
          assignScalarIdBeforeMov(env, src);
          dst.copyFrom(src);
          dst.subregDef = 0;
        } else if (isPointerValue(env, insn.src)) {
          env.verbose(`R${insn.src} sign-extension part of pointer\n`);
          return -EACCES;
        } else if (src.type === SCALAR_VALUE) {
          const noSext = src.umax < 1n << BigInt(insn.off - 1);
          if (noSext) assignScalarIdBeforeMov(env, src);
          dst.copyFrom(src);
          if (!noSext) dst.id = 0;
          coerceRegToSizeSx(dst, insn.off >> 3);
          dst.subregDef = 0;
        } else {
          markRegUnknown(dst, env.bpfCapable);
        }
      } else {
        if (isPointerValue(env, insn.src)) {
          env.verbose(`R${insn.src} partial copy of pointer\n`);
          return -EACCES;
        } else if (src.type === SCALAR_VALUE) {
          if (insn.off === 0) {
            const isU32 = (src.umax === 0n ? 0 : src.umax.toString(2).length) <= 32;
            if (isU32) assignScalarIdBeforeMov(env, src);
            dst.copyFrom(src);
            if (!isU32) dst.id = 0;
            dst.subregDef = env.insnIdx + 1;
          } else {
            const noSext = src.umax < 1n << BigInt(insn.off - 1);
            if (noSext) assignScalarIdBeforeMov(env, src);
            dst.copyFrom(src);
            if (!noSext) dst.id = 0;
            dst.subregDef = env.insnIdx + 1;
            coerceSubregToSizeSx(dst, insn.off >> 3);
          }
        } else {
          markRegUnknown(dst, env.bpfCapable);
        }
        zext32To64(dst);
        regBoundsSync(dst);
      }
    } else {
      const dst = regs[insn.dst];
      markRegUnknown(dst, env.bpfCapable);
      dst.type = SCALAR_VALUE;
      markRegKnown(dst, cls === 0x07 ? BigInt(insn.imm) : BigInt(insn.imm >>> 0));
    }
  } else if (opcode > 0xd0) {
    env.verbose(`invalid BPF_ALU opcode ${(opcode).toString(16)}\n`);
    return -EINVAL;
  } else {
    if (insn.code & 0x08) {
      if (insn.imm !== 0 || (insn.off !== 0 && insn.off !== 1) || (insn.off === 1 && opcode !== 0x90 && opcode !== 0x30)) {
        env.verbose('BPF_ALU uses reserved fields\n');
        return -EINVAL;
      }
      err = checkRegArg(env, insn.src, SRC_OP);
      if (err) return err;
    } else if (insn.src !== 0 || (insn.off !== 0 && insn.off !== 1) || (insn.off === 1 && opcode !== 0x90 && opcode !== 0x30)) {
      env.verbose('BPF_ALU uses reserved fields\n');
      return -EINVAL;
    }
    err = checkRegArg(env, insn.dst, SRC_OP);
    if (err) return err;
    if ((opcode === 0x90 || opcode === 0x30) && (insn.code & 0x08) === 0 && insn.imm === 0) {
      env.verbose('div by zero\n');
      return -EINVAL;
    }
    if ((opcode === 0x60 || opcode === 0x70 || opcode === 0xc0) && (insn.code & 0x08) === 0) {
      const size = cls === 0x07 ? 64 : 32;
      if (insn.imm < 0 || insn.imm >= size) {
        env.verbose(`invalid shift ${insn.imm}\n`);
        return -EINVAL;
      }
    }
    err = checkRegArg(env, insn.dst, DST_OP_NO_MARK);
    if (!err) err = adjustRegMinMaxVals(env, insn);
    if (err) return err;
  }
  return regBoundsSanityCheck(env, regs[insn.dst], 'alu');
}

