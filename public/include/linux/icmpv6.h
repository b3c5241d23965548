/* bpfplay: the ICMPv6 header (<linux/icmpv6.h>), the common part. */
#ifndef __BPFPLAY_LINUX_ICMPV6_H
#define __BPFPLAY_LINUX_ICMPV6_H
#include <linux/types.h>

#define ICMPV6_DEST_UNREACH	1
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define ICMPV6_PARAMPROB	4
#define ICMPV6_ECHO_REQUEST	128
#define ICMPV6_ECHO_REPLY	129

struct icmp6hdr {
	__u8	icmp6_type;
	__u8	icmp6_code;
	__sum16	icmp6_cksum;
	union {
		__be32	un_data32[1];
		__be16	un_data16[2];
		__u8	un_data8[4];
	} icmp6_dataun;
};

#endif
