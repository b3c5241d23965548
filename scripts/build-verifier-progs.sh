#!/usr/bin/env bash
# Builds test/verifier/progs/*.bpf.c into test/verifier/progs/obj/*.o with Debian's
# native clang-19 and libbpf-dev headers: programs for the verifier's differential tests
# (callbacks, timers, global functions, spin locks, snprintf). The objects are committed.
set -euo pipefail
cd "$(dirname "$0")/../test/verifier/progs"
mkdir -p obj
for src in *.bpf.c; do
  clang-19 --target=bpf -O2 -g -D__TARGET_ARCH_x86 -I /usr/include/x86_64-linux-gnu -c "$src" -o "obj/${src%.bpf.c}.o"
done
echo "built $(ls obj/*.o | wc -l) objects"
