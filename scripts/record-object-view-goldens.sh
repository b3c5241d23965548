#!/usr/bin/env bash
# Records the references for the playground's object views (src/core/btf/format-raw.ts,
# src/ui/object/inspect.ts):
#   test/golden/btf-raw/NAME.txt   bpftool btf dump file test/progs/obj/NAME.o        (format raw)
#   test/golden/readelf/NAME.txt   llvm-readelf-19 -S -s -r --wide test/progs/obj/NAME.o, without the
#                                  relocation lists of .rel.debug_* sections (DWARF, not shown)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/test/golden/btf-raw" "$root/test/golden/readelf"
cd "$root/test/progs/obj"
for o in *.o; do
  bpftool btf dump file "$o" > "$root/test/golden/btf-raw/${o%.o}.txt"
done
for o in globals.o subprog_calls.o xdp_count_proto.o map_in_map.o core_task.o; do
  llvm-readelf-19 -S -s -r --wide "$o" \
    | awk '/^Relocation section /{skip = ($3 ~ /^.\.rel\.debug_/)} /^$/{skip = 0} !skip' \
    > "$root/test/golden/readelf/${o%.o}.txt"
done
echo "recorded with $(bpftool version | head -1) and $(llvm-readelf-19 --version | grep -m1 version)"
