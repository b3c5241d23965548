/**
 * What the x86-64 JIT's output depends on besides the program: CPU features and
 * mitigations of the machine, the kernel's struct layouts the tail-call code reads, and
 * the kernel addresses that calls, jumps and map pointers encode.
 */

export interface JitMachine {
  /** BMI2: shifts by a register become shlx / shrx / sarx (unless the count is in rcx). */
  bmi2: boolean;
  /** X86_FEATURE_RETHUNK: functions end with `jmp <return thunk>` instead of `ret`. */
  returnThunk: boolean;
  /**
   * How an indirect jump (an indirect tail call through rcx) is emitted:
   * `retpoline` jumps to __x86_indirect_thunk_rcx, `lfence` is `lfence; jmp *%rcx`,
   * `plain` is `jmp *%rcx` (followed by int3 when `sls`).
   */
  indirectJump: 'retpoline' | 'lfence' | 'plain';
  /** CONFIG_MITIGATION_SLS: an int3 after `ret` and after `jmp *reg`. */
  sls: boolean;
  /** offsetof(struct bpf_array, map.max_entries). */
  bpfArrayMaxEntriesOffset: number;
  /** offsetof(struct bpf_array, ptrs): the prog array's program pointers. */
  bpfArrayPtrsOffset: number;
  /** offsetof(struct bpf_prog, bpf_func). */
  bpfProgBpfFuncOffset: number;
  /** X86_TAIL_CALL_OFFSET: bytes of the prologue a tail call skips (12, plus 4 with IBT). */
  tailCallOffset: number;
  /** MAX_TAIL_CALL_CNT. */
  maxTailCallCnt: number;
}

/**
 * The machine the goldens were recorded on (test/golden/jit/*.json `environment`):
 * Linux 6.18 on AMD EPYC with BMI2, spectre_v2 "Retpolines", ITS "Aligned branch/return
 * thunks" (so a return thunk), no IBT/CFI. The struct offsets are those its JIT encodes
 * (`cmp %edx,0x4c(%rsi)`, `mov 0x138(%rsi,%rdx,8),%rcx`, `mov 0x48(%rcx),%rcx`).
 */
export const LINUX_6_18_X86_64: JitMachine = {
  bmi2: true,
  returnThunk: true,
  indirectJump: 'retpoline',
  sls: false,
  bpfArrayMaxEntriesOffset: 0x4c,
  bpfArrayPtrsOffset: 0x138,
  bpfProgBpfFuncOffset: 0x48,
  tailCallOffset: 12,
  maxTailCallCnt: 33,
};

/**
 * Kernel addresses the image encodes. Only the bytes of these fields change with them
 * (every choice of encoding size is made the same way for any kernel address), so the
 * defaults are stable placeholders of the right kind, and `JitResult.relocations` lists
 * where they went so a UI can explain them and a comparison can mask them.
 */
export interface JitAddresses {
  /** Start address of each function of the program (`jited_ksyms`). */
  funcs?: readonly bigint[];
  /** `__bpf_call_base`: helper and kfunc calls go to `__bpf_call_base + imm`. */
  callBase: bigint;
  /** The return thunk exits jump to. */
  returnThunk: bigint;
  /** The indirect-jump thunk for rcx (indirect tail calls). */
  indirectThunkRcx: bigint;
  /** Kernel address of a map (`lddw` src 1, value offset 0) or a map value (src 2). */
  map(id: number, valueOffset: number, pseudo: number): bigint;
  /** The per-CPU private stack frame of function `func`. */
  privateStackFrame(func: number): bigint;
  /** Address of the per-CPU variable `this_cpu_off` (encoded as a 32-bit displacement). */
  thisCpuOff: bigint;
}

/** Where functions are placed when no addresses are given: the module area, 4 KiB apart. */
export const PLACEHOLDER_IMAGE_BASE = 0xffffffffc0000000n;

export const PLACEHOLDER_ADDRESSES: JitAddresses = {
  callBase: 0xffffffff81400000n,
  returnThunk: 0xffffffff82200000n,
  indirectThunkRcx: 0xffffffff82200100n,
  map: (id, off) => 0xffff888100000000n + BigInt(id >>> 0) * 0x1000n + BigInt(off),
  privateStackFrame: (func) => 0x600000000000n + BigInt(func) * 0x1000n,
  thisCpuOff: 0xffffffff83000000n,
};
