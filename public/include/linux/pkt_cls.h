/* bpfplay: traffic-control verdicts (<linux/pkt_cls.h>), what tc programs return. */
#ifndef __BPFPLAY_LINUX_PKT_CLS_H
#define __BPFPLAY_LINUX_PKT_CLS_H
#include <linux/types.h>

#define TC_ACT_UNSPEC		(-1)
#define TC_ACT_OK		0
#define TC_ACT_RECLASSIFY	1
#define TC_ACT_SHOT		2
#define TC_ACT_PIPE		3
#define TC_ACT_STOLEN		4
#define TC_ACT_QUEUED		5
#define TC_ACT_REPEAT		6
#define TC_ACT_REDIRECT		7
#define TC_ACT_TRAP		8
#define TC_ACT_VALUE_MAX	TC_ACT_TRAP

#define TC_H_MAJ_MASK		(0xFFFF0000U)
#define TC_H_MIN_MASK		(0x0000FFFFU)
#define TC_H_MAJ(h)		((h) & TC_H_MAJ_MASK)
#define TC_H_MIN(h)		((h) & TC_H_MIN_MASK)
#define TC_H_MAKE(maj, min)	(((maj) & TC_H_MAJ_MASK) | ((min) & TC_H_MIN_MASK))
#define TC_H_UNSPEC		(0U)
#define TC_H_ROOT		(0xFFFFFFFFU)
#define TC_H_INGRESS		(0xFFFFFFF1U)
#define TC_H_CLSACT		TC_H_INGRESS
#define TC_H_MIN_INGRESS	0xFFF2U
#define TC_H_MIN_EGRESS		0xFFF3U

#endif
