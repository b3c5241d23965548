#!/usr/bin/env bash
# Records llvm-objdump-19's listings of the committed test objects (test/progs/obj/*.o)
# as golden files for the llvm-syntax disassembler:
#   test/golden/llvm-objdump/NAME.txt     llvm-objdump-19 -d --no-show-raw-insn NAME.o
#   test/golden/llvm-objdump/NAME.raw.txt llvm-objdump-19 -d --mcpu=v4 NAME.o
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/test/progs/obj"
for o in *.o; do
  n=${o%.o}
  llvm-objdump-19 -d --no-show-raw-insn "$o" > "$root/test/golden/llvm-objdump/$n.txt"
  llvm-objdump-19 -d --mcpu=v4 "$o" > "$root/test/golden/llvm-objdump/$n.raw.txt"
done
echo "recorded $(ls "$root"/test/golden/llvm-objdump/*.txt | wc -l) files"
