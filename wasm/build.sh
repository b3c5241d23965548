#!/usr/bin/env bash
# Build clang.wasm: clang/LLVM 19.1.7 (Debian's llvm-toolchain-19 source
# package) cross-compiled to wasm32-wasi (preview 1 command) with only the BPF
# backend, using Debian's own clang-19, wasm-ld-19, wasi-libc and wasm32 libc++.
#
#   wasm/build.sh [STEP...]     steps: deps fetch unpack patch compat configure build dist
#                               (default: all of them, in that order)
#
# Everything large lives outside the repository, in $WORK (default
# /root/clang-wasm): the source tarball, the unpacked tree, the build directory
# and the outputs. Compiles go through ccache (cache in $CCACHE_DIR, default
# /root/.ccache), so an interrupted build resumes where it stopped. Each step
# is idempotent and can be rerun alone; `build` keeps going past failing
# translation units (ninja -k 0) so that one run reports every error.
#
# The result ($WORK/out/clang.wasm, stripped) is committed compressed as
# wasm/dist/clang.wasm.gz; CI never runs this script. See wasm/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="${WORK:-/root/clang-wasm}"
JOBS="${JOBS:-2}"
export CCACHE_DIR="${CCACHE_DIR:-/root/.ccache}"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-8G}"

DEB_VERSION="1:19.1.7-3~deb12u1"       # Debian bookworm's llvm-toolchain-19
ORIG="llvm-toolchain-19_19.1.7.orig.tar.xz"
ORIG_SHA256="ae498f3bc58ae2d9f64ef5f0c035c4240152bf015a5b7738b15c22e93bdc97ce"
SRC="$WORK/src/llvm-toolchain-19_19.1.7"
BUILD="$WORK/build"
OUT="$WORK/out"
SYSROOT="$WORK/sysroot"
COMPAT_LIB="$WORK/compat-lib"

log() { printf '[build.sh %(%H:%M:%S)T] %s\n' -1 "$*"; }
die() { log "error: $*"; exit 1; }

step_deps() {
  local missing=()
  for p in clang-19 lld-19 llvm-19 wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 \
           libclang-rt-19-dev-wasm32 cmake ninja-build ccache brotli dpkg-dev xz-utils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) || die "missing Debian packages: ${missing[*]} (apt-get install ${missing[*]})"
  # Debian's clang driver runs `wasm-opt -Os` after every optimised wasm link
  # when binaryen is on PATH: +10 minutes, 2.4 GB, and a binary V8 runs slower.
  if command -v wasm-opt >/dev/null; then
    die "wasm-opt (binaryen) is on PATH; remove it or run with a PATH without it"
  fi
  [[ -x /usr/bin/llvm-tblgen-19 && -x /usr/bin/clang-tblgen-19 ]] ||
    die "need Debian's llvm-tblgen-19 and clang-tblgen-19 (same 19.1.7 source) as host tablegens"
  log "deps ok"
}

step_fetch() {
  mkdir -p "$WORK/src"
  if [[ ! -f "$WORK/src/$ORIG" ]]; then
    if ! apt-cache showsrc llvm-toolchain-19 2>/dev/null | grep -q "^Version: $DEB_VERSION\$"; then
      log "adding a deb-src entry for bookworm main"
      cat > /etc/apt/sources.list.d/bpfplay-deb-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
      apt-get update -qq
    fi
    (cd "$WORK/src" && apt-get source --download-only "llvm-toolchain-19=$DEB_VERSION")
  fi
  local sum
  sum="$(sha256sum "$WORK/src/$ORIG" | cut -d' ' -f1)"
  log "$ORIG sha256 $sum"
  [[ "$sum" == "$ORIG_SHA256" ]] || die "unexpected checksum of $ORIG (expected $ORIG_SHA256)"
}

step_unpack() {
  if [[ -f "$SRC/.unpacked" ]]; then log "source already unpacked in $SRC"; return; fi
  log "unpacking llvm/ clang/ cmake/ third-party/ (no tests, docs, unittests)"
  (cd "$WORK/src" && tar -xJf "$ORIG" --wildcards \
      --exclude='*/test/*' --exclude='*/docs/*' --exclude='*/unittests/*' \
      'llvm-toolchain-19_19.1.7/llvm/*' 'llvm-toolchain-19_19.1.7/clang/*' \
      'llvm-toolchain-19_19.1.7/cmake/*' 'llvm-toolchain-19_19.1.7/third-party/*')
  touch "$SRC/.unpacked"
}

step_patch() {
  local p name
  for p in "$HERE"/patches/*.patch; do
    name="$(basename "$p")"
    if patch -d "$SRC" -p1 -R --dry-run -s -f < "$p" >/dev/null 2>&1; then
      log "patch $name: already applied"
    else
      log "patch $name"
      patch -d "$SRC" -p1 -N -s < "$p"
    fi
  done
}

step_compat() {
  # A sysroot holding exactly Debian's wasm32-wasi headers and libraries.
  mkdir -p "$SYSROOT/include" "$SYSROOT/lib" "$COMPAT_LIB"
  ln -sfn /usr/include/wasm32-wasi "$SYSROOT/include/wasm32-wasi"
  ln -sfn /usr/lib/wasm32-wasi "$SYSROOT/lib/wasm32-wasi"
  clang-19 --target=wasm32-unknown-wasi --sysroot="$SYSROOT" -Os -Wall -Wextra -Werror \
    -D_WASI_EMULATED_MMAN -D_WASI_EMULATED_PROCESS_CLOCKS \
    -c "$HERE/compat/src/wasi-libc-compat.c" -o "$COMPAT_LIB/wasi-libc-compat.o"
  rm -f "$COMPAT_LIB/libbpfplay-wasi-compat.a"
  llvm-ar-19 rcs "$COMPAT_LIB/libbpfplay-wasi-compat.a" "$COMPAT_LIB/wasi-libc-compat.o"
  log "compat library built"
}

step_configure() {
  if [[ -f "$BUILD/build.ninja" ]]; then log "already configured ($BUILD)"; return; fi
  mkdir -p "$BUILD"
  cmake -G Ninja -S "$SRC/llvm" -B "$BUILD" \
    -DCMAKE_TOOLCHAIN_FILE="$HERE/cmake/wasi-toolchain.cmake" \
    -DBPFPLAY_WASI_SYSROOT="$SYSROOT" \
    -DBPFPLAY_COMPAT_DIR="$HERE/compat" \
    -DBPFPLAY_COMPAT_LIBDIR="$COMPAT_LIB" \
    -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
    -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DLLVM_TARGETS_TO_BUILD=BPF -DLLVM_ENABLE_PROJECTS=clang \
    -DLLVM_HOST_TRIPLE=wasm32-unknown-wasi -DLLVM_DEFAULT_TARGET_TRIPLE=bpf \
    -DLLVM_TABLEGEN=/usr/bin/llvm-tblgen-19 -DCLANG_TABLEGEN=/usr/bin/clang-tblgen-19 \
    -DLLVM_NATIVE_TOOL_DIR=/usr/lib/llvm-19/bin \
    -DPACKAGE_VENDOR=Debian -DCLANG_VENDOR=Debian -DCLANG_REPOSITORY_STRING=3~deb12u1 \
    -DLLVM_APPEND_VC_REV=OFF \
    -DLLVM_ENABLE_THREADS=OFF -DLLVM_ENABLE_PIC=OFF \
    -DLLVM_ENABLE_PLUGINS=OFF -DCLANG_PLUGIN_SUPPORT=OFF \
    -DLLVM_ENABLE_ZLIB=OFF -DLLVM_ENABLE_ZSTD=OFF -DLLVM_ENABLE_LIBXML2=OFF \
    -DLLVM_ENABLE_TERMINFO=OFF -DLLVM_ENABLE_LIBEDIT=OFF -DLLVM_ENABLE_LIBPFM=OFF \
    -DLLVM_ENABLE_FFI=OFF -DLLVM_ENABLE_CURL=OFF -DLLVM_ENABLE_HTTPLIB=OFF \
    -DLLVM_ENABLE_BACKTRACES=OFF -DLLVM_ENABLE_CRASH_OVERRIDES=OFF \
    -DLLVM_ENABLE_UNWIND_TABLES=OFF -DLLVM_ENABLE_ASSERTIONS=OFF \
    -DLLVM_BUILD_LLVM_DYLIB=OFF -DLLVM_LINK_LLVM_DYLIB=OFF -DBUILD_SHARED_LIBS=OFF \
    -DLLVM_INCLUDE_TESTS=OFF -DLLVM_INCLUDE_EXAMPLES=OFF -DLLVM_INCLUDE_BENCHMARKS=OFF \
    -DLLVM_INCLUDE_DOCS=OFF -DLLVM_BUILD_DOCS=OFF -DLLVM_INCLUDE_UTILS=OFF \
    -DLLVM_ENABLE_BINDINGS=OFF -DLLVM_ENABLE_OCAMLDOC=OFF \
    -DLLVM_BUILD_TOOLS=OFF -DLLVM_BUILD_UTILS=OFF \
    -DCLANG_ENABLE_ARCMT=OFF -DCLANG_ENABLE_STATIC_ANALYZER=OFF \
    -DCLANG_INCLUDE_TESTS=OFF -DCLANG_INCLUDE_DOCS=OFF -DCLANG_BUILD_EXAMPLES=OFF \
    -DCLANG_ENABLE_BOOTSTRAP=OFF -DCLANG_LINK_CLANG_DYLIB=OFF \
    -DCLANG_TOOL_CLANG_REPL_BUILD=OFF
  log "configured"
}

step_build() {
  log "ninja -j$JOBS -k 0 clang (ccache: $CCACHE_DIR)"
  ccache -z >/dev/null
  local start=$SECONDS rc=0
  ninja -C "$BUILD" -j"$JOBS" -k 0 clang || rc=$?
  log "ninja finished rc=$rc after $(( (SECONDS - start) / 60 )) min"
  ccache -s | grep -Ei "hits|misses" || true
  return $rc
}

step_dist() {
  local raw
  raw="$(readlink -f "$BUILD/bin/clang.wasm")"
  [[ -f "$raw" ]] || die "no $BUILD/bin/clang.wasm; run the build step"
  mkdir -p "$OUT" "$HERE/dist"
  llvm-strip-19 --strip-all "$raw" -o "$OUT/clang.wasm"
  gzip -9 -n -c "$OUT/clang.wasm" > "$OUT/clang.wasm.gz"
  brotli -q 11 -f -c "$OUT/clang.wasm" > "$OUT/clang.wasm.br"
  cp "$OUT/clang.wasm.gz" "$HERE/dist/clang.wasm.gz"
  (cd "$OUT" && sha256sum clang.wasm > "$HERE/dist/clang.wasm.sha256")
  log "sizes: raw(unstripped) $(stat -c%s "$raw") stripped $(stat -c%s "$OUT/clang.wasm")" \
      "gzip-9 $(stat -c%s "$OUT/clang.wasm.gz") brotli-11 $(stat -c%s "$OUT/clang.wasm.br")"
  log "wrote wasm/dist/clang.wasm.gz and wasm/dist/clang.wasm.sha256"
}

steps=("$@")
((${#steps[@]})) || steps=(deps fetch unpack patch compat configure build dist)
for s in "${steps[@]}"; do
  declare -F "step_$s" >/dev/null || die "unknown step '$s'"
  "step_$s"
done
