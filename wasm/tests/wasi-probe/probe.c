/* A tiny WASI program doing the file-system calls clang.wasm makes for
 * `clang -c /src/x.c -o /out/x.o`: stat, open+read an absolute path, list a
 * directory, write a temporary file, rename it over the output, unlink,
 * getcwd, clock and random. Each step prints "ok" or the errno text, so the
 * same binary can be run under different WASI runtimes and compared. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int step(const char *what, int ok) {
  printf("%-28s %s\n", what, ok ? "ok" : strerror(errno));
  return ok;
}

int main(int argc, char **argv) {
  char buf[256];
  struct stat st;
  printf("argv[0]=%s argc=%d HOME=%s\n", argv[0], argc, getenv("HOME") ? getenv("HOME") : "(unset)");

  step("stat /src/x.c", stat("/src/x.c", &st) == 0 && S_ISREG(st.st_mode));
  int fd = open("/src/x.c", O_RDONLY);
  if (step("open /src/x.c", fd >= 0)) {
    ssize_t n = read(fd, buf, sizeof buf - 1);
    step("read /src/x.c", n > 0);
    step("lseek", lseek(fd, 0, SEEK_SET) == 0);
    close(fd);
  }
  step("open missing -> ENOENT", open("/src/missing.h", O_RDONLY) < 0 && errno == ENOENT);

  DIR *d = opendir("/src");
  if (step("opendir /src", d != NULL)) {
    int n = 0, typed = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
      n++;
      if (!strcmp(e->d_name, "x.c") && e->d_type == DT_REG) typed = 1;
    }
    closedir(d);
    step("readdir finds x.c as DT_REG", typed && n >= 1);
  }

  int out = open("/out/x.o-1a2b3c", O_WRONLY | O_CREAT | O_EXCL, 0666);
  if (step("create /out/x.o-1a2b3c", out >= 0)) {
    step("write", write(out, "ELF-ish", 7) == 7);
    close(out);
    step("rename -> /out/x.o", rename("/out/x.o-1a2b3c", "/out/x.o") == 0);
    step("stat /out/x.o size 7", stat("/out/x.o", &st) == 0 && st.st_size == 7);
  }
  /* How raw_fd_ostream writes an object: several small writes, then pwrite
   * to patch the header. Read the file back and check every byte. */
  out = open("/out/pattern", O_RDWR | O_CREAT | O_TRUNC, 0666);
  if (step("create /out/pattern", out >= 0)) {
    char a[2] = {'A', 'B'}, b[3] = {'C', 'D', 'E'}, c[1] = {'F'};
    struct iovec iov[2] = {{a, 2}, {b, 3}};
    step("write 2 bytes", write(out, a, 2) == 2);
    step("write 1 byte", write(out, c, 1) == 1);
    step("writev 2+3 bytes", writev(out, iov, 2) == 5);
    step("pwrite 1 byte at 0", pwrite(out, "Z", 1, 0) == 1);
    step("lseek 0 + write 1 at 1", lseek(out, 1, SEEK_SET) == 1 && write(out, "Y", 1) == 1);
    close(out);
    char got[16] = {0};
    int in = open("/out/pattern", O_RDONLY);
    ssize_t n = in >= 0 ? read(in, got, sizeof got) : -1;
    if (in >= 0) close(in);
    errno = EIO;
    step("content is ZYFABCDE (8 bytes)", n == 8 && !memcmp(got, "ZYFABCDE", 8));
    printf("  read back %zd bytes: ", n);
    for (ssize_t i = 0; i < n; i++) printf("%c", got[i] ? got[i] : '.');
    printf("\n");
  }
  out = open("/out/gone", O_WRONLY | O_CREAT, 0666);
  if (out >= 0) close(out);
  step("unlink /out/gone", unlink("/out/gone") == 0);
  step("mkdir /out/sub", mkdir("/out/sub", 0777) == 0);

  step("getcwd", getcwd(buf, sizeof buf) != NULL);
  printf("cwd=%s\n", buf);
  struct timespec ts;
  step("clock_gettime", clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 0);
  unsigned char r[16];
  step("getentropy", getentropy(r, sizeof r) == 0);
  fprintf(stderr, "probe: done (stderr)\n");
  return 3;
}
