/**
 * The verifier environment (the kernel's `struct bpf_verifier_env`): the program, its
 * per-instruction facts, the current and explored states, the log and the statistics.
 * The checking functions in the other files take an `Env` and mutate it, as the kernel's
 * functions take `env`.
 */
import type { Insn } from '../isa/insn';
import type { LineInfo, MapDef } from '../elf/loaded-object';
import { formatKernelInsn, type KernelResolvers } from '../asm/format-kernel';
import { LogBuffer, Scratch, formatFrameState, vlogAlignment, type MapInfo } from './log';
import { RegState } from './reg-state';
import { VerifierState, type FuncState } from './state';
import type { StackLiveness } from './liveness';
import type { TraceRecorder } from './trace';
import type { Btf } from '../btf/btf';
import type { SubprogBtf } from './btf-func';
import type { MapField, MapFieldType } from './map-record';
import type { ProgTypeInfo } from './prog-types';
import { BacktrackState } from './precision';

export const EPERM = 1;
export const ENOENT = 2;
export const E2BIG = 7;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EINVAL = 22;
export const ERANGE = 34;
export const EPROTO = 71;
export const EOPNOTSUPP = 95;
export const ENOTSUPP = 524;
export const EAGAIN = 11;

export const ERRNO_NAMES: Record<number, string> = {
  [EPERM]: 'EPERM', [ENOENT]: 'ENOENT', [E2BIG]: 'E2BIG', [ENOMEM]: 'ENOMEM', [EACCES]: 'EACCES',
  [EFAULT]: 'EFAULT', [EINVAL]: 'EINVAL', [ERANGE]: 'ERANGE', [EPROTO]: 'EPROTO', [EOPNOTSUPP]: 'EOPNOTSUPP',
  [ENOTSUPP]: 'ENOTSUPP', [EAGAIN]: 'EAGAIN',
};

export const BPF_COMPLEXITY_LIMIT_INSNS = 1_000_000;
export const BPF_COMPLEXITY_LIMIT_JMP_SEQ = 8192;
export const BPF_COMPLEXITY_LIMIT_STATES = 64;
export const BPF_MAX_VAR_OFF = 1 << 29;
export const BPF_MAX_VAR_SIZ = 1 << 29;
export const MAX_PACKET_OFF = 0xffff;
export const BPF_MAX_SUBPROGS = 256;
export const BPF_MAXINSNS = 4096;

/** BPF_F_* load flags the verifier looks at. */
export const BPF_F_STRICT_ALIGNMENT = 1 << 0;
export const BPF_F_ANY_ALIGNMENT = 1 << 1;
export const BPF_F_TEST_RND_HI32 = 1 << 2;
export const BPF_F_TEST_STATE_FREQ = 1 << 3;
export const BPF_F_SLEEPABLE = 1 << 4;
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;
export const BPF_F_TEST_REG_INVARIANTS = 1 << 7;

/** A map as the verifier sees it. */
export type VerifierMapDef = MapDef;

export interface SubprogInfo {
  start: number;
  stackDepth: number;
  hasTailCall: boolean;
  tailCallReachable: boolean;
  hasLdAbs: boolean;
  isCb: boolean;
  isAsyncCb: boolean;
  changesPktData: boolean;
  mightSleep: boolean;
  postorderStart: number;
  linfoIdx: number;
  /** Global (BTF linkage) subprograms are verified separately. */
  isGlobal: boolean;
  name: string;
}

/** Per-instruction facts (`struct bpf_insn_aux_data`, the parts we need). */
export class InsnAux {
  seen = 0;
  prunePoint = false;
  jmpPoint = false;
  forceCheckpoint = false;
  callsCallback = false;
  liveRegsBefore = 0;
  scc = 0;
  /** Pointer type an instruction was first verified with (save_aux_ptr_type). */
  ptrType = 0;
  mapIndex = -1;
  mapOff = 0;
  nospec = false;
  nospecResult = false;
  aluState = 0;
  aluLimit = 0;
  /** record_func_map: the map a helper call was checked with (-1 none, -2 poisoned). */
  mapPtrState = -1;
  mapKeyState = 0n;
  isIterNext = false;
  loopInit = false;
  loopFitForInline = false;
  loopCallbackSubprog = 0;
  ctxFieldSize = 0;
}

export interface VerifyOptions {
  /** 0 (no log), 1 or 2. Default 1. */
  logLevel?: number;
  /** Root (CAP_BPF + CAP_PERFMON + CAP_SYS_ADMIN), the default; false models an unprivileged load. */
  privileged?: boolean;
  /** BPF_F_* load flags, e.g. BPF_F_ANY_ALIGNMENT. */
  flags?: number;
  /** Record the structured trace for the debugger (default true). */
  trace?: boolean;
  /**
   * Called every few thousand processed instructions; returning true cancels the
   * verification (for a Web Worker's cancel button).
   */
  shouldCancel?: () => boolean;
  /** Stop after this many processed instructions instead of the kernel's 1,000,000 (tests). */
  insnLimit?: number;
  /**
   * Characters of log to keep (default 64 MiB); older text is dropped first, as the
   * kernel's rotating log does (`VerifyResult.logTruncated` then says so).
   */
  logLimit?: number;
}

/** A state pushed for later exploration (`bpf_verifier_stack_elem`). */
export interface StackElem {
  st: VerifierState;
  insnIdx: number;
  prevInsnIdx: number;
  logPos: number;
}

export interface StateListEntry {
  state: VerifierState;
  missCnt: number;
  hitCnt: number;
  inFreeList: boolean;
}

/** A verification error: the errno the kernel would return (the message is in the log). */
export class VerifyAbort {
  constructor(readonly errno: number) {}
}

export class Env {
  readonly insns: Insn[];
  readonly len: number;
  readonly aux: InsnAux[];
  subprogs: SubprogInfo[] = [];
  /** Postorder of instructions per subprogram (compute_postorder). */
  insnPostorder: number[] = [];
  curPostorder = 0;

  readonly log: LogBuffer;
  readonly logLevel: number;
  readonly scratch = new Scratch();
  prevLogPos = 0;
  prevInsnPrintPos = 0;
  prevLinfoIdx = -1;

  readonly bpfCapable: boolean;
  readonly allowPtrLeaks: boolean;
  readonly allowUninitStack: boolean;
  readonly bypassSpecV1: boolean;
  readonly bypassSpecV4: boolean;
  readonly strictAlignment: boolean;
  readonly testStateFreq: boolean;
  readonly testRegInvariants: boolean;

  curState!: VerifierState;
  head: StackElem[] = [];
  idGen = 0;
  insnIdx = 0;
  prevInsnIdx = -1;
  /** explored_states hash table: buckets of state lists, newest first. */
  explored: StateListEntry[][] = [];
  freeList: StateListEntry[] = [];

  insnProcessed = 0;
  jmpsProcessed = 0;
  prevJmpsProcessed = 0;
  prevInsnProcessed = 0;
  totalStates = 0;
  peakStates = 0;
  maxStatesPerInsn = 0;
  exploredStatesSize = 0;
  freeListSize = 0;
  numBackedges = 0;
  passCnt = 0;
  exploreAluLimits = false;
  seenDirectWrite = false;

  /** Current jump-history entry of this instruction (push_jmp_history merges into it). */
  curHistEnt: import('./state').JmpHistEntry | null = null;
  readonly fakeReg = [new RegState(), new RegState()];
  readonly bt = new BacktrackState();

  liveness!: StackLiveness;
  /** Global subprograms called so far (verified afterwards, `do_check_subprogs`). */
  readonly globalCalled = new Set<number>();
  /** The program came with BTF func_info (needed for callbacks, `ld_imm64` of functions). */
  hasFuncInfo = false;
  /** The object's BTF, when it has one. */
  btf: Btf | undefined;
  /** Special fields of each map's value (from BTF). */
  mapFields: MapField[][] = [];
  /** BTF facts per subprogram (from func_info), when present. */
  subprogBtf: (SubprogBtf | undefined)[] = [];
  /** Instruction the verification failed at. */
  errorInsn: number | undefined;
  trace: TraceRecorder | null = null;
  readonly insnLimit: number;
  readonly shouldCancel?: () => boolean;

  /**
   * The program's maps, then one `inner_map_meta` per map-in-map (a nameless copy of its
   * inner map template: what a looked-up inner map pointer refers to).
   */
  readonly maps: readonly VerifierMapDef[];
  /** Number of the program's own maps (the rest are inner map metas). */
  readonly userMapCount: number;
  private readonly innerMeta = new Map<number, number>();

  constructor(
    insns: readonly Insn[],
    readonly prog: { progType: number; expectedAttachType: number; flags: number; gplCompatible: boolean; name: string },
    maps: readonly MapDef[],
    readonly lineInfo: readonly LineInfo[],
    readonly ptype: ProgTypeInfo,
    opts: VerifyOptions,
  ) {
    this.insns = insns.map((i) => ({ ...i }));
    const all: VerifierMapDef[] = maps.slice();
    maps.forEach((m, i) => {
      if (m.innerMap !== undefined && maps[m.innerMap]) {
        this.innerMeta.set(i, all.length);
        all.push({ ...maps[m.innerMap], name: '' });
      }
    });
    this.maps = all;
    this.userMapCount = maps.length;
    this.len = insns.length;
    this.aux = Array.from({ length: insns.length }, () => new InsnAux());
    this.logLevel = opts.logLevel ?? 1;
    this.log = new LogBuffer(this.logLevel > 0, opts.logLimit);
    const priv = opts.privileged ?? true;
    this.bpfCapable = priv;
    this.allowPtrLeaks = priv;
    this.allowUninitStack = priv;
    this.bypassSpecV1 = priv;
    this.bypassSpecV4 = priv;
    const flags = opts.flags ?? 0;
    // x86-64 has efficient unaligned access, so alignment is only strict on request
    this.strictAlignment = (flags & BPF_F_STRICT_ALIGNMENT) !== 0 && (flags & BPF_F_ANY_ALIGNMENT) === 0;
    this.testStateFreq = priv && (flags & BPF_F_TEST_STATE_FREQ) !== 0;
    this.testRegInvariants = (flags & BPF_F_TEST_REG_INVARIANTS) !== 0;
    this.insnLimit = opts.insnLimit ?? BPF_COMPLEXITY_LIMIT_INSNS;
    this.shouldCancel = opts.shouldCancel;
  }

  get level1(): boolean {
    return this.logLevel >= 1;
  }

  get level2(): boolean {
    return this.logLevel >= 2;
  }

  /** Offset of the map value's field of this type, or -1 (`btf_record_find`; first one). */
  fieldOffset(map: number, type: MapFieldType): number {
    return this.mapFields[map]?.find((f) => f.type === type)?.offset ?? -1;
  }

  hasField(map: number, ...types: MapFieldType[]): boolean {
    return (this.mapFields[map] ?? []).some((f) => types.includes(f.type));
  }

  /** The `inner_map_meta` of map-in-map `outer`. */
  innerMapMeta(outer: number): number | undefined {
    return this.innerMeta.get(outer);
  }

  /** `verbose()`. */
  verbose(s: string): void {
    this.log.write(s);
  }

  get mapInfo(): readonly MapInfo[] {
    return this.maps;
  }

  cur(): FuncState {
    return this.curState.frames[this.curState.curframe];
  }

  regs(): RegState[] {
    return this.cur().regs;
  }

  /**
   * Kernel function names come from the kernel's BTF: id 0 names `void`, printed as an
   * empty name (`call #0`); other ids are refused before anything is printed.
   */
  readonly resolvers: KernelResolvers = { call: (i) => (i.src === 2 ? '' : undefined) };

  private readonly insnTexts: (string | undefined)[] = [];

  /** The instruction as the log prints it (cached: instructions do not change while verifying). */
  insnText(idx: number): string {
    let t = this.insnTexts[idx];
    if (t === undefined) {
      t = formatKernelInsn(this.insns, idx, { ...this.resolvers, imm64: (insns, pc, value) => this.imm64Text(insns, pc, value) });
      this.insnTexts[idx] = t;
    }
    return t;
  }

  /**
   * Map pointers print as kernel addresses in the log; we use a stable fake address per
   * map (0xffff8880_0000_0000 + index * 0x1000 + value offset), documented in the README.
   */
  private imm64Text(insns: readonly Insn[], pc: number, value: bigint): string | undefined {
    const i = insns[pc];
    if (i.src === 1 || i.src === 2 || i.src === 5 || i.src === 6) {
      const aux = this.aux[pc];
      const idx = aux.mapIndex >= 0 ? aux.mapIndex : i.imm;
      const addr = fakeMapAddress(idx) + (i.src === 2 || i.src === 6 ? BigInt(aux.mapOff) : 0n);
      return `0x${addr.toString(16)}`;
    }
    return undefined;
  }

  /** `print_verifier_state`. */
  printVerifierState(st: VerifierState, frameno: number, printAll: boolean): void {
    if (!this.level1) return;
    this.verbose(formatFrameState(st, frameno, printAll, this.scratch, this.mapInfo) + '\n');
    if (!printAll) this.scratch.clean();
  }

  /** `print_insn_state`: append `; state` to the instruction line, or a fresh `N:` line. */
  printInsnState(st: VerifierState, frameno: number): void {
    if (!this.level1) return;
    if (this.prevLogPos && this.prevLogPos === this.log.endPos) {
      this.log.reset(this.prevLogPos - 1);
      this.verbose(' '.repeat(vlogAlignment(this.prevInsnPrintPos)) + ';');
    } else {
      this.verbose(`${this.insnIdx}:`);
    }
    this.printVerifierState(st, frameno, false);
  }

  /** `verbose_linfo`: `; source @ file:line` once per source line. */
  verboseLinfo(insnOff: number, prefix: string): void {
    if (!this.level1 || !this.lineInfo.length) return;
    let l = -1;
    for (let k = 0; k < this.lineInfo.length; k++) if (this.lineInfo[k].insnOff <= insnOff) l = k;
    if (l < 0 || l === this.prevLinfoIdx) return;
    const li = this.lineInfo[l];
    const prev = this.prevLinfoIdx >= 0 ? this.lineInfo[this.prevLinfoIdx] : undefined;
    if (prev && prev.file === li.file && prev.line === li.line) return;
    const fname = li.file.slice(li.file.lastIndexOf('/') + 1);
    this.verbose(`${prefix}${li.text.trimStart()} @ ${fname}:${li.line}\n`);
    this.prevLinfoIdx = l;
  }

  /** The kernel's `verifier_bug()`: an internal inconsistency, reported as EFAULT. */
  bug(msg: string): number {
    this.verbose(`verifier bug: ${msg}\n`);
    return -EFAULT;
  }
}

/** Stable stand-in for a map's kernel address in logs. */
export const fakeMapAddress = (mapIndex: number): bigint => 0xffff_8880_0000_0000n + BigInt(mapIndex) * 0x1000n;

/** `insn_def_regno`-style helper: the subprogram containing `off`. */
export function findContainingSubprog(env: Env, off: number): number {
  let l = 0;
  let r = env.subprogs.length - 1;
  if (off < 0 || off >= env.len || !env.subprogs.length) return -1;
  while (l < r) {
    const m = l + ((r - l + 1) >> 1);
    if (env.subprogs[m].start <= off) l = m;
    else r = m - 1;
  }
  return l;
}

/** `find_subprog`: the subprogram starting exactly at `off`, or -1. */
export function findSubprog(env: Env, off: number): number {
  const p = findContainingSubprog(env, off);
  return p >= 0 && env.subprogs[p].start === off ? p : -1;
}

/** Start of the subprogram after `i` (or the program length). */
export const subprogEnd = (env: Env, i: number): number => (i + 1 < env.subprogs.length ? env.subprogs[i + 1].start : env.len);
