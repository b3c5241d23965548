/**
 * Function signatures from the program's BTF (`btf_prepare_func_args` and
 * `btf_check_func_arg_match`, kernel/bpf/btf.c): which subprograms are global, what
 * their arguments are (scalar, context, or a pointer to memory of a known size), and
 * whether a call passes matching registers.
 */
import { Btf, BTF_FUNC_GLOBAL, BtfError, type BtfType } from '../btf/btf';
import type { FuncInfo } from '../elf/loaded-object';
import { EFAULT, EINVAL, type Env } from './env';
import { PTR_MAYBE_NULL, PTR_TO_CTX, SCALAR_VALUE, type RegState } from './reg-state';

export interface SubprogArg {
  kind: 'scalar' | 'ctx' | 'mem';
  /** `mem`: size of the pointed-to type. */
  memSize: number;
  nullable: boolean;
}

/** Per-subprogram BTF facts. */
export interface SubprogBtf {
  typeId: number;
  name: string;
  global: boolean;
  /** Set once `prepareFuncArgs` succeeded (`args_cached`). */
  args?: SubprogArg[];
  /** BTF could not describe the calls (`func_info_aux.unreliable`). */
  unreliable: boolean;
}

/** The kernel's `btf_type_str`. */
const KIND_STR: Record<string, string> = {
  void: 'UNKNOWN', int: 'INT', ptr: 'PTR', array: 'ARRAY', struct: 'STRUCT', union: 'UNION', enum: 'ENUM', fwd: 'FWD',
  typedef: 'TYPEDEF', volatile: 'VOLATILE', const: 'CONST', restrict: 'RESTRICT', func: 'FUNC', func_proto: 'FUNC_PROTO',
  var: 'VAR', datasec: 'DATASEC', float: 'FLOAT', decl_tag: 'DECL_TAG', type_tag: 'TYPE_TAG', enum64: 'ENUM64',
};

/** The user-visible context struct of each program type (`bpf_types.h`), for `btf_is_prog_ctx_type`. */
const CTX_TYPE: Record<string, string> = {
  socket_filter: '__sk_buff', sched_cls: '__sk_buff', sched_act: '__sk_buff', cgroup_skb: '__sk_buff', lwt_in: '__sk_buff',
  lwt_out: '__sk_buff', lwt_xmit: '__sk_buff', lwt_seg6local: '__sk_buff', sk_skb: '__sk_buff', flow_dissector: '__sk_buff',
  xdp: 'xdp_md', kprobe: 'bpf_user_pt_regs_t', perf_event: 'bpf_perf_event_data', raw_tracepoint: 'bpf_raw_tracepoint_args',
  raw_tracepoint_writable: 'bpf_raw_tracepoint_args', cgroup_sock: 'bpf_sock', cgroup_sock_addr: 'bpf_sock_addr',
  sock_ops: 'bpf_sock_ops', sk_msg: 'sk_msg_md', cgroup_device: 'bpf_cgroup_dev_ctx', cgroup_sysctl: 'bpf_sysctl',
  cgroup_sockopt: 'bpf_sockopt', sk_reuseport: 'sk_reuseport_md', sk_lookup: 'bpf_sk_lookup', netfilter: 'bpf_nf_ctx',
};

/** Kernel-side types a context struct stands for (`btf_is_projection_of`). */
const PROJECTIONS: Record<string, string> = { __sk_buff: 'sk_buff', xdp_md: 'xdp_buff', sk_msg_md: 'sk_msg' };

const isModifier = (t: BtfType): boolean =>
  t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag' || t.kind === 'typedef';

function skipModifiers(btf: Btf, id: number): BtfType {
  let t = btf.type(id);
  for (let i = 0; i < 32 && isModifier(t); i++) t = btf.type((t as { type: number }).type);
  return t;
}

/** `btf_is_prog_ctx_type` for pointer type `ptr`. */
function isProgCtxType(btf: Btf, ptr: BtfType & { kind: 'ptr' }, progTypeName: string): boolean {
  const want = CTX_TYPE[progTypeName];
  let t = btf.type(ptr.type);
  if (progTypeName === 'kprobe') {
    while (t.kind !== 'typedef' && isModifier(t)) t = btf.type((t as { type: number }).type);
    if (t.kind === 'typedef' && t.name === 'bpf_user_pt_regs_t') return true;
  }
  t = skipModifiers(btf, ptr.type);
  if (t.kind !== 'struct') return false;
  if (!want) return false;
  // bpf_user_pt_regs_t is a typedef of struct pt_regs on x86-64
  const expected = want === 'bpf_user_pt_regs_t' ? 'pt_regs' : want;
  return t.name === expected || PROJECTIONS[expected] === t.name;
}

/** Reads linkage and names of the subprograms from func_info. */
export function subprogBtfInfo(btf: Btf | undefined, funcInfo: readonly FuncInfo[], starts: readonly number[]): (SubprogBtf | undefined)[] {
  return starts.map((start) => {
    const fi = funcInfo.find((f) => f.insnOff === start);
    if (!btf || !fi || !fi.btfTypeId) return undefined;
    let t: BtfType;
    try {
      t = btf.type(fi.btfTypeId);
    } catch {
      return undefined;
    }
    if (t.kind !== 'func') return undefined;
    // the loader's linkage wins: libbpf turns hidden global functions static
    const global = fi.linkage ? fi.linkage === 'global' : t.linkage === BTF_FUNC_GLOBAL;
    return { typeId: fi.btfTypeId, name: t.name, global, unreliable: false };
  });
}

/**
 * `btf_prepare_func_args`: the verifier types of subprogram `subprog`'s arguments.
 * Returns 0 or -errno; messages go to the log as the kernel prints them.
 */
export function prepareFuncArgs(env: Env, subprog: number): number {
  const info = env.subprogBtf[subprog];
  if (!info || !env.btf) return -EINVAL;
  if (info.args) return 0;
  const btf = env.btf;
  const isGlobal = info.global;
  const fn = btf.type(info.typeId) as BtfType & { kind: 'func' };
  const proto = btf.type(fn.type);
  if (proto.kind !== 'func_proto') {
    env.verbose(`Invalid type of function ${fn.name}()\n`);
    return -EFAULT;
  }
  const nargs = proto.params.length;
  if (nargs > 5) {
    if (!isGlobal) return -EINVAL;
    env.verbose(`Global function ${fn.name}() with ${nargs} > 5 args. Buggy compiler.\n`);
    return -EINVAL;
  }
  const ret = skipModifiers(btf, proto.type);
  if (ret.kind !== 'void' && ret.kind !== 'int' && ret.kind !== 'enum' && ret.kind !== 'enum64') {
    if (!isGlobal) return -EINVAL;
    env.verbose(`Global function ${fn.name}() return value not void or scalar. Only those are supported.\n`);
    return -EINVAL;
  }
  const args: SubprogArg[] = [];
  for (let i = 0; i < nargs; i++) {
    const t = skipModifiers(btf, proto.params[i].type);
    if (t.kind === 'ptr') {
      if (isProgCtxType(btf, t, env.ptype.name)) {
        args.push({ kind: 'ctx', memSize: 0, nullable: false });
        continue;
      }
      if (isGlobal) {
        // a generic pointer to user data: PTR_TO_MEM of the pointee's size, maybe NULL
        let pointee = btf.type(t.type);
        let pointeeId = t.type;
        while (pointee.kind === 'const' || pointee.kind === 'volatile' || pointee.kind === 'restrict' || pointee.kind === 'type_tag') {
          pointeeId = pointee.type;
          pointee = btf.type(pointeeId);
        }
        let size: number;
        try {
          size = pointee.kind === 'void' ? NaN : btf.resolveSize(pointeeId);
        } catch (e) {
          if (!(e instanceof BtfError)) throw e;
          size = NaN;
        }
        if (Number.isNaN(size)) {
          env.verbose(`arg#${i} reference type('${KIND_STR[pointee.kind] ?? 'UNKNOWN'} ${pointee.name ?? ''}') size cannot be determined: -22\n`);
          return -EINVAL;
        }
        args.push({ kind: 'mem', memSize: size, nullable: true });
        continue;
      }
    } else if (t.kind === 'int' || t.kind === 'enum' || t.kind === 'enum64') {
      args.push({ kind: 'scalar', memSize: 0, nullable: false });
      continue;
    }
    if (!isGlobal) return -EINVAL;
    env.verbose(`Arg#${i} type ${KIND_STR[t.kind] ?? 'UNKNOWN'} in ${fn.name}() is not supported yet.\n`);
    return -EINVAL;
  }
  info.args = args;
  return 0;
}

/**
 * `btf_check_subprog_call`: do the caller's R1..R5 match the callee's BTF arguments?
 * A mismatch marks the callee's BTF unreliable (fatal only for global functions).
 */
export function checkSubprogCall(env: Env, subprog: number, regs: readonly RegState[], checkMemReg: (reg: RegState, regno: number, size: number) => number, checkArgRegOff: (reg: RegState, regno: number) => number): number {
  const info = env.subprogBtf[subprog];
  if (!env.hasFuncInfo) return -EINVAL;
  if (!info) return -EFAULT;
  if (info.unreliable) return -EINVAL;
  const err = checkFuncArgMatch(env, subprog, regs, checkMemReg, checkArgRegOff);
  if (err) info.unreliable = true;
  return err;
}

function checkFuncArgMatch(env: Env, subprog: number, regs: readonly RegState[], checkMemReg: (reg: RegState, regno: number, size: number) => number, checkArgRegOff: (reg: RegState, regno: number) => number): number {
  const err = prepareFuncArgs(env, subprog);
  if (err) return err;
  const args = env.subprogBtf[subprog]!.args!;
  for (let i = 0; i < args.length; i++) {
    const regno = i + 1;
    const reg = regs[regno];
    const arg = args[i];
    if (arg.kind === 'scalar') {
      if (reg.type !== SCALAR_VALUE) {
        env.verbose(`R${regno} is not a scalar\n`);
        return -EINVAL;
      }
    } else if (arg.kind === 'ctx') {
      const e = checkArgRegOff(reg, regno);
      if (e < 0) return e;
      if (reg.type !== PTR_TO_CTX) {
        env.verbose(`arg#${i} expects pointer to ctx\n`);
        return -EINVAL;
      }
    } else {
      const e = checkArgRegOff(reg, regno);
      if (e < 0) return e;
      if (checkMemReg(reg, regno, arg.memSize)) return -EINVAL;
      if (!arg.nullable && reg.type & PTR_MAYBE_NULL) {
        env.verbose(`arg#${i} is expected to be non-NULL\n`);
        return -EINVAL;
      }
    }
  }
  return 0;
}
