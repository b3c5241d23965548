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
const WMEM_OR_NULL = ARG_PTR_TO_MEM | MEM_WRITE | PTR_MAYBE_NULL;
const FIXED_UNINIT = ARG_PTR_TO_MEM | MEM_UNINIT | MEM_WRITE | MEM_FIXED_SIZE | MEM_ALIGNED;
const FIXED_WMEM = ARG_PTR_TO_MEM | MEM_WRITE | MEM_FIXED_SIZE | MEM_ALIGNED;
const FIXED_RO = ARG_PTR_TO_MEM | MEM_RDONLY | MEM_FIXED_SIZE;
const SZ = ARG_CONST_SIZE;
const SZ0 = ARG_CONST_SIZE_OR_ZERO;
const INT = RET_INTEGER;

const p = (ret: number, args: number[], extra: Partial<FuncProto> = {}): FuncProto => ({ ret, args, ...extra });

/** Prototypes by helper id (the generic variant). */
export const HELPER_PROTOS: Readonly<Record<number, FuncProto>> = {
  1: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, KEY], { pktAccess: true }), // map_lookup_elem
  2: p(INT, [MAP, KEY, VAL, A], { pktAccess: true }), // map_update_elem
  3: p(INT, [MAP, KEY], { pktAccess: true }), // map_delete_elem
  4: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read
  5: p(INT, []), // ktime_get_ns
  6: p(INT, [MEM_RO, SZ], { gplOnly: true }), // trace_printk
  7: p(INT, []), // get_prandom_u32
  8: p(INT, []), // get_smp_processor_id
  9: p(INT, [CTX, A, MEM_RO, SZ, A]), // skb_store_bytes
  10: p(INT, [CTX, A, A, A, A]), // l3_csum_replace
  11: p(INT, [CTX, A, A, A, A]), // l4_csum_replace
  12: p(RET_VOID, [CTX, MAP, A]), // tail_call
  13: p(INT, [CTX, A, A]), // clone_redirect
  14: p(INT, []), // get_current_pid_tgid
  15: p(INT, []), // get_current_uid_gid
  16: p(INT, [UNINIT, SZ]), // get_current_comm
  17: p(INT, [CTX]), // get_cgroup_classid
  18: p(INT, [CTX, A, A]), // skb_vlan_push
  19: p(INT, [CTX]), // skb_vlan_pop
  20: p(INT, [CTX, UNINIT, SZ, A]), // skb_get_tunnel_key
  21: p(INT, [CTX, MEM_RO, SZ, A]), // skb_set_tunnel_key
  22: p(INT, [MAP, A], { gplOnly: true }), // perf_event_read
  23: p(INT, [A, A]), // redirect
  24: p(INT, [CTX]), // get_route_realm
  25: p(INT, [CTX, MAP, A, MEM_RO, SZ0], { gplOnly: true }), // perf_event_output
  26: p(INT, [CTX, A, UNINIT, SZ]), // skb_load_bytes
  27: p(INT, [CTX, MAP, A], { gplOnly: true }), // get_stackid
  28: p(INT, [MEM_RO_OR_NULL, SZ0, MEM_RO_OR_NULL, SZ0, A], { pktAccess: true }), // csum_diff
  29: p(INT, [CTX, UNINIT, SZ]), // skb_get_tunnel_opt
  30: p(INT, [CTX, MEM_RO, SZ]), // skb_set_tunnel_opt
  31: p(INT, [CTX, A, A]), // skb_change_proto
  32: p(INT, [CTX, A]), // skb_change_type
  33: p(INT, [CTX, MAP, A]), // skb_under_cgroup
  34: p(INT, [CTX]), // get_hash_recalc
  35: p(INT, [], { gplOnly: true }), // get_current_task
  36: p(INT, [A, MEM_RO, SZ], { gplOnly: true }), // probe_write_user
  37: p(INT, [MAP, A]), // current_task_under_cgroup
  38: p(INT, [CTX, A, A]), // skb_change_tail
  39: p(INT, [CTX, A]), // skb_pull_data
  40: p(INT, [CTX, A]), // csum_update
  41: p(RET_VOID, [CTX]), // set_hash_invalid
  42: p(INT, []), // get_numa_node_id
  43: p(INT, [CTX, A, A]), // skb_change_head
  44: p(INT, [CTX, A]), // xdp_adjust_head
  45: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read_str
  46: p(INT, [CTX]), // get_socket_cookie
  47: p(INT, [CTX]), // get_socket_uid
  48: p(INT, [CTX, A]), // set_hash
  49: p(INT, [CTX, A, A, MEM_RO, SZ]), // setsockopt
  50: p(INT, [CTX, A, A, A]), // skb_adjust_room
  51: p(INT, [MAP, A, A]), // redirect_map
  52: p(INT, [CTX, MAP, A, A]), // sk_redirect_map
  53: p(INT, [CTX, MAP, KEY, A]), // sock_map_update
  54: p(INT, [CTX, A]), // xdp_adjust_meta
  55: p(INT, [MAP, A, UNINIT, SZ], { gplOnly: true }), // perf_event_read_value
  56: p(INT, [CTX, UNINIT, SZ]), // perf_prog_read_value
  57: p(INT, [CTX, A, A, UNINIT, SZ]), // getsockopt
  58: p(INT, [CTX, A], { gplOnly: true }), // override_return
  59: p(INT, [CTX, A]), // sock_ops_cb_flags_set
  60: p(INT, [CTX, MAP, A, A]), // msg_redirect_map
  61: p(INT, [CTX, A]), // msg_apply_bytes
  62: p(INT, [CTX, A]), // msg_cork_bytes
  63: p(INT, [CTX, A, A, A]), // msg_pull_data
  64: p(INT, [CTX, MEM_RO, SZ]), // bind
  65: p(INT, [CTX, A]), // xdp_adjust_tail
  66: p(INT, [CTX, A, UNINIT, SZ, A]), // skb_get_xfrm_state
  67: p(INT, [CTX, UNINIT, SZ0, A], { gplOnly: true }), // get_stack
  68: p(INT, [CTX, A, UNINIT, SZ, A]), // skb_load_bytes_relative
  69: p(INT, [CTX, WMEM, SZ, A]), // fib_lookup
  70: p(INT, [CTX, MAP, KEY, A]), // sock_hash_update
  71: p(INT, [CTX, MAP, KEY, A]), // msg_redirect_hash
  72: p(INT, [CTX, MAP, KEY, A]), // sk_redirect_hash
  73: p(INT, [CTX, A, MEM_RO, SZ]), // lwt_push_encap
  74: p(INT, [CTX, A, MEM_RO, SZ]), // lwt_seg6_store_bytes
  75: p(INT, [CTX, A, A]), // lwt_seg6_adjust_srh
  76: p(INT, [CTX, A, MEM_RO, SZ]), // lwt_seg6_action
  77: p(INT, [CTX], { gplOnly: true }), // rc_repeat
  78: p(INT, [CTX, A, A, A], { gplOnly: true }), // rc_keydown
  79: p(INT, [CTX]), // skb_cgroup_id
  80: p(INT, []), // get_current_cgroup_id
  81: p(RET_PTR_TO_MAP_VALUE, [MAP, A]), // get_local_storage
  82: p(INT, [CTX, MAP, KEY, A]), // sk_select_reuseport
  83: p(INT, [CTX, A]), // skb_ancestor_cgroup_id
  84: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A], { pktAccess: true }), // sk_lookup_tcp
  85: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A], { pktAccess: true }), // sk_lookup_udp
  86: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON | OBJ_RELEASE]), // sk_release
  87: p(INT, [MAP, VAL, A], { pktAccess: true }), // map_push_elem
  88: p(INT, [MAP, VAL | MEM_UNINIT | MEM_WRITE]), // map_pop_elem
  89: p(INT, [MAP, VAL | MEM_UNINIT | MEM_WRITE]), // map_peek_elem
  90: p(INT, [CTX, A, A, A]), // msg_push_data
  91: p(INT, [CTX, A, A, A]), // msg_pop_data
  92: p(INT, [CTX, A, A], { gplOnly: true }), // rc_pointer_rel
  93: p(RET_VOID, [ARG_PTR_TO_SPIN_LOCK]), // spin_lock
  94: p(RET_VOID, [ARG_PTR_TO_SPIN_LOCK]), // spin_unlock
  95: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]), // sk_fullsock
  96: p(RET_PTR_TO_TCP_SOCK | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]), // tcp_sock
  97: p(INT, [CTX]), // skb_ecn_set_ce
  98: p(RET_PTR_TO_SOCKET | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON]), // get_listener_sock
  99: p(RET_PTR_TO_SOCK_COMMON | PTR_MAYBE_NULL, [CTX, MEM_RO, SZ, A, A], { pktAccess: true }), // skc_lookup_tcp
  100: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, MEM_RO, SZ, MEM_RO, SZ], { pktAccess: true }), // tcp_check_syncookie
  101: p(INT, [CTX, WMEM, SZ, A]), // sysctl_get_name
  102: p(INT, [CTX, UNINIT, SZ]), // sysctl_get_current_value
  103: p(INT, [CTX, UNINIT, SZ]), // sysctl_get_new_value
  104: p(INT, [CTX, MEM_RO, SZ]), // sysctl_set_new_value
  105: p(INT, [MEM_RO, SZ, A, FIXED_UNINIT], { argSize: [0, 0, 0, 8] }), // strtol
  106: p(INT, [MEM_RO, SZ, A, FIXED_UNINIT], { argSize: [0, 0, 0, 8] }), // strtoul
  107: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, ARG_PTR_TO_BTF_ID_SOCK_COMMON, VAL | PTR_MAYBE_NULL, A]), // sk_storage_get
  108: p(INT, [MAP, ARG_PTR_TO_BTF_ID_SOCK_COMMON]), // sk_storage_delete
  109: p(INT, [A]), // send_signal
  110: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, MEM_RO, SZ, MEM_RO, SZ], { pktAccess: true }), // tcp_gen_syncookie
  111: p(INT, [ARG_PTR_TO_BTF_ID, MAP, A, MEM_RO, SZ0], { gplOnly: true }), // skb_output
  112: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read_user
  113: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read_kernel
  114: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read_user_str
  115: p(INT, [UNINIT, SZ0, A], { gplOnly: true }), // probe_read_kernel_str
  116: p(INT, [ARG_PTR_TO_BTF_ID, A]), // tcp_send_ack
  117: p(INT, [A]), // send_signal_thread
  118: p(INT, []), // jiffies64
  119: p(INT, [CTX, WMEM_OR_NULL, SZ0, A]), // read_branch_records
  120: p(INT, [A, A, UNINIT, SZ]), // get_ns_current_pid_tgid
  121: p(INT, [ARG_PTR_TO_BTF_ID, MAP, A, MEM_RO, SZ0], { gplOnly: true }), // xdp_output
  122: p(INT, [CTX | PTR_MAYBE_NULL]), // get_netns_cookie
  123: p(INT, [A]), // get_current_ancestor_cgroup_id
  124: p(INT, [CTX, ARG_PTR_TO_BTF_ID_SOCK_COMMON, A]), // sk_assign
  125: p(INT, []), // ktime_get_boot_ns
  126: p(INT, [ARG_PTR_TO_BTF_ID, MEM_RO, SZ, MEM_RO_OR_NULL, SZ0], { gplOnly: true }), // seq_printf
  127: p(INT, [ARG_PTR_TO_BTF_ID, MEM_RO, SZ0], { gplOnly: true }), // seq_write
  128: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON]), // sk_cgroup_id
  129: p(INT, [ARG_PTR_TO_BTF_ID_SOCK_COMMON, A]), // sk_ancestor_cgroup_id
  130: p(INT, [MAP, MEM_RO, SZ0, A]), // ringbuf_output
  131: p(RET_PTR_TO_MEM | PTR_MAYBE_NULL | MEM_RINGBUF, [MAP, ARG_CONST_ALLOC_SIZE_OR_ZERO, A]), // ringbuf_reserve
  132: p(RET_VOID, [ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, A]), // ringbuf_submit
  133: p(RET_VOID, [ARG_PTR_TO_RINGBUF_MEM | OBJ_RELEASE, A]), // ringbuf_discard
  134: p(INT, [MAP, A]), // ringbuf_query
  135: p(INT, [CTX, A]), // csum_level
  136: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'tcp6_sock' }), // skc_to_tcp6_sock
  137: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'tcp_sock' }), // skc_to_tcp_sock
  138: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'tcp_timewait_sock' }), // skc_to_tcp_timewait_sock
  139: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'tcp_request_sock' }), // skc_to_tcp_request_sock
  140: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'udp6_sock' }), // skc_to_udp6_sock
  141: p(INT, [ARG_PTR_TO_BTF_ID, UNINIT, SZ0, A]), // get_task_stack
  142: p(INT, [CTX, WMEM, SZ, A]), // load_hdr_opt
  143: p(INT, [CTX, MEM_RO, SZ, A]), // store_hdr_opt
  144: p(INT, [CTX, A, A]), // reserve_hdr_opt
  145: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL, VAL | PTR_MAYBE_NULL, A]), // inode_storage_get
  146: p(INT, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL]), // inode_storage_delete
  147: p(INT, [ARG_PTR_TO_BTF_ID, WMEM, SZ0]), // d_path
  148: p(INT, [UNINIT, SZ0, A], { mightSleep: true }), // copy_from_user
  149: p(INT, [WMEM, SZ, MEM_RO, SZ, A]), // snprintf_btf
  150: p(INT, [ARG_PTR_TO_BTF_ID, MEM_RO, SZ0, A]), // seq_printf_btf
  151: p(INT, [CTX]), // skb_cgroup_classid
  152: p(INT, [A, MEM_RO_OR_NULL, SZ0, A]), // redirect_neigh
  153: p(RET_PTR_TO_MEM_OR_BTF_ID | PTR_MAYBE_NULL | MEM_RDONLY, [ARG_PTR_TO_PERCPU_BTF_ID, A]), // per_cpu_ptr
  154: p(RET_PTR_TO_MEM_OR_BTF_ID | MEM_RDONLY, [ARG_PTR_TO_PERCPU_BTF_ID]), // this_cpu_ptr
  155: p(INT, [A, A]), // redirect_peer
  156: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL, VAL | PTR_MAYBE_NULL, A]), // task_storage_get
  157: p(INT, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL]), // task_storage_delete
  158: p(RET_PTR_TO_BTF_ID | PTR_TRUSTED, [], { gplOnly: true, retBtf: 'task_struct' }), // get_current_task_btf
  159: p(INT, [ARG_PTR_TO_BTF_ID, A]), // bprm_opts_set
  160: p(INT, []), // ktime_get_coarse_ns
  161: p(INT, [ARG_PTR_TO_BTF_ID, UNINIT, SZ], { mightSleep: true }), // ima_inode_hash
  162: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID], { retBtf: 'socket' }), // sock_from_file
  163: p(INT, [CTX, A, FIXED_WMEM, A, A], { argSize: [0, 0, 4] }), // check_mtu
  164: p(INT, [MAP, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]), // for_each_map_elem
  165: p(INT, [WMEM_OR_NULL, SZ0, ARG_PTR_TO_CONST_STR, MEM_RO_OR_NULL, SZ0]), // snprintf
  166: p(INT, [A, MEM_RO, SZ]), // sys_bpf
  167: p(INT, [MEM_RO, SZ, A, A]), // btf_find_by_name_kind
  168: p(INT, [A]), // sys_close
  169: p(INT, [ARG_PTR_TO_TIMER, MAP, A]), // timer_init
  170: p(INT, [ARG_PTR_TO_TIMER, ARG_PTR_TO_FUNC]), // timer_set_callback
  171: p(INT, [ARG_PTR_TO_TIMER, A, A]), // timer_start
  172: p(INT, [ARG_PTR_TO_TIMER]), // timer_cancel
  173: p(INT, [CTX]), // get_func_ip
  174: p(INT, [CTX]), // get_attach_cookie
  175: p(RET_PTR_TO_BTF_ID, [ARG_PTR_TO_BTF_ID], { retBtf: 'pt_regs' }), // task_pt_regs
  176: p(INT, [UNINIT, SZ0, A]), // get_branch_snapshot
  177: p(INT, [MEM_RO, SZ, MEM_RO_OR_NULL, SZ0]), // trace_vprintk
  178: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_BTF_ID_SOCK_COMMON], { retBtf: 'unix_sock' }), // skc_to_unix_sock
  179: p(INT, [MEM_RO, SZ0, A, FIXED_UNINIT], { argSize: [0, 0, 0, 8] }), // kallsyms_lookup_name
  180: p(INT, [ARG_PTR_TO_BTF_ID, A, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]), // find_vma
  181: p(INT, [A, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]), // loop
  182: p(INT, [MEM_RO, SZ, ARG_PTR_TO_CONST_STR]), // strncmp
  183: p(INT, [CTX, A, FIXED_UNINIT], { argSize: [0, 0, 8] }), // get_func_arg
  184: p(INT, [CTX, FIXED_UNINIT], { argSize: [0, 8] }), // get_func_ret
  185: p(INT, [CTX]), // get_func_arg_cnt
  186: p(INT, []), // get_retval
  187: p(INT, [A]), // set_retval
  188: p(INT, [CTX]), // xdp_get_buff_len
  189: p(INT, [CTX, A, UNINIT, SZ]), // xdp_load_bytes
  190: p(INT, [CTX, A, MEM_RO, SZ]), // xdp_store_bytes
  191: p(INT, [UNINIT, SZ0, A, ARG_PTR_TO_BTF_ID, A], { mightSleep: true }), // copy_from_user_task
  192: p(INT, [CTX, A, A]), // skb_set_tstamp
  193: p(INT, [ARG_PTR_TO_BTF_ID, UNINIT, SZ], { mightSleep: true }), // ima_file_hash
  195: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, KEY, A], { pktAccess: true }), // map_lookup_percpu_elem
  196: p(RET_PTR_TO_BTF_ID | PTR_MAYBE_NULL, [ARG_PTR_TO_SOCK_COMMON], { retBtf: 'mptcp_sock' }), // skc_to_mptcp_sock
  204: p(INT, [FIXED_RO, MEM_RO, SZ], { argSize: [20], pktAccess: true }), // tcp_raw_gen_syncookie_ipv4
  205: p(INT, [FIXED_RO, MEM_RO, SZ], { argSize: [40], pktAccess: true }), // tcp_raw_gen_syncookie_ipv6
  206: p(INT, [FIXED_RO, FIXED_RO], { argSize: [20, 20], pktAccess: true }), // tcp_raw_check_syncookie_ipv4
  207: p(INT, [FIXED_RO, FIXED_RO], { argSize: [40, 20], pktAccess: true }), // tcp_raw_check_syncookie_ipv6
  208: p(INT, []), // ktime_get_tai_ns
  209: p(INT, [MAP, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK | PTR_MAYBE_NULL, A]), // user_ringbuf_drain
  210: p(RET_PTR_TO_MAP_VALUE | PTR_MAYBE_NULL, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL, VAL | PTR_MAYBE_NULL, A]), // cgrp_storage_get
  211: p(INT, [MAP, ARG_PTR_TO_BTF_ID | PTR_MAYBE_NULL]), // cgrp_storage_delete
};

/**
 * The prototype of helper `id` for a program type, or undefined if the kernel has none
 * (`get_func_proto` returning NULL is decided by the allowed-helper table).
 */
export function protoFor(id: number, progTypeName: string): FuncProto | undefined {
  const base = HELPER_PROTOS[id];
  if (!base) return undefined;
  // get_cgroup_classid reads the skb in tc and lwt programs, the current task elsewhere
  if (id === 17 && !['sched_cls', 'sched_act', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local'].includes(progTypeName)) {
    return { ...base, args: [] };
  }
  // cgroup socket programs pass their context as the socket of the storage helpers
  if ((id === 107 || id === 108) && (progTypeName === 'cgroup_sock' || progTypeName === 'cgroup_sock_addr')) {
    const args = base.args.slice();
    args[1] = ARG_PTR_TO_CTX;
    return { ...base, args };
  }
  return base;
}

/** Helpers whose calls may move packet data (`bpf_helper_changes_pkt_data`). */
export const CHANGES_PKT_DATA = new Set([9, 10, 11, 13, 18, 19, 31, 38, 39, 43, 44, 50, 54, 63, 65, 73, 74, 75, 76, 90, 91, 143]);
