/**
 * Where `bpfplay compile` gets clang.wasm and the headers: the repository on disk.
 *
 * clang.wasm is committed gzipped (wasm/dist/clang.wasm.gz, 15.9 MB); inflating it takes
 * about half a second, so the inflated module is kept under node_modules/.cache/bpfplay
 * (or $BPFPLAY_CACHE_DIR), named by its sha256, and read from there next time.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { HeaderSet } from '../../core/compiler/clang';
import { HEADER_FILES, INCLUDE_DIR, VMLINUX_H_GZ } from '../../core/compiler/headers';
import type { HostLookup } from '../../core/compiler/wasi';
import type { CompilerEnv, PrepareResult } from '../../workers/compiler-service';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLANG_WASM_GZ = join(REPO_ROOT, 'wasm/dist/clang.wasm.gz');
const CLANG_WASM_SHA256 = join(REPO_ROOT, 'wasm/dist/clang.wasm.sha256');

export function cacheDir(): string {
  return process.env.BPFPLAY_CACHE_DIR || join(REPO_ROOT, 'node_modules/.cache/bpfplay');
}

/** The inflated size gzip records in its last four bytes (the file is far below 4 GiB). */
function gzipInflatedSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, statSync(path).size - 4);
    return tail.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

/** clang.wasm's bytes: from the cache when it holds this version, else inflated (and cached). */
export function readClangWasm(): { bytes: Uint8Array; source: PrepareResult['source'] } {
  if (!existsSync(CLANG_WASM_GZ)) throw new Error(`${CLANG_WASM_GZ} is missing (it is committed: is this a full checkout?)`);
  const sha = readFileSync(CLANG_WASM_SHA256, 'utf8').trim().split(/\s+/)[0];
  const cached = join(cacheDir(), `clang-${sha.slice(0, 16)}.wasm`);
  const size = gzipInflatedSize(CLANG_WASM_GZ);
  try {
    if (statSync(cached).size === size) return { bytes: new Uint8Array(readFileSync(cached)), source: 'cache' };
  } catch { /* not cached yet */ }
  const bytes = new Uint8Array(gunzipSync(readFileSync(CLANG_WASM_GZ)));
  try {
    mkdirSync(cacheDir(), { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, cached);
  } catch { /* a read-only tree: inflate every time */ }
  return { bytes, source: 'network' };
}

/** Our headers, read from public/ as the browser fetches them. */
export function readHeaders(vmlinux: boolean): HeaderSet {
  const files = new Map<string, Uint8Array>();
  for (const h of HEADER_FILES) files.set(h, new Uint8Array(readFileSync(join(REPO_ROOT, 'public', INCLUDE_DIR, h))));
  return vmlinux
    ? { files, vmlinux: new Uint8Array(gunzipSync(readFileSync(join(REPO_ROOT, 'public', VMLINUX_H_GZ)))) }
    : { files };
}

/** Largest host file clang may read (a BPF source or header is kilobytes; vmlinux.h is 3 MB). */
export const MAX_HOST_FILE = 64 * 1024 * 1024;

/** The host's files as clang asks for them (include directories, the sources). */
export const hostLookup: HostLookup = (path) => {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return { kind: 'dir' };
    if (!st.isFile() || st.size > MAX_HOST_FILE) return undefined;
    return { kind: 'file', data: new Uint8Array(readFileSync(path)) };
  } catch {
    return undefined;
  }
};

export function nodeCompilerEnv(): CompilerEnv {
  return {
    loadModule: async (progress) => {
      progress({ phase: 'prepare', what: 'reading clang.wasm' });
      const { bytes, source } = readClangWasm();
      progress({ phase: 'prepare', what: 'compiling clang.wasm' });
      return { module: await WebAssembly.compile(bytes as BufferSource), source };
    },
    loadHeaders: async (vmlinux) => readHeaders(vmlinux),
    host: hostLookup,
  };
}
