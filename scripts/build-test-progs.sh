#!/usr/bin/env bash
# Builds test/progs/*.bpf.c into test/progs/obj/*.o with Debian's native clang-19 and
# Debian's libbpf-dev / linux-libc-dev headers: the reference objects the loader, VM,
# verifier and listing tests use. The objects are committed; CI does not rebuild them.
# A program's first line may name extra flags, e.g. "-mcpu=v4".
# vmlinux.h for CO-RE programs is the one bpfplay ships (public/vmlinux/vmlinux.h.gz,
# generated from the 6.18 kernel's BTF by scripts/gen-vmlinux-h.sh).
set -euo pipefail
cd "$(dirname "$0")/../test/progs"
mkdir -p obj include
gunzip -c ../../public/vmlinux/vmlinux.h.gz > include/vmlinux.h
for src in *.bpf.c; do
  name=${src%.bpf.c}
  extra=$(head -n1 "$src" | grep -oE -- '-mcpu=v[0-9]' || true)
  clang-19 --target=bpf -O2 -g $extra -D__TARGET_ARCH_x86 \
    -I include -I /usr/include/x86_64-linux-gnu \
    -c "$src" -o "obj/$name.o"
done
echo "built $(ls obj/*.o | wc -l) objects"
