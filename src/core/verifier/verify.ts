/**
 * `verifyProgram`: the verifier's entry point (the kernel's `bpf_check`), in the order
 * the 6.18 kernel runs its passes, with the log, statistics, structured trace and CFG
 * the playground shows.
 */
import type { Insn } from '../isa/insn';
import type { FuncInfo, LineInfo, LoadedObject, MapDef } from '../elf/loaded-object';
import { ATTACH_TYPES, PROG_TYPES } from '../isa/kernel-types';
import {
  addSubprogsAndKfuncs, buildCfgGraph, checkCfg, checkSubprogs, computeLiveRegisters, computePostorder, computeScc,
  isPseudoCall, isPseudoFunc, isKfuncCall, resolvePseudoLdimm64, type CfgGraph,
} from './cfg';
import {
  BPF_COMPLEXITY_LIMIT_INSNS, BPF_MAXINSNS, E2BIG, EACCES, EAGAIN, EINVAL, ENOTSUPP, EPERM, ERRNO_NAMES, Env, VerifyAbort,
  findSubprog, type VerifyOptions,
} from './env';
import { Explorer } from './explore';
import { StackLiveness } from './liveness';
import { progTypeInfo } from './prog-types';
import { markRegKnownZero, markRegUnknown, PTR_MAYBE_NULL, PTR_TO_CTX, PTR_TO_MEM } from './reg-state';
import { parseBtf } from '../btf/btf';
import { prepareFuncArgs, subprogBtfInfo } from './btf-func';
import { mapFields } from './map-record';
import { FuncState, initFuncState, MAX_BPF_STACK, MAX_CALL_FRAMES, VerifierState, BPF_MAIN_FUNC } from './state';
import { TraceRecorder, type VerifierTrace } from './trace';

export interface VerifierStats {
  processedInsns: number;
  maxStatesPerInsn: number;
  totalStates: number;
  peakStates: number;
}

export interface VerifyResult {
  accepted: boolean;
  /** Positive errno the kernel's BPF_PROG_LOAD would fail with (0 when accepted). */
  errno: number;
  /** `EACCES`, ... ('' when accepted). */
  errnoName: string;
  /** The kernel's error line: the last log line before the summary ('' when accepted). */
  error: string;
  /** Instruction the error is about, when there is one. */
  errorInsn: number | undefined;
  /** The verifier log, in the kernel's format. */
  log: string;
  /**
   * The log outgrew `logLimit` and lost its beginning (the kernel would have failed the
   * load with ENOSPC for a log buffer of that size).
   */
  logTruncated: boolean;
  stats: VerifierStats;
  /** Stack depth per subprogram, as the kernel computed it. */
  stackDepths: number[];
  /** The structured trace (when `opts.trace` is not false). */
  trace: VerifierTrace | undefined;
  /** Basic blocks and edges, for drawing. */
  cfg: CfgGraph;
}

/** What a raw instruction load needs besides the instructions. */
export interface RawProgram {
  insns: readonly Insn[];
  progType: number;
  expectedAttachType?: number;
  /** BPF_F_* load flags. */
  flags?: number;
  maps?: readonly MapDef[];
  lineInfo?: readonly LineInfo[];
  name?: string;
  license?: string;
  /** Kernel function / tracepoint a tracing program attaches to (its BTF target). */
  attachTo?: string;
  /** BTF func_info (subprogram signatures) and the object's raw .BTF. */
  funcInfo?: readonly FuncInfo[];
  btf?: Uint8Array;
}

export interface VerifyProgramOptions extends VerifyOptions {
  /** Override the program type (`BPF_PROG_TYPE_*` value). */
  progType?: number;
  expectedAttachType?: number;
  /**
   * lddw slots whose `imm` names a map of the object. Without it every pseudo-map lddw
   * does; corpus programs that were never fixed up pass an explicit set, and the other
   * immediates are treated like the stale file descriptors the kernel would see.
   */
  mapSlots?: ReadonlySet<number>;
}

const GPL_COMPATIBLE = new Set(['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL']);

/** Verifies program `progIndex` of a loaded object. */
export function verifyProgram(obj: LoadedObject, progIndex = 0, opts: VerifyProgramOptions = {}): VerifyResult {
  const prog = obj.programs[progIndex];
  if (!prog) throw new RangeError(`no program #${progIndex} (the object has ${obj.programs.length})`);
  return verifyRaw(
    {
      insns: prog.insns,
      progType: opts.progType ?? prog.progType,
      expectedAttachType: opts.expectedAttachType ?? prog.expectedAttachType ?? 0,
      flags: (opts.flags ?? 0) | prog.flags,
      maps: obj.maps,
      lineInfo: prog.lineInfo,
      name: prog.name,
      license: obj.license,
      attachTo: prog.attachTo,
      funcInfo: prog.funcInfo,
      btf: obj.btf,
    },
    opts,
  );
}

/** Verifies a raw instruction stream (what BPF_PROG_LOAD receives). */
export function verifyRaw(p: RawProgram, opts: VerifyProgramOptions = {}): VerifyResult {
  const flags = (p.flags ?? 0) | (opts.flags ?? 0);
  const ptype = progTypeInfo(p.progType, p.expectedAttachType ?? 0);
  const env = new Env(
    p.insns,
    {
      progType: p.progType,
      expectedAttachType: p.expectedAttachType ?? 0,
      flags,
      gplCompatible: GPL_COMPATIBLE.has(p.license ?? 'GPL'),
      name: p.name ?? '',
    },
    p.maps ?? [],
    p.lineInfo ?? [],
    ptype,
    { ...opts, flags },
  );
  const recorder = opts.trace === false ? null : new TraceRecorder(env.mapInfo);
  env.trace = recorder;
  let err = preLoadChecks(env, p);
  let viaBpfCheck = false;
  if (!err) {
    viaBpfCheck = true;
    try {
      err = checkAttachBtfId(env, p) || bpfCheck(env, p, opts.mapSlots);
    } catch (e) {
      if (!(e instanceof VerifyAbort)) throw e;
      err = e.errno;
    }
  }
  if (viaBpfCheck && err !== -EAGAIN) printVerificationStats(env);
  const log = env.log.toString();
  const errno = err < 0 ? -err : 0;
  const cfg = buildCfgGraph(env.insns, env.subprogs.length ? env.subprogs.map((s) => s.start) : [0], env.subprogs.map((s) => s.name));
  const error = errno ? lastErrorLine(log) : '';
  return {
    accepted: errno === 0,
    errno,
    errnoName: errno ? ERRNO_NAMES[errno] ?? `errno ${errno}` : '',
    error: errno === EAGAIN ? 'verification cancelled' : error,
    errorInsn: errno ? env.errorInsn ?? insnFromMessage(error) : undefined,
    log,
    logTruncated: env.log.truncated,
    stats: {
      processedInsns: env.insnProcessed,
      maxStatesPerInsn: env.maxStatesPerInsn,
      totalStates: env.totalStates,
      peakStates: env.peakStates,
    },
    stackDepths: env.subprogs.map((s) => s.stackDepth),
    trace: recorder?.finish(),
    cfg,
  };
}

/** The checks `bpf_prog_load` makes before the verifier runs (no log). */
function preLoadChecks(env: Env, p: RawProgram): number {
  const limit = env.bpfCapable ? BPF_COMPLEXITY_LIMIT_INSNS : BPF_MAXINSNS;
  if (p.insns.length === 0 || p.insns.length > limit) return -E2BIG;
  if (!PROG_TYPES.name(p.progType)) return -EINVAL;
  const name = env.ptype.name;
  if (!env.bpfCapable && name !== 'socket_filter' && name !== 'cgroup_skb') return -EPERM;
  // Trampoline programs: the reference kernel refuses to load them (EPERM, no log).
  if (name === 'lsm' || name === 'ext') return -EPERM;
  if (name === 'tracing' && ['trace_fentry', 'trace_fexit', 'modify_return'].includes(ATTACH_TYPES.name(p.expectedAttachType ?? 0) ?? '')) return -EPERM;
  if (name === 'lirc_mode2') return -EINVAL;
  return 0;
}

/** Program types that need the kernel's BTF before verification starts (`check_attach_btf_id`). */
function checkAttachBtfId(env: Env, p: RawProgram): number {
  const name = env.ptype.name;
  if (name === 'struct_ops') return -ENOTSUPP;
  if (name === 'tracing' && !p.attachTo) {
    env.verbose('Tracing programs must provide btf_id\n');
    return -EINVAL;
  }
  return 0;
}

/** `bpf_check`. */
function bpfCheck(env: Env, p: RawProgram, mapSlots: ReadonlySet<number> | undefined): number {
  let err = addSubprogsAndKfuncs(env);
  if (err < 0) return err;
  err = checkSubprogs(env);
  if (err < 0) return err;
  loadMapBtf(env, p);
  err = checkBtfFuncInfo(env, p);
  if (err < 0) return err;
  nameSubprogs(env);
  err = resolvePseudoLdimm64(env, mapSlots);
  if (err < 0) return err;
  err = checkCfg(env);
  if (err < 0) return err;
  computePostorder(env);
  env.liveness = new StackLiveness(env);
  err = computeScc(env);
  if (err < 0) return err;
  computeLiveRegisters(env);
  err = doCheckMain(env);
  if (err < 0) return err;
  err = doCheckGlobalSubprogs(env);
  if (err < 0) return err;
  err = checkMaxStackDepth(env);
  if (err < 0) return err;
  return fixupKfuncCalls(env);
}

/** `fixup_kfunc_call` after dead code removal: a reachable kfunc call with id 0 is refused. */
function fixupKfuncCalls(env: Env): number {
  for (let i = 0; i < env.len; i++) {
    if (isKfuncCall(env.insns[i]) && env.insns[i].imm === 0 && env.aux[i].seen) {
      env.verbose('invalid kernel function call not eliminated in verifier pass\n');
      env.errorInsn = i;
      return -EINVAL;
    }
  }
  return 0;
}

/** The object's BTF, and the special fields of map values it describes. */
function loadMapBtf(env: Env, p: RawProgram): void {
  if (!p.btf) return;
  try {
    env.btf = parseBtf(p.btf);
  } catch {
    return;
  }
  const btf = env.btf;
  env.mapFields = env.maps.map((m) => (m.btfValueTypeId ? mapFields(btf, m.btfValueTypeId) : []));
}

/** `check_btf_func`: one func_info record per subprogram; linkage and names from BTF. */
function checkBtfFuncInfo(env: Env, p: RawProgram): number {
  const fi = p.funcInfo ?? [];
  if (!fi.length || !env.btf) return 0;
  if (fi.length !== env.subprogs.length) {
    env.verbose('number of funcs in func_info doesn\'t match number of subprogs\n');
    return -EINVAL;
  }
  for (let i = 0; i < fi.length; i++) {
    if (fi[i].insnOff !== env.subprogs[i].start) {
      env.verbose(`func_info BTF section doesn't match subprog layout in BPF program\n`);
      return -EINVAL;
    }
  }
  env.hasFuncInfo = true;
  env.subprogBtf = subprogBtfInfo(env.btf, fi, env.subprogs.map((s) => s.start));
  env.subprogBtf.forEach((b, i) => {
    if (!b) return;
    env.subprogs[i].name = b.name;
    env.subprogs[i].isGlobal = i > 0 && b.global;
  });
  return 0;
}

function nameSubprogs(env: Env): void {
  for (let i = 0; i < env.subprogs.length; i++) env.subprogs[i].name ||= i === 0 ? env.prog.name : `func#${i}`;
}

/** `do_check_common` for the main program. */
function doCheckMain(env: Env): number {
  return doCheckCommon(env, 0);
}

/** Global subprograms are verified on their own (`do_check_subprogs`), once called. */
function doCheckGlobalSubprogs(env: Env): number {
  if (!env.hasFuncInfo) return 0;
  const verified = new Set<number>();
  for (;;) {
    let fresh = 0;
    for (let i = 1; i < env.subprogs.length; i++) {
      const sp = env.subprogs[i];
      if (!sp.isGlobal || !env.globalCalled.has(i) || verified.has(i)) continue;
      env.insnIdx = sp.start;
      const err = doCheckCommon(env, i);
      if (err) return err;
      env.verbose(`Func#${i} ('${sp.name}') is safe for any args that match its prototype\n`);
      // the function may call global functions not verified yet: another pass
      verified.add(i);
      fresh++;
    }
    if (!fresh) return 0;
  }
}

function doCheckCommon(env: Env, subprog: number): number {
  const popLog = !env.level2;
  env.prevLinfoIdx = -1;
  env.passCnt++;
  const st = new VerifierState();
  st.curframe = 0;
  st.speculative = false;
  st.branches = 1;
  st.inSleepable = (env.prog.flags & (1 << 4)) !== 0;
  const f = new FuncState();
  st.frames = [f];
  env.curState = st;
  initFuncState(f, BPF_MAIN_FUNC, 0, subprog, env.bpfCapable);
  st.firstInsnIdx = env.subprogs[subprog].start;
  st.lastInsnIdx = -1;
  const regs = f.regs;
  if (subprog) {
    // a global function: its arguments are whatever its BTF signature allows
    env.verbose(`Validating ${env.subprogs[subprog].name}() func#${subprog}...\n`);
    const err = prepareFuncArgs(env, subprog);
    if (err) return err;
    env.subprogBtf[subprog]!.args!.forEach((arg, i) => {
      const reg = regs[i + 1];
      if (arg.kind === 'ctx') {
        reg.type = PTR_TO_CTX;
        markRegKnownZero(reg);
      } else if (arg.kind === 'scalar') {
        markRegUnknown(reg, env.bpfCapable);
      } else {
        markRegKnownZero(reg);
        reg.type = PTR_TO_MEM | (arg.nullable ? PTR_MAYBE_NULL : 0);
        reg.memSize = arg.memSize;
        if (arg.nullable) reg.id = ++env.idGen;
      }
    });
  } else {
    // the main program's BTF must say `int prog(<ctx type> *)` to be used for calls later
    if (env.hasFuncInfo && env.subprogBtf[0]) {
      const err = prepareFuncArgs(env, 0);
      const args = env.subprogBtf[0].args;
      if (err || !args || args.length !== 1 || args[0].kind !== 'ctx') env.subprogBtf[0].unreliable = true;
    }
    regs[1].type = PTR_TO_CTX;
    markRegKnownZero(regs[1]);
  }
  env.insnIdx = env.subprogs[subprog].start;
  env.head = [];
  env.explored = [];
  env.scratch.all();
  env.trace?.start(st);
  const err = new Explorer(env).doCheck();
  if (!err && popLog) env.log.reset(0);
  if (err) env.errorInsn ??= env.insnIdx;
  return err;
}

/** `check_max_stack_depth`: the deepest call chain's combined stack. */
function checkMaxStackDepth(env: Env): number {
  const sps = env.subprogs;
  const hasTailCall = sps.some((s) => s.hasTailCall);
  // x86-64 supports private stacks for these program types (bpf_enable_priv_stack)
  const privAdaptive = !hasTailCall && ['kprobe', 'tracepoint', 'perf_event', 'raw_tracepoint'].includes(env.ptype.name);
  const privMode = new Array<number>(sps.length).fill(0); // 0 unknown, 1 none, 2 adaptive
  for (let i = sps.length - 1; i >= 0; i--) {
    if (i && !sps[i].isAsyncCb) continue;
    const err = maxStackDepthFrom(env, i, i === 0 && privAdaptive, privMode);
    if (err) return err;
  }
  return 0;
}

const roundUp16 = (n: number): number => Math.ceil(n / 16) * 16;

function maxStackDepthFrom(env: Env, start: number, privSupported: boolean, privMode: number[]): number {
  const sps = env.subprogs;
  const insns = env.insns;
  let depth = 0;
  let frame = 0;
  let idx = start;
  let i = sps[idx].start;
  const retInsn: number[] = [];
  const retProg: number[] = [];
  if (!privSupported) privMode[idx] = 1;
  let enter = true;
  for (;;) {
    if (enter) {
      if (idx && sps[idx].hasTailCall && depth >= 256) {
        env.verbose(`tail_calls are not allowed when call stack of previous frames is ${depth} bytes. Too large\n`);
        return -EACCES;
      }
      const d = roundUp16(sps[idx].stackDepth);
      if (privSupported && privMode[idx] === 0 && d >= 64) privMode[idx] = 2;
      if (privMode[idx] === 2) {
        if (d > MAX_BPF_STACK) {
          env.verbose(`stack size of subprog ${idx} is ${d}. Too large\n`);
          return -EACCES;
        }
      } else {
        depth += d;
        if (depth > MAX_BPF_STACK) {
          env.verbose(`combined stack size of ${frame + 1} calls is ${depth}. Too large\n`);
          return -EACCES;
        }
      }
      enter = false;
    }
    const end = idx + 1 < sps.length ? sps[idx + 1].start : env.len;
    let called = false;
    for (; i < end; i++) {
      if (!isPseudoCall(insns[i]) && !isPseudoFunc(insns[i])) continue;
      retInsn[frame] = i + 1;
      retProg[frame] = idx;
      const sidx = findSubprog(env, i + insns[i].imm + 1);
      if (sidx < 0) return env.bug(`callee not found at insn ${i + insns[i].imm + 1}`);
      if (sps[sidx].isAsyncCb && !isPseudoCall(insns[i])) continue;
      i = sps[sidx].start;
      idx = sidx;
      if (!privSupported) privMode[idx] = 1;
      frame++;
      if (frame >= MAX_CALL_FRAMES) {
        env.verbose(`the call stack of ${frame} frames is too deep !\n`);
        return -E2BIG;
      }
      called = true;
      enter = true;
      break;
    }
    if (called) continue;
    if (frame === 0) return 0;
    if (privMode[idx] !== 2) depth -= roundUp16(sps[idx].stackDepth);
    frame--;
    i = retInsn[frame];
    idx = retProg[frame];
  }
}

/** `print_verification_stats`. */
function printVerificationStats(env: Env): void {
  env.verbose(
    `processed ${env.insnProcessed} insns (limit ${BPF_COMPLEXITY_LIMIT_INSNS}) max_states_per_insn ${env.maxStatesPerInsn} ` +
      `total_states ${env.totalStates} peak_states ${env.peakStates} mark_read 0\n`,
  );
}

/** The last line before the `processed ...` summary. */
export function lastErrorLine(log: string): string {
  // scan back from the end: logs can be very long
  let end = log.length;
  let skippedSummary = false;
  while (end > 0) {
    while (end > 0 && log[end - 1] === '\n') end--;
    if (!end) return '';
    const start = log.lastIndexOf('\n', end - 1) + 1;
    const line = log.slice(start, end);
    if (!skippedSummary && line.startsWith('processed ')) {
      skippedSummary = true;
      end = start;
      continue;
    }
    return line;
  }
  return '';
}

/** Instruction index named by a CFG-pass message, if any. */
function insnFromMessage(msg: string): number | undefined {
  const m = /(?:unreachable insn|from insn|back-edge from insn|infinite loop detected at insn|middle of ldimm64 insn) (\d+)/.exec(msg);
  return m ? Number(m[1]) : undefined;
}

