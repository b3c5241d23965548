/**
 * Calls and exits: helper calls checked against their prototypes (`check_helper_call`,
 * `check_func_arg`), bpf-to-bpf calls and callbacks (`check_func_call`,
 * `push_callback_call`, `prepare_func_exit`), references (`acquire_reference`,
 * `release_reference`, leaks at exit), `check_return_code`, `check_ld_abs`, `check_ld_imm`.
 */
import { helperById } from '../isa/helpers';
import { type Insn } from '../isa/insn';
import { tnumIsConst } from './tnum';
import { baseType, CONST_PTR_TO_DYNPTR, CONST_PTR_TO_MAP, markRegKnownZero, markRegNotInit, markRegUnknown, MEM_ALLOC, MEM_PERCPU, MEM_RCU, MEM_RDONLY, MEM_RINGBUF, MEM_UNINIT, MEM_FIXED_SIZE, MEM_ALIGNED, NOT_INIT, OBJ_RELEASE, PTR_MAYBE_NULL, PTR_TO_ARENA, PTR_TO_BTF_ID, PTR_TO_BUF, PTR_TO_CTX, PTR_TO_FUNC, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_SOCK_COMMON, PTR_TO_SOCKET, PTR_TO_STACK, PTR_TO_TCP_SOCK, PTR_TO_XDP_SOCK, PTR_TRUSTED, registerIsNull, regBoundsSync, RegState, regTypeStr, SCALAR_VALUE, typeMayBeNull, isRegConst, markRegKnown, PTR_TO_PACKET_END, MEM_WRITE } from './reg-state';
import { argBase, ARG_ANYTHING, ARG_CONST_ALLOC_SIZE_OR_ZERO, ARG_CONST_MAP_PTR, ARG_CONST_SIZE, ARG_CONST_SIZE_OR_ZERO, ARG_DONTCARE, ARG_KPTR_XCHG_DEST, ARG_PTR_TO_BTF_ID, ARG_PTR_TO_BTF_ID_SOCK_COMMON, ARG_PTR_TO_CONST_STR, ARG_PTR_TO_DYNPTR, ARG_PTR_TO_FUNC, ARG_PTR_TO_MAP_KEY, ARG_PTR_TO_MAP_VALUE, ARG_PTR_TO_MEM, ARG_PTR_TO_PERCPU_BTF_ID, ARG_PTR_TO_RINGBUF_MEM, ARG_PTR_TO_SOCK_COMMON, ARG_PTR_TO_SOCKET, ARG_PTR_TO_SPIN_LOCK, ARG_PTR_TO_STACK, ARG_PTR_TO_TIMER, CHANGES_PKT_DATA, type FuncProto, RET_INTEGER, RET_PTR_TO_BTF_ID, RET_PTR_TO_MAP_VALUE, RET_PTR_TO_MEM, RET_PTR_TO_MEM_OR_BTF_ID, RET_PTR_TO_SOCK_COMMON, RET_PTR_TO_SOCKET, RET_PTR_TO_TCP_SOCK, RET_VOID, ARG_PTR_TO_CTX } from './helper-protos';
import { BPF_READ, BPF_WRITE, CallArgMeta, checkHelperMemAccess, checkMemAccess, checkMemSizeReg, checkPtrOffReg, checkRegArg, checkRegArgIn, DST_OP_NO_MARK, funcOf, isPointerValue, mayAccessDirectPktData, newCallArgMeta, regBoundsSanityCheck, SRC_OP, checkPtrAlignment, checkMapAccess, DST_OP, checkMemReg } from './check-mem';
import { E2BIG, EACCES, EFAULT, EINVAL, ENOTSUPP, type Env, findSubprog, type VerifierMapDef } from './env';
import { checkSubprogCall } from './btf-func';
import { markChainPrecision, markChainPrecisionFrom } from './precision';
import { pushAsyncCb, pushStack } from './paths';
import { ASYNC_CALLBACK_HELPERS } from './cfg';
import { BPF_REG_SIZE, forEachRegInState, FuncState, initFuncState, isSpilledScalarReg, MAX_CALL_FRAMES, REF_TYPE_LOCK, REF_TYPE_PTR, STACK_SPILL, STACK_ZERO, type VerifierState } from './state';

export const funcIdName = (id: number): string => helperById(id)?.name ?? 'unknown';

// ---------------------------------------------------------------------------------------
// References

/** `acquire_reference`. */
export function acquireReference(env: Env, insnIdx: number): number {
  const id = ++env.idGen;
  env.curState.refs.push({ type: REF_TYPE_PTR, id, insnIdx, ptr: -1 });
  return id;
}

/** `mark_reg_invalid`. */
function markRegInvalid(env: Env, reg: RegState): void {
  if (!env.allowPtrLeaks) markRegNotInit(reg, env.bpfCapable);
  else markRegUnknown(reg, env.bpfCapable);
}

/** `release_reference`: drop the reference and invalidate every copy. */
export function releaseReference(env: Env, refObjId: number): number {
  const st = env.curState;
  const k = st.refs.findIndex((r) => r.type === REF_TYPE_PTR && r.id === refObjId);
  if (k < 0) return -EINVAL;
  st.refs.splice(k, 1);
  forEachRegInState(st, (reg) => {
    if (reg.refObjId === refObjId) markRegInvalid(env, reg);
  });
  return 0;
}

/** `clear_all_pkt_pointers`: packet data may have moved. */
export function clearAllPktPointers(env: Env): void {
  forEachRegInState(env.curState, (reg) => {
    if (reg.type === PTR_TO_PACKET || reg.type === PTR_TO_PACKET_META || reg.type === PTR_TO_PACKET_END) markRegInvalid(env, reg);
  });
}

function checkReferenceLeak(env: Env, exceptionExit: boolean): number {
  const st = env.curState;
  if (!exceptionExit && env.cur().frameno) return 0;
  let lingering = false;
  for (const r of st.refs) {
    if (r.type !== REF_TYPE_PTR) continue;
    env.verbose(`Unreleased reference id=${r.id} alloc_insn=${r.insnIdx}\n`);
    lingering = true;
  }
  return lingering ? -EINVAL : 0;
}

/** `check_resource_leak`. */
export function checkResourceLeak(env: Env, exceptionExit: boolean, checkLock: boolean, prefix: string): number {
  const st = env.curState;
  if (checkLock && st.activeLocks) {
    env.verbose(`${prefix} cannot be used inside bpf_spin_lock-ed region\n`);
    return -EINVAL;
  }
  const err = checkReferenceLeak(env, exceptionExit);
  if (err) {
    env.verbose(`${prefix} would lead to reference leak\n`);
    return err;
  }
  if (checkLock && st.activeIrqId) {
    env.verbose(`${prefix} cannot be used inside bpf_local_irq_save-ed region\n`);
    return -EINVAL;
  }
  if (checkLock && st.activeRcuLock) {
    env.verbose(`${prefix} cannot be used inside bpf_rcu_read_lock-ed region\n`);
    return -EINVAL;
  }
  if (checkLock && st.activePreemptLocks) {
    env.verbose(`${prefix} cannot be used inside bpf_preempt_disable-ed region\n`);
    return -EINVAL;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------
// Argument checks

const MEM_TYPES = [PTR_TO_STACK, PTR_TO_PACKET, PTR_TO_PACKET_META, PTR_TO_MAP_KEY, PTR_TO_MAP_VALUE, PTR_TO_MEM, PTR_TO_MEM | MEM_RINGBUF, PTR_TO_BUF, PTR_TO_BTF_ID | PTR_TRUSTED];
const SOCK_TYPES = [PTR_TO_SOCK_COMMON, PTR_TO_SOCKET, PTR_TO_TCP_SOCK, PTR_TO_XDP_SOCK];

function compatibleTypes(argType: number): number[] | undefined {
  switch (argBase(argType)) {
    case ARG_PTR_TO_MAP_KEY: case ARG_PTR_TO_MAP_VALUE: case ARG_PTR_TO_MEM: return MEM_TYPES;
    case ARG_CONST_SIZE: case ARG_CONST_SIZE_OR_ZERO: case ARG_CONST_ALLOC_SIZE_OR_ZERO: return [SCALAR_VALUE];
    case ARG_CONST_MAP_PTR: return [CONST_PTR_TO_MAP];
    case ARG_PTR_TO_CTX: return [PTR_TO_CTX];
    case ARG_PTR_TO_SOCK_COMMON: return SOCK_TYPES;
    case ARG_PTR_TO_BTF_ID_SOCK_COMMON: return [...SOCK_TYPES, PTR_TO_BTF_ID, PTR_TO_BTF_ID | PTR_TRUSTED];
    case ARG_PTR_TO_SOCKET: return [PTR_TO_SOCKET];
    case ARG_PTR_TO_BTF_ID: return [PTR_TO_BTF_ID, PTR_TO_BTF_ID | PTR_TRUSTED, PTR_TO_BTF_ID | MEM_RCU];
    case ARG_PTR_TO_SPIN_LOCK: return [PTR_TO_MAP_VALUE, PTR_TO_BTF_ID | MEM_ALLOC];
    case ARG_PTR_TO_RINGBUF_MEM: return [PTR_TO_MEM | MEM_RINGBUF];
    case ARG_PTR_TO_PERCPU_BTF_ID: return [PTR_TO_BTF_ID | MEM_PERCPU, PTR_TO_BTF_ID | MEM_PERCPU | MEM_RCU, PTR_TO_BTF_ID | MEM_PERCPU | PTR_TRUSTED];
    case ARG_PTR_TO_FUNC: return [PTR_TO_FUNC];
    case ARG_PTR_TO_STACK: return [PTR_TO_STACK];
    case ARG_PTR_TO_CONST_STR: case ARG_PTR_TO_TIMER: return [PTR_TO_MAP_VALUE];
    case ARG_KPTR_XCHG_DEST: return [PTR_TO_MAP_VALUE, PTR_TO_BTF_ID | MEM_ALLOC];
    case ARG_PTR_TO_DYNPTR: return [PTR_TO_STACK, CONST_PTR_TO_DYNPTR];
    default: return undefined;
  }
}

/** `check_reg_type`. */
function checkRegType(env: Env, regno: number, argType: number): number {
  const reg = env.regs()[regno];
  const compatible = compatibleTypes(argType);
  if (!compatible) return env.bug(`unsupported arg type ${argType}`);
  let type = reg.type;
  if (argType & MEM_RDONLY) type &= ~MEM_RDONLY;
  if (argType & PTR_MAYBE_NULL) type &= ~PTR_MAYBE_NULL;
  if (!compatible.includes(type)) {
    env.verbose(`R${regno} type=${regTypeStr(reg.type)} expected=${compatible.map(regTypeStr).join(', ')}\n`);
    return -EACCES;
  }
  if (baseType(reg.type) !== PTR_TO_BTF_ID) return 0;
  if (compatible === MEM_TYPES && !(argType & MEM_RDONLY)) {
    env.verbose(`may write into memory pointed by R${regno} type=${regTypeStr(reg.type)}\n`);
    return -EACCES;
  }
  return 0;
}

/** `check_func_arg_reg_off`. */
function checkFuncArgRegOff(env: Env, reg: RegState, regno: number, argType: number): number {
  if (argType & OBJ_RELEASE) {
    if (argBase(argType) === ARG_PTR_TO_DYNPTR && reg.type === PTR_TO_STACK) return 0;
    if (reg.off) {
      env.verbose(`R${regno} must have zero offset when passed to release func or trusted arg to kfunc\n`);
      return -EINVAL;
    }
    return checkPtrOffReg(env, reg, regno, false);
  }
  switch (reg.type) {
    case PTR_TO_STACK: case PTR_TO_PACKET: case PTR_TO_PACKET_META: case PTR_TO_MAP_KEY: case PTR_TO_MAP_VALUE:
    case PTR_TO_MEM: case PTR_TO_MEM | MEM_RDONLY: case PTR_TO_MEM | MEM_RINGBUF: case PTR_TO_BUF: case PTR_TO_BUF | MEM_RDONLY:
    case PTR_TO_ARENA: case SCALAR_VALUE:
      return 0;
    case PTR_TO_BTF_ID: case PTR_TO_BTF_ID | MEM_ALLOC: case PTR_TO_BTF_ID | PTR_TRUSTED: case PTR_TO_BTF_ID | MEM_RCU:
      return checkPtrOffReg(env, reg, regno, true);
    default:
      return checkPtrOffReg(env, reg, regno, false);
  }
}

const canElideValueNullness = (mapType: number): boolean => mapType === 2 || mapType === 6; // ARRAY, PERCPU_ARRAY

/** `get_constant_map_key`: a constant key on the stack (for array lookups). */
function getConstantMapKey(env: Env, key: RegState, keySize: number): bigint | null {
  if (!env.bpfCapable || key.type !== PTR_TO_STACK || !tnumIsConst(key.varOff)) return null;
  const state = funcOf(env, key);
  const stackOff = key.off + Number(BigInt.asIntN(64, key.varOff.value));
  const slot = -stackOff - 1;
  const spi = Math.trunc(slot / BPF_REG_SIZE);
  const off = slot % BPF_REG_SIZE;
  const st = state.stack[spi];
  if (!st) return null;
  let zeroSize = 0;
  for (let i = off; i >= 0 && st.slotType[i] === STACK_ZERO; i--) zeroSize++;
  if (zeroSize >= keySize) return 0n;
  if (!isSpilledScalarReg(st)) return null;
  let spillSize = 0;
  for (let i = off; i >= 0 && st.slotType[i] === STACK_SPILL; i--) spillSize++;
  if (spillSize !== keySize) return null;
  const reg = st.spilled;
  if (!tnumIsConst(reg.varOff)) return null;
  env.bt.setSlot(spi, key.frameno);
  const err = markChainPrecisionFrom(env, env.curState, -1);
  if (err < 0) return null;
  return reg.varOff.value;
}

/** `check_func_arg`. */
function checkFuncArg(env: Env, arg: number, meta: CallArgMeta, fn: FuncProto, insnIdx: number): number {
  const regno = 1 + arg;
  const regs = env.regs();
  const reg = regs[regno];
  let argType = fn.args[arg] ?? ARG_DONTCARE;
  if (argType === ARG_DONTCARE) return 0;
  let err = checkRegArg(env, regno, SRC_OP);
  if (err) return err;
  if (argType === ARG_ANYTHING) {
    if (isPointerValue(env, regno)) {
      env.verbose(`R${regno} leaks addr into helper function\n`);
      return -EACCES;
    }
    return 0;
  }
  if ((reg.type === PTR_TO_PACKET || reg.type === PTR_TO_PACKET_META) && !mayAccessDirectPktData(env, meta, BPF_READ)) {
    env.verbose('helper access to the packet is not allowed\n');
    return -EACCES;
  }
  if (argBase(argType) === ARG_PTR_TO_MAP_VALUE) {
    if (meta.map < 0) return env.bug('invalid map_ptr to access map->type');
    const mt = env.maps[meta.map].type;
    if (mt === 15 || mt === 18) {
      if (argType === ARG_PTR_TO_MAP_VALUE) argType = ARG_PTR_TO_BTF_ID_SOCK_COMMON;
      else {
        env.verbose('invalid arg_type for sockmap/sockhash\n');
        return -EINVAL;
      }
    }
  }
  if (!(registerIsNull(reg) && typeMayBeNull(argType))) {
    err = checkRegType(env, regno, argType);
    if (err) return err;
    err = checkFuncArgRegOff(env, reg, regno, argType);
    if (err) return err;
  }
  if (argType & OBJ_RELEASE) {
    if (!reg.refObjId && !registerIsNull(reg)) {
      env.verbose(`R${regno} must be referenced when passed to release function\n`);
      return -EINVAL;
    }
    if (meta.releaseRegno) return env.bug('more than one release argument');
    meta.releaseRegno = regno;
  }
  if (reg.refObjId && argBase(argType) !== ARG_KPTR_XCHG_DEST) {
    if (meta.refObjId) {
      env.verbose(`more than one arg with ref_obj_id R${regno} ${reg.refObjId} ${meta.refObjId}`);
      return -EACCES;
    }
    meta.refObjId = reg.refObjId;
  }
  switch (argBase(argType)) {
    case ARG_CONST_MAP_PTR:
      if (meta.map >= 0 && (meta.map !== reg.map || meta.mapUid !== reg.mapUid)) {
        env.verbose(`timer pointer in R1 map_uid=${meta.mapUid} doesn't match map pointer in R2 map_uid=${reg.mapUid}\n`);
        return -EINVAL;
      }
      meta.map = reg.map;
      meta.mapUid = reg.mapUid;
      break;
    case ARG_PTR_TO_MAP_KEY: {
      if (meta.map < 0) return env.bug('invalid map_ptr to access map->key');
      const map = env.maps[meta.map];
      err = checkHelperMemAccess(env, regno, map.keySize, BPF_READ, false, null);
      if (err) return err;
      if (canElideValueNullness(map.type)) {
        const k = getConstantMapKey(env, reg, map.keySize);
        meta.constMapKey = k === null ? -1n : k;
      }
      break;
    }
    case ARG_PTR_TO_MAP_VALUE: {
      if (typeMayBeNull(argType) && registerIsNull(reg)) return 0;
      if (meta.map < 0) return env.bug('invalid map_ptr to access map->value');
      meta.rawMode = (argType & MEM_UNINIT) !== 0;
      err = checkHelperMemAccess(env, regno, env.maps[meta.map].valueSize, argType & MEM_WRITE ? BPF_WRITE : BPF_READ, false, meta);
      break;
    }
    case ARG_PTR_TO_SPIN_LOCK:
      err = processSpinLock(env, regno, meta.funcId === 93);
      if (err) return err;
      break;
    case ARG_PTR_TO_TIMER:
      err = processTimerFunc(env, regno, meta);
      if (err) return err;
      break;
    case ARG_PTR_TO_FUNC:
      meta.subprogno = reg.subprogno;
      break;
    case ARG_PTR_TO_MEM:
      meta.rawMode = (argType & MEM_UNINIT) !== 0;
      if (argType & MEM_FIXED_SIZE) {
        const size = fn.argSize?.[arg] ?? 0;
        err = checkHelperMemAccess(env, regno, size, argType & MEM_WRITE ? BPF_WRITE : BPF_READ, false, meta);
        if (err) return err;
        if (argType & MEM_ALIGNED) err = checkPtrAlignment(env, reg, 0, size, true);
      }
      break;
    case ARG_CONST_SIZE:
      err = checkMemSizeReg(env, reg, regno, (fn.args[arg - 1] ?? 0) & MEM_WRITE ? BPF_WRITE : BPF_READ, false, meta);
      break;
    case ARG_CONST_SIZE_OR_ZERO:
      err = checkMemSizeReg(env, reg, regno, (fn.args[arg - 1] ?? 0) & MEM_WRITE ? BPF_WRITE : BPF_READ, true, meta);
      break;
    case ARG_CONST_ALLOC_SIZE_OR_ZERO:
      if (!tnumIsConst(reg.varOff)) {
        env.verbose(`R${regno} is not a known constant'\n`);
        return -EACCES;
      }
      meta.memSize = Number(reg.varOff.value);
      err = markChainPrecision(env, regno);
      if (err) return err;
      break;
    case ARG_PTR_TO_CONST_STR: {
      const map = env.maps[reg.map];
      const rdonly = (map.flags & (1 << 7)) !== 0 && map.kind === 'rodata';
      if (!rdonly) {
        env.verbose(`R${regno} does not point to a readonly map'\n`);
        return -EACCES;
      }
      if (!tnumIsConst(reg.varOff)) {
        env.verbose(`R${regno} is not a constant address'\n`);
        return -EACCES;
      }
      err = checkMapAccess(env, regno, reg.off, map.valueSize - reg.off, false);
      if (err) return err;
      const mapOff = reg.off + Number(reg.varOff.value);
      const bytes = map.initial;
      if (bytes && !bytes.subarray(mapOff, map.valueSize).includes(0)) {
        env.verbose('string is not zero-terminated\n');
        return -EINVAL;
      }
      break;
    }
    case ARG_PTR_TO_DYNPTR:
      env.verbose(`arg#${regno - 1} expected pointer to stack or const struct bpf_dynptr\n`);
      return -EINVAL;
  }
  return err;
}

/** `process_timer_func` (and `check_map_field_pointer`): R points at the map value's bpf_timer. */
function processTimerFunc(env: Env, regno: number, meta: CallArgMeta): number {
  const reg = env.regs()[regno];
  const map = env.maps[reg.map];
  if (!tnumIsConst(reg.varOff)) {
    env.verbose(`R${regno} doesn't have constant offset. bpf_timer has to be at the constant offset\n`);
    return -EINVAL;
  }
  if (map.btfValueTypeId === undefined || !env.btf) {
    env.verbose(`map '${map.name}' has to have BTF in order to use bpf_timer\n`);
    return -EINVAL;
  }
  const off = env.fieldOffset(reg.map, 'bpf_timer');
  if (off < 0) {
    env.verbose(`map '${map.name}' has no valid bpf_timer\n`);
    return -EINVAL;
  }
  const val = Number(reg.varOff.value) + reg.off;
  if (off !== val) {
    env.verbose(`off ${val} doesn't point to 'struct bpf_timer' that is at ${off}\n`);
    return -EINVAL;
  }
  if (meta.map >= 0 && meta.map !== reg.map) {
    env.verbose('timer pointer in R1 map_uid=0 doesn\'t match map pointer in R2 map_uid=0\n');
    return -EINVAL;
  }
  meta.map = reg.map;
  meta.mapUid = reg.mapUid;
  return 0;
}

/** `process_spin_lock`: needs BTF-described map values, which raw programs lack. */
function processSpinLock(env: Env, regno: number, isLock: boolean): number {
  const reg = env.regs()[regno];
  const lockStr = 'bpf_spin';
  if (!tnumIsConst(reg.varOff)) {
    env.verbose(`R${regno} doesn't have constant offset. ${lockStr}_lock has to be at the constant offset\n`);
    return -EINVAL;
  }
  const map = env.maps[reg.map];
  const lockOff = env.fieldOffset(reg.map, 'bpf_spin_lock');
  if (reg.type === PTR_TO_MAP_VALUE && lockOff < 0) {
    if (map?.btfValueTypeId === undefined) {
      env.verbose(`map '${map?.name ?? ''}' has to have BTF in order to use ${lockStr}_lock\n`);
      return -EINVAL;
    }
    env.verbose(`map '${map.name}' has no valid ${lockStr}_lock\n`);
    return -EINVAL;
  }
  const val = Number(reg.varOff.value) + reg.off;
  if (lockOff !== val) {
    env.verbose(`off ${val} doesn't point to 'struct ${lockStr}_lock' that is at ${lockOff}\n`);
    return -EINVAL;
  }
  const st = env.curState;
  if (isLock) {
    if (st.activeLocks && st.refs.some((r) => r.type & REF_TYPE_LOCK)) {
      env.verbose('Locking two bpf_spin_locks are not allowed\n');
      return -EINVAL;
    }
    st.refs.push({ type: REF_TYPE_LOCK, id: reg.id, insnIdx: env.insnIdx, ptr: reg.map });
    st.activeLocks++;
    st.activeLockId = reg.id;
    st.activeLockPtr = reg.map;
  } else {
    if (!st.activeLocks) {
      env.verbose(`${lockStr}_unlock without taking a lock\n`);
      return -EINVAL;
    }
    const k = st.refs.findIndex((r) => r.type === REF_TYPE_LOCK && r.id === reg.id && r.ptr === reg.map);
    if (k < 0) {
      env.verbose(`${lockStr}_unlock of different lock\n`);
      return -EINVAL;
    }
    if (reg.id !== st.activeLockId || reg.map !== st.activeLockPtr) {
      env.verbose(`${lockStr}_unlock cannot be out of order\n`);
      return -EINVAL;
    }
    st.refs.splice(k, 1);
    st.activeLocks--;
    st.activeLockId = 0;
    st.activeLockPtr = -1;
  }
  return 0;
}

/** `check_map_func_compatibility`. */
function checkMapFuncCompatibility(env: Env, mapIdx: number, funcId: number): number {
  if (mapIdx < 0) return 0;
  const mt = env.maps[mapIdx].type;
  const ok = mapFuncCompatible(mt, funcId, env);
  if (ok === true) return 0;
  if (ok === 'sub') {
    env.verbose('mixing of tail_calls and bpf-to-bpf calls is not supported\n');
    return -EINVAL;
  }
  env.verbose(`cannot pass map_type ${mt} into func ${funcIdName(funcId)}#${funcId}\n`);
  return -EINVAL;
}

const is = (id: number, ...ids: number[]): boolean => ids.includes(id);

function mapFuncCompatible(mt: number, f: number, env: Env): boolean | 'sub' {
  // map side
  switch (mt) {
    case 3: if (f !== 12) return false; break; // PROG_ARRAY
    case 4: if (!is(f, 22, 25, 111, 55, 121)) return false; break; // PERF_EVENT_ARRAY
    case 27: if (!is(f, 130, 131, 134, 198, 199, 200)) return false; break; // RINGBUF
    case 31: if (f !== 209) return false; break; // USER_RINGBUF
    case 7: if (f !== 27) return false; break; // STACK_TRACE
    case 8: if (!is(f, 33, 37)) return false; break; // CGROUP_ARRAY
    case 19: case 21: if (f !== 81) return false; break; // CGROUP_STORAGE
    case 14: case 25: if (!is(f, 51, 1)) return false; break; // DEVMAP(_HASH)
    case 16: if (f !== 51) return false; break; // CPUMAP
    case 17: if (!is(f, 51, 1)) return false; break; // XSKMAP
    case 12: case 13: if (f !== 1) return false; break; // ARRAY/HASH_OF_MAPS
    case 15: if (!is(f, 52, 53, 60, 82, 1) && !maySockmapUpdate(env, f)) return false; break;
    case 18: if (!is(f, 72, 70, 71, 82, 1) && !maySockmapUpdate(env, f)) return false; break;
    case 20: if (f !== 82) return false; break; // REUSEPORT_SOCKARRAY
    case 22: case 23: if (!is(f, 89, 88, 87)) return false; break; // QUEUE, STACK
    case 24: if (!is(f, 107, 108, 194)) return false; break; // SK_STORAGE
    case 28: if (!is(f, 145, 146, 194)) return false; break; // INODE_STORAGE
    case 29: if (!is(f, 156, 157, 194)) return false; break; // TASK_STORAGE
    case 32: if (!is(f, 210, 211, 194)) return false; break; // CGRP_STORAGE
    case 30: if (!is(f, 89, 87)) return false; break; // BLOOM_FILTER
  }
  // function side
  switch (f) {
    case 12: if (mt !== 3) return false; if (env.subprogs.length > 1 && false) return 'sub'; break;
    case 22: case 25: case 55: case 111: case 121: if (mt !== 4) return false; break;
    case 130: case 131: case 134: case 198: case 199: case 200: if (mt !== 27) return false; break;
    case 209: if (mt !== 31) return false; break;
    case 27: if (mt !== 7) return false; break;
    case 37: case 33: if (mt !== 8) return false; break;
    case 51: if (!is(mt, 14, 25, 16, 17)) return false; break;
    case 52: case 60: case 53: if (mt !== 15) return false; break;
    case 72: case 70: case 71: if (mt !== 18) return false; break;
    case 81: if (!is(mt, 19, 21)) return false; break;
    case 82: if (!is(mt, 20, 15, 18)) return false; break;
    case 88: if (!is(mt, 22, 23)) return false; break;
    case 89: case 87: if (!is(mt, 22, 23, 30)) return false; break;
    case 195: if (!is(mt, 6, 5, 10)) return false; break;
    case 107: case 108: if (mt !== 24) return false; break;
    case 145: case 146: if (mt !== 28) return false; break;
    case 156: case 157: if (mt !== 29) return false; break;
    case 210: case 211: if (mt !== 32) return false; break;
  }
  return true;
}

function maySockmapUpdate(env: Env, f: number): boolean {
  if (f !== 2 && f !== 3) return false;
  const t = env.ptype.name;
  if (t === 'sock_ops' && f === 3) return true;
  if (['socket_filter', 'sched_cls', 'sched_act', 'xdp', 'sk_reuseport', 'flow_dissector', 'sk_lookup'].includes(t)) return true;
  env.verbose('cannot update sockmap in this context\n');
  return false;
}

/** `record_func_map`. */
function recordFuncMap(env: Env, meta: CallArgMeta, funcId: number, insnIdx: number): number {
  if (!is(funcId, 12, 1, 2, 3, 87, 88, 89, 164, 51, 195)) return 0;
  if (meta.map < 0) return env.bug('expected map for helper call');
  const map = env.maps[meta.map];
  const BPF_F_RDONLY_PROG = 1 << 7;
  if (map.flags & BPF_F_RDONLY_PROG && is(funcId, 3, 2, 87, 88)) {
    env.verbose('write into map forbidden\n');
    return -EACCES;
  }
  const aux = env.aux[insnIdx];
  if (aux.mapPtrState === -1) aux.mapPtrState = meta.map;
  else if (aux.mapPtrState !== meta.map) aux.mapPtrState = -2;
  return 0;
}

/** `record_func_key` (tail calls). */
function recordFuncKey(env: Env, meta: CallArgMeta, funcId: number, insnIdx: number): number {
  if (funcId !== 12) return 0;
  if (meta.map < 0 || env.maps[meta.map].type !== 3) {
    env.verbose('expected prog array map for tail call');
    return -EINVAL;
  }
  const reg = env.regs()[3];
  const val = reg.varOff.value;
  const max = BigInt(env.maps[meta.map].maxEntries);
  const aux = env.aux[insnIdx];
  const POISON = 1n << 63n;
  const SEEN = 1n << 62n;
  if (!(isRegConst(reg, false) && val < max)) {
    aux.mapKeyState = POISON | SEEN;
    return 0;
  }
  const err = markChainPrecision(env, 3);
  if (err) return err;
  if (!(aux.mapKeyState & SEEN)) aux.mapKeyState = val | SEEN | (aux.mapKeyState & POISON);
  else if (!(aux.mapKeyState & POISON) && (aux.mapKeyState & ~(SEEN | POISON)) !== val) aux.mapKeyState = POISON | SEEN;
  return 0;
}

/** `check_helper_call`. */
export function checkHelperCall(env: Env, insn: Insn, insnIdx: number): number {
  const funcId = insn.imm;
  if (funcId < 0 || funcId >= 212) {
    env.verbose(`invalid func ${funcIdName(funcId)}#${funcId}\n`);
    return -EINVAL;
  }
  const allowed = env.ptype.helperAllowed(funcId);
  const fn = allowed === 'no' ? undefined : env.ptype.proto(funcId);
  if (!fn) {
    env.verbose(`program of this type cannot use helper ${funcIdName(funcId)}#${funcId}\n`);
    return -EINVAL;
  }
  if (!env.prog.gplCompatible && fn.gplOnly) {
    env.verbose('cannot call GPL-restricted function from non-GPL compatible program\n');
    return -EINVAL;
  }
  if (allowed === 'probe') {
    env.verbose('helper call is not allowed in probe\n');
    return -EINVAL;
  }
  if (allowed === 'sleep' && !(env.prog.flags & (1 << 4))) {
    env.verbose('helper call might sleep in a non-sleepable prog\n');
    return -EINVAL;
  }
  let changesData = CHANGES_PKT_DATA.has(funcId);
  const meta = newCallArgMeta();
  meta.pktAccess = !!fn.pktAccess;
  meta.funcId = funcId;
  let err: number;
  for (let i = 0; i < 5; i++) {
    err = checkFuncArg(env, i, meta, fn, insnIdx);
    if (err) return err;
  }
  err = recordFuncMap(env, meta, funcId, insnIdx);
  if (err) return err;
  err = recordFuncKey(env, meta, funcId, insnIdx);
  if (err) return err;
  for (let i = 0; i < meta.accessSize; i++) {
    err = checkMemAccess(env, insnIdx, meta.regno, i, 1, BPF_WRITE, -1, false, false);
    if (err) return err;
  }
  const regs = env.regs();
  if (meta.releaseRegno) {
    err = -EINVAL;
    if (meta.refObjId) err = releaseReference(env, meta.refObjId);
    else if (registerIsNull(regs[meta.releaseRegno])) err = 0;
    if (err) {
      env.verbose(`func ${funcIdName(funcId)}#${funcId} reference has not been acquired before\n`);
      return err;
    }
  }
  switch (funcId) {
    case 12:
      err = checkResourceLeak(env, false, true, 'tail_call');
      if (err) return err;
      break;
    case 81:
      if (!registerIsNull(regs[2])) {
        env.verbose("get_local_storage() doesn't support non-zero flags\n");
        return -EINVAL;
      }
      break;
    case 164:
      err = pushCallbackCall(env, insn, insnIdx, meta.subprogno, setMapElemCallbackState);
      break;
    case 170:
      err = pushCallbackCall(env, insn, insnIdx, meta.subprogno, setTimerCallbackState);
      break;
    case 181: {
      updateLoopInlineState(env, meta.subprogno);
      // the verifier decides when the loop is over from R1
      err = markChainPrecision(env, 1);
      if (err) return err;
      const frame = env.cur();
      if (BigInt(frame.callbackDepth) < regs[1].umax) {
        err = pushCallbackCall(env, insn, insnIdx, meta.subprogno, setLoopCallbackState);
      } else {
        frame.callbackDepth = 0;
        if (env.level2) env.verbose(`frame${env.curState.curframe} bpf_loop iteration limit reached\n`);
      }
      break;
    }
  }
  if (err) return err;
  for (let i = 0; i <= 5; i++) {
    markRegNotInit(regs[i], env.bpfCapable);
    checkRegArg(env, i, DST_OP_NO_MARK);
  }
  regs[0].subregDef = 0;
  const retType = fn.ret;
  let retFlag = retType & ~0xff;
  const r0 = regs[0];
  switch (retType & 0xff) {
    case RET_INTEGER:
      markRegUnknown(r0, env.bpfCapable);
      break;
    case RET_VOID:
      r0.type = NOT_INIT;
      break;
    case RET_PTR_TO_MAP_VALUE: {
      markRegKnownZero(r0);
      if (meta.map < 0) return env.bug('unexpected null map_ptr');
      const map = env.maps[meta.map];
      if (funcId === 1 && canElideValueNullness(map.type) && meta.constMapKey >= 0n && meta.constMapKey < BigInt(map.maxEntries)) retFlag &= ~PTR_MAYBE_NULL;
      r0.map = meta.map;
      r0.mapUid = meta.mapUid;
      r0.type = PTR_TO_MAP_VALUE | retFlag;
      if (!typeMayBeNull(retFlag) && env.hasField(meta.map, 'bpf_spin_lock', 'bpf_res_spin_lock')) r0.id = ++env.idGen;
      break;
    }
    case RET_PTR_TO_SOCKET: markRegKnownZero(r0); r0.type = PTR_TO_SOCKET | retFlag; break;
    case RET_PTR_TO_SOCK_COMMON: markRegKnownZero(r0); r0.type = PTR_TO_SOCK_COMMON | retFlag; break;
    case RET_PTR_TO_TCP_SOCK: markRegKnownZero(r0); r0.type = PTR_TO_TCP_SOCK | retFlag; break;
    case RET_PTR_TO_MEM: markRegKnownZero(r0); r0.type = PTR_TO_MEM | retFlag; r0.memSize = meta.memSize; break;
    case RET_PTR_TO_MEM_OR_BTF_ID: markRegKnownZero(r0); r0.type = PTR_TO_MEM | retFlag; r0.memSize = 0; break;
    case RET_PTR_TO_BTF_ID: markRegKnownZero(r0); r0.type = PTR_TO_BTF_ID | retFlag; r0.btfName = fn.retBtf ?? ''; break;
    default:
      env.verbose(`unknown return type ${retType & 0xff} of func ${funcIdName(funcId)}#${funcId}\n`);
      return -EINVAL;
  }
  if (typeMayBeNull(r0.type)) r0.id = ++env.idGen;
  const isPtrCast = is(funcId, 96, 95, 136, 137, 138, 139, 140, 196);
  const map = meta.map >= 0 ? env.maps[meta.map] : undefined;
  const isAcquire = is(funcId, 84, 85, 99, 131, 194) || (funcId === 1 && !!map && (map.type === 15 || map.type === 18));
  if (isPtrCast) {
    r0.refObjId = meta.refObjId;
  } else if (isAcquire) {
    const id = acquireReference(env, insnIdx);
    r0.id = id;
    r0.refObjId = id;
  }
  err = doRefineRetvalRange(env, regs, retType, funcId, meta);
  if (err) return err;
  err = checkMapFuncCompatibility(env, meta.map, funcId);
  if (err) return err;
  if (funcId === 173 && env.ptype.name !== 'kprobe' && env.ptype.name !== 'tracing') {
    env.verbose(`func ${funcIdName(funcId)}#${funcId} not supported for program type ${env.prog.progType}\n`);
    return -ENOTSUPP;
  }
  if (changesData) clearAllPktPointers(env);
  changesData = false;
  return 0;
}

/** `do_refine_retval_range`. */
function doRefineRetvalRange(env: Env, regs: RegState[], retType: number, funcId: number, meta: CallArgMeta): number {
  const r0 = regs[0];
  if (retType !== RET_INTEGER) return 0;
  const MAX_ERRNO = 4095n;
  if (is(funcId, 67, 141, 45, 115, 114)) {
    r0.smax = meta.msizeMaxValue;
    r0.s32max = Number(BigInt.asIntN(32, meta.msizeMaxValue));
    r0.smin = -MAX_ERRNO;
    r0.s32min = -4095;
    regBoundsSync(r0);
  } else if (funcId === 8) {
    const ncpu = BigInt(env.ptype.nrCpuIds - 1);
    r0.umax = ncpu; r0.u32max = Number(ncpu); r0.smax = ncpu; r0.s32max = Number(ncpu);
    r0.umin = 0n; r0.u32min = 0; r0.smin = 0n; r0.s32min = 0;
    regBoundsSync(r0);
  }
  return regBoundsSanityCheck(env, r0, 'retval');
}

// ---------------------------------------------------------------------------------------
// bpf-to-bpf calls and callbacks

type SetCalleeState = (env: Env, caller: FuncState, callee: FuncState, insnIdx: number) => number;

const setCalleeState: SetCalleeState = (env, caller, callee) => {
  for (let i = 1; i <= 5; i++) callee.regs[i].copyFrom(caller.regs[i]);
  return 0;
};

const setLoopCallbackState: SetCalleeState = (env, caller, callee) => {
  callee.regs[1].type = SCALAR_VALUE;
  callee.regs[2].copyFrom(caller.regs[3]);
  for (const r of [3, 4, 5]) markRegNotInit(callee.regs[r], env.bpfCapable);
  callee.inCallbackFn = true;
  callee.callbackRetRange = { min: 0, max: 1 };
  return 0;
};

const setMapElemCallbackState: SetCalleeState = (env, caller, callee, insnIdx) => {
  const mapIdx = env.aux[insnIdx].mapPtrState >= 0 ? env.aux[insnIdx].mapPtrState : caller.regs[1].map;
  const mt = env.maps[mapIdx]?.type ?? 0;
  if (![1, 2, 5, 6, 9, 10].includes(mt)) {
    env.verbose('callback function not allowed for map\n');
    return -ENOTSUPP;
  }
  callee.regs[1].copyFrom(caller.regs[1]);
  callee.regs[2].type = PTR_TO_MAP_KEY;
  markRegKnownZero(callee.regs[2]);
  callee.regs[2].map = caller.regs[1].map;
  callee.regs[3].type = PTR_TO_MAP_VALUE;
  markRegKnownZero(callee.regs[3]);
  callee.regs[3].map = caller.regs[1].map;
  callee.regs[4].copyFrom(caller.regs[3]);
  markRegNotInit(callee.regs[5], env.bpfCapable);
  callee.inCallbackFn = true;
  callee.callbackRetRange = { min: 0, max: 1 };
  return 0;
};

const setTimerCallbackState: SetCalleeState = (env, caller, callee) => {
  // callback_fn(struct bpf_map *map, void *key, void *value)
  const map = caller.regs[1].map;
  const r = callee.regs;
  r[1].type = CONST_PTR_TO_MAP;
  markRegKnownZero(r[1]);
  r[1].map = map;
  r[2].type = PTR_TO_MAP_KEY;
  markRegKnownZero(r[2]);
  r[2].map = map;
  r[3].type = PTR_TO_MAP_VALUE;
  markRegKnownZero(r[3]);
  r[3].map = map;
  markRegNotInit(r[4], env.bpfCapable);
  markRegNotInit(r[5], env.bpfCapable);
  callee.inAsyncCallbackFn = true;
  callee.callbackRetRange = { min: 0, max: 0 };
  return 0;
};

/** `setup_func_entry`. */
function setupFuncEntry(env: Env, subprog: number, callsite: number, setState: SetCalleeState, state: VerifierState): number {
  if (state.curframe + 1 >= MAX_CALL_FRAMES) {
    env.verbose(`the call stack of ${state.curframe + 2} frames is too deep\n`);
    return -E2BIG;
  }
  const caller = state.frames[state.curframe];
  const callee = new FuncState();
  state.frames[state.curframe + 1] = callee;
  initFuncState(callee, callsite, state.curframe + 1, subprog, env.bpfCapable);
  env.scratch.all();
  const err = setState(env, caller, callee, callsite);
  if (err) {
    state.frames.length = state.curframe + 1;
    return err;
  }
  state.curframe++;
  return 0;
}

/** `push_callback_call`: queue the callback's body as a path, continue after the call. */
function pushCallbackCall(env: Env, insn: Insn, insnIdx: number, subprog: number, setState: SetCalleeState): number {
  const state = env.curState;
  const caller = state.frames[state.curframe];
  const argErr = checkSubprogCall(env, subprog, caller.regs, (reg, regno, size) => checkMemReg(env, reg, regno, size),
    (reg, regno) => checkFuncArgRegOff(env, reg, regno, ARG_DONTCARE));
  if (argErr === -EFAULT) return argErr;
  env.subprogs[subprog].isCb = true;
  if (insn.src === 0 && ASYNC_CALLBACK_HELPERS.has(insn.imm)) {
    // timer callbacks run later, on their own: verified as a fresh path from their start
    env.subprogs[subprog].isAsyncCb = true;
    const cb = pushAsyncCb(env, env.subprogs[subprog].start, insnIdx, subprog, false);
    if (typeof cb === 'number') return cb;
    const callee = cb.frames[0];
    callee.asyncEntryCnt = caller.asyncEntryCnt + 1;
    return setState(env, caller, callee, insnIdx);
  }
  const cb = pushStack(env, env.subprogs[subprog].start, insnIdx, false);
  if (typeof cb === 'number') return cb;
  const err = setupFuncEntry(env, subprog, insnIdx, setState, cb);
  if (err) return err;
  cb.callbackUnrollDepth++;
  cb.frames[cb.curframe - 1].callbackDepth++;
  caller.callbackDepth = 0;
  return 0;
}

/** `loop_flag_is_zero`: a zero flags argument is made precise (bpf_loop may then be inlined). */
function loopFlagIsZero(env: Env): boolean {
  const isNull = registerIsNull(env.regs()[4]);
  if (isNull) markChainPrecision(env, 4);
  return isNull;
}

/** `update_loop_inline_state`. */
function updateLoopInlineState(env: Env, subprogno: number): void {
  const aux = env.aux[env.insnIdx];
  if (!aux.loopInit) {
    aux.loopInit = true;
    aux.loopFitForInline = loopFlagIsZero(env);
    aux.loopCallbackSubprog = subprogno;
    return;
  }
  if (!aux.loopFitForInline) return;
  aux.loopFitForInline = loopFlagIsZero(env) && aux.loopCallbackSubprog === subprogno;
}

/** `check_func_call`: bpf-to-bpf call; `next` receives the callee's first instruction - 1. */
export function checkFuncCall(env: Env, insn: Insn, next: { idx: number }): number {
  const state = env.curState;
  const target = next.idx + insn.imm + 1;
  const subprog = findSubprog(env, target);
  if (subprog < 0) return env.bug(`target of func call at insn ${target} is not a program`);
  const caller = state.frames[state.curframe];
  const argErr = checkSubprogCall(env, subprog, caller.regs, (reg, regno, size) => checkMemReg(env, reg, regno, size),
    (reg, regno) => checkFuncArgRegOff(env, reg, regno, ARG_DONTCARE));
  if (argErr === -EFAULT) return argErr;
  if (env.subprogs[subprog].isGlobal) {
    const name = env.subprogs[subprog].name;
    if (state.activeLocks) {
      env.verbose('global function calls are not allowed while holding a lock,\nuse static function instead\n');
      return -EINVAL;
    }
    if (argErr) {
      env.verbose(`Caller passes invalid args into func#${subprog} ('${name}')\n`);
      return argErr;
    }
    env.verbose(`Func#${subprog} ('${name}') is global and assumed valid.\n`);
    if (env.subprogs[subprog].changesPktData) clearAllPktPointers(env);
    env.globalCalled.add(subprog);
    for (let i = 0; i <= 5; i++) {
      markRegNotInit(caller.regs[i], env.bpfCapable);
      checkRegArgIn(env, caller.regs, i, DST_OP_NO_MARK);
    }
    markRegUnknown(caller.regs[0], env.bpfCapable);
    caller.regs[0].subregDef = 0;
    return 0;
  }
  const err = setupFuncEntry(env, subprog, next.idx, setCalleeState, state);
  if (err) return err;
  for (let i = 0; i <= 5; i++) {
    markRegNotInit(caller.regs[i], env.bpfCapable);
    checkRegArgIn(env, caller.regs, i, DST_OP_NO_MARK);
  }
  next.idx = env.subprogs[subprog].start - 1;
  env.liveness.resetCallchain();
  if (env.level1) {
    env.verbose('caller:\n');
    env.printVerifierState(state, caller.frameno, true);
    env.verbose('callee:\n');
    env.printVerifierState(state, state.curframe, true);
  }
  return 0;
}

/** `prepare_func_exit`; `next` receives where to continue in the caller. */
export function prepareFuncExit(env: Env, next: { idx: number }): number {
  const state = env.curState;
  const callee = state.frames[state.curframe];
  const r0 = callee.regs[0];
  if (r0.type === PTR_TO_STACK) {
    env.verbose('cannot return stack pointer to the caller\n');
    return -EINVAL;
  }
  const caller = state.frames[state.curframe - 1];
  if (callee.inCallbackFn) {
    if (r0.type !== SCALAR_VALUE) {
      env.verbose('R0 not a scalar value\n');
      return -EACCES;
    }
    const err = markChainPrecision(env, 0);
    if (err) return err;
    const range = callee.callbackRetRange;
    if (!(BigInt(range.min) <= r0.smin && r0.smax <= BigInt(range.max))) {
      verboseInvalidScalar(env, r0, range, 'At callback return', 'R0');
      return -EINVAL;
    }
  } else {
    caller.regs[0].copyFrom(r0);
  }
  const inCallback = callee.inCallbackFn;
  next.idx = inCallback ? callee.callsite : callee.callsite + 1;
  if (env.level1) {
    env.verbose('returning from callee:\n');
    env.printVerifierState(state, callee.frameno, true);
    env.verbose(`to caller at ${next.idx}:\n`);
    env.printVerifierState(state, caller.frameno, true);
  }
  state.frames.length = state.curframe;
  state.curframe--;
  return 0;
}

/** `verbose_invalid_scalar`. */
export function verboseInvalidScalar(env: Env, reg: RegState, range: { min: number; max: number }, ctx: string, regName: string): void {
  let s = `${ctx} the register ${regName} has`;
  let unknown = true;
  if (reg.smin > -(1n << 63n)) { s += ` smin=${reg.smin}`; unknown = false; }
  if (reg.smax < (1n << 63n) - 1n) { s += ` smax=${reg.smax}`; unknown = false; }
  if (unknown) s += ' unknown scalar value';
  s += ` should have been in [${range.min}, ${range.max}]\n`;
  env.verbose(s);
}

/** `check_return_code`. */
export function checkReturnCode(env: Env, regno: number, regName: string): number {
  const frame = env.curState.frames[0];
  const isSubprog = frame.subprogno !== 0;
  let err = checkRegArg(env, regno, SRC_OP);
  if (err) return err;
  if (isPointerValue(env, regno)) {
    env.verbose(`R${regno} leaks addr as return value\n`);
    return -EACCES;
  }
  const reg = env.regs()[regno];
  let exitCtx = 'At program exit';
  let range = env.ptype.returnRange;
  if (frame.inAsyncCallbackFn) {
    exitCtx = 'At async callback return';
    range = frame.callbackRetRange;
  } else {
    if (isSubprog) {
      if (reg.type !== SCALAR_VALUE) {
        env.verbose(`At subprogram exit the register R${regno} is not a scalar value (${regTypeStr(reg.type)})\n`);
        return -EINVAL;
      }
      return 0;
    }
    if (!range) return 0;
  }
  if (reg.type !== SCALAR_VALUE) {
    env.verbose(`${exitCtx} the register R${regno} is not a known value (${regTypeStr(reg.type)})\n`);
    return -EINVAL;
  }
  err = markChainPrecision(env, regno);
  if (err) return err;
  if (!(BigInt(range.min) <= reg.smin && reg.smax <= BigInt(range.max))) {
    verboseInvalidScalar(env, reg, range, exitCtx, regName);
    return -EINVAL;
  }
  return 0;
}

/** `check_ld_abs`. */
export function checkLdAbs(env: Env, insn: Insn): number {
  const regs = env.regs();
  const mode = insn.code & 0xe0;
  if (!env.ptype.mayAccessSkb) {
    env.verbose('BPF_LD_[ABS|IND] instructions not allowed for this program type\n');
    return -EINVAL;
  }
  if (insn.dst !== 0 || insn.off !== 0 || (insn.code & 0x18) === 0x18 || (mode === 0x20 && insn.src !== 0)) {
    env.verbose('BPF_LD_[ABS|IND] uses reserved fields\n');
    return -EINVAL;
  }
  let err = checkRegArg(env, 6, SRC_OP);
  if (err) return err;
  err = checkResourceLeak(env, false, true, 'BPF_LD_[ABS|IND]');
  if (err) return err;
  if (regs[6].type !== PTR_TO_CTX) {
    env.verbose('at the time of BPF_LD_ABS|IND R6 != pointer to skb\n');
    return -EINVAL;
  }
  if (mode === 0x40) {
    err = checkRegArg(env, insn.src, SRC_OP);
    if (err) return err;
  }
  err = checkPtrOffReg(env, regs[6], 6, false);
  if (err < 0) return err;
  for (let i = 0; i <= 5; i++) {
    markRegNotInit(regs[i], env.bpfCapable);
    checkRegArg(env, i, DST_OP_NO_MARK);
  }
  markRegUnknown(regs[0], env.bpfCapable);
  regs[0].subregDef = env.insnIdx + 1;
  return 0;
}

/** `check_ld_imm`. */
export function checkLdImm(env: Env, insn: Insn): number {
  const regs = env.regs();
  if ((insn.code & 0x18) !== 0x18) {
    env.verbose('invalid BPF_LD_IMM insn\n');
    return -EINVAL;
  }
  if (insn.off !== 0) {
    env.verbose('BPF_LD_IMM64 uses reserved fields\n');
    return -EINVAL;
  }
  const err = checkRegArg(env, insn.dst, DST_OP);
  if (err) return err;
  const dst = regs[insn.dst];
  if (insn.src === 0) {
    const hi = env.insns[env.insnIdx + 1];
    const imm = (BigInt(hi.imm >>> 0) << 32n) | BigInt(insn.imm >>> 0);
    dst.type = SCALAR_VALUE;
    markRegKnown(dst, imm);
    return 0;
  }
  markRegKnownZero(dst);
  if (insn.src === 4) {
    const sub = findSubprog(env, env.insnIdx + insn.imm + 1);
    if (!env.hasFuncInfo) {
      env.verbose('missing btf func_info\n');
      return -EINVAL;
    }
    dst.type = PTR_TO_FUNC;
    dst.subprogno = sub;
    return 0;
  }
  const aux = env.aux[env.insnIdx];
  dst.map = aux.mapIndex;
  if (insn.src === 2 || insn.src === 6) {
    dst.type = PTR_TO_MAP_VALUE;
    dst.off = aux.mapOff;
  } else if (insn.src === 1 || insn.src === 5) {
    dst.type = CONST_PTR_TO_MAP;
  } else {
    return env.bug('unexpected src reg value for ldimm64');
  }
  return 0;
}

