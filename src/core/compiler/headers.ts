/**
 * bpfplay's headers as clang sees them: `public/include/<path>` is `/usr/include/<path>`
 * in the compiler's file system, and `public/vmlinux/vmlinux.h.gz` (the 6.18 kernel's
 * types, 2.8 MB) is `/usr/include/vmlinux.h`, provided only when a source includes it.
 * The browser fetches these (relative to the site root) before its first compile; the
 * CLI reads them from the repository. headers.test.ts checks the list against the
 * directory.
 */

/** Where the headers are served from, relative to the site root (and `public/`). */
export const INCLUDE_DIR = 'include';
export const VMLINUX_H_GZ = 'vmlinux/vmlinux.h.gz';
/** The kernel the vmlinux.h types are of (`public/vmlinux/KERNEL`). */
export const VMLINUX_KERNEL = 'vmlinux/KERNEL';

/** Every header under public/include, relative to it. */
export const HEADER_FILES: readonly string[] = [
  'asm/bpf_perf_event.h',
  'asm/byteorder.h',
  'asm/ptrace.h',
  'asm/types.h',
  'bpf/bpf_core_read.h',
  'bpf/bpf_endian.h',
  'bpf/bpf_helper_defs.h',
  'bpf/bpf_helpers.h',
  'bpf/bpf_tracing.h',
  'linux/bpf.h',
  'linux/bpf_common.h',
  'linux/bpf_enums.h',
  'linux/bpf_perf_event.h',
  'linux/icmp.h',
  'linux/icmpv6.h',
  'linux/if_ether.h',
  'linux/if_packet.h',
  'linux/in.h',
  'linux/in6.h',
  'linux/ip.h',
  'linux/ipv6.h',
  'linux/pkt_cls.h',
  'linux/ptrace.h',
  'linux/stddef.h',
  'linux/tcp.h',
  'linux/types.h',
  'linux/udp.h',
  'stdarg.h',
  'stdbool.h',
  'stddef.h',
  'stdint.h',
];
