/**
 * Helper prototypes as the verifier checks them (`struct bpf_func_proto`: argument and
 * return types). Facts from the Linux 6.18 helper definitions (kernel/bpf/helpers.c,
 * net/core/filter.c, kernel/trace/bpf_trace.c, kernel/bpf/ringbuf.c, ...); which helpers a
 * program type may call is recorded from the kernel (see prog-types.ts).
 *
 * Where a helper's prototype differs between program types (skb vs xdp vs tracing
 * `perf_event_output`, the socket lookups), `protoFor` picks the variant.
 */
import {
  MEM_ALIGNED, MEM_FIXED_SIZE, MEM_RDONLY, MEM_RINGBUF, MEM_UNINIT, MEM_WRITE, OBJ_RELEASE, PTR_MAYBE_NULL, PTR_TRUSTED,
} from './reg-state';

// enum bpf_arg_type (base values; flags from reg-state.ts are or-ed in)
export const ARG_DONTCARE = 0;
export const ARG_CONST_MAP_PTR = 1;
export const ARG_PTR_TO_MAP_KEY = 2;
export const ARG_PTR_TO_MAP_VALUE = 3;
export const ARG_PTR_TO_MEM = 4;
export const ARG_PTR_TO_ARENA = 5;
export const ARG_CONST_SIZE = 6;
export const ARG_CONST_SIZE_OR_ZERO = 7;
export const ARG_PTR_TO_CTX = 8;
export const ARG_ANYTHING = 9;
export const ARG_PTR_TO_SPIN_LOCK = 10;
export const ARG_PTR_TO_SOCK_COMMON = 11;
export const ARG_PTR_TO_SOCKET = 12;
export const ARG_PTR_TO_BTF_ID = 13;
export const ARG_PTR_TO_RINGBUF_MEM = 14;
export const ARG_CONST_ALLOC_SIZE_OR_ZERO = 15;
export const ARG_PTR_TO_BTF_ID_SOCK_COMMON = 16;
export const ARG_PTR_TO_PERCPU_BTF_ID = 17;
export const ARG_PTR_TO_FUNC = 18;
export const ARG_PTR_TO_STACK = 19;
export const ARG_PTR_TO_CONST_STR = 20;
export const ARG_PTR_TO_TIMER = 21;
export const ARG_KPTR_XCHG_DEST = 22;
export const ARG_PTR_TO_DYNPTR = 23;

export const argBase = (t: number): number => t & 0xff;

// enum bpf_return_type
export const RET_INTEGER = 0;
export const RET_VOID = 1;
export const RET_PTR_TO_MAP_VALUE = 2;
export const RET_PTR_TO_SOCKET = 3;
export const RET_PTR_TO_TCP_SOCK = 4;
export const RET_PTR_TO_SOCK_COMMON = 5;
export const RET_PTR_TO_MEM = 6;
export const RET_PTR_TO_MEM_OR_BTF_ID = 7;
export const RET_PTR_TO_BTF_ID = 8;

export interface FuncProto {
  ret: number;
  args: number[];
  /** Fixed sizes of MEM_FIXED_SIZE arguments, by argument index. */
  argSize?: number[];
  gplOnly?: boolean;
  pktAccess?: boolean;
  mightSleep?: boolean;
  /** BTF type name for PTR_TO_BTF_ID returns (printing only). */
  retBtf?: string;
}

const A = ARG_ANYTHING;
const CTX = ARG_PTR_TO_CTX;
const MAP = ARG_CONST_MAP_PTR;
const KEY = ARG_PTR_TO_MAP_KEY;
const VAL = ARG_PTR_TO_MAP_VALUE;
const MEM_RO = ARG_PTR_TO_MEM | MEM_RDONLY;
const MEM_RO_OR_NULL = ARG_PTR_TO_MEM | MEM_RDONLY | PTR_MAYBE_NULL;
const UNINIT = ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE;
const WMEM = ARG_PTR_TO_MEM | MEM_WRITE;
const SZ = ARG_CONST_SIZE;
const SZ0 = ARG_CONST_SIZE_OR_ZERO;
const INT = RET_INTEGER;

const p = (ret: number, args: number[], extra: Partial<FuncProto> = {}): FuncProto => ({ ret, args, ...extra });

/** Prototypes by helper id (the generic variant). */
export const HELPER_PROTOS: Readonly<Record<number, FuncProto>> = {
  1: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, KEY], { pktAccess: true }),
  2: p(INT, [MAP, KEY, VAL, A], { pktAccess: true }),
  3: p(INT, [MAP, KEY], { pktAccess: true }),
  4: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  5: p(INT, []),
  6: p(INT, [MEM_RO, SZ], { gplOnly: true }),
  7: p(INT, []),
  8: p(INT, []),
  9: p(INT, [CTX, A, MEM_RO, SZ, A]),
  10: p(INT, [CTX, A, A, A, A]),
  11: p(INT, [CTX, A, A, A, A]),
  12: p(RET_VOID, [CTX, MAP, A]),
  13: p(INT, [CTX, A, A]),
  14: p(INT, []),
  15: p(INT, []),
  16: p(INT, [UNINIT, SZ]),
  17: p(INT, [CTX]),
  18: p(INT, [CTX, A, A]),
  19: p(INT, [CTX]),
  20: p(INT, [CTX, UNINIT, SZ, A]),
  21: p(INT, [CTX, MEM_RO, SZ, A]),
  22: p(INT, [MAP, A], { gplOnly: true }),
  23: p(INT, [A, A]),
  24: p(INT, [CTX]),
  25: p(INT, [CTX, MAP, A, MEM_RO, SZ0]),
  26: p(INT, [CTX, A, UNINIT, SZ]),
  27: p(INT, [CTX, MAP, A], { gplOnly: true }),
  28: p(INT, [MEM_RO_OR_NULL, SZ0, MEM_RO_OR_NULL, SZ0, A], { pktAccess: true }),
  29: p(INT, [CTX, UNINIT, SZ]),
  30: p(INT, [CTX, MEM_RO, SZ]),
  31: p(INT, [CTX, A, A]),
  32: p(INT, [CTX, A]),
  33: p(INT, [CTX, MAP, A]),
  34: p(INT, [CTX]),
  35: p(INT, [], { gplOnly: true }),
  36: p(INT, [A, MEM_RO, SZ], { gplOnly: true }),
  37: p(INT, [MAP, A]),
  38: p(INT, [CTX, A, A]),
  39: p(INT, [CTX, A]),
  40: p(INT, [CTX, A]),
  41: p(RET_VOID, [CTX]),
  42: p(INT, []),
  43: p(INT, [CTX, A, A]),
  44: p(INT, [CTX, A]),
  45: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  46: p(INT, [CTX]),
  47: p(INT, [CTX]),
  48: p(INT, [CTX, A]),
  49: p(INT, [CTX, A, A, MEM_RO, SZ]),
  50: p(INT, [CTX, A, A, A]),
  51: p(INT, [MAP, A, A]),
  52: p(INT, [CTX, MAP, A, A]),
  53: p(INT, [CTX, MAP, KEY, A]),
  54: p(INT, [CTX, A]),
  55: p(INT, [MAP, A, UNINIT, SZ], { gplOnly: true }),
  56: p(INT, [CTX, UNINIT, SZ]),
  57: p(INT, [CTX, A, A, UNINIT, SZ]),
  58: p(INT, [CTX, A], { gplOnly: true }),
  59: p(INT, [CTX, A]),
  60: p(INT, [CTX, MAP, A, A]),
  61: p(INT, [CTX, A]),
  62: p(INT, [CTX, A]),
  63: p(INT, [CTX, A]),
  64: p(INT, [CTX, MEM_RO, SZ]),
  65: p(INT, [CTX, A, A]),
  66: p(INT, [CTX, A, A]),
  67: p(INT, [CTX, UNINIT, SZ0, A], { gplOnly: true }),
  68: p(INT, [CTX, A, UNINIT, SZ, A]),
  69: p(INT, [CTX, WMEM, SZ, A]),
  70: p(INT, [CTX, MAP, KEY, A]),
  71: p(INT, [CTX, MAP, KEY, A]),
  72: p(INT, [CTX, MAP, KEY, A]),
  73: p(INT, [CTX, MAP, KEY, A]),
  74: p(INT, [CTX, A, MEM_RO, SZ]),
  75: p(INT, [CTX, A, A, MEM_RO, SZ]),
  76: p(INT, [CTX, A, A]),
  77: p(INT, [CTX, A]),
  78: p(INT, [CTX, A]),
  79: p(INT, [CTX]),
  80: p(INT, []),
  81: p(RET_PTR_TO_MAP_VALUE, [MAP, A]),
  82: p(INT, [CTX, MAP, KEY, A]),
  83: p(INT, [CTX, A]),
  84: p(RET_PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A]),
  85: p(RET_PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A]),
  86: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE]),
  87: p(INT, [MAP, VAL, A]),
  88: p(INT, [MAP, VAL | MEM_UNINIT | MEM_WRITE]),
  89: p(INT, [MAP, VAL | MEM_UNINIT | MEM_WRITE]),
  90: p(INT, [CTX, A, A, A]),
  91: p(INT, [CTX, A, A, A]),
  92: p(INT, [CTX, A]),
  93: p(RET_VOID, [ARG_PTR_TO_SPIN_LOCK]),
  94: p(RET_VOID, [ARG_PTR_TO_SPIN_LOCK]),
  95: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]),
  96: p(RET_PTR_TO_TCP_SOCK | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]),
  97: p(INT, [CTX]),
  98: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]),
  99: p(RET_PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A]),
  100: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, MEM_RO, SZ, MEM_RO, SZ]),
  101: p(INT, [CTX, UNINIT, SZ, A]),
  102: p(INT, [CTX, UNINIT, SZ]),
  103: p(INT, [CTX, UNINIT, SZ]),
  104: p(INT, [CTX, MEM_RO, SZ]),
  105: p(INT, [MEM_RO, SZ, A, ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE | MEM_FIXED_SIZE | MEM_ALIGNED], { argSize: [0, 0, 0, 8] }),
  106: p(INT, [MEM_RO, SZ, A, ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE | MEM_FIXED_SIZE | MEM_ALIGNED], { argSize: [0, 0, 0, 8] }),
  107: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, ARG_PTR_TO_BTF_ID_SOCK_COMMON, VAL | PTR_MAYBE_NULL, A]),
  108: p(INT, [MAP, ARG_PTR_TO_BTF_ID_SOCK_COMMON]),
  109: p(INT, [A]),
  110: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, MEM_RO, SZ, MEM_RO, SZ]),
  111: p(INT, [ARG_PTR_TO_BTF_ID, MAP, A, MEM_RO, SZ0]),
  112: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  113: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  114: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  115: p(INT, [UNINIT, SZ0, A], { gplOnly: true }),
  116: p(INT, [ARG_PTR_TO_BTF_ID, A]),
  117: p(INT, [A]),
  118: p(INT, []),
  119: p(INT, [CTX, MEM_RO_OR_NULL | MEM_WRITE, SZ0, A]),
  120: p(INT, [A, A, UNINIT, SZ]),
  121: p(INT, [CTX, MAP, A, MEM_RO, SZ0]),
  122: p(INT, [CTX | PTR_MAYBE_NULL]),
  123: p(INT, [A]),
  124: p(INT, [CTX, ARG_PTR_TO_BTF_ID_SOCK_COMMON | PTR_MAYBE_NULL, A]),
  125: p(INT, []),
  126: p(INT, [ARG_PTR_TO_BTF_ID, MEM_RO, SZ, MEM_RO_OR_NULL, SZ0]),
  127: p(INT, [ARG_PTR_TO_BTF_ID, MEM_RO, SZ0]),
  128: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON]),
  129: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, A]),
  130: p(INT, [MAP, MEM_RO, SZ0, A]),
  131: p(RET_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RINGBUF, [MAP, ARG_CONST_ALLOC_SIZE_OR_ZERO, A]),
  132: p(RET_VOID, [ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, A]),
  133: p(RET_VOID, [ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, A]),
  134: p(INT, [MAP, A]),
  135: p(INT, [CTX, A]),
  148: p(INT, [CTX, A, A]),
  149: p(INT, [CTX, A, A]),
  150: p(INT, [CTX, A]),
  151: p(INT, [CTX, A]),
  152: p(INT, [CTX, A]),
  158: p(RET_PTR_TO_BTF_ID | PTR_TRUSTED, [], { gplOnly: true, retBtf: 'task_struct' }),
  160: p(INT, []),
  164: p(INT, [MAP, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]),
  165: p(INT, [ARG_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_WRITE, SZ0, ARG_PTR_TO_CONST_STR, MEM_RO_OR_NULL, SZ0]),
  170: p(INT, [ARG_PTR_TO_TIMER, MAP, A]),
  171: p(INT, [ARG_PTR_TO_TIMER, ARG_PTR_TO_FUNC]),
  172: p(INT, [ARG_PTR_TO_TIMER, A, A]),
  173: p(INT, [ARG_PTR_TO_TIMER]),
  174: p(INT, [CTX]),
  175: p(INT, [CTX]),
  176: p(INT, [CTX]),
  177: p(INT, [CTX, MAP, A, MEM_RO, SZ0]),
  178: p(INT, [ARG_PTR_TO_BTF_ID, A, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]),
  181: p(INT, [A, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]),
  182: p(INT, [MEM_RO, SZ, MEM_RO, SZ]),
  183: p(INT, [CTX, A, UNINIT, SZ]),
  189: p(INT, [CTX, A, A]),
  190: p(INT, [CTX, A, A]),
  191: p(INT, [CTX, A, A]),
  195: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, KEY, A]),
  208: p(INT, []),
};

/**
 * The prototype of helper `id` for a program type, or undefined if the kernel has none
 * (`get_func_proto` returning NULL is decided by the allowed-helper table).
 */
export function protoFor(id: number, progTypeName: string): FuncProto | undefined {
  const base = HELPER_PROTOS[id];
  if (!base) return undefined;
  // The socket lookups return a full socket in tc/xdp/sk_skb programs.
  if ((id === 84 || id === 85) && progTypeName !== 'cgroup_sock_addr') {
    return { ...base, ret: RET_PTR_TO_SOCKET | PTR_MAYBE_NULL };
  }
  // Tracing variant of perf_event_output is GPL-only; xdp/skb variants read from ctx.
  if (id === 25 && ['kprobe', 'tracepoint', 'perf_event', 'raw_tracepoint', 'raw_tracepoint_writable', 'tracing'].includes(progTypeName)) {
    return { ...base, gplOnly: true };
  }
  return base;
}

/** Helpers whose calls may move packet data (`bpf_helper_changes_pkt_data`). */
export const CHANGES_PKT_DATA = new Set([9, 10, 11, 13, 18, 19, 31, 38, 39, 43, 44, 50, 54, 63, 65, 73, 74, 75, 76, 90, 91, 144]);
