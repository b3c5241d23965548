/**
 * Control-flow checks before abstract interpretation, as kernel/bpf/verifier.c does
 * them: subprogram discovery (`add_subprog_and_kfunc`, `check_subprogs`), pseudo
 * `lddw` resolution (`resolve_pseudo_ldimm64`), the depth-first search that finds
 * bad jumps and unreachable code and marks pruning points (`check_cfg`), postorder,
 * strongly connected components and register liveness (`compute_live_registers`).
 *
 * Also builds the program's CFG as data for the UI (`buildCfgGraph`).
 */
import { isLdImm64, type Insn } from '../isa/insn';
import { CHANGES_PKT_DATA, RET_VOID, ARG_DONTCARE } from './helper-protos';
import { E2BIG, EINVAL, ENOENT, EPERM, EPROTO, type Env, findContainingSubprog, findSubprog, BPF_MAX_SUBPROGS, BPF_MAX_VAR_OFF, type SubprogInfo } from './env';
import { PTR_TO_FUNC } from './reg-state';

const BPF_JMP = 0x05;
const BPF_JMP32 = 0x06;
const BPF_CALL = 0x80;
const BPF_EXIT = 0x90;
const BPF_JA = 0x00;
const BPF_JCOND = 0xe0;
const cls = (code: number): number => code & 7;
const op = (code: number): number => code & 0xf0;

export const isPseudoCall = (i: Insn): boolean => i.code === 0x85 && i.src === 1;
export const isKfuncCall = (i: Insn): boolean => i.code === 0x85 && i.src === 2;
export const isHelperCall = (i: Insn): boolean => i.code === 0x85 && i.src === 0;
export const isPseudoFunc = (i: Insn): boolean => isLdImm64(i) && i.src === 4;
export const isMayGoto = (i: Insn): boolean => i.code === (BPF_JMP | BPF_JCOND) && i.src === 0;

/** Helpers that call a callback synchronously (for_each_map_elem, find_vma, loop, user_ringbuf_drain). */
export const SYNC_CALLBACK_HELPERS = new Set([164, 180, 181, 209]);
/** Helpers that register an asynchronous callback (timer_set_callback). */
export const ASYNC_CALLBACK_HELPERS = new Set([170]);

/** `bpf_jmp_offset`. */
export const jmpOffset = (i: Insn): number => (i.code === (BPF_JMP32 | BPF_JA) ? i.imm : i.off);

/**
 * The kernel's table of valid opcodes (`bpf_opcode_in_insntable`): every defined
 * ALU/JMP/load/store form. Notably not `callx` (0x8d) and no 32-bit call/exit.
 */
const VALID_OPCODES: ReadonlySet<number> = (() => {
  const s = new Set<number>();
  for (const c of [0x04, 0x07]) {
    for (const o of [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0]) {
      s.add(c | o);
      s.add(c | o | 0x08);
    }
    s.add(c | 0x80); // neg
  }
  s.add(0x04 | 0xd0); s.add(0x04 | 0xd0 | 0x08); s.add(0x07 | 0xd0); // end / bswap
  for (const c of [BPF_JMP, BPF_JMP32]) {
    for (const o of [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0]) {
      s.add(c | o);
      s.add(c | o | 0x08);
    }
    s.add(c | BPF_JA);
  }
  s.add(BPF_JMP | BPF_CALL);
  s.add(BPF_JMP | BPF_EXIT);
  s.add(BPF_JMP | BPF_JCOND);
  s.add(0x18); // lddw
  for (const sz of [0x00, 0x08, 0x10]) { s.add(0x20 | sz); s.add(0x40 | sz); s.add(0x81 | sz); }
  for (const sz of [0x00, 0x08, 0x10, 0x18]) { s.add(0x61 | sz); s.add(0x62 | sz); s.add(0x63 | sz); s.add(0xc3 | sz); }
  return s;
})();

export const opcodeInInsnTable = (code: number): boolean => VALID_OPCODES.has(code);

function newSubprog(start: number): SubprogInfo {
  return {
    start, stackDepth: 0, hasTailCall: false, tailCallReachable: false, hasLdAbs: false, isCb: false, isAsyncCb: false,
    changesPktData: false, mightSleep: false, postorderStart: 0, linfoIdx: 0, isGlobal: false, name: '',
  };
}

function addSubprog(env: Env, off: number): number {
  if (off >= env.len || off < 0) {
    env.verbose('call to invalid destination\n');
    return -EINVAL;
  }
  const ret = findSubprog(env, off);
  if (ret >= 0) return ret;
  if (env.subprogs.length >= BPF_MAX_SUBPROGS) {
    env.verbose('too many subprograms\n');
    return -E2BIG;
  }
  env.subprogs.push(newSubprog(off));
  env.subprogs.sort((a, b) => a.start - b.start);
  return env.subprogs.length - 1;
}

/**
 * `add_kfunc_call`. Kernel functions are described by the kernel's BTF, which a
 * playground does not have: any real BTF id is refused as the kernel refuses an id
 * that is not a function. Id 0 is let through as the kernel does (it fails later,
 * in the fixup pass, unless the call is dead code).
 */
function addKfuncCall(env: Env, funcId: number, offset: number): number {
  if (!env.prog.gplCompatible) {
    env.verbose('cannot call kernel function from non-GPL compatible program\n');
    return -EINVAL;
  }
  if (!funcId && !offset) return 0;
  if (offset < 0) {
    env.verbose('negative offset disallowed for kernel module function call\n');
    return -EINVAL;
  }
  if (offset > 0) {
    env.verbose('kfunc offset > 0 without fd_array is invalid\n');
    return -EPROTO;
  }
  env.verbose(`kernel btf_id ${funcId >>> 0} is not a function\n`);
  return -EINVAL;
}

/** `add_subprog_and_kfunc`. */
export function addSubprogsAndKfuncs(env: Env): number {
  let ret = addSubprog(env, 0);
  if (ret < 0) return ret;
  for (let i = 0; i < env.len; i++) {
    const insn = env.insns[i];
    if (!isPseudoFunc(insn) && !isPseudoCall(insn) && !isKfuncCall(insn)) continue;
    if (!env.bpfCapable) {
      env.verbose('loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN\n');
      return -EPERM;
    }
    if (isPseudoFunc(insn) || isPseudoCall(insn)) ret = addSubprog(env, i + insn.imm + 1);
    else ret = addKfuncCall(env, insn.imm, insn.off);
    if (ret < 0) return ret;
  }
  if (env.level2) for (let i = 0; i < env.subprogs.length; i++) env.verbose(`func#${i} @${env.subprogs[i].start}\n`);
  return 0;
}

/** `check_subprogs`: jumps stay inside their subprogram, which ends in exit or a jump. */
export function checkSubprogs(env: Env): number {
  let cur = 0;
  let subStart = env.subprogs[0].start;
  let subEnd = env.subprogs.length > 1 ? env.subprogs[1].start : env.len;
  for (let i = 0; i < env.len; i++) {
    const code = env.insns[i].code;
    if (code === (BPF_JMP | BPF_CALL) && env.insns[i].src === 0 && env.insns[i].imm === 12) {
      env.subprogs[cur].hasTailCall = true;
      env.subprogs[cur].tailCallReachable = true;
    }
    if (cls(code) === 0x00 && ((code & 0xe0) === 0x20 || (code & 0xe0) === 0x40)) env.subprogs[cur].hasLdAbs = true;
    if ((cls(code) === BPF_JMP || cls(code) === BPF_JMP32) && op(code) !== BPF_EXIT && op(code) !== BPF_CALL) {
      const off = i + jmpOffset(env.insns[i]) + 1;
      if (off < subStart || off >= subEnd) {
        env.verbose(`jump out of range from insn ${i} to ${off}\n`);
        return -EINVAL;
      }
    }
    if (i === subEnd - 1) {
      if (code !== (BPF_JMP | BPF_EXIT) && code !== (BPF_JMP32 | BPF_JA) && code !== (BPF_JMP | BPF_JA)) {
        env.verbose('last insn is not an exit or jmp\n');
        return -EINVAL;
      }
      subStart = subEnd;
      cur++;
      if (cur < env.subprogs.length) subEnd = cur + 1 < env.subprogs.length ? env.subprogs[cur + 1].start : env.len;
    }
  }
  return 0;
}

/**
 * `resolve_pseudo_ldimm64`. `mapSlots`, when given, lists the lddw slots that really
 * refer to a map; the others are raw file descriptors (which we never have).
 */
export function resolvePseudoLdimm64(env: Env, mapSlots?: ReadonlySet<number>): number {
  for (let i = 0; i < env.len; i++) {
    const insn = env.insns[i];
    if (cls(insn.code) === 0x01 && (((insn.code & 0xe0) !== 0x60 && (insn.code & 0xe0) !== 0x80) || insn.imm !== 0)) {
      env.verbose('BPF_LDX uses reserved fields\n');
      return -EINVAL;
    }
    if (isLdImm64(insn)) {
      const hi = env.insns[i + 1];
      if (i === env.len - 1 || hi.code !== 0 || hi.dst !== 0 || hi.src !== 0 || hi.off !== 0) {
        env.verbose('invalid bpf_ld_imm64 insn\n');
        return -EINVAL;
      }
      if (insn.src === 0) { i++; continue; }
      if (insn.src === 3) {
        // BPF_PSEUDO_BTF_ID: needs the kernel's BTF, which a playground does not have
        env.verbose(`ldimm64 insn specifies invalid btf_id ${insn.imm}.\n`);
        return -ENOENT;
      }
      if (insn.src === 4) {
        env.aux[i].ptrType = PTR_TO_FUNC;
        i++;
        continue;
      }
      const src = insn.src;
      if (!(src === 2 || src === 6 || ((src === 1 || src === 5) && hi.imm === 0))) {
        env.verbose('unrecognized bpf_ld_imm64 insn\n');
        return -EINVAL;
      }
      if (src === 5 || src === 6) {
        env.verbose('fd_idx without fd_array is invalid\n');
        return -EPROTO;
      }
      const idx = insn.imm;
      if ((mapSlots && !mapSlots.has(i)) || idx < 0 || idx >= env.userMapCount) {
        env.verbose(`fd ${idx} is not pointing to valid bpf_map\n`);
        return -EINVAL;
      }
      const err = checkMapProgCompatibility(env, idx);
      if (err) return err;
      env.aux[i].mapIndex = idx;
      if (src === 2) {
        const off = hi.imm >>> 0;
        if (off >= BPF_MAX_VAR_OFF) {
          env.verbose(`direct value offset of ${off} is not allowed\n`);
          return -EINVAL;
        }
        const m = env.maps[idx];
        // map_direct_value_addr exists for array maps (global data); one entry only
        if (m.type !== 2) {
          env.verbose('no direct value access support for this map type\n');
          return -EINVAL;
        }
        if (m.maxEntries !== 1 || off >= m.valueSize) {
          env.verbose(`invalid access to map value pointer, value_size=${m.valueSize} off=${off}\n`);
          return -EINVAL;
        }
        env.aux[i].mapOff = off;
      }
      i++;
      continue;
    }
    if (!opcodeInInsnTable(insn.code)) {
      env.verbose(`unknown opcode ${insn.code.toString(16).padStart(2, '0')}\n`);
      return -EINVAL;
    }
  }
  return 0;
}

function checkMapProgCompatibility(env: Env, idx: number): number {
  const m = env.maps[idx];
  const tracing = ['kprobe', 'tracepoint', 'perf_event', 'raw_tracepoint', 'raw_tracepoint_writable'].includes(env.ptype.name);
  if (env.hasField(idx, 'bpf_list_head', 'bpf_rb_root') && tracing) {
    env.verbose('tracing progs cannot use bpf_{list_head,rb_root} yet\n');
    return -EINVAL;
  }
  if (env.hasField(idx, 'bpf_spin_lock', 'bpf_res_spin_lock')) {
    if (env.ptype.name === 'socket_filter') {
      env.verbose('socket filter progs cannot use bpf_spin_lock yet\n');
      return -EINVAL;
    }
    if (tracing) {
      env.verbose('tracing progs cannot use bpf_spin_lock yet\n');
      return -EINVAL;
    }
  }
  if (m.type === 26 /* struct_ops */) {
    env.verbose('bpf_struct_ops map cannot be used in prog\n');
    return -EINVAL;
  }
  return 0;
}

const DISCOVERED = 0x10;
const EXPLORED = 0x20;
const FALLTHROUGH = 1;
const BRANCH = 2;
const DONE_EXPLORING = 0;
const KEEP_EXPLORING = 1;

interface CfgWalk {
  state: Int32Array;
  stack: Int32Array;
  cur: number;
}

function pushInsn(env: Env, w: CfgWalk, t: number, dest: number, e: number): number {
  if (e === FALLTHROUGH && w.state[t] >= (DISCOVERED | FALLTHROUGH)) return DONE_EXPLORING;
  if (e === BRANCH && w.state[t] >= (DISCOVERED | BRANCH)) return DONE_EXPLORING;
  if (dest < 0 || dest >= env.len) {
    env.verboseLinfo(t, `${t}: `);
    env.verbose(`jump out of range from insn ${t} to ${dest}\n`);
    return -EINVAL;
  }
  if (e === BRANCH) {
    env.aux[dest].prunePoint = true;
    env.aux[dest].jmpPoint = true;
  }
  if (w.state[dest] === 0) {
    w.state[t] = DISCOVERED | e;
    w.state[dest] = DISCOVERED;
    if (w.cur >= env.len) return -E2BIG;
    w.stack[w.cur++] = dest;
    return KEEP_EXPLORING;
  } else if ((w.state[dest] & 0xf0) === DISCOVERED) {
    if (env.bpfCapable) return DONE_EXPLORING;
    env.verboseLinfo(t, `${t}: `);
    env.verboseLinfo(dest, `${dest}: `);
    env.verbose(`back-edge from insn ${t} to ${dest}\n`);
    return -EINVAL;
  } else if (w.state[dest] === EXPLORED) {
    w.state[t] = DISCOVERED | e;
  } else {
    return env.bug('insn state internal bug');
  }
  return DONE_EXPLORING;
}

function visitFuncCallInsn(env: Env, w: CfgWalk, t: number, visitCallee: boolean): number {
  const sz = isLdImm64(env.insns[t]) ? 2 : 1;
  let ret = pushInsn(env, w, t, t + sz, FALLTHROUGH);
  if (ret) return ret;
  if (t + sz < env.len) {
    env.aux[t + sz].prunePoint = true;
    env.aux[t + sz].jmpPoint = true;
  }
  if (visitCallee) {
    const dest = t + env.insns[t].imm + 1;
    env.aux[t].prunePoint = true;
    mergeCalleeEffects(env, t, dest);
    ret = pushInsn(env, w, t, dest, BRANCH);
  }
  return ret;
}

function mergeCalleeEffects(env: Env, t: number, w: number): void {
  const caller = findContainingSubprog(env, t);
  const callee = findContainingSubprog(env, w);
  if (caller < 0 || callee < 0) return;
  env.subprogs[caller].changesPktData ||= env.subprogs[callee].changesPktData;
  env.subprogs[caller].mightSleep ||= env.subprogs[callee].mightSleep;
}

function visitInsn(env: Env, w: CfgWalk, t: number): number {
  const insn = env.insns[t];
  if (isPseudoFunc(insn)) return visitFuncCallInsn(env, w, t, true);
  if (cls(insn.code) !== BPF_JMP && cls(insn.code) !== BPF_JMP32) {
    return pushInsn(env, w, t, t + (isLdImm64(insn) ? 2 : 1), FALLTHROUGH);
  }
  switch (op(insn.code)) {
    case BPF_EXIT:
      return DONE_EXPLORING;
    case BPF_CALL: {
      if (isHelperCall(insn) && ASYNC_CALLBACK_HELPERS.has(insn.imm)) env.aux[t].prunePoint = true;
      if (isHelperCall(insn) && SYNC_CALLBACK_HELPERS.has(insn.imm)) {
        env.aux[t].callsCallback = true;
        env.aux[t].forceCheckpoint = true;
        env.aux[t].prunePoint = true;
        env.aux[t].jmpPoint = true;
      }
      if (isHelperCall(insn)) {
        const sp = findContainingSubprog(env, t);
        if (env.ptype.helperAllowed(insn.imm) === 'sleep' && sp >= 0) env.subprogs[sp].mightSleep = true;
        if (CHANGES_PKT_DATA.has(insn.imm) && sp >= 0) env.subprogs[sp].changesPktData = true;
      }
      return visitFuncCallInsn(env, w, t, insn.src === 1);
    }
    case BPF_JA: {
      if (insn.code & 0x08) return -EINVAL;
      const off = cls(insn.code) === BPF_JMP ? insn.off : insn.imm;
      const ret = pushInsn(env, w, t, t + off + 1, FALLTHROUGH);
      if (ret) return ret;
      env.aux[t + off + 1].prunePoint = true;
      env.aux[t + off + 1].jmpPoint = true;
      return ret;
    }
    default: {
      env.aux[t].prunePoint = true;
      if (isMayGoto(insn)) env.aux[t].forceCheckpoint = true;
      const ret = pushInsn(env, w, t, t + 1, FALLTHROUGH);
      if (ret) return ret;
      return pushInsn(env, w, t, t + insn.off + 1, BRANCH);
    }
  }
}

/** `check_cfg`. */
export function checkCfg(env: Env): number {
  const w: CfgWalk = { state: new Int32Array(env.len), stack: new Int32Array(env.len), cur: 1 };
  w.state[0] = DISCOVERED;
  w.stack[0] = 0;
  while (w.cur > 0) {
    const t = w.stack[w.cur - 1];
    const ret = visitInsn(env, w, t);
    if (ret === DONE_EXPLORING) {
      w.state[t] = EXPLORED;
      w.cur--;
    } else if (ret !== KEEP_EXPLORING) {
      return ret > 0 ? env.bug('visit_insn internal bug') : ret;
    }
  }
  for (let i = 0; i < env.len; i++) {
    if (w.state[i] !== EXPLORED) {
      env.verbose(`unreachable insn ${i}\n`);
      return -EINVAL;
    }
    if (isLdImm64(env.insns[i])) {
      if (w.state[i + 1] !== 0) {
        env.verbose(`jump into the middle of ldimm64 insn ${i}\n`);
        return -EINVAL;
      }
      i++;
    }
  }
  return 0;
}

/** `bpf_insn_successors`. */
export function insnSuccessors(insns: readonly Insn[], idx: number): number[] {
  const insn = insns[idx];
  const c = cls(insn.code);
  const o = op(insn.code);
  let canJump = false;
  let canFall = true;
  if (c === BPF_JMP || c === BPF_JMP32) {
    if (o === BPF_EXIT) { canFall = false; } else if (o === BPF_JA) { canJump = true; canFall = false; } else if (o !== BPF_CALL) { canJump = true; }
  }
  const out: number[] = [];
  if (canFall) out.push(idx + (isLdImm64(insn) ? 2 : 1));
  if (canJump) out.push(idx + jmpOffset(insn) + 1);
  return out;
}

/** `compute_postorder`. */
export function computePostorder(env: Env): void {
  const state = new Uint8Array(env.len);
  const post: number[] = [];
  for (let i = 0; i < env.subprogs.length; i++) {
    env.subprogs[i].postorderStart = post.length;
    const stack = [env.subprogs[i].start];
    do {
      const top = stack[stack.length - 1];
      state[top] |= DISCOVERED;
      if (state[top] & EXPLORED) {
        post.push(top);
        stack.pop();
        continue;
      }
      for (const s of insnSuccessors(env.insns, top)) {
        if (!state[s]) {
          stack.push(s);
          state[s] |= DISCOVERED;
        }
      }
      state[top] |= EXPLORED;
    } while (stack.length);
  }
  env.insnPostorder = post;
  env.curPostorder = post.length;
}

/** `compute_scc`: loops as strongly connected components (Tarjan, iterative). */
export function computeScc(env: Env): number {
  const n = env.len;
  const NOT_ON_STACK = 0xffffffff;
  const stack = new Uint32Array(n);
  const pre = new Uint32Array(n);
  const low = new Uint32Array(n);
  const dfs = new Uint32Array(n);
  let nextPre = 1;
  let nextScc = 1;
  for (let i = 0; i < n; i++) {
    if (pre[i]) continue;
    let stackSz = 0;
    let dfsSz = 1;
    dfs[0] = i;
    outer: while (dfsSz) {
      const w = dfs[dfsSz - 1];
      if (pre[w] === 0) {
        low[w] = nextPre;
        pre[w] = nextPre;
        nextPre++;
        stack[stackSz++] = w;
      }
      const succ = insnSuccessors(env.insns, w).filter((s) => s < n);
      for (const s of succ) {
        if (pre[s]) {
          low[w] = Math.min(low[w], low[s]);
        } else {
          dfs[dfsSz++] = s;
          continue outer;
        }
      }
      if (low[w] < pre[w]) {
        dfsSz--;
        continue;
      }
      let assign = stack[stackSz - 1] !== w;
      if (succ.includes(w)) assign = true;
      let t: number;
      do {
        t = stack[--stackSz];
        low[t] = NOT_ON_STACK;
        if (assign) env.aux[t].scc = nextScc;
      } while (t !== w);
      if (assign) nextScc++;
      dfsSz--;
    }
  }
  return nextScc;
}

/** Number of parameters and whether a helper returns void (`get_call_summary`). */
function callSummary(env: Env, insn: Insn): { numParams: number; isVoid: boolean } | undefined {
  if (!isHelperCall(insn)) return undefined;
  const proto = env.ptype.proto(insn.imm);
  if (!proto) return undefined;
  let n = 0;
  while (n < proto.args.length && proto.args[n] !== ARG_DONTCARE) n++;
  return { numParams: n, isVoid: (proto.ret & 0xff) === RET_VOID };
}

/** `compute_insn_live_regs`: registers read and written by one instruction. */
function insnUseDef(env: Env, insn: Insn): { use: number; def: number } {
  const c = cls(insn.code);
  const o = op(insn.code);
  const mode = insn.code & 0xe0;
  const src = 1 << insn.src;
  const dst = 1 << insn.dst;
  const r0 = 1;
  let def = 0;
  let use = 0xffff;
  switch (c) {
    case 0x00:
      if (mode === 0x00 && (insn.code & 0x18) === 0x18) { def = dst; use = 0; }
      break;
    case 0x01:
      if (mode === 0x60 || mode === 0x80) { def = dst; use = src; }
      break;
    case 0x02:
      if (mode === 0x60) { def = 0; use = dst; }
      break;
    case 0x03:
      if (mode === 0x60) { def = 0; use = dst | src; } else if (mode === 0xc0) {
        if (insn.imm === 0xf1) { use = r0 | dst | src; def = r0; } else if (insn.imm === 0x100) { def = dst; use = src; } else if (insn.imm === 0x110) { def = 0; use = dst | src; } else {
          use = dst | src;
          def = insn.imm & 1 ? src : 0;
        }
      }
      break;
    case 0x04:
    case 0x07:
      if (o === 0xd0) { use = dst; def = dst; } else if (o === 0xb0) { def = dst; use = insn.code & 0x08 ? src : 0; } else {
        def = dst;
        use = insn.code & 0x08 ? dst | src : dst;
      }
      break;
    case BPF_JMP:
    case BPF_JMP32:
      if (o === BPF_JA || o === BPF_JCOND) { def = 0; use = 0; } else if (o === BPF_EXIT) { def = 0; use = r0; } else if (o === BPF_CALL) {
        def = 0x3f;
        use = def & ~1;
        const cs = callSummary(env, insn);
        if (cs) use = cs.numParams ? ((1 << (cs.numParams + 1)) - 1) & ~1 : 0;
      } else {
        def = 0;
        use = insn.code & 0x08 ? dst | src : dst;
      }
      break;
  }
  return { use: use & 0xffff, def: def & 0xffff };
}

/** `compute_live_registers`: registers that may be read later, before each instruction. */
export function computeLiveRegisters(env: Env): void {
  const n = env.len;
  const use = new Uint16Array(n);
  const def = new Uint16Array(n);
  const inS = new Uint16Array(n);
  const outS = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const ud = insnUseDef(env, env.insns[i]);
    use[i] = ud.use;
    def[i] = ud.def;
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (let k = 0; k < env.curPostorder; k++) {
      const idx = env.insnPostorder[k];
      let newOut = 0;
      for (const s of insnSuccessors(env.insns, idx)) newOut |= inS[s];
      const newIn = (newOut & ~def[idx]) | use[idx];
      if (newOut !== outS[idx] || newIn !== inS[idx]) {
        inS[idx] = newIn;
        outS[idx] = newOut;
        changed = true;
      }
    }
  }
  for (let i = 0; i < n; i++) env.aux[i].liveRegsBefore = inS[i];
  if (env.level2) {
    env.verbose('Live regs before insn:\n');
    for (let i = 0; i < n; i++) {
      env.verbose(env.aux[i].scc ? `${String(env.aux[i].scc).padStart(3)} ` : '    ');
      let regs = '';
      for (let j = 0; j < 10; j++) regs += env.aux[i].liveRegsBefore & (1 << j) ? String(j) : '.';
      env.verbose(`${String(i).padStart(3)}: ${regs} ${env.insnText(i)}\n`);
      if (isLdImm64(env.insns[i])) i++;
    }
  }
}


// ---------------------------------------------------------------------------------------
// The CFG as data for the UI

export type CfgEdgeKind = 'fallthrough' | 'taken' | 'jump' | 'call' | 'back-edge';

export interface CfgBlock {
  id: number;
  /** First and last instruction slot of the block. */
  start: number;
  end: number;
  subprog: number;
}

export interface CfgEdge {
  from: number;
  to: number;
  kind: CfgEdgeKind;
}

export interface CfgGraph {
  blocks: CfgBlock[];
  edges: CfgEdge[];
  /** Subprogram clusters: their first instruction and the blocks they contain. */
  subprogs: { index: number; start: number; name: string; blocks: number[] }[];
  /** Instruction slot -> block id (-1 for the second half of lddw). */
  blockOf: number[];
}

/**
 * Splits the program into basic blocks and labels edges. Works on any instruction
 * stream (also ones the verifier rejects): targets out of range are left out.
 */
export function buildCfgGraph(insns: readonly Insn[], subprogStarts: readonly number[], subprogNames: readonly string[] = []): CfgGraph {
  const n = insns.length;
  const leader = new Uint8Array(n + 1);
  if (n) leader[0] = 1;
  for (const s of subprogStarts) if (s >= 0 && s < n) leader[s] = 1;
  for (let i = 0; i < n; i++) {
    const insn = insns[i];
    const c = cls(insn.code);
    if (c === BPF_JMP || c === BPF_JMP32) {
      const o = op(insn.code);
      if (o === BPF_CALL) {
        if (insn.src === 1) {
          const t = i + insn.imm + 1;
          if (t >= 0 && t < n) leader[t] = 1;
        }
        continue;
      }
      if (i + 1 < n) leader[i + 1] = 1;
      if (o !== BPF_EXIT) {
        const t = i + jmpOffset(insn) + 1;
        if (t >= 0 && t < n) leader[t] = 1;
      }
    }
    if (isLdImm64(insn)) i++;
  }
  const blocks: CfgBlock[] = [];
  const blockOf = new Array<number>(n).fill(-1);
  const starts = [...subprogStarts].filter((s) => s >= 0 && s < n).sort((a, b) => a - b);
  const subOf = (pc: number): number => {
    let k = 0;
    for (let j = 0; j < starts.length; j++) if (starts[j] <= pc) k = j;
    return k;
  };
  for (let i = 0; i < n; ) {
    const start = i;
    let end = i;
    for (;;) {
      const w = isLdImm64(insns[end]) ? 2 : 1;
      blockOf[end] = blocks.length;
      const c = cls(insns[end].code);
      const o = op(insns[end].code);
      const next = end + w;
      const endsBlock = (c === BPF_JMP || c === BPF_JMP32) && o !== BPF_CALL;
      if (endsBlock || next >= n || leader[next]) break;
      end = next;
    }
    blocks.push({ id: blocks.length, start, end, subprog: subOf(start) });
    i = end + (isLdImm64(insns[end]) ? 2 : 1);
  }
  const edges: CfgEdge[] = [];
  const add = (from: number, toPc: number, kind: CfgEdgeKind): void => {
    if (toPc < 0 || toPc >= n || blockOf[toPc] < 0) return;
    const to = blockOf[toPc];
    const back = kind !== 'call' && blocks[to].start <= blocks[from].start;
    edges.push({ from, to, kind: back ? 'back-edge' : kind });
  };
  for (const b of blocks) {
    const last = insns[b.end];
    const c = cls(last.code);
    const o = op(last.code);
    const fall = b.end + (isLdImm64(last) ? 2 : 1);
    for (let pc = b.start; pc <= b.end; pc += isLdImm64(insns[pc]) ? 2 : 1) {
      if (isPseudoCall(insns[pc]) || isPseudoFunc(insns[pc])) add(b.id, pc + insns[pc].imm + 1, 'call');
    }
    if (c === BPF_JMP || c === BPF_JMP32) {
      if (o === BPF_EXIT) continue;
      if (o === BPF_CALL) { add(b.id, fall, 'fallthrough'); continue; }
      if (o === BPF_JA) { add(b.id, b.end + jmpOffset(last) + 1, 'jump'); continue; }
      add(b.id, fall, 'fallthrough');
      add(b.id, b.end + jmpOffset(last) + 1, 'taken');
    } else {
      add(b.id, fall, 'fallthrough');
    }
  }
  const subprogs = starts.map((start, index) => ({
    index, start, name: subprogNames[index] ?? '', blocks: blocks.filter((b) => b.subprog === index).map((b) => b.id),
  }));
  return { blocks, edges, subprogs, blockOf };
}
