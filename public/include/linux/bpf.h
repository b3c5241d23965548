/*
 * bpfplay: the BPF part of the Linux UAPI (<linux/bpf.h>) as BPF programs use it:
 * program/map/attach types, flags, the context structures (__sk_buff, xdp_md, ...),
 * and helper-facing structures. Values and layouts are those of Linux 6.18 (checked
 * against the kernel's BTF by test/headers); the text is bpfplay's own.
 * The syscall interface (union bpf_attr, enum bpf_cmd) is not here: programs do not use it.
 */
#ifndef __BPFPLAY_LINUX_BPF_H
#define __BPFPLAY_LINUX_BPF_H

#include <linux/types.h>
#include <linux/bpf_common.h>
#include <linux/bpf_enums.h>

/* Instruction encoding beyond the classic BPF set. */
#define BPF_JMP32	0x06
#define BPF_ALU64	0x07
#define BPF_DW		0x18
#define BPF_MEMSX	0x80
#define BPF_ATOMIC	0xc0
#define BPF_XADD	0xc0
#define BPF_MOV		0xb0
#define BPF_ARSH	0xc0
#define BPF_END		0xd0
#define BPF_TO_LE	0x00
#define BPF_TO_BE	0x08
#define BPF_FROM_LE	BPF_TO_LE
#define BPF_FROM_BE	BPF_TO_BE
#define BPF_JNE		0x50
#define BPF_JLT		0xa0
#define BPF_JLE		0xb0
#define BPF_JSGT	0x60
#define BPF_JSGE	0x70
#define BPF_JSLT	0xc0
#define BPF_JSLE	0xd0
#define BPF_JCOND	0xe0
#define BPF_CALL	0x80
#define BPF_EXIT	0x90
#define BPF_FETCH	0x01
#define BPF_XCHG	(0xe0 | BPF_FETCH)
#define BPF_CMPXCHG	(0xf0 | BPF_FETCH)
#define BPF_LOAD_ACQ	0x100
#define BPF_STORE_REL	0x110

enum bpf_cond_pseudo_jmp {
	BPF_MAY_GOTO = 0,
};

/* Registers. */
enum {
	BPF_REG_0 = 0, BPF_REG_1, BPF_REG_2, BPF_REG_3, BPF_REG_4, BPF_REG_5,
	BPF_REG_6, BPF_REG_7, BPF_REG_8, BPF_REG_9, BPF_REG_10, __MAX_BPF_REG,
};
#define MAX_BPF_REG	__MAX_BPF_REG

struct bpf_insn {
	__u8 code;
	__u8 dst_reg:4;
	__u8 src_reg:4;
	__s16 off;
	__s32 imm;
};

/* src_reg of a 64-bit immediate load. */
#define BPF_PSEUDO_MAP_FD		1
#define BPF_PSEUDO_MAP_IDX		5
#define BPF_PSEUDO_MAP_VALUE		2
#define BPF_PSEUDO_MAP_IDX_VALUE	6
#define BPF_PSEUDO_BTF_ID		3
#define BPF_PSEUDO_FUNC			4
/* src_reg of a call. */
#define BPF_PSEUDO_CALL			1
#define BPF_PSEUDO_KFUNC_CALL		2

/* Flags of map updates. */
enum {
	BPF_ANY		= 0,
	BPF_NOEXIST	= 1,
	BPF_EXIST	= 2,
	BPF_F_LOCK	= 4,
};

/* Flags of map creation. */
enum {
	BPF_F_NO_PREALLOC	= (1U << 0),
	BPF_F_NO_COMMON_LRU	= (1U << 1),
	BPF_F_NUMA_NODE		= (1U << 2),
	BPF_F_RDONLY		= (1U << 3),
	BPF_F_WRONLY		= (1U << 4),
	BPF_F_STACK_BUILD_ID	= (1U << 5),
	BPF_F_ZERO_SEED		= (1U << 6),
	BPF_F_RDONLY_PROG	= (1U << 7),
	BPF_F_WRONLY_PROG	= (1U << 8),
	BPF_F_CLONE		= (1U << 9),
	BPF_F_MMAPABLE		= (1U << 10),
	BPF_F_PRESERVE_ELEMS	= (1U << 11),
	BPF_F_INNER_MAP		= (1U << 12),
	BPF_F_LINK		= (1U << 13),
	BPF_F_PATH_FD		= (1U << 14),
	BPF_F_VTYPE_BTF_OBJ_FD	= (1U << 15),
	BPF_F_TOKEN_FD		= (1U << 16),
	BPF_F_SEGV_ON_FAULT	= (1U << 17),
	BPF_F_NO_USER_CONV	= (1U << 18),
};

/* bpf_skb_store_bytes() */
enum {
	BPF_F_RECOMPUTE_CSUM	= (1ULL << 0),
	BPF_F_INVALIDATE_HASH	= (1ULL << 1),
};

/* bpf_l3_csum_replace() and bpf_l4_csum_replace() */
enum {
	BPF_F_HDR_FIELD_MASK	= 0xfULL,
};
enum {
	BPF_F_PSEUDO_HDR	= (1ULL << 4),
	BPF_F_MARK_MANGLED_0	= (1ULL << 5),
	BPF_F_MARK_ENFORCE	= (1ULL << 6),
	BPF_F_IPV6		= (1ULL << 7),
};

/* bpf_clone_redirect() and bpf_redirect() */
enum {
	BPF_F_INGRESS		= (1ULL << 0),
};

/* bpf_skb_set_tunnel_key() and bpf_skb_get_tunnel_key() */
enum {
	BPF_F_TUNINFO_IPV6	= (1ULL << 0),
};

/* bpf_get_stackid() and bpf_get_stack() */
enum {
	BPF_F_SKIP_FIELD_MASK	= 0xffULL,
	BPF_F_USER_STACK	= (1ULL << 8),
	BPF_F_FAST_STACK_CMP	= (1ULL << 9),
	BPF_F_REUSE_STACKID	= (1ULL << 10),
	BPF_F_USER_BUILD_ID	= (1ULL << 11),
};

/* bpf_skb_set_tunnel_key() */
enum {
	BPF_F_ZERO_CSUM_TX	= (1ULL << 1),
	BPF_F_DONT_FRAGMENT	= (1ULL << 2),
	BPF_F_SEQ_NUMBER	= (1ULL << 3),
	BPF_F_NO_TUNNEL_KEY	= (1ULL << 4),
};

/* bpf_skb_get_tunnel_key() */
enum {
	BPF_F_TUNINFO_FLAGS	= (1ULL << 4),
};

/* bpf_perf_event_output(), bpf_perf_event_read() and friends */
enum {
	BPF_F_INDEX_MASK	= 0xffffffffULL,
	BPF_F_CURRENT_CPU	= BPF_F_INDEX_MASK,
	BPF_F_CTXLEN_MASK	= (0xfffffULL << 32),
};

/* bpf_sk_lookup_tcp() and friends */
enum {
	BPF_F_CURRENT_NETNS	= (-1L),
};

/* bpf_csum_level() */
enum {
	BPF_CSUM_LEVEL_QUERY,
	BPF_CSUM_LEVEL_INC,
	BPF_CSUM_LEVEL_DEC,
	BPF_CSUM_LEVEL_RESET,
};

/* bpf_skb_adjust_room() */
enum {
	BPF_F_ADJ_ROOM_FIXED_GSO	= (1ULL << 0),
	BPF_F_ADJ_ROOM_ENCAP_L3_IPV4	= (1ULL << 1),
	BPF_F_ADJ_ROOM_ENCAP_L3_IPV6	= (1ULL << 2),
	BPF_F_ADJ_ROOM_ENCAP_L4_GRE	= (1ULL << 3),
	BPF_F_ADJ_ROOM_ENCAP_L4_UDP	= (1ULL << 4),
	BPF_F_ADJ_ROOM_NO_CSUM_RESET	= (1ULL << 5),
	BPF_F_ADJ_ROOM_ENCAP_L2_ETH	= (1ULL << 6),
	BPF_F_ADJ_ROOM_DECAP_L3_IPV4	= (1ULL << 7),
	BPF_F_ADJ_ROOM_DECAP_L3_IPV6	= (1ULL << 8),
};
enum {
	BPF_ADJ_ROOM_ENCAP_L2_MASK	= 0xff,
	BPF_ADJ_ROOM_ENCAP_L2_SHIFT	= 56,
};
#define BPF_F_ADJ_ROOM_ENCAP_L2(len)	(((__u64)len & BPF_ADJ_ROOM_ENCAP_L2_MASK) << BPF_ADJ_ROOM_ENCAP_L2_SHIFT)

/* bpf_sysctl_get_name() */
enum {
	BPF_F_SYSCTL_BASE_NAME		= (1ULL << 0),
};

/* bpf_sk_storage_get() and the other local storages */
enum {
	BPF_LOCAL_STORAGE_GET_F_CREATE	= (1ULL << 0),
	BPF_SK_STORAGE_GET_F_CREATE	= BPF_LOCAL_STORAGE_GET_F_CREATE,
};

/* bpf_read_branch_records() */
enum {
	BPF_F_GET_BRANCH_RECORDS_SIZE	= (1ULL << 0),
};

/* bpf_ringbuf_output(), bpf_ringbuf_reserve(), bpf_ringbuf_submit(), bpf_ringbuf_discard() */
enum {
	BPF_RB_NO_WAKEUP	= (1ULL << 0),
	BPF_RB_FORCE_WAKEUP	= (1ULL << 1),
};

/* bpf_ringbuf_query() */
enum {
	BPF_RB_AVAIL_DATA = 0,
	BPF_RB_RING_SIZE = 1,
	BPF_RB_CONS_POS = 2,
	BPF_RB_PROD_POS = 3,
};

/* Ring buffer record header. */
enum {
	BPF_RINGBUF_BUSY_BIT		= (1U << 31),
	BPF_RINGBUF_DISCARD_BIT		= (1U << 30),
	BPF_RINGBUF_HDR_SZ		= 8,
};

/* bpf_sk_assign() */
enum {
	BPF_SK_LOOKUP_F_REPLACE		= (1ULL << 0),
	BPF_SK_LOOKUP_F_NO_REUSEPORT	= (1ULL << 1),
};

/* Mode of bpf_skb_adjust_room() */
enum bpf_adj_room_mode {
	BPF_ADJ_ROOM_NET,
	BPF_ADJ_ROOM_MAC,
};

/* Mode of bpf_skb_load_bytes_relative() */
enum bpf_hdr_start_off {
	BPF_HDR_START_MAC,
	BPF_HDR_START_NET,
};

/* Encapsulation of bpf_lwt_push_encap() */
enum bpf_lwt_encap_mode {
	BPF_LWT_ENCAP_SEG6,
	BPF_LWT_ENCAP_SEG6_INLINE,
	BPF_LWT_ENCAP_IP,
};

/* bpf_bprm_opts_set() */
enum {
	BPF_F_BPRM_SECUREEXEC	= (1ULL << 0),
};

/* bpf_redirect_map() */
enum {
	BPF_F_BROADCAST		= (1ULL << 3),
	BPF_F_EXCLUDE_INGRESS	= (1ULL << 4),
};

/* Pointer members of context structures are 64 bits wide even on 32-bit hosts. */
#define __bpf_md_ptr(type, name)	\
union {					\
	type name;			\
	__u64 :64;			\
} __attribute__((aligned(8)))

/* Values of TC and socket programs: what happens to the packet. */
enum xdp_action {
	XDP_ABORTED = 0,
	XDP_DROP,
	XDP_PASS,
	XDP_TX,
	XDP_REDIRECT,
};

enum sk_action {
	SK_DROP = 0,
	SK_PASS,
};

/* The context of socket filters, TC classifiers and actions, cgroup_skb, lwt and sk_skb programs. */
struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;
	__u32 priority;
	__u32 ingress_ifindex;
	__u32 ifindex;
	__u32 tc_index;
	__u32 cb[5];
	__u32 hash;
	__u32 tc_classid;
	__u32 data;
	__u32 data_end;
	__u32 napi_id;
	/* Readable by sk_skb programs only: */
	__u32 family;
	__u32 remote_ip4;	/* network byte order */
	__u32 local_ip4;	/* network byte order */
	__u32 remote_ip6[4];	/* network byte order */
	__u32 local_ip6[4];	/* network byte order */
	__u32 remote_port;	/* network byte order */
	__u32 local_port;	/* host byte order */
	__u32 data_meta;
	__bpf_md_ptr(struct bpf_flow_keys *, flow_keys);
	__u64 tstamp;
	__u32 wire_len;
	__u32 gso_segs;
	__bpf_md_ptr(struct bpf_sock *, sk);
	__u32 gso_size;
	__u8  tstamp_type;
	__u32 :24;
	__u64 hwtstamp;
};

struct bpf_tunnel_key {
	__u32 tunnel_id;
	union {
		__u32 remote_ipv4;
		__u32 remote_ipv6[4];
	};
	__u8 tunnel_tos;
	__u8 tunnel_ttl;
	union {
		__u16 tunnel_ext;
		__be16 tunnel_flags;
	};
	__u32 tunnel_label;
	union {
		__u32 local_ipv4;
		__u32 local_ipv6[4];
	};
};

struct bpf_xfrm_state {
	__u32 reqid;
	__u32 spi;
	__u16 family;
	__u16 ext;
	union {
		__u32 remote_ipv4;
		__u32 remote_ipv6[4];
	};
};

struct bpf_sock {
	__u32 bound_dev_if;
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 mark;
	__u32 priority;
	__u32 src_ip4;
	__u32 src_ip6[4];
	__u32 src_port;		/* host byte order */
	__be16 dst_port;	/* network byte order */
	__u16 :16;
	__u32 dst_ip4;
	__u32 dst_ip6[4];
	__u32 state;
	__s32 rx_queue_mapping;
};

struct bpf_tcp_sock {
	__u32 snd_cwnd;
	__u32 srtt_us;
	__u32 rtt_min;
	__u32 snd_ssthresh;
	__u32 rcv_nxt;
	__u32 snd_nxt;
	__u32 snd_una;
	__u32 mss_cache;
	__u32 ecn_flags;
	__u32 rate_delivered;
	__u32 rate_interval_us;
	__u32 packets_out;
	__u32 retrans_out;
	__u32 total_retrans;
	__u32 segs_in;
	__u32 data_segs_in;
	__u32 segs_out;
	__u32 data_segs_out;
	__u32 lost_out;
	__u32 sacked_out;
	__u64 bytes_received;
	__u64 bytes_acked;
	__u32 dsack_dups;
	__u32 delivered;
	__u32 delivered_ce;
	__u32 icsk_retransmits;
};

struct bpf_sock_tuple {
	union {
		struct {
			__be32 saddr;
			__be32 daddr;
			__be16 sport;
			__be16 dport;
		} ipv4;
		struct {
			__be32 saddr[4];
			__be32 daddr[4];
			__be16 sport;
			__be16 dport;
		} ipv6;
	};
};

struct bpf_xdp_sock {
	__u32 queue_id;
};

/* The context of XDP programs. */
struct xdp_md {
	__u32 data;
	__u32 data_end;
	__u32 data_meta;
	__u32 ingress_ifindex;	/* rxq->dev->ifindex */
	__u32 rx_queue_index;	/* rxq->queue_index */
	__u32 egress_ifindex;	/* txq->dev->ifindex */
};

/* Values of DEVMAP and CPUMAP entries. */
struct bpf_devmap_val {
	__u32 ifindex;
	union {
		int fd;
		__u32 id;
	} bpf_prog;
};

struct bpf_cpumap_val {
	__u32 qsize;
	union {
		int fd;
		__u32 id;
	} bpf_prog;
};

/* The context of sk_msg programs. */
struct sk_msg_md {
	__bpf_md_ptr(void *, data);
	__bpf_md_ptr(void *, data_end);
	__u32 family;
	__u32 remote_ip4;
	__u32 local_ip4;
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;
	__u32 local_port;
	__u32 size;
	__bpf_md_ptr(struct bpf_sock *, sk);
};

/* The context of sk_reuseport programs. */
struct sk_reuseport_md {
	__bpf_md_ptr(void *, data);
	__bpf_md_ptr(void *, data_end);
	__u32 len;
	__u32 eth_protocol;
	__u32 ip_protocol;
	__u32 bind_inany;
	__u32 hash;
	__bpf_md_ptr(struct bpf_sock *, sk);
	__bpf_md_ptr(struct bpf_sock *, migrating_sk);
};

/* The context of cgroup_sock_addr programs (bind, connect, sendmsg, ...). */
struct bpf_sock_addr {
	__u32 user_family;
	__u32 user_ip4;
	__u32 user_ip6[4];
	__u32 user_port;
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 msg_src_ip4;
	__u32 msg_src_ip6[4];
	__bpf_md_ptr(struct bpf_sock *, sk);
};

/* The context of sock_ops programs. */
struct bpf_sock_ops {
	__u32 op;
	union {
		__u32 args[4];
		__u32 reply;
		__u32 replylong[4];
	};
	__u32 family;
	__u32 remote_ip4;
	__u32 local_ip4;
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;
	__u32 local_port;
	__u32 is_fullsock;
	__u32 snd_cwnd;
	__u32 srtt_us;
	__u32 bpf_sock_ops_cb_flags;
	__u32 state;
	__u32 rtt_min;
	__u32 snd_ssthresh;
	__u32 rcv_nxt;
	__u32 snd_nxt;
	__u32 snd_una;
	__u32 mss_cache;
	__u32 ecn_flags;
	__u32 rate_delivered;
	__u32 rate_interval_us;
	__u32 packets_out;
	__u32 retrans_out;
	__u32 total_retrans;
	__u32 segs_in;
	__u32 data_segs_in;
	__u32 segs_out;
	__u32 data_segs_out;
	__u32 lost_out;
	__u32 sacked_out;
	__u32 sk_txhash;
	__u64 bytes_received;
	__u64 bytes_acked;
	__bpf_md_ptr(struct bpf_sock *, sk);
	__bpf_md_ptr(void *, skb_data);
	__bpf_md_ptr(void *, skb_data_end);
	__u32 skb_len;
	__u32 skb_tcp_flags;
	__u64 skb_hwtstamp;
};

struct bpf_perf_event_value {
	__u64 counter;
	__u64 enabled;
	__u64 running;
};

/* The context of cgroup_device programs. */
struct bpf_cgroup_dev_ctx {
	__u32 access_type;	/* (access << 16) | type */
	__u32 major;
	__u32 minor;
};

/* The context of raw tracepoint programs: the tracepoint's arguments. */
struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

/* bpf_fib_lookup() */
enum {
	BPF_FIB_LOOKUP_DIRECT	= (1U << 0),
	BPF_FIB_LOOKUP_OUTPUT	= (1U << 1),
	BPF_FIB_LOOKUP_SKIP_NEIGH = (1U << 2),
	BPF_FIB_LOOKUP_TBID	= (1U << 3),
	BPF_FIB_LOOKUP_SRC	= (1U << 4),
	BPF_FIB_LOOKUP_MARK	= (1U << 5),
};

enum {
	BPF_FIB_LKUP_RET_SUCCESS,
	BPF_FIB_LKUP_RET_BLACKHOLE,
	BPF_FIB_LKUP_RET_UNREACHABLE,
	BPF_FIB_LKUP_RET_PROHIBIT,
	BPF_FIB_LKUP_RET_NOT_FWDED,
	BPF_FIB_LKUP_RET_FWD_DISABLED,
	BPF_FIB_LKUP_RET_UNSUPP_LWT,
	BPF_FIB_LKUP_RET_NO_NEIGH,
	BPF_FIB_LKUP_RET_FRAG_NEEDED,
	BPF_FIB_LKUP_RET_NO_SRC_ADDR,
};

struct bpf_fib_lookup {
	__u8 family;
	__u8 l4_protocol;
	__be16 sport;
	__be16 dport;
	union {
		__u16 tot_len;
		__u16 mtu_result;
	} __attribute__((packed, aligned(2)));
	__u32 ifindex;
	union {
		__u8 tos;
		__be32 flowinfo;
		__u32 rt_metric;
	};
	union {
		__be32 ipv4_src;
		__u32 ipv6_src[4];
	};
	union {
		__be32 ipv4_dst;
		__u32 ipv6_dst[4];
	};
	union {
		struct {
			__be16 h_vlan_proto;
			__be16 h_vlan_TCI;
		};
		__u32 tbid;
	};
	union {
		struct {
			__u32 mark;
		};
		struct {
			__u8 smac[6];
			__u8 dmac[6];
		};
	};
};

struct bpf_redir_neigh {
	__u32 nh_family;
	union {
		__be32 ipv4_nh;
		__u32 ipv6_nh[4];
	};
};

/* bpf_check_mtu() */
enum bpf_check_mtu_flags {
	BPF_MTU_CHK_SEGS = (1U << 0),
};

enum bpf_check_mtu_ret {
	BPF_MTU_CHK_RET_SUCCESS,
	BPF_MTU_CHK_RET_FRAG_NEEDED,
	BPF_MTU_CHK_RET_SEGS_TOOBIG,
};

/* What flow dissector programs fill in. */
enum {
	BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG	= (1U << 0),
	BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL	= (1U << 1),
	BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP	= (1U << 2),
};

struct bpf_flow_keys {
	__u16 nhoff;
	__u16 thoff;
	__u16 addr_proto;
	__u8 is_frag;
	__u8 is_first_frag;
	__u8 is_encap;
	__u8 ip_proto;
	__be16 n_proto;
	__be16 sport;
	__be16 dport;
	union {
		struct {
			__be32 ipv4_src;
			__be32 ipv4_dst;
		};
		struct {
			__u32 ipv6_src[4];
			__u32 ipv6_dst[4];
		};
	};
	__u32 flags;
	__be32 flow_label;
};

/* Opaque kernel objects that live in map values. */
struct bpf_spin_lock {
	__u32 val;
};

struct bpf_timer {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

struct bpf_wq {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

struct bpf_dynptr {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

struct bpf_list_head {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

struct bpf_list_node {
	__u64 __opaque[3];
} __attribute__((aligned(8)));

struct bpf_rb_root {
	__u64 __opaque[2];
} __attribute__((aligned(8)));

struct bpf_rb_node {
	__u64 __opaque[4];
} __attribute__((aligned(8)));

struct bpf_refcount {
	__u32 __opaque[1];
} __attribute__((aligned(4)));

/* The context of cgroup_sysctl programs. */
struct bpf_sysctl {
	__u32 write;
	__u32 file_pos;
};

/* The context of cgroup_sockopt programs. */
struct bpf_sockopt {
	__bpf_md_ptr(struct bpf_sock *, sk);
	__bpf_md_ptr(void *, optval);
	__bpf_md_ptr(void *, optval_end);
	__s32 level;
	__s32 optname;
	__s32 optlen;
	__s32 retval;
};

struct bpf_pidns_info {
	__u32 pid;
	__u32 tgid;
};

/* The context of sk_lookup programs. */
struct bpf_sk_lookup {
	union {
		__bpf_md_ptr(struct bpf_sock *, sk);
		__u64 cookie;
	};
	__u32 family;
	__u32 protocol;
	__u32 remote_ip4;
	__u32 remote_ip6[4];
	__be16 remote_port;
	__u16 :16;
	__u32 local_ip4;
	__u32 local_ip6[4];
	__u32 local_port;
	__u32 ingress_ifindex;
};

/* bpf_snprintf_btf() */
struct btf_ptr {
	void *ptr;
	__u32 type_id;
	__u32 flags;
};

enum {
	BTF_F_COMPACT	= (1ULL << 0),
	BTF_F_NONAME	= (1ULL << 1),
	BTF_F_PTR_RAW	= (1ULL << 2),
	BTF_F_ZERO	= (1ULL << 3),
};

/* TCP states as bpf_sock::state reports them. */
enum {
	BPF_TCP_ESTABLISHED = 1,
	BPF_TCP_SYN_SENT,
	BPF_TCP_SYN_RECV,
	BPF_TCP_FIN_WAIT1,
	BPF_TCP_FIN_WAIT2,
	BPF_TCP_TIME_WAIT,
	BPF_TCP_CLOSE,
	BPF_TCP_CLOSE_WAIT,
	BPF_TCP_LAST_ACK,
	BPF_TCP_LISTEN,
	BPF_TCP_CLOSING,
	BPF_TCP_NEW_SYN_RECV,
	BPF_TCP_BOUND_INACTIVE,
	BPF_TCP_MAX_STATES,
};

/* Open-coded numeric iterator state (bpf_iter_num_*). */
struct bpf_iter_num {
	__u64 __opaque[1];
} __attribute__((aligned(8)));

#endif
