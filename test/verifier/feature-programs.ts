/**
 * Random programs built from well-formed snippets of the features real programs use
 * (bpf-to-bpf calls, ringbuf references, socket lookups, atomics, sign-extending loads
 * and moves, signed division, may_goto, LD_ABS, tail calls, pointer spills, packet
 * meta, long jumps), each snippet now and then broken in a small way, for differential
 * testing against the kernel. Deterministic for a seed.
 */
import type { Insn } from '../../src/core/isa/insn';
import type { MapDef } from '../../src/core/elf/loaded-object';
import { prng, type RandomProgram } from './random-programs';

export const FEATURE_MAPS: MapDef[] = [
  { name: '', type: 2, keySize: 4, valueSize: 48, maxEntries: 2, flags: 0, kind: 'user' }, // array
  { name: '', type: 27, keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0, kind: 'user' }, // ringbuf
  { name: '', type: 3, keySize: 4, valueSize: 4, maxEntries: 2, flags: 0, kind: 'user' }, // prog array
];

const SOCKET_FILTER = 1;
const SCHED_CLS = 3;
const XDP = 6;

const I = (code: number, dst = 0, src = 0, off = 0, imm = 0): Insn => ({ code, dst, src, off, imm });

export function featureProgram(seed: number): RandomProgram {
  const r = prng(seed ^ 0x5bd1e995);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  /** Small breakage now and then: the value to use, or a wrong one. */
  const bad = (): boolean => r() < 0.15;
  const progType = pick([SOCKET_FILTER, SCHED_CLS, SCHED_CLS, XDP]);
  const main: Insn[] = [];
  const sub: Insn[] = [];
  const mapFds: [number, number][] = [];
  const kinds: string[] = [];
  let usesSub = false;
  const emit = (...xs: Insn[]): void => void main.push(...xs);
  const lddwMap = (dst: number, map: number): void => {
    mapFds.push([main.length, map]);
    emit(I(0x18, dst, 1, 0, map), I(0, 0, 0, 0, 0));
  };
  /** Emits a forward conditional jump over `body` instructions. */
  const skipIf = (code: number, dst: number, src: number, imm: number, body: Insn[]): void => {
    emit(I(code, dst, src, body.length, imm), ...body);
  };

  emit(I(0xbf, 6, 1), I(0xb7, 7, 0, 0, int(100)), I(0xb7, 8, 0, 0, 1));
  const n = 2 + int(4);
  for (let s = 0; s < n; s++) {
    switch (int(13)) {
      case 0: { // bpf-to-bpf call with a scalar and a stack pointer
        usesSub = true;
        emit(I(0x7b, 10, 7, -8, 0), I(0xbf, 1, 7), I(0xbf, 2, 10), I(0x07, 2, 0, 0, bad() ? -4 : -8));
        main.push(I(0x85, 0, 1, 0, 0)); // patched below to call the subprogram
        emit(I(0xbf, 7, 0));
        kinds.push('call');
        break;
      }
      case 1: { // ringbuf reserve / submit
        lddwMap(1, 1);
        emit(I(0xb7, 2, 0, 0, pick([8, 16, 48])), I(0xb7, 3, 0, 0, 0), I(0x85, 0, 0, 0, 131));
        const leak = bad();
        const body: Insn[] = [I(0x62, 0, 0, 0, 7), I(0xbf, 1, 0), I(0xb7, 2, 0, 0, 0), I(0x85, 0, 0, 0, r() < 0.5 ? 132 : 133)];
        if (leak) body.pop();
        skipIf(0x15, 0, 0, 0, body);
        kinds.push(leak ? 'ringbuf-leak' : 'ringbuf');
        break;
      }
      case 2: { // socket lookup and release (tc)
        if (progType !== SCHED_CLS) break;
        emit(I(0xb7, 1, 0, 0, 0));
        for (const off of [-8, -16, -24, -32, -40]) emit(I(0x7b, 10, 1, off, 0));
        emit(I(0xbf, 1, 6), I(0xbf, 2, 10), I(0x07, 2, 0, 0, -40), I(0xb7, 3, 0, 0, bad() ? 64 : 12), I(0xb7, 4, 0, 0, -1), I(0xb7, 5, 0, 0, 0));
        emit(I(0x85, 0, 0, 0, pick([84, 85])));
        const body: Insn[] = [I(0x61, 9, 0, pick([4, 8, 12, 2]), 0), I(0xbf, 1, 0), I(0x85, 0, 0, 0, 86)];
        if (bad()) body.pop();
        skipIf(0x15, 0, 0, 0, body);
        kinds.push('sk_lookup');
        break;
      }
      case 3: { // atomics on the stack and on a map value
        const op = pick([0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1]);
        const size = pick([0xdb, 0xc3]);
        emit(I(0x7b, 10, 8, -16, 0));
        if (op === 0xf1) emit(I(0xbf, 0, 8));
        emit(I(size, 10, 7, bad() ? -12 : size === 0xc3 ? -16 : -16, op));
        emit(I(0x79, 9, 10, -16, 0));
        kinds.push(`atomic${op.toString(16)}`);
        break;
      }
      case 4: { // sign-extending loads and moves, signed division
        emit(I(0x7b, 10, 7, -24, 0));
        emit(I(pick([0x91, 0x89, 0x81]), 9, 10, -24, 0)); // ldsx b/h/w
        emit(I(0xbf, 9, 9, pick([8, 16, 32]), 0)); // movsx
        emit(I(pick([0x37, 0x97, 0x34, 0x94]), 9, 0, 1, bad() ? 0 : pick([3, -3, 7]))); // sdiv/smod
        kinds.push('sx');
        break;
      }
      case 5: { // may_goto bounded loop
        emit(I(0xb7, 9, 0, 0, 0));
        emit(I(0xe5, 0, 0, 2, 0)); // may_goto +2
        emit(I(0x07, 9, 0, 0, 1));
        emit(I(0x05, 0, 0, -3, 0)); // goto back to may_goto
        kinds.push('may_goto');
        break;
      }
      case 6: { // LD_ABS / LD_IND (socket filter, tc)
        if (progType === XDP) break;
        emit(I(pick([0x30, 0x28, 0x20]), 0, 0, 0, pick([0, 12, 14, 23])));
        if (r() < 0.5) emit(I(0xb7, 9, 0, 0, 2), I(0x50, 0, 9, 0, 12));
        emit(I(0xbf, 7, 0));
        kinds.push('ld_abs');
        break;
      }
      case 7: { // tail call
        emit(I(0xbf, 1, 6));
        lddwMap(2, 2);
        emit(I(0xb7, 3, 0, 0, bad() ? 7 : 0), I(0x85, 0, 0, 0, 12));
        kinds.push('tail_call');
        break;
      }
      case 8: { // spill a pointer, fill it back, use it
        const ptr = pick([6, 10]);
        emit(I(0x7b, 10, ptr, -32, 0));
        if (bad()) emit(I(0x62, 10, 0, -28, 1)); // clobber half the spill
        emit(I(0x79, 9, 10, -32, 0));
        if (ptr === 6) emit(I(0x61, 9, 9, 0, 0));
        else emit(I(0x79, 9, 9, -32, 0));
        kinds.push('spill');
        break;
      }
      case 9: { // packet with meta (xdp) or plain packet
        if (progType === SOCKET_FILTER) break;
        const meta = progType === XDP && r() < 0.5;
        const [base, end] = progType === XDP ? [meta ? 8 : 0, meta ? 0 : 4] : [76, 80];
        emit(I(0x61, 2, 6, base), I(0x61, 3, 6, end), I(0xbf, 4, 2), I(0x07, 4, 0, 0, 8));
        skipIf(0x2d, 4, 3, 0, [I(0x79, 9, 2, bad() ? 4 : 0, 0), I(0x7b, 2, 9, 0, 0)]);
        kinds.push(meta ? 'pkt-meta' : 'pkt');
        break;
      }
      case 10: { // long jump (gotol) over a block
        emit(I(0x25, 7, 0, 1, 50), I(0x06, 0, 0, 0, 1), I(0xb7, 9, 0, 0, 1), I(0xb7, 9, 0, 0, 2));
        kinds.push('gotol');
        break;
      }
      case 11: { // map value: variable index with a bounds check
        emit(I(0x62, 10, 0, -4, 0), I(0xbf, 2, 10), I(0x07, 2, 0, 0, -4));
        lddwMap(1, 0);
        emit(I(0x85, 0, 0, 0, 1));
        const lim = bad() ? 48 : 40;
        skipIf(0x15, 0, 0, 0, [I(0xbf, 9, 7), I(0x57, 9, 0, 0, 0xff), I(0x25, 9, 0, 2, lim), I(0x0f, 0, 9), I(0x79, 9, 0, 0, 0)]);
        kinds.push('map-var-off');
        break;
      }
      default: { // 32-bit ALU with linked registers and a branch on the copy
        emit(I(0x85, 0, 0, 0, 7), I(0xbf, 9, 0), I(0x04, 9, 0, 0, pick([1, -1, 5])), I(0xbf, 1, 9));
        skipIf(0x26, 9, 0, 10, [I(0x57, 1, 0, 0, 0xf)]);
        emit(I(0xbf, 7, 1));
        kinds.push('alu32-link');
      }
    }
  }
  emit(I(0xb7, 0, 0, 0, progType === XDP ? 2 : 0), I(0x95));
  if (usesSub) {
    // subprogram: r0 = *(u64 *)r2 + r1
    sub.push(I(0x79, 0, 2, 0, 0), I(0x0f, 0, 1), I(0x95));
    const subStart = main.length;
    main.forEach((x, i) => {
      if (x.code === 0x85 && x.src === 1) main[i] = { ...x, imm: subStart - i - 1 };
    });
  }
  return { insns: [...main, ...sub], progType, mapFds, maps: FEATURE_MAPS, kind: kinds.join(',') };
}
