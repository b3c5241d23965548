/* bpfplay: the IPv6 header (<linux/ipv6.h>), little-endian bit order. */
#ifndef __BPFPLAY_LINUX_IPV6_H
#define __BPFPLAY_LINUX_IPV6_H
#include <linux/types.h>
#include <linux/in6.h>
#include <linux/stddef.h>

#define IPV6_MIN_MTU	1280

struct ipv6hdr {
	__u8	priority:4,
		version:4;
	__u8	flow_lbl[3];
	__be16	payload_len;
	__u8	nexthdr;
	__u8	hop_limit;
	__struct_group(/* no tag */, addrs, /* no attrs */,
		struct in6_addr saddr;
		struct in6_addr daddr;
	);
};

struct ipv6_opt_hdr {
	__u8 nexthdr;
	__u8 hdrlen;
} __attribute__((packed));

#endif
