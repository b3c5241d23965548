#!/usr/bin/env bash
# Records real verifier logs from this machine's kernel for the kernel-log parser
# (src/core/trace/kernel-log.ts), in the three forms users paste:
#   test/golden/kernel-logs/NAME.l1.log / .l2.log   the verifier log of kbpf at log level 1 / 2 (.gz when large)
#   test/golden/kernel-logs/NAME.meta.json          kbpf's verdict and statistics for the level-2 load
#   test/golden/kernel-logs/NAME.bpftool.txt        `bpftool -d prog load` output (libbpf debug + log)
#   test/golden/kernel-logs/NAME.kbpf.json          kbpf's JSON (the verifier_log field is the log)
# Objects come from test/progs/obj; raw programs from test/golden/kernel-logs/src/*.s
# (assembled with `bpfplay asm`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/test/golden/kernel-logs"
kbpf=${KBPF:-/tmp/kbpf/kbpf}
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

record() { # name, kbpf input args...
  local name=$1; shift
  for lvl in 1 2; do
    "$kbpf" verify "$@" --log-level $lvl --compact > "$tmp/$name.$lvl.json" || true
    # ELF input gives a list of programs, raw input one object.
    jq -r 'if type == "array" then .[0] else . end | .verifier_log' "$tmp/$name.$lvl.json" > "$out/$name.l$lvl.log"
  done
  jq 'if type == "array" then .[0] else . end | {accepted, errno, errno_name, prog_type, insn_cnt, processed_insns, verifier_stats}' \
    "$tmp/$name.2.json" > "$out/$name.meta.json"
}

for o in reject_null_deref reject_pkt_bounds reject_uninit_reg reject_map_oob xdp_count_proto subprog_calls loop_sum bpf_loop_cb socket_ipv4_only tc_rewrite_ttl; do
  record "$o" --elf "$root/test/progs/obj/$o.o"
done
for s in "$out"/src/*.s; do
  name=$(basename "$s" .s)
  node "$root/bin/bpfplay.mjs" asm "$s" -o "$tmp/$name.full.json"
  jq '{insns}' "$tmp/$name.full.json" > "$tmp/$name.json"
  type=$(awk '/^\.section/ {print $2; exit}' "$s")
  case "$type" in socket) type=socket_filter ;; esac
  record "$name" --insns "$tmp/$name.json" --type "$type"
done

# The same kind of log as bpftool -d shows it, and as kbpf's JSON.
for o in reject_pkt_bounds subprog_calls; do
  bpftool -d prog load "$root/test/progs/obj/$o.o" "/sys/fs/bpf/bpfplay_rec_$o" > "$out/$o.bpftool.txt" 2>&1 || true
  rm -f "/sys/fs/bpf/bpfplay_rec_$o"
done
"$kbpf" verify --elf "$root/test/progs/obj/reject_null_deref.o" --log-level 2 > "$out/reject_null_deref.kbpf.json" || true

# Logs over 256 KB are kept gzipped (the loop's is megabytes of very repetitive text).
for f in "$out"/*.log; do
  if [ "$(stat -c %s "$f")" -gt 262144 ]; then gzip -9 -f "$f"; else rm -f "$f.gz"; fi
done

echo "recorded on $(uname -r) with $("$kbpf" version | head -1) and $(bpftool version | head -1)"
