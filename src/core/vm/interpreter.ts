/**
 * The dispatch loop: executes pre-decoded rows (program.ts) on registers held as 32-bit
 * halves (int64.ts) over the region memory (memory.ts).
 *
 * Semantics follow RFC 9669 and the kernel's interpreter/JIT: 32-bit ALU results are
 * zero-extended, shift counts are masked (63 / 31), division by zero gives 0 and modulo
 * by zero leaves the destination (the 32-bit forms truncate it to 32 bits), sdiv/smod
 * truncate toward zero (INT_MIN / -1 = INT_MIN, INT_MIN % -1 = 0), ALU64 immediates are
 * sign-extended (so `r1 /= -1` divides by 0xffff...ffff, unsigned), jmp32 compares the low
 * halves, bpf-to-bpf calls get a fresh 512-byte stack and keep r6-r9 (at most 8 frames).
 *
 * Tracing: with a tracer installed, it sees every step before it runs and every write
 * before it happens; without one the loop pays one predictable branch per instruction.
 */
import {
  add64, arsh64, bswap16, bswap32, div64, gtS64, gtU64, lsh64, mod64, mul64, neg64, rsh64, sdiv64, smod64, sub64,
} from './int64';
import { AddressSpace, HI_BASE, LO_BASE, VmFault, type Region } from './memory';
import { F_IMM, F_PROG, F_SLOT, ROW, type CodeImage } from './program';

const U32 = 0x100000000;

/** The kernel's MAX_CALL_FRAMES. */
export const MAX_FRAMES = 8;
/** The kernel's MAX_BPF_STACK: each frame's stack. */
export const STACK_SIZE = 512;
/** The kernel's MAX_TAIL_CALL_CNT. */
export const MAX_TAIL_CALLS = 33;
/** The kernel's BPF_MAX_LOOPS: may_goto budget per frame. */
export const MAY_GOTO_BUDGET = 8 * 1024 * 1024;
export const DEFAULT_BUDGET = 1_000_000;

/** Sees each step of a traced run (history.ts). */
export interface StepTracer {
  /** Before the instruction at `row` executes. */
  step(row: number): void;
  /** Before `size` bytes at `off` in `region` are written (by a store, a helper, a new frame). */
  write(region: Region, off: number, size: number): void;
  /** After a helper returned (its effects are visible; its arguments are still in r1-r5). */
  helper(id: number, name: string): void;
}

/** A helper implementation: reads its arguments from the machine, returns r0 (or sets it and returns nothing). */
export type HelperFn = (m: Machine) => number | bigint | void;

export interface HelperEntry {
  name: string;
  fn: HelperFn;
}

/** Thrown by helpers (uBPF's unwind) to stop the whole program with a return value. */
export class StopProgram {
  constructor(readonly r0lo: number, readonly r0hi: number) {}
}

/** Packet access for legacy LD_ABS / LD_IND: the socket buffer's linear data. */
export interface AbsLoader {
  /** Returns the big-endian value of `size` bytes at `off`, or -1 when out of bounds. */
  loadAbs(off: number, size: number): number;
}

const ACTION_NONE = 0;
const ACTION_TAIL_CALL = 1;

export class Machine {
  readonly R = new Int32Array(22);
  readonly mem: AddressSpace;
  readonly stacks: Region[] = [];
  code: Int32Array;
  image: CodeImage;
  helpers: (HelperEntry | undefined)[] = [];
  tracer: StepTracer | null = null;
  absLoader: AbsLoader | null = null;

  /** Current row (kept in sync at helper calls and faults). */
  pc = 0;
  depth = 0;
  /** Instructions left in the budget. */
  left = DEFAULT_BUDGET;
  budget = DEFAULT_BUDGET;
  tailCalls = 0;
  private readonly retRow = new Int32Array(MAX_FRAMES);
  private readonly saved = new Int32Array(MAX_FRAMES * 8);
  private readonly mayGoto = new Int32Array(MAX_FRAMES);
  private action = ACTION_NONE;
  private actionRow = 0;
  /** High word of the last 8-byte load, and of the last 4-byte load (0, or a context pointer's). */
  private loadHi = 0;
  /** The regions array of `mem`, for the hot path. */
  private regions: (Region | undefined)[];

  constructor(image: CodeImage, mem: AddressSpace) {
    this.image = image;
    this.code = image.code;
    this.mem = mem;
    this.regions = mem.regions;
    for (let f = 0; f < MAX_FRAMES; f++) {
      const r = mem.add('stack', f === 0 ? 'fp' : `fp#${f}`, new Uint8Array(STACK_SIZE), true);
      r.frame = f;
      r.origin = STACK_SIZE;
      r.live = false;
      r.refresh();
      this.stacks.push(r);
    }
  }

  // ------------------------------------------------------------------------------------
  // Registers

  /** Register value as unsigned 64-bit. */
  reg(r: number): bigint {
    return (BigInt(this.R[2 * r + 1] >>> 0) << 32n) | BigInt(this.R[2 * r] >>> 0);
  }

  setReg(r: number, v: bigint | number): void {
    if (typeof v === 'number') {
      this.R[2 * r] = v | 0;
      this.R[2 * r + 1] = Math.floor(v / U32) | 0;
    } else {
      const u = BigInt.asUintN(64, v);
      this.R[2 * r] = Number(u & 0xffffffffn) | 0;
      this.R[2 * r + 1] = Number(u >> 32n) | 0;
    }
  }

  // ------------------------------------------------------------------------------------
  // Running

  /**
   * Prepares a run of the program whose entry row is `entry`: frame 0 with a zeroed
   * stack, r10 at its top, the budget refilled. Registers other than r10 are zeroed;
   * the caller sets r1 (and r2) afterwards.
   */
  reset(entry: number, budget: number): void {
    this.R.fill(0);
    for (let f = 1; f < MAX_FRAMES; f++) {
      const s = this.stacks[f];
      if (s.live) {
        s.live = false;
        s.refresh();
      }
    }
    this.depth = 0;
    this.enterFrame(0);
    this.pc = entry;
    this.budget = budget;
    this.left = budget;
    this.tailCalls = 0;
    this.action = ACTION_NONE;
  }

  get executed(): number {
    return this.budget - this.left;
  }

  private enterFrame(f: number): void {
    const s = this.stacks[f];
    if (this.tracer !== null) this.tracer.write(s, 0, STACK_SIZE);
    s.bytes.fill(0);
    s.live = true;
    s.refresh();
    this.R[20] = (LO_BASE + STACK_SIZE) | 0;
    this.R[21] = (HI_BASE + s.id) | 0;
    this.mayGoto[f] = MAY_GOTO_BUDGET;
  }

  /** Pushes a frame for a call from `retRow`; r6-r9 are saved, r10 points at the new stack. */
  private pushFrame(retRow: number): void {
    const nd = this.depth + 1;
    if (nd >= MAX_FRAMES) throw new VmFault(`call stack overflow: more than ${MAX_FRAMES} frames (bpf-to-bpf calls and callbacks nest at most ${MAX_FRAMES - 1} deep)`, 'call');
    const R = this.R;
    const s = nd * 8;
    for (let k = 0; k < 8; k++) this.saved[s + k] = R[12 + k];
    this.retRow[nd] = retRow;
    this.depth = nd;
    this.enterFrame(nd);
  }

  /** Pops the current frame: restores r6-r9 and r10; returns the row to continue at. */
  private popFrame(): number {
    const f = this.depth;
    const R = this.R;
    const s = f * 8;
    for (let k = 0; k < 8; k++) R[12 + k] = this.saved[s + k];
    const st = this.stacks[f];
    st.live = false;
    st.refresh();
    this.depth = f - 1;
    const up = this.stacks[f - 1];
    R[20] = (LO_BASE + STACK_SIZE) | 0;
    R[21] = (HI_BASE + up.id) | 0;
    return this.retRow[f];
  }

  /**
   * Calls the function at `row` from a helper (bpf_loop, for_each_map_elem callbacks)
   * with arguments r1-r5 given as [lo, hi] halves; returns r0 as [lo, hi].
   */
  callFunction(row: number, args: ReadonlyArray<readonly [number, number]>): [number, number] {
    const savedPc = this.pc;
    this.pushFrame(-1);
    const R = this.R;
    for (let a = 0; a < 5; a++) {
      R[2 + 2 * a] = args[a]?.[0] ?? 0;
      R[3 + 2 * a] = args[a]?.[1] ?? 0;
    }
    this.pc = row;
    this.exec(this.depth);
    const r0: [number, number] = [R[0], R[1]];
    this.popFrame();
    this.pc = savedPc;
    return r0;
  }

  /** Asks for a tail call to the program whose entry is `row`, after the current helper returns. */
  requestTailCall(row: number): void {
    this.action = ACTION_TAIL_CALL;
    this.actionRow = row;
  }

  /** Slot and program index of a row (for messages and traces). */
  where(row: number): { prog: number; slot: number } {
    const k = row * ROW;
    return { prog: this.code[k + F_PROG], slot: this.code[k + F_SLOT] };
  }

  /**
   * Runs from `this.pc` until an exit in frame `stopDepth` (returns true), or until the
   * instructions left reach `pauseAt` > 0 (returns false; call again to resume). Throws
   * VmFault (with `row` set) when the program faults, StopProgram when a helper stops it.
   */
  exec(stopDepth: number, pauseAt = 0): boolean {
    const x = this.code;
    const R = this.R;
    const T = this.tracer;
    let pc = this.pc;
    let left = this.left;
    try {
      for (;;) {
        if (left === pauseAt) {
          this.left = left;
          if (left === 0) throw new VmFault(`instruction budget of ${this.budget} exhausted (the program ran too long; raise the budget to run longer)`, 'budget');
          this.pc = pc;
          return false;
        }
        left--;
        if (T !== null) {
          this.pc = pc;
          T.step(pc);
        }
        const k = pc << 3;
        const d = x[k + 1];
        switch (x[k]) {
          // ---- ALU64, immediate ------------------------------------------------------
          case 0x07: add64(R, d, x[k + 4], x[k + 5]); pc++; break;
          case 0x17: sub64(R, d, x[k + 4], x[k + 5]); pc++; break;
          case 0x27: mul64(R, d, x[k + 4], x[k + 5]); pc++; break;
          case 0x37:
            if (x[k + 3] === 1) sdiv64(R, d, x[k + 4], x[k + 5]);
            else div64(R, d, x[k + 4], x[k + 5]);
            pc++; break;
          case 0x47: R[d] |= x[k + 4]; R[d + 1] |= x[k + 5]; pc++; break;
          case 0x57: R[d] &= x[k + 4]; R[d + 1] &= x[k + 5]; pc++; break;
          case 0x67: lsh64(R, d, x[k + 4]); pc++; break;
          case 0x77: rsh64(R, d, x[k + 4]); pc++; break;
          case 0x87: neg64(R, d); pc++; break;
          case 0x97:
            if (x[k + 3] === 1) smod64(R, d, x[k + 4], x[k + 5]);
            else mod64(R, d, x[k + 4], x[k + 5]);
            pc++; break;
          case 0xa7: R[d] ^= x[k + 4]; R[d + 1] ^= x[k + 5]; pc++; break;
          case 0xb7: R[d] = x[k + 4]; R[d + 1] = x[k + 5]; pc++; break;
          case 0xc7: arsh64(R, d, x[k + 4]); pc++; break;
          case 0xd7: this.byteSwap(d, x[k + 4]); pc++; break;

          // ---- ALU64, register -------------------------------------------------------
          case 0x0f: { const s = x[k + 2]; add64(R, d, R[s], R[s + 1]); pc++; break; }
          case 0x1f: { const s = x[k + 2]; sub64(R, d, R[s], R[s + 1]); pc++; break; }
          case 0x2f: { const s = x[k + 2]; mul64(R, d, R[s], R[s + 1]); pc++; break; }
          case 0x3f: {
            const s = x[k + 2];
            if (x[k + 3] === 1) sdiv64(R, d, R[s], R[s + 1]);
            else div64(R, d, R[s], R[s + 1]);
            pc++; break;
          }
          case 0x4f: { const s = x[k + 2]; R[d] |= R[s]; R[d + 1] |= R[s + 1]; pc++; break; }
          case 0x5f: { const s = x[k + 2]; R[d] &= R[s]; R[d + 1] &= R[s + 1]; pc++; break; }
          case 0x6f: lsh64(R, d, R[x[k + 2]]); pc++; break;
          case 0x7f: rsh64(R, d, R[x[k + 2]]); pc++; break;
          case 0x9f: {
            const s = x[k + 2];
            if (x[k + 3] === 1) smod64(R, d, R[s], R[s + 1]);
            else mod64(R, d, R[s], R[s + 1]);
            pc++; break;
          }
          case 0xaf: { const s = x[k + 2]; R[d] ^= R[s]; R[d + 1] ^= R[s + 1]; pc++; break; }
          case 0xbf: {
            const s = x[k + 2];
            const off = x[k + 3];
            if (off === 0) { R[d] = R[s]; R[d + 1] = R[s + 1]; }
            else if (off === 8) { R[d] = (R[s] << 24) >> 24; R[d + 1] = R[d] >> 31; }
            else if (off === 16) { R[d] = (R[s] << 16) >> 16; R[d + 1] = R[d] >> 31; }
            else if (off === 32) { R[d] = R[s]; R[d + 1] = R[s] >> 31; }
            else throw new VmFault(off === 1 ? 'addr_space_cast (arena memory) is not supported by the VM' : 'per-CPU address move is a kernel-internal instruction', 'insn');
            pc++; break;
          }
          case 0xcf: arsh64(R, d, R[x[k + 2]]); pc++; break;

          // ---- ALU32, immediate (results zero-extended) ------------------------------
          case 0x04: R[d] = (R[d] + x[k + 4]) | 0; R[d + 1] = 0; pc++; break;
          case 0x14: R[d] = (R[d] - x[k + 4]) | 0; R[d + 1] = 0; pc++; break;
          case 0x24: R[d] = Math.imul(R[d], x[k + 4]); R[d + 1] = 0; pc++; break;
          case 0x34: R[d] = div32(R[d], x[k + 4], x[k + 3]); R[d + 1] = 0; pc++; break;
          case 0x44: R[d] |= x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0x54: R[d] &= x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0x64: R[d] <<= x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0x74: R[d] = R[d] >>> x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0x84: R[d] = -R[d] | 0; R[d + 1] = 0; pc++; break;
          case 0x94: R[d] = mod32(R[d], x[k + 4], x[k + 3]); R[d + 1] = 0; pc++; break;
          case 0xa4: R[d] ^= x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0xb4: R[d] = x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0xc4: R[d] >>= x[k + 4]; R[d + 1] = 0; pc++; break;
          case 0xd4: this.toLittle(d, x[k + 4]); pc++; break;

          // ---- ALU32, register -------------------------------------------------------
          case 0x0c: R[d] = (R[d] + R[x[k + 2]]) | 0; R[d + 1] = 0; pc++; break;
          case 0x1c: R[d] = (R[d] - R[x[k + 2]]) | 0; R[d + 1] = 0; pc++; break;
          case 0x2c: R[d] = Math.imul(R[d], R[x[k + 2]]); R[d + 1] = 0; pc++; break;
          case 0x3c: R[d] = div32(R[d], R[x[k + 2]], x[k + 3]); R[d + 1] = 0; pc++; break;
          case 0x4c: R[d] |= R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0x5c: R[d] &= R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0x6c: R[d] <<= R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0x7c: R[d] = R[d] >>> R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0x9c: R[d] = mod32(R[d], R[x[k + 2]], x[k + 3]); R[d + 1] = 0; pc++; break;
          case 0xac: R[d] ^= R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0xbc: {
            const v = R[x[k + 2]];
            const off = x[k + 3];
            R[d] = off === 8 ? (v << 24) >> 24 : off === 16 ? (v << 16) >> 16 : v;
            R[d + 1] = 0; pc++; break;
          }
          case 0xcc: R[d] >>= R[x[k + 2]]; R[d + 1] = 0; pc++; break;
          case 0xdc: this.byteSwap(d, x[k + 4]); pc++; break;

          // ---- JMP (64-bit compares) -------------------------------------------------
          case 0x05: pc = x[k + 3]; break;
          case 0x15: pc = R[d] === x[k + 4] && R[d + 1] === x[k + 5] ? x[k + 3] : pc + 1; break;
          case 0x1d: { const s = x[k + 2]; pc = R[d] === R[s] && R[d + 1] === R[s + 1] ? x[k + 3] : pc + 1; break; }
          case 0x55: pc = R[d] !== x[k + 4] || R[d + 1] !== x[k + 5] ? x[k + 3] : pc + 1; break;
          case 0x5d: { const s = x[k + 2]; pc = R[d] !== R[s] || R[d + 1] !== R[s + 1] ? x[k + 3] : pc + 1; break; }
          case 0x45: pc = (R[d] & x[k + 4]) !== 0 || (R[d + 1] & x[k + 5]) !== 0 ? x[k + 3] : pc + 1; break;
          case 0x4d: { const s = x[k + 2]; pc = (R[d] & R[s]) !== 0 || (R[d + 1] & R[s + 1]) !== 0 ? x[k + 3] : pc + 1; break; }
          case 0x25: pc = gtU64(R[d], R[d + 1], x[k + 4], x[k + 5]) ? x[k + 3] : pc + 1; break;
          case 0x2d: { const s = x[k + 2]; pc = gtU64(R[d], R[d + 1], R[s], R[s + 1]) ? x[k + 3] : pc + 1; break; }
          case 0x35: pc = !gtU64(x[k + 4], x[k + 5], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break;
          case 0x3d: { const s = x[k + 2]; pc = !gtU64(R[s], R[s + 1], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break; }
          case 0xa5: pc = gtU64(x[k + 4], x[k + 5], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break;
          case 0xad: { const s = x[k + 2]; pc = gtU64(R[s], R[s + 1], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break; }
          case 0xb5: pc = !gtU64(R[d], R[d + 1], x[k + 4], x[k + 5]) ? x[k + 3] : pc + 1; break;
          case 0xbd: { const s = x[k + 2]; pc = !gtU64(R[d], R[d + 1], R[s], R[s + 1]) ? x[k + 3] : pc + 1; break; }
          case 0x65: pc = gtS64(R[d], R[d + 1], x[k + 4], x[k + 5]) ? x[k + 3] : pc + 1; break;
          case 0x6d: { const s = x[k + 2]; pc = gtS64(R[d], R[d + 1], R[s], R[s + 1]) ? x[k + 3] : pc + 1; break; }
          case 0x75: pc = !gtS64(x[k + 4], x[k + 5], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break;
          case 0x7d: { const s = x[k + 2]; pc = !gtS64(R[s], R[s + 1], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break; }
          case 0xc5: pc = gtS64(x[k + 4], x[k + 5], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break;
          case 0xcd: { const s = x[k + 2]; pc = gtS64(R[s], R[s + 1], R[d], R[d + 1]) ? x[k + 3] : pc + 1; break; }
          case 0xd5: pc = !gtS64(R[d], R[d + 1], x[k + 4], x[k + 5]) ? x[k + 3] : pc + 1; break;
          case 0xdd: { const s = x[k + 2]; pc = !gtS64(R[d], R[d + 1], R[s], R[s + 1]) ? x[k + 3] : pc + 1; break; }

          // ---- JMP32 (compare the low halves) ----------------------------------------
          case 0x06: pc = x[k + 3]; break; // gotol
          case 0x16: pc = R[d] === x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0x1e: pc = R[d] === R[x[k + 2]] ? x[k + 3] : pc + 1; break;
          case 0x56: pc = R[d] !== x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0x5e: pc = R[d] !== R[x[k + 2]] ? x[k + 3] : pc + 1; break;
          case 0x46: pc = (R[d] & x[k + 4]) !== 0 ? x[k + 3] : pc + 1; break;
          case 0x4e: pc = (R[d] & R[x[k + 2]]) !== 0 ? x[k + 3] : pc + 1; break;
          case 0x26: pc = R[d] >>> 0 > x[k + 4] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0x2e: pc = R[d] >>> 0 > R[x[k + 2]] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0x36: pc = R[d] >>> 0 >= x[k + 4] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0x3e: pc = R[d] >>> 0 >= R[x[k + 2]] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0xa6: pc = R[d] >>> 0 < x[k + 4] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0xae: pc = R[d] >>> 0 < R[x[k + 2]] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0xb6: pc = R[d] >>> 0 <= x[k + 4] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0xbe: pc = R[d] >>> 0 <= R[x[k + 2]] >>> 0 ? x[k + 3] : pc + 1; break;
          case 0x66: pc = R[d] > x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0x6e: pc = R[d] > R[x[k + 2]] ? x[k + 3] : pc + 1; break;
          case 0x76: pc = R[d] >= x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0x7e: pc = R[d] >= R[x[k + 2]] ? x[k + 3] : pc + 1; break;
          case 0xc6: pc = R[d] < x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0xce: pc = R[d] < R[x[k + 2]] ? x[k + 3] : pc + 1; break;
          case 0xd6: pc = R[d] <= x[k + 4] ? x[k + 3] : pc + 1; break;
          case 0xde: pc = R[d] <= R[x[k + 2]] ? x[k + 3] : pc + 1; break;

          // ---- may_goto, calls, exit -------------------------------------------------
          case 0xe5: {
            const f = this.depth;
            if (this.mayGoto[f] === 0) pc = x[k + 3];
            else { this.mayGoto[f]--; pc++; }
            break;
          }
          case 0x85:
          case 0x8d: {
            const id = x[k] === 0x85 ? x[k + 4] : R[d];
            this.pc = pc;
            this.left = left;
            this.callHelper(id);
            left = this.left;
            if (this.action !== ACTION_NONE) {
              this.action = ACTION_NONE;
              pc = this.actionRow;
              this.enterFrame(this.depth);
            } else pc++;
            break;
          }
          case 0x86: // bpf-to-bpf call
            this.pushFrame(pc + 1);
            pc = x[k + 3];
            break;
          case 0x96:
            throw new VmFault(`call to kernel function (kfunc, BTF id ${x[k + 4]}): kfuncs are not supported by the VM`, 'call');
          case 0x95:
            if (this.depth === stopDepth) {
              this.pc = pc;
              this.left = left;
              return true;
            }
            pc = this.popFrame();
            break;

          // ---- loads -----------------------------------------------------------------
          case 0x18: R[d] = x[k + 4]; R[d + 1] = x[k + 5]; pc += 2; break;
          case 0x61: { const s = x[k + 2]; R[d] = this.ld32(R[s], R[s + 1], x[k + 3]); R[d + 1] = this.loadHi; pc++; break; }
          case 0x69: { const s = x[k + 2]; R[d] = this.ld16(R[s], R[s + 1], x[k + 3]); R[d + 1] = 0; pc++; break; }
          case 0x71: { const s = x[k + 2]; R[d] = this.ld8(R[s], R[s + 1], x[k + 3]); R[d + 1] = 0; pc++; break; }
          case 0x79: { const s = x[k + 2]; const lo = this.ld64(R[s], R[s + 1], x[k + 3]); R[d + 1] = this.loadHi; R[d] = lo; pc++; break; }
          case 0x81: { const s = x[k + 2]; R[d] = this.ld32(R[s], R[s + 1], x[k + 3]); R[d + 1] = R[d] >> 31; pc++; break; }
          case 0x89: { const s = x[k + 2]; R[d] = (this.ld16(R[s], R[s + 1], x[k + 3]) << 16) >> 16; R[d + 1] = R[d] >> 31; pc++; break; }
          case 0x91: { const s = x[k + 2]; R[d] = (this.ld8(R[s], R[s + 1], x[k + 3]) << 24) >> 24; R[d + 1] = R[d] >> 31; pc++; break; }

          // ---- stores ----------------------------------------------------------------
          case 0x62: this.st(R[d], R[d + 1], x[k + 3], 4, x[k + 4], 0); pc++; break;
          case 0x6a: this.st(R[d], R[d + 1], x[k + 3], 2, x[k + 4], 0); pc++; break;
          case 0x72: this.st(R[d], R[d + 1], x[k + 3], 1, x[k + 4], 0); pc++; break;
          case 0x7a: this.st(R[d], R[d + 1], x[k + 3], 8, x[k + 4], x[k + 5]); pc++; break;
          case 0x63: { const s = x[k + 2]; this.st(R[d], R[d + 1], x[k + 3], 4, R[s], 0); pc++; break; }
          case 0x6b: { const s = x[k + 2]; this.st(R[d], R[d + 1], x[k + 3], 2, R[s], 0); pc++; break; }
          case 0x73: { const s = x[k + 2]; this.st(R[d], R[d + 1], x[k + 3], 1, R[s], 0); pc++; break; }
          case 0x7b: { const s = x[k + 2]; this.st(R[d], R[d + 1], x[k + 3], 8, R[s], R[s + 1]); pc++; break; }
          case 0xc2: pc++; break; // nospec: a speculation barrier, nothing to do

          // ---- atomics ---------------------------------------------------------------
          case 0xc3: this.atomic(d, x[k + 2], x[k + 3], 4, x[k + 4]); pc++; break;
          case 0xdb: this.atomic(d, x[k + 2], x[k + 3], 8, x[k + 4]); pc++; break;
          case 0xcb: this.atomic(d, x[k + 2], x[k + 3], 2, x[k + 4]); pc++; break;
          case 0xd3: this.atomic(d, x[k + 2], x[k + 3], 1, x[k + 4]); pc++; break;

          // ---- legacy packet loads ---------------------------------------------------
          case 0x20: case 0x28: case 0x30: case 0x40: case 0x48: case 0x50: {
            const op = x[k];
            const size = (op & 0x18) === 0x00 ? 4 : (op & 0x18) === 0x08 ? 2 : 1;
            const off = (op & 0xe0) === 0x40 ? (R[x[k + 2]] + x[k + 4]) | 0 : x[k + 4];
            const v = this.loadAbs(off, size);
            if (v >= 0) {
              R[0] = v | 0;
              R[1] = 0;
              pc++;
            } else {
              // Out of bounds: the program (its current function) returns 0, as in the kernel.
              R[0] = 0;
              R[1] = 0;
              if (this.depth === stopDepth) {
                this.pc = pc;
                this.left = left;
                return true;
              }
              pc = this.popFrame();
            }
            break;
          }

          case 0x00: // OP_FAULT
            throw new VmFault(this.image.faults[x[k + F_IMM]] ?? 'invalid instruction', 'insn');
          default:
            throw new VmFault(`invalid instruction (opcode 0x${x[k].toString(16).padStart(2, '0')})`, 'insn');
        }
      }
    } catch (e) {
      if (e instanceof VmFault && (e as VmFaultAt).row === undefined) {
        (e as VmFaultAt).row = pc;
        this.pc = pc;
        this.left = left;
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------------------------
  // Memory access: the fast path is inline-sized; everything else goes to slowLoad/slowStore.

  private ld32(blo: number, bhi: number, off: number): number {
    const sum = (blo >>> 0) + off;
    const hi = sum >= U32 ? (bhi + 1) | 0 : sum < 0 ? (bhi - 1) | 0 : bhi;
    const o = (sum | 0) ^ LO_BASE;
    const rg = this.regions[(hi - HI_BASE) >>> 0];
    if (rg !== undefined && o >= rg.rlo && o + 4 <= rg.rsize) {
      this.loadHi = 0;
      return rg.view.getInt32(o, true);
    }
    // The slow path sets loadHi: 0, or a pointer's high word for the context's packet pointers.
    return this.slowLoad(sum | 0, hi, 4);
  }

  private ld16(blo: number, bhi: number, off: number): number {
    const sum = (blo >>> 0) + off;
    const hi = sum >= U32 ? (bhi + 1) | 0 : sum < 0 ? (bhi - 1) | 0 : bhi;
    const o = (sum | 0) ^ LO_BASE;
    const rg = this.regions[(hi - HI_BASE) >>> 0];
    if (rg !== undefined && o >= rg.rlo && o + 2 <= rg.rsize) return rg.view.getUint16(o, true);
    return this.slowLoad(sum | 0, hi, 2) & 0xffff;
  }

  private ld8(blo: number, bhi: number, off: number): number {
    const sum = (blo >>> 0) + off;
    const hi = sum >= U32 ? (bhi + 1) | 0 : sum < 0 ? (bhi - 1) | 0 : bhi;
    const o = (sum | 0) ^ LO_BASE;
    const rg = this.regions[(hi - HI_BASE) >>> 0];
    if (rg !== undefined && o >= rg.rlo && o < rg.rsize) return rg.bytes[o];
    return this.slowLoad(sum | 0, hi, 1) & 0xff;
  }

  /** Returns the low word; the high word is left in `loadHi`. */
  private ld64(blo: number, bhi: number, off: number): number {
    const sum = (blo >>> 0) + off;
    const hi = sum >= U32 ? (bhi + 1) | 0 : sum < 0 ? (bhi - 1) | 0 : bhi;
    const o = (sum | 0) ^ LO_BASE;
    const rg = this.regions[(hi - HI_BASE) >>> 0];
    if (rg !== undefined && o >= rg.rlo && o + 8 <= rg.rsize) {
      this.loadHi = rg.view.getInt32(o + 4, true);
      return rg.view.getInt32(o, true);
    }
    return this.slowLoad(sum | 0, hi, 8);
  }

  private st(blo: number, bhi: number, off: number, size: number, vlo: number, vhi: number): void {
    const sum = (blo >>> 0) + off;
    const hi = sum >= U32 ? (bhi + 1) | 0 : sum < 0 ? (bhi - 1) | 0 : bhi;
    const o = (sum | 0) ^ LO_BASE;
    const rg = this.regions[(hi - HI_BASE) >>> 0];
    if (rg !== undefined && o >= rg.rlo && o + size <= rg.wsize) {
      if (this.tracer !== null) this.tracer.write(rg, o, size);
      const v = rg.view;
      if (size === 4) v.setInt32(o, vlo, true);
      else if (size === 8) { v.setInt32(o, vlo, true); v.setInt32(o + 4, vhi, true); }
      else if (size === 1) rg.bytes[o] = vlo;
      else v.setUint16(o, vlo, true);
      return;
    }
    this.slowStore(sum | 0, hi, size, vlo, vhi);
  }

  private slowLoad(lo: number, hi: number, size: number): number {
    const r = this.mem.resolveOrThrow(lo, hi, size, false);
    const rg = r.region;
    if (rg.special) {
      const v = rg.special.load(r.off, size);
      if (typeof v === 'string') throw new VmFault(v);
      this.loadHi = v.hi;
      return v.lo;
    }
    const view = rg.view;
    this.loadHi = 0;
    switch (size) {
      case 1: return rg.bytes[r.off];
      case 2: return view.getUint16(r.off, true);
      case 4: return view.getInt32(r.off, true);
      default:
        this.loadHi = view.getInt32(r.off + 4, true);
        return view.getInt32(r.off, true);
    }
  }

  private slowStore(lo: number, hi: number, size: number, vlo: number, vhi: number): void {
    const r = this.mem.resolveOrThrow(lo, hi, size, true);
    const rg = r.region;
    if (this.tracer !== null) this.tracer.write(rg, r.off, size);
    if (rg.special) {
      const ok = rg.special.store(r.off, size, vlo, vhi);
      if (ok !== true) throw new VmFault(ok);
    } else {
      const v = rg.view;
      if (size === 4) v.setInt32(r.off, vlo, true);
      else if (size === 8) { v.setInt32(r.off, vlo, true); v.setInt32(r.off + 4, vhi, true); }
      else if (size === 1) rg.bytes[r.off] = vlo;
      else v.setUint16(r.off, vlo, true);
    }
  }

  /** Atomic read-modify-write, load-acquire and store-release (`d`, `s`: register half indices). */
  private atomic(d: number, s: number, off: number, size: number, op: number): void {
    const R = this.R;
    if (op === 0x100) { // load_acquire: dst = *(src + off)
      const v = size === 8 ? this.ld64(R[s], R[s + 1], off) : size === 4 ? this.ld32(R[s], R[s + 1], off) : size === 2 ? this.ld16(R[s], R[s + 1], off) : this.ld8(R[s], R[s + 1], off);
      R[d + 1] = size === 8 ? this.loadHi : 0;
      R[d] = v;
      return;
    }
    if (op === 0x110) { // store_release: *(dst + off) = src
      this.st(R[d], R[d + 1], off, size, R[s], size === 8 ? R[s + 1] : 0);
      return;
    }
    const sum = (R[d] >>> 0) + off;
    const hi = sum >= U32 ? (R[d + 1] + 1) | 0 : sum < 0 ? (R[d + 1] - 1) | 0 : R[d + 1];
    const r = this.mem.resolveOrThrow(sum | 0, hi, size, true);
    if (r.region.special) throw new VmFault(`atomic operation on ${r.region.describe(r.off)}: the context does not allow atomics`);
    const v = r.region.view;
    const o = r.off;
    if (this.tracer !== null) this.tracer.write(r.region, o, size);
    const oldLo = v.getInt32(o, true);
    const oldHi = size === 8 ? v.getInt32(o + 4, true) : 0;
    let newLo = oldLo;
    let newHi = oldHi;
    const srcLo = R[s];
    const srcHi = size === 8 ? R[s + 1] : 0;
    const fetch = (op & 1) !== 0;
    switch (op & ~1) {
      case 0x00: { // add
        const sumLo = (oldLo >>> 0) + (srcLo >>> 0);
        newLo = sumLo | 0;
        newHi = size === 8 ? (oldHi + srcHi + (sumLo >= U32 ? 1 : 0)) | 0 : 0;
        break;
      }
      case 0x40: newLo = oldLo | srcLo; newHi = oldHi | srcHi; break;
      case 0x50: newLo = oldLo & srcLo; newHi = oldHi & srcHi; break;
      case 0xa0: newLo = oldLo ^ srcLo; newHi = oldHi ^ srcHi; break;
      case 0xe0: newLo = srcLo; newHi = srcHi; break; // xchg
      case 0xf0: { // cmpxchg: compare with r0, the old value lands in r0
        const eq = size === 8 ? R[0] === oldLo && R[1] === oldHi : R[0] === oldLo;
        if (eq) { newLo = srcLo; newHi = srcHi; }
        R[0] = oldLo;
        R[1] = oldHi;
        break;
      }
      default:
        throw new VmFault(`unknown atomic operation 0x${op.toString(16)}`, 'insn');
    }
    v.setInt32(o, newLo, true);
    if (size === 8) v.setInt32(o + 4, newHi, true);
    if (fetch && (op & ~1) !== 0xf0) {
      R[s] = oldLo;
      R[s + 1] = oldHi;
    }
  }

  private loadAbs(off: number, size: number): number {
    if (this.absLoader === null) throw new VmFault('LD_ABS/LD_IND need a socket buffer context (socket_filter, sched_cls, ... programs)', 'insn');
    return this.absLoader.loadAbs(off, size);
  }

  /** BPF_END in class ALU64 (bswap) or ALU with TO_BE (be): swap and truncate. */
  private byteSwap(d: number, bits: number): void {
    const R = this.R;
    if (bits === 16) { R[d] = bswap16(R[d]); R[d + 1] = 0; }
    else if (bits === 32) { R[d] = bswap32(R[d]); R[d + 1] = 0; }
    else { const lo = R[d]; R[d] = bswap32(R[d + 1]); R[d + 1] = bswap32(lo); }
  }

  /** BPF_END in class ALU with TO_LE: on a little-endian machine, only a truncation. */
  private toLittle(d: number, bits: number): void {
    const R = this.R;
    if (bits === 16) { R[d] &= 0xffff; R[d + 1] = 0; }
    else if (bits === 32) R[d + 1] = 0;
  }

  // ------------------------------------------------------------------------------------
  // Helpers

  private callHelper(id: number): void {
    const h = this.helpers[id];
    if (h === undefined) throw new VmFault(unknownHelperMessage(id), 'call');
    const r = h.fn(this);
    const R = this.R;
    if (r === undefined) { /* the helper set r0 itself, or returns nothing (r0 is then unspecified) */ }
    else if (typeof r === 'number') { R[0] = r | 0; R[1] = Math.floor(r / U32) | 0; }
    else this.setReg(0, r);
    if (this.tracer !== null) this.tracer.helper(id, h.name);
  }

  /** Argument `n` (1-5) as halves. */
  argLo(n: number): number {
    return this.R[2 * n];
  }

  argHi(n: number): number {
    return this.R[2 * n + 1];
  }

  /** Argument `n` as an unsigned 32-bit number. */
  argU32(n: number): number {
    return this.R[2 * n] >>> 0;
  }

  /** Argument `n` as an unsigned 64-bit bigint. */
  argU64(n: number): bigint {
    return this.reg(n);
  }

  /** Argument `n` as a number when it fits in 53 bits unsigned, else Infinity. */
  argSize(n: number): number {
    const hi = this.R[2 * n + 1] >>> 0;
    return hi >= 0x200000 ? Infinity : hi * U32 + (this.R[2 * n] >>> 0);
  }

  /** The region an argument points into, and the offset there (or a message). */
  argRegion(n: number): { region: Region; off: number } | undefined {
    const r = this.mem.regionOf(this.R[2 * n + 1]);
    return r ? { region: r, off: this.R[2 * n] ^ LO_BASE } : undefined;
  }
}

interface VmFaultAt extends VmFault {
  row?: number;
}

/** The row a fault happened at (set by the loop). */
export const faultRow = (e: VmFault): number | undefined => (e as VmFaultAt).row;

let helperNames: ((id: number) => string | undefined) | undefined;
/** Lets the helper table name ids in messages without an import cycle. */
export function setHelperNamer(f: (id: number) => string | undefined): void {
  helperNames = f;
}

function unknownHelperMessage(id: number): string {
  const name = helperNames?.(id);
  return name ? `helper ${name} (id ${id}) is not available in the VM` : `call to unknown helper function id ${id}`;
}

function div32(a: number, b: number, signed: number): number {
  if (b === 0) return 0;
  if (signed === 1) return (a / b) | 0; // truncates; INT_MIN / -1 wraps to INT_MIN
  return Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

function mod32(a: number, b: number, signed: number): number {
  if (b === 0) return a;
  if (signed === 1) return a % b | 0;
  return ((a >>> 0) % (b >>> 0)) | 0;
}

