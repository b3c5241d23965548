/* bpfplay: Ethernet frames (<linux/if_ether.h>): header, lengths, EtherTypes. */
#ifndef __BPFPLAY_LINUX_IF_ETHER_H
#define __BPFPLAY_LINUX_IF_ETHER_H
#include <linux/types.h>

#define ETH_ALEN	6
#define ETH_TLEN	2
#define ETH_HLEN	14
#define ETH_ZLEN	60
#define ETH_DATA_LEN	1500
#define ETH_FRAME_LEN	1514
#define ETH_FCS_LEN	4
#define ETH_MIN_MTU	68
#define ETH_MAX_MTU	0xFFFFU

/* EtherTypes (host order; compare with bpf_htons(ETH_P_IP)). */
#define ETH_P_LOOP	0x0060
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_RARP	0x8035
#define ETH_P_8021Q	0x8100
#define ETH_P_IPX	0x8137
#define ETH_P_IPV6	0x86DD
#define ETH_P_PAUSE	0x8808
#define ETH_P_SLOW	0x8809
#define ETH_P_MPLS_UC	0x8847
#define ETH_P_MPLS_MC	0x8848
#define ETH_P_PPP_DISC	0x8863
#define ETH_P_PPP_SES	0x8864
#define ETH_P_8021AD	0x88A8
#define ETH_P_802_EX1	0x88B5
#define ETH_P_LLDP	0x88CC
#define ETH_P_MACSEC	0x88E5
#define ETH_P_8021AH	0x88E7
#define ETH_P_1588	0x88F7
#define ETH_P_TIPC	0x88CA
#define ETH_P_NSH	0x894F
#define ETH_P_802_3_MIN	0x0600
#define ETH_P_802_3	0x0001
#define ETH_P_ALL	0x0003
#define ETH_P_802_2	0x0004

struct ethhdr {
	unsigned char	h_dest[ETH_ALEN];
	unsigned char	h_source[ETH_ALEN];
	__be16		h_proto;
} __attribute__((packed));

#endif
