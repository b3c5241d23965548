#!/usr/bin/env bash
# Records bpftool's C rendering of each test object's BTF, the reference for the BTF C
# printer (src/core/btf/format-c.ts):
#   test/golden/btf-c/NAME.h   bpftool btf dump file test/progs/obj/NAME.o format c
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/test/golden/btf-c"
cd "$root/test/progs/obj"
for o in *.o; do
  bpftool btf dump file "$o" format c > "$root/test/golden/btf-c/${o%.o}.h"
done
echo "recorded $(ls "$root"/test/golden/btf-c/*.h | wc -l) files with $(bpftool version | head -1)"
