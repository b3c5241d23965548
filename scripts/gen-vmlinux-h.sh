#!/usr/bin/env bash
# Generates public/vmlinux/vmlinux.h.gz: every type of the running kernel (Linux 6.18 on the
# project's machines) as C, from its BTF, for programs that `#include "vmlinux.h"`.
# The compiler loads it only when a file includes it. Records which kernel it came from.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/public/vmlinux"
mkdir -p "$out"
bpftool btf dump file /sys/kernel/btf/vmlinux format c | gzip -9n > "$out/vmlinux.h.gz"
uname -r > "$out/KERNEL"
ls -l "$out"
