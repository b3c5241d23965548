# Cross-compiling LLVM/clang to wasm32-wasi (preview 1 "command") with
# Debian's clang-19, wasm-ld-19, wasi-libc and the wasm32 libc++/libc++abi.
#
# Expects (set by build.sh, passed with -D):
#   BPFPLAY_WASI_SYSROOT  dir with include/wasm32-wasi and lib/wasm32-wasi
#                         (symlinks to Debian's /usr/include/wasm32-wasi and
#                         /usr/lib/wasm32-wasi: without an explicit sysroot the
#                         Debian driver also searches the host's /usr/include)
#   BPFPLAY_COMPAT_DIR    wasm/compat (no-threads headers) 
#   BPFPLAY_COMPAT_LIBDIR dir holding libbpfplay-wasi-compat.a (link stubs)
set(CMAKE_SYSTEM_NAME WASI)
set(CMAKE_SYSTEM_VERSION 1)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

# try_compile() projects re-read this file; forward our variables to them.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES
  BPFPLAY_WASI_SYSROOT BPFPLAY_COMPAT_DIR BPFPLAY_COMPAT_LIBDIR)

set(triple wasm32-unknown-wasi)
set(CMAKE_C_COMPILER clang-19)
set(CMAKE_CXX_COMPILER clang++-19)
set(CMAKE_C_COMPILER_TARGET ${triple})
set(CMAKE_CXX_COMPILER_TARGET ${triple})
set(CMAKE_AR llvm-ar-19 CACHE FILEPATH "")
set(CMAKE_RANLIB llvm-ranlib-19 CACHE FILEPATH "")
set(CMAKE_SYSROOT "${BPFPLAY_WASI_SYSROOT}")

# wasi-libc's emulation layers for mmap/signal/clock()/getpid(), each of which
# must be opted into with a define and a library.
set(emul "-D_WASI_EMULATED_MMAN -D_WASI_EMULATED_SIGNAL -D_WASI_EMULATED_PROCESS_CLOCKS -D_WASI_EMULATED_GETPID")
set(CMAKE_C_FLAGS_INIT "${emul}")
# The no-threads stand-ins must shadow libc++'s own <mutex> & co.
set(CMAKE_CXX_FLAGS_INIT "${emul} -isystem ${BPFPLAY_COMPAT_DIR}/include")

set(libs "-L${BPFPLAY_COMPAT_LIBDIR} -lbpfplay-wasi-compat -lwasi-emulated-mman -lwasi-emulated-signal -lwasi-emulated-process-clocks -lwasi-emulated-getpid")
set(CMAKE_C_STANDARD_LIBRARIES "${libs}" CACHE STRING "")
set(CMAKE_CXX_STANDARD_LIBRARIES "${libs}" CACHE STRING "")
# clang's parser recurses deeply: 8 MiB of shadow stack (the default is 64 KiB);
# linear memory may grow to the full 4 GiB of wasm32.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-z,stack-size=8388608 -Wl,--max-memory=4294967296")

set(CMAKE_FIND_ROOT_PATH "${BPFPLAY_WASI_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
