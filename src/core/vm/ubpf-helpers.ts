/**
 * The test helpers of the uBPF / bpf_conformance harnesses (their `call N` numbers, not the
 * kernel's): 0 gather_bytes, 1 memfrob, 2 no_op, 3 sqrti, 4 strcmp_ext, 5 unwind. Used by
 * the conformance tests and `bpfplay run --helpers ubpf`.
 */
import type { HelperImpl } from './helpers';
import { StopProgram } from './interpreter';
import type { Vm } from './vm';

const arg = (vm: Vm, n: number): bigint => vm.m.reg(n);

function cString(vm: Vm, n: number): Uint8Array {
  const s = vm.readString(arg(vm, n), 1 << 16);
  if (!s) throw new Error(`strcmp_ext: r${n} does not point at a string`);
  return s;
}

export const UBPF_TEST_HELPERS: ReadonlyMap<number, HelperImpl> = new Map<number, HelperImpl>([
  [0, {
    name: 'gather_bytes',
    fn: (vm) => [1, 2, 3, 4, 5].reduce((acc, n) => (acc << 8n) | (arg(vm, n) & 0xffn), 0n),
  }],
  [1, {
    name: 'memfrob',
    fn: (vm) => {
      const len = vm.m.argSize(2);
      if (len > 0) {
        const r = vm.mem.resolveOrThrow(vm.m.argLo(1), vm.m.argHi(1), len, true);
        vm.m.tracer?.write(r.region, r.off, len);
      }
      const b = vm.mem.writableBytes(vm.m.argLo(1), vm.m.argHi(1), len);
      for (let i = 0; i < b.length; i++) b[i] ^= 42;
      return 0;
    },
  }],
  [2, { name: 'no_op', fn: () => 0 }],
  [3, { name: 'sqrti', fn: (vm) => BigInt(Math.floor(Math.sqrt(Number(arg(vm, 1))))) }],
  [4, {
    name: 'strcmp_ext',
    fn: (vm) => {
      const a = cString(vm, 1);
      const b = cString(vm, 2);
      for (let i = 0; ; i++) {
        const x = a[i] ?? 0;
        const y = b[i] ?? 0;
        if (x !== y || x === 0) return x - y;
      }
    },
  }],
  [5, {
    // uBPF's unwind: returns its argument; a return of 0 stops the program with r0 = 0.
    name: 'unwind',
    fn: (vm) => {
      const v = arg(vm, 1);
      if (v === 0n) throw new StopProgram(0, 0);
      return v;
    },
  }],
]);
