/**
 * Random BPF programs for differential testing against the kernel: plausible rather
 * than uniform (registers get values from constants, context loads, helper results,
 * map lookups and packet pointers; then ALU, branches, stack, context, map value and
 * packet accesses and helper calls mix), so that both verdicts occur and the
 * interesting parts of the verifier (bounds, pointer arithmetic, null checks, packet
 * ranges, stack slots, pruning) are exercised. Deterministic for a seed.
 */
import type { Insn } from '../../src/core/isa/insn';
import type { MapDef } from '../../src/core/elf/loaded-object';

export interface RandomProgram {
  insns: Insn[];
  progType: number;
  /** [slot, map index] of the map loads. */
  mapFds: [number, number][];
  maps: MapDef[];
  /** Short description of the recipe (for failure messages). */
  kind: string;
}

export const FUZZ_MAPS: MapDef[] = [
  { name: '', type: 1, keySize: 4, valueSize: 16, maxEntries: 4, flags: 0, kind: 'user' }, // hash
  { name: '', type: 2, keySize: 4, valueSize: 48, maxEntries: 2, flags: 0, kind: 'user' }, // array
];

/** mulberry32: small, fast, good enough for test generation. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOCKET_FILTER = 1;
const SCHED_CLS = 3;
const XDP = 6;
const KPROBE = 2;

const I = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });

export function randomProgram(seed: number): RandomProgram {
  const r = prng(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const progType = pick([SOCKET_FILTER, SCHED_CLS, SCHED_CLS, XDP, XDP, KPROBE]);
  const out: Insn[] = [];
  const mapFds: [number, number][] = [];
  /** Forward jumps to patch: [index of the jump, label id]. */
  const fixups: [number, number][] = [];
  const labels = new Map<number, number>();
  let nextLabel = 0;
  const emit = (...xs: Insn[]): void => void out.push(...xs);
  const lddwMap = (dst: number, map: number): void => {
    mapFds.push([out.length, map]);
    emit(I(0x18, dst, 1, 0, map), I(0, 0, 0, 0, 0));
  };
  const jumpTo = (code: number, dst: number, src: number, imm: number, label: number): void => {
    fixups.push([out.length, label]);
    emit(I(code, dst, src, 0, imm));
  };
  const place = (label: number): void => void labels.set(label, out.length);
  // registers that hold a value, so that most reads are of initialised registers
  const live = new Set([1, 6, 10]);
  const reg = (): number => (r() < 0.92 && live.size ? pick([...live]) : int(10));
  const scratch = (): number => {
    const d = pick([0, 2, 3, 4, 5, 7, 8, 9]);
    live.add(d);
    return d;
  };
  // registers that hold scalars on every path so far
  const scal = new Set<number>();
  const scalarReg = (): number => (r() < 0.92 && scal.size ? pick([...scal]) : reg());
  const setScalar = (d: number, isScalar: boolean): void => {
    live.add(d);
    if (isScalar) scal.add(d);
    else scal.delete(d);
  };
  const afterCall = (retScalar = true): void => {
    for (const x of [1, 2, 3, 4, 5]) {
      live.delete(x);
      scal.delete(x);
    }
    setScalar(0, retScalar);
  };
  const smallImm = (): number => pick([0, 1, 2, 4, 7, 8, 15, 16, 31, 32, 63, 64, 255, 256, -1, -8, -16, 0x7fffffff, -0x80000000, int(1 << 16), -int(1 << 12)]);
  const kinds: string[] = [];
  /** Mostly a good choice, sometimes a bad one (so rejections stay varied but rarer). */
  const goodOrBad = <T>(good: readonly T[], bad: readonly T[]): T => (r() < 0.12 ? pick(bad) : pick(good));

  // prologue: keep the context in r6, give a few registers values
  emit(I(0xbf, 6, 1));
  for (const x of [0, 7, 8, 9]) {
    if (r() < 0.7) {
      emit(I(0xb7, x, 0, 0, smallImm()));
      setScalar(x, true);
    }
  }
  const steps = 6 + int(14);
  for (let s = 0; s < steps; s++) {
    const choice = int(15);
    switch (choice) {
      case 0: { // constant
        const d = scratch();
        emit(I(r() < 0.5 ? 0xb7 : 0xb4, d, 0, 0, smallImm()));
        setScalar(d, true);
        kinds.push('const');
        break;
      }
      case 1: { // context load
        const d = scratch();
        if (progType === KPROBE) emit(I(goodOrBad([0x79], [0x61, 0x71]), d, 6, goodOrBad([0, 8, 16, 104, 112, 160], [3, 168, 200]), 0));
        else if (progType === XDP) emit(I(goodOrBad([0x61], [0x79, 0x69]), d, 6, goodOrBad([8, 12, 16, 20], [2, 24, 40]), 0));
        else emit(I(goodOrBad([0x61], [0x79, 0x69, 0x71]), d, 6, goodOrBad([0, 4, 8, 16, 20, 24, 36, 40, 44, 48], [3, 88, 100, 140, 200]), 0));
        setScalar(d, true);
        kinds.push('ctx');
        break;
      }
      case 2: { // helper returning a scalar
        emit(I(0x85, 0, 0, 0, pick([5, 7, 8, 14])));
        afterCall();
        if (r() < 0.5) {
          const d = scratch();
          emit(I(0xbf, d, 0));
          setScalar(d, true);
        }
        kinds.push('scalar-helper');
        break;
      }
      case 3: case 4: { // ALU
        const op = pick([0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0]);
        const cls = r() < 0.6 ? 0x07 : 0x04;
        const useReg = op !== 0x80 && op !== 0xd0 && r() < 0.4;
        const d = op === 0xb0 ? scratch() : r() < 0.9 && scal.size ? pick([...scal]) : scratch();
        if (op === 0xd0) emit(I(pick([0xd4, 0xdc, 0xd7]), d, 0, 0, pick([16, 32, 64])));
        else if (op === 0x80) emit(I(cls | 0x80, d));
        else if ((op === 0x60 || op === 0x70 || op === 0xc0) && !useReg) emit(I(cls | op, d, 0, 0, int(cls === 0x07 ? 64 : 32)));
        else if (op === 0xb0 && r() < 0.2) emit(I(cls | 0xb8, d, scalarReg(), pick([8, 16, 32]), 0)); // movsx
        else {
          const src = useReg ? (op === 0xb0 ? reg() : scalarReg()) : 0;
          emit(I(cls | op | (useReg ? 0x08 : 0), d, src, (op === 0x30 || op === 0x90) && r() < 0.2 ? 1 : 0, useReg ? 0 : smallImm()));
          if (op === 0xb0) {
            setScalar(d, !useReg || scal.has(src));
            break;
          }
        }
        setScalar(d, scal.has(d) || op === 0xb0);
        kinds.push('alu');
        break;
      }
      case 5: case 6: { // conditional forward jump
        const op = pick([0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0]);
        const cls = r() < 0.7 ? 0x05 : 0x06;
        const label = nextLabel++;
        const useReg = r() < 0.4;
        jumpTo(cls | op | (useReg ? 0x08 : 0), scalarReg(), useReg ? scalarReg() : 0, useReg ? 0 : smallImm(), label);
        const skip = 1 + int(3);
        // the skipped block only overwrites scalars (both paths keep the same register kinds)
        for (let k = 0; k < skip; k++) emit(I(0xb7, scal.size ? pick([...scal]) : 0, 0, 0, smallImm()));
        if (!scal.size) setScalar(0, true);
        place(label);
        kinds.push('branch');
        break;
      }
      case 7: { // stack store then load
        const size = pick([[0x7b, 0x79, 8], [0x63, 0x61, 4], [0x6b, 0x69, 2], [0x73, 0x71, 1]] as const);
        const off = -goodOrBad([8, 16, 24, 32, 40, 48], [4, 12, 512, 520, 0]);
        if (r() < 0.7) emit(I(size[0], 10, reg(), off, 0));
        else emit(I(size[0] - 1, 10, 0, off, smallImm()));
        if (r() < 0.7) {
          const d = scratch();
          emit(I(size[1], d, 10, pick([off, -8, -16, off - 8]), 0));
          setScalar(d, false);
        }
        kinds.push('stack');
        break;
      }
      case 8: case 9: { // map lookup, null check, value access
        const map = int(2);
        emit(I(0x62, 10, 0, -4, int(3)));
        emit(I(0xbf, 2, 10), I(0x07, 2, 0, 0, -4));
        lddwMap(1, map);
        emit(I(0x85, 0, 0, 0, 1));
        afterCall(false);
        const label = nextLabel++;
        const checked = r() < 0.85;
        if (checked) jumpTo(0x15, 0, 0, 0, label);
        const vs = FUZZ_MAPS[map].valueSize;
        const off = goodOrBad([0, 4, 8, vs - 8], [vs - 4, vs, -4]);
        if (r() < 0.5) {
          const d = pick([7, 8, 9]);
          emit(I(pick([0x79, 0x61, 0x71]), d, 0, off, 0));
          if (checked) setScalar(d, false); // written on one path only
        } else {
          const idx = scalarReg();
          emit(I(0xbf, 7, 0), I(0x0f, 7, idx), I(0x62, 7, 0, 0, 1));
          setScalar(7, false);
        }
        if (checked) place(label);
        kinds.push('map');
        break;
      }
      case 10: { // packet access
        if (progType === SOCKET_FILTER || progType === KPROBE) break;
        const [dataOff, endOff] = progType === XDP ? [0, 4] : [76, 80];
        emit(I(0x61, 2, 6, dataOff), I(0x61, 3, 6, endOff));
        emit(I(0xbf, 4, 2), I(0x07, 4, 0, 0, pick([1, 8, 14, 20, 34])));
        const label = nextLabel++;
        if (r() < 0.85) jumpTo(0x2d, 4, 3, 0, label); // if r4 > r3 goto
        const d = pick([5, 7, 8, 9]);
        emit(I(pick([0x71, 0x69, 0x61]), d, 2, goodOrBad([0, 1, 2], [4, 8, 13, 16, 30, -1]), 0));
        place(label);
        for (const x of [2, 3, 4]) setScalar(x, false);
        setScalar(d, false);
        kinds.push('pkt');
        break;
      }
      case 11: { // pointer arithmetic
        const base = pick([10, 0, 2, 6]);
        const d = pick([7, 8, 9]);
        emit(I(0xbf, d, base));
        setScalar(d, scal.has(base));
        if (r() < 0.5) emit(I(0x07, d, 0, 0, goodOrBad([-8, -16, 8, 0], [smallImm()])));
        else emit(I(0x0f, d, scalarReg()));
        if (r() < 0.6) emit(I(pick([0x79, 0x61, 0x71, 0x7b, 0x63]), pick([d, 0]), pick([d, 0]), pick([0, -8, 4]), 0));
        kinds.push('ptr-arith');
        break;
      }
      case 12: { // helper call with whatever the argument registers hold
        const id = pick([1, 2, 3, 6, 12, 16, 23, 26, 28, 51, 130]);
        if (id === 1 || id === 2 || id === 3 || id === 51 || id === 130) lddwMap(1, int(2));
        if (r() < 0.5) emit(I(0xbf, 2, 10), I(0x07, 2, 0, 0, -pick([8, 16, 64])));
        if (r() < 0.5) emit(I(0xb7, 3, 0, 0, pick([0, 4, 8, 16, -1, 1000])));
        emit(I(0x85, 0, 0, 0, id));
        afterCall(id !== 1);
        kinds.push(`call${id}`);
        break;
      }
      case 13: { // bounded loop
        const c = pick([7, 8, 9]);
        emit(I(0xb7, c, 0, 0, 0));
        setScalar(c, true);
        const top = out.length;
        emit(I(0x07, c, 0, 0, 1));
        emit(I(0xa5, c, 0, top - out.length - 1, pick([3, 10, 50])));
        kinds.push('loop');
        break;
      }
      default: { // register copy
        const src = reg();
        const d = scratch();
        emit(I(r() < 0.7 ? 0xbf : 0xbc, d, src));
        setScalar(d, scal.has(src));
        kinds.push('mov');
      }
    }
  }
  emit(I(0xb7, 0, 0, 0, progType === XDP ? 2 : 0), I(0x95));
  for (const [at, label] of fixups) {
    const target = labels.get(label)!;
    out[at] = { ...out[at], off: target - at - 1 };
  }
  return { insns: out, progType, mapFds, maps: FUZZ_MAPS, kind: kinds.join(',') };
}
