/* bpfplay: the IPv4 header (<linux/ip.h>), little-endian bit order. */
#ifndef __BPFPLAY_LINUX_IP_H
#define __BPFPLAY_LINUX_IP_H
#include <linux/types.h>
#include <linux/stddef.h>

#define IPTOS_TOS_MASK		0x1E
#define IPTOS_TOS(tos)		((tos) & IPTOS_TOS_MASK)
#define IPVERSION		4
#define MAXTTL			255
#define IPDEFTTL		64
#define IP_DF			0x4000	/* in frag_off, host order */
#define IP_MF			0x2000
#define IP_OFFSET		0x1FFF

struct iphdr {
	__u8	ihl:4,
		version:4;
	__u8	tos;
	__be16	tot_len;
	__be16	id;
	__be16	frag_off;
	__u8	ttl;
	__u8	protocol;
	__sum16	check;
	__struct_group(/* no tag */, addrs, /* no attrs */,
		__be32	saddr;
		__be32	daddr;
	);
};

#endif
