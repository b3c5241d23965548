/* bpfplay: <stdbool.h>. */
#ifndef __BPFPLAY_STDBOOL_H
#define __BPFPLAY_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#endif
