/*
 * Link stubs for functions that bookworm's wasi-libc declares in its headers
 * but does not implement (they are absent from libc.a), yet LLVM's Support
 * library references. None of them can do anything meaningful in a WASI
 * preview 1 sandbox: each reports failure the way POSIX allows, or succeeds
 * when doing nothing is the correct result.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>     /* needs -D_WASI_EMULATED_MMAN */
#include <sys/resource.h> /* needs -D_WASI_EMULATED_PROCESS_CLOCKS */
#include <unistd.h>

/* Declared by wasi-libc (with an incomplete type: WASI has no limits). */
struct rlimit;

/* There is no host name in the sandbox. */
int gethostname(char *name, size_t len) {
  static const char host[] = "wasi";
  if (len < sizeof host) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(name, host, sizeof host);
  return 0;
}

/* No resource limits exist to read or change. */
int getrlimit(int resource, struct rlimit *rl) {
  (void)resource;
  (void)rl;
  errno = ENOSYS;
  return -1;
}

int setrlimit(int resource, const struct rlimit *rl) {
  (void)resource;
  (void)rl;
  errno = ENOSYS;
  return -1;
}

/* Linear memory has no page protections: the memory is already readable and
 * writable, which is what LLVM asks for. Executable mappings are impossible. */
int mprotect(void *addr, size_t len, int prot) {
  (void)addr;
  (void)len;
  if (prot & PROT_EXEC) {
    errno = ENOTSUP;
    return -1;
  }
  return 0;
}

/* wasi-emulated-mman copies files into memory; there is nothing to flush
 * back for the read-only mappings LLVM makes. */
int msync(void *addr, size_t len, int flags) {
  (void)addr;
  (void)len;
  (void)flags;
  return 0;
}

/* Advice may always be ignored. */
int madvise(void *addr, size_t len, int advice) {
  (void)addr;
  (void)len;
  (void)advice;
  return 0;
}

int posix_madvise(void *addr, size_t len, int advice) {
  (void)addr;
  (void)len;
  (void)advice;
  return 0;
}
