#!/usr/bin/env bash
# Generates the kernel data bpfplay ships for "Linux 6.18" (served to the browser from
# public/, read from the same files by the Node CLI and tests):
#   public/kernel/6.18/vmlinux.btf.gz  the running kernel's BTF (/sys/kernel/btf/vmlinux):
#                                      CO-RE target, kfunc and typed ksym resolution
#   public/kernel/6.18/config.gz       its Kconfig (/proc/config.gz) without comments:
#                                      values of CONFIG_* __kconfig externs, as libbpf reads them
#   public/kernel/6.18/kernel.json     uname release and LINUX_KERNEL_VERSION as libbpf computes it
# gzip -n: no name or timestamp, so the files only change when the kernel does.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/public/kernel/6.18"
mkdir -p "$out"
release=$(uname -r)
case "$release" in 6.18.*) ;; *) echo "warning: running kernel is $release, not 6.18" >&2 ;; esac
gzip -9n < /sys/kernel/btf/vmlinux > "$out/vmlinux.btf.gz"
zcat /proc/config.gz | grep -v '^#' | grep -v '^$' | gzip -9n > "$out/config.gz"
# libbpf get_kernel_version(): "%u.%u.%u" of the release -> KERNEL_VERSION(a, b, min(c, 255))
IFS=. read -r a b c _ <<< "${release%%-*}.0"
printf '{\n  "release": "%s",\n  "linux_kernel_version": %d\n}\n' "$release" $(( (a << 16) + (b << 8) + (c > 255 ? 255 : c) )) > "$out/kernel.json"
ls -l "$out"
echo "vmlinux BTF: $(stat -c %s /sys/kernel/btf/vmlinux) bytes raw, $(stat -c %s "$out/vmlinux.btf.gz") gzipped"
