/**
 * The x86-64 JIT driver: repeats `do_jit` passes over each function until the image stops
 * shrinking (`bpf_int_jit_compile`), then, for programs with several functions, does the
 * final pass once every function's address is known (`jit_subprogs`' extra pass).
 *
 * Convergence: the first pass assumes 64 bytes per instruction, so every jump starts out
 * in its long form; each pass shortens the jumps that now fit in 8 bits, which moves code
 * and may let more jumps shrink. After 15 passes the JIT pads shrinking jumps with nops so
 * the size cannot oscillate; after 20 without convergence the kernel gives up and runs
 * the program in the interpreter (here: a JitError).
 */
import { JitError, type Relocation } from './emit';
import { doJit, type JitContext, type JitFunction, type PassResult } from './do-jit';
import { LINUX_6_18_X86_64, PLACEHOLDER_ADDRESSES, PLACEHOLDER_IMAGE_BASE, type JitAddresses, type JitMachine } from './machine';

const MAX_PASSES = 20;
const PADDING_PASSES = MAX_PASSES - 5;

export interface JitOptions {
  machine?: JitMachine;
  addresses?: Partial<JitAddresses>;
}

export interface JitFunctionImage {
  index: number;
  /** Offset of the function in the whole image. */
  offset: number;
  length: number;
  /** The kernel address the function was placed at. */
  address: bigint;
  /** `do_jit` passes until the size converged, plus the final pass(es). */
  passes: number;
  /** Slot index (in the whole program) of the function's first instruction. */
  firstSlot: number;
}

export interface JitImageRelocation extends Relocation {
  /** The function, and the program slot whose code holds the field (-1: prologue/epilogue code outside any slot). */
  func: number;
  slot: number;
}

export interface JitResult {
  /** All functions' code, concatenated in function order (as `jited_prog_insns`). */
  image: Uint8Array;
  functions: JitFunctionImage[];
  /** For every xlated slot: [start, end) of its code in the image (both slots of an lddw share one). */
  insnRanges: [number, number][];
  /** Address-dependent fields of the image. */
  relocations: JitImageRelocation[];
}

interface Converged {
  addrs: number[];
  ctx: JitContext;
  last: PassResult;
  passes: number;
}

/** Runs passes until the function's size repeats; the repeat is the image pass. */
function converge(fn: JitFunction, machine: JitMachine, addresses: JitAddresses, funcAddrs: readonly bigint[]): Converged {
  const len = fn.insns.length;
  const addrs: number[] = [];
  for (let i = 0; i <= len; i++) addrs.push(64 * (i + 1));
  const ctx: JitContext = { cleanupAddr: 64 * (len + 1), tailCallDirectLabel: 0, tailCallIndirectLabel: 0 };
  let oldLen = 0;
  let imagePass = false;
  let padding = false;
  for (let pass = 0; pass < MAX_PASSES || imagePass; pass++) {
    if (!padding && pass >= PADDING_PASSES) padding = true;
    const r = doJit(fn, addrs, ctx, { machine, addresses, funcAddrs, padding });
    const proglen = r.code.length;
    if (imagePass) {
      if (proglen !== oldLen) throw new JitError(`bpf_jit: proglen=${proglen} != oldproglen=${oldLen}`);
      return { addrs, ctx, last: r, passes: pass + 1 };
    }
    if (proglen === oldLen) imagePass = true;
    oldLen = proglen;
  }
  throw new JitError(`function ${fn.index}: the JIT did not converge in ${MAX_PASSES} passes (the kernel would run it in the interpreter)`);
}

/** JITs the functions of one program (in order: the main program first). */
export function jitFunctions(functions: readonly JitFunction[], opts: JitOptions = {}): JitResult {
  if (!functions.length) throw new JitError('no functions to JIT');
  const machine = opts.machine ?? LINUX_6_18_X86_64;
  const addresses: JitAddresses = { ...PLACEHOLDER_ADDRESSES, ...opts.addresses };
  const given = addresses.funcs;
  if (given && given.length !== functions.length) throw new JitError(`${given.length} function addresses for ${functions.length} functions`);

  let finals: { result: PassResult; passes: number }[];
  let funcAddrs: bigint[];
  if (functions.length === 1) {
    funcAddrs = [given?.[0] ?? PLACEHOLDER_IMAGE_BASE];
    const c = converge(functions[0], machine, addresses, funcAddrs);
    finals = [{ result: c.last, passes: c.passes }];
  } else {
    // First every function converges with provisional addresses (the kernel points calls
    // at __bpf_call_base + 1 and function addresses at MODULES_VADDR meanwhile) ...
    const provisional = functions.map(() => PLACEHOLDER_IMAGE_BASE);
    const converged = functions.map((fn) => converge(fn, machine, addresses, given ?? provisional));
    funcAddrs = given ? [...given] : [];
    if (!given) {
      let at = PLACEHOLDER_IMAGE_BASE;
      for (const c of converged) {
        funcAddrs.push(at);
        at += BigInt(c.last.code.length);
      }
    }
    // ... then one more pass each, with padding, now that calls know their targets.
    finals = functions.map((fn, k) => {
      const c = converged[k];
      const r = doJit(fn, c.addrs, c.ctx, { machine, addresses, funcAddrs, padding: true });
      if (r.code.length !== c.last.code.length) throw new JitError(`bpf_jit: proglen=${r.code.length} != oldproglen=${c.last.code.length}`);
      return { result: r, passes: c.passes + 1 };
    });
  }

  const total = finals.reduce((n, f) => n + f.result.code.length, 0);
  const image = new Uint8Array(total);
  const out: JitResult = { image, functions: [], insnRanges: [], relocations: [] };
  let offset = 0;
  let firstSlot = 0;
  finals.forEach(({ result, passes }, k) => {
    const fn = functions[k];
    image.set(result.code.bytes, offset);
    out.functions.push({ index: fn.index, offset, length: result.code.length, address: funcAddrs[k], passes, firstSlot });
    const slotOfOffset = (o: number): number => {
      const s = result.ranges.findIndex((r) => r && o >= r[0] && o < r[1]);
      return s < 0 ? -1 : firstSlot + s;
    };
    for (const r of result.code.relocations) out.relocations.push({ ...r, offset: r.offset + offset, func: k, slot: slotOfOffset(r.offset) });
    for (let s = 0; s < fn.insns.length; s++) {
      const r = result.ranges[s] ?? [result.code.length, result.code.length];
      out.insnRanges.push([r[0] + offset, r[1] + offset]);
    }
    offset += result.code.length;
    firstSlot += fn.insns.length;
  });
  return out;
}
