/**
 * Which kernel function a helper call ends up calling, and the call's `imm`.
 *
 * After verification a call's `imm` is `func - __bpf_call_base`, where `func` is the
 * helper's implementation for the program type (`get_func_proto(...)->func`) or, for
 * map helpers, the map type's operation (`map->ops->map_lookup_elem`, ...). bpftool
 * names the call after the kernel symbol at that address. The offsets do not change
 * with KASLR, only between kernel builds; kernel-calls.gen.ts holds those of the
 * reference 6.18 build (scripts/gen-kernel-calls.mjs, from /proc/kallsyms).
 */
import { helperById } from '../isa/helpers';
import { MAP_TYPES, PROG_TYPES } from '../isa/kernel-types';
import { KERNEL_CALL_IMM } from './kernel-calls.gen';

export type MapOp = 'lookup' | 'update' | 'delete' | 'push' | 'pop' | 'peek' | 'redirect' | 'for_each' | 'lookup_percpu';

/** Map helpers and the operation of `struct bpf_map_ops` they call. */
export const MAP_HELPER_OPS = new Map<number, MapOp>([
  [1, 'lookup'], [2, 'update'], [3, 'delete'], [87, 'push'], [88, 'pop'], [89, 'peek'], [51, 'redirect'],
  [164, 'for_each'], [195, 'lookup_percpu'],
]);

const M = (name: string): number => MAP_TYPES.value(name)!;

/** The map operations' kernel functions per map type (kernel/bpf/*.c, net/core/*.c; Linux 6.18). */
const MAP_OPS: ReadonlyMap<number, Partial<Record<MapOp, string>>> = new Map([
  [M('hash'), { lookup: 'htab_map_lookup_elem', update: 'htab_map_update_elem', delete: 'htab_map_delete_elem', for_each: 'bpf_for_each_hash_elem' }],
  [M('array'), { lookup: 'array_map_lookup_elem', update: 'array_map_update_elem', delete: 'array_map_delete_elem', for_each: 'bpf_for_each_array_elem' }],
  [M('percpu_hash'), { lookup: 'htab_percpu_map_lookup_elem', update: 'htab_percpu_map_update_elem', delete: 'htab_map_delete_elem', for_each: 'bpf_for_each_hash_elem', lookup_percpu: 'htab_percpu_map_lookup_percpu_elem' }],
  [M('percpu_array'), { lookup: 'percpu_array_map_lookup_elem', update: 'array_map_update_elem', delete: 'array_map_delete_elem', for_each: 'bpf_for_each_array_elem', lookup_percpu: 'percpu_array_map_lookup_percpu_elem' }],
  [M('stack_trace'), { lookup: 'stack_map_lookup_elem', update: 'stack_map_update_elem', delete: 'stack_map_delete_elem' }],
  [M('lru_hash'), { lookup: 'htab_lru_map_lookup_elem', update: 'htab_lru_map_update_elem', delete: 'htab_lru_map_delete_elem', for_each: 'bpf_for_each_hash_elem' }],
  [M('lru_percpu_hash'), { lookup: 'htab_lru_percpu_map_lookup_elem', update: 'htab_lru_percpu_map_update_elem', delete: 'htab_lru_map_delete_elem', for_each: 'bpf_for_each_hash_elem', lookup_percpu: 'htab_lru_percpu_map_lookup_percpu_elem' }],
  [M('lpm_trie'), { lookup: 'trie_lookup_elem', update: 'trie_update_elem', delete: 'trie_delete_elem' }],
  [M('array_of_maps'), { lookup: 'array_of_map_lookup_elem', update: 'bpf_fd_array_map_update_elem', delete: 'fd_array_map_delete_elem' }],
  [M('hash_of_maps'), { lookup: 'htab_of_map_lookup_elem', update: 'bpf_fd_htab_map_update_elem', delete: 'htab_map_delete_elem' }],
  [M('devmap'), { lookup: 'dev_map_lookup_elem', update: 'dev_map_update_elem', delete: 'dev_map_delete_elem', redirect: 'dev_map_redirect' }],
  [M('devmap_hash'), { lookup: 'dev_map_hash_lookup_elem', update: 'dev_map_hash_update_elem', delete: 'dev_map_hash_delete_elem', redirect: 'dev_hash_map_redirect' }],
  [M('cpumap'), { lookup: 'cpu_map_lookup_elem', update: 'cpu_map_update_elem', delete: 'cpu_map_delete_elem', redirect: 'cpu_map_redirect' }],
  [M('xskmap'), { lookup: 'xsk_map_lookup_elem', update: 'xsk_map_update_elem', delete: 'xsk_map_delete_elem', redirect: 'xsk_map_redirect' }],
  [M('sockmap'), { lookup: 'sock_map_lookup', update: 'sock_map_update_elem', delete: 'sock_map_delete_elem' }],
  [M('sockhash'), { lookup: 'sock_hash_lookup', update: 'sock_hash_update_elem', delete: 'sock_hash_delete_elem' }],
  [M('queue'), { push: 'queue_stack_map_push_elem', pop: 'queue_map_pop_elem', peek: 'queue_map_peek_elem' }],
  [M('stack'), { push: 'queue_stack_map_push_elem', pop: 'stack_map_pop_elem', peek: 'stack_map_peek_elem' }],
  [M('bloom_filter'), { push: 'bloom_map_push_elem', peek: 'bloom_map_peek_elem' }],
  [M('cgroup_storage'), { lookup: 'cgroup_storage_lookup_elem', update: 'cgroup_storage_update_elem', delete: 'cgroup_storage_delete_elem' }],
]);

const P = (name: string): number => PROG_TYPES.value(name)!;
const SKB_TYPES = ['socket_filter', 'sched_cls', 'sched_act', 'cgroup_skb', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local', 'sk_skb', 'sk_reuseport', 'flow_dissector'].map(P);

/**
 * Helpers whose implementation is not `bpf_<name>`: [helper name, predicate on the program
 * type, kernel function], first match wins.
 */
const FUNC_OVERRIDES: ReadonlyArray<readonly [string, (t: number) => boolean, string]> = [
  ['get_prandom_u32', () => true, 'bpf_user_rnd_u32'],
  ['perf_event_output', (t) => SKB_TYPES.includes(t), 'bpf_skb_event_output'],
  ['perf_event_output', (t) => t === P('xdp'), 'bpf_xdp_event_output'],
  ['perf_event_output', (t) => t === P('tracepoint'), 'bpf_perf_event_output_tp'],
  ['perf_event_output', (t) => t === P('raw_tracepoint'), 'bpf_perf_event_output_raw_tp'],
  ['get_stackid', (t) => t === P('tracepoint'), 'bpf_get_stackid_tp'],
  ['get_stackid', (t) => t === P('perf_event'), 'bpf_get_stackid_pe'],
  ['get_stackid', (t) => t === P('raw_tracepoint'), 'bpf_get_stackid_raw_tp'],
  ['get_stack', (t) => t === P('tracepoint'), 'bpf_get_stack_tp'],
  ['get_stack', (t) => t === P('perf_event'), 'bpf_get_stack_pe'],
  ['get_stack', (t) => t === P('raw_tracepoint'), 'bpf_get_stack_raw_tp'],
  ['skb_output', () => true, 'bpf_skb_event_output'],
  ['xdp_output', () => true, 'bpf_xdp_event_output'],
];

/** The kernel function a helper call ends up calling, if it is a call at all. */
export function helperKernelFunc(helperId: number, progType: number, mapType?: number): string | undefined {
  const op = MAP_HELPER_OPS.get(helperId);
  if (op) return mapType === undefined ? undefined : MAP_OPS.get(mapType)?.[op];
  const h = helperById(helperId);
  if (!h) return undefined;
  const short = h.name.slice(4);
  for (const [name, when, func] of FUNC_OVERRIDES) if (name === short && when(progType)) return func;
  return h.name;
}

/** Every kernel function these tables name (for the generator of kernel-calls.gen.ts). */
export function allKernelFuncs(): string[] {
  const out = new Set<string>(['__htab_map_lookup_elem', 'arch_bpf_timed_may_goto', 'bpf_skb_load_helper_8', 'bpf_skb_load_helper_16', 'bpf_skb_load_helper_32',
    'bpf_skb_load_helper_8_no_cache', 'bpf_skb_load_helper_16_no_cache', 'bpf_skb_load_helper_32_no_cache']);
  for (const ops of MAP_OPS.values()) for (const f of Object.values(ops)) out.add(f!);
  for (const [, , f] of FUNC_OVERRIDES) out.add(f);
  for (let id = 1; helperById(id); id++) out.add(helperById(id)!.name);
  return [...out].sort();
}

/**
 * The `imm` of a call to a kernel function: its offset from `__bpf_call_base` in the
 * reference build, or a stable placeholder (far from any real offset) for a function
 * the table does not know.
 */
export function kernelCallImm(func: string): number {
  const known = KERNEL_CALL_IMM[func];
  if (known !== undefined) return known;
  let h = 0;
  for (const c of func) h = (h * 31 + c.charCodeAt(0)) | 0;
  const imm = 0x40000000 | (h & 0x0ffffff0);
  placeholders.set(imm, func);
  return imm;
}

const placeholders = new Map<number, string>();
const byImm = new Map(Object.entries(KERNEL_CALL_IMM).map(([f, imm]) => [imm, f]));

/** The kernel function a call's imm refers to (what bpftool finds in kallsyms), if known. */
export const kernelFuncOfImm = (imm: number): string | undefined => byImm.get(imm) ?? placeholders.get(imm);
