/* bpfplay: the ICMP header (<linux/icmp.h>). */
#ifndef __BPFPLAY_LINUX_ICMP_H
#define __BPFPLAY_LINUX_ICMP_H
#include <linux/types.h>

#define ICMP_ECHOREPLY		0
#define ICMP_DEST_UNREACH	3
#define ICMP_SOURCE_QUENCH	4
#define ICMP_REDIRECT		5
#define ICMP_ECHO		8
#define ICMP_TIME_EXCEEDED	11
#define ICMP_PARAMETERPROB	12
#define ICMP_TIMESTAMP		13
#define ICMP_TIMESTAMPREPLY	14
#define ICMP_FRAG_NEEDED	4	/* code of ICMP_DEST_UNREACH */

struct icmphdr {
	__u8		type;
	__u8		code;
	__sum16		checksum;
	union {
		struct {
			__be16	id;
			__be16	sequence;
		} echo;
		__be32	gateway;
		struct {
			__be16	__unused;
			__be16	mtu;
		} frag;
		__u8	reserved[4];
	} un;
};

#endif
