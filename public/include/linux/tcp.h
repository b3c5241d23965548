/* bpfplay: the TCP header (<linux/tcp.h>), little-endian bit order. */
#ifndef __BPFPLAY_LINUX_TCP_H
#define __BPFPLAY_LINUX_TCP_H
#include <linux/types.h>

struct tcphdr {
	__be16	source;
	__be16	dest;
	__be32	seq;
	__be32	ack_seq;
	__u16	ae:1,	/* AccECN, Linux 6.x */
		res1:3,
		doff:4,
		fin:1,
		syn:1,
		rst:1,
		psh:1,
		ack:1,
		urg:1,
		ece:1,
		cwr:1;
	__be16	window;
	__sum16	check;
	__be16	urg_ptr;
};

#define TCP_FLAG_CWR	0x00800000	/* in the fourth 32-bit word, network order */
#define TCP_FLAG_ECE	0x00400000
#define TCP_FLAG_URG	0x00200000
#define TCP_FLAG_ACK	0x00100000
#define TCP_FLAG_PSH	0x00080000
#define TCP_FLAG_RST	0x00040000
#define TCP_FLAG_SYN	0x00020000
#define TCP_FLAG_FIN	0x00010000

#endif
