#!/usr/bin/env node
// Run clang.wasm under Node's own WASI (node:wasi, preview 1), as a test
// harness for the built artifact (the product's compiler worker is separate).
//
//   node wasm/run-node.mjs [--wasm FILE] [--map GUEST=HOST]... [--time] [--] CLANG-ARGS...
//
//   --wasm FILE   clang.wasm, raw or gzip-compressed (default: $BPFPLAY_CLANG_WASM,
//                 else wasm/dist/clang.wasm.gz beside this script)
//   --map G=H     preopen host directory H as guest directory G (repeatable);
//                 default: the host's / as the guest's /, so every absolute
//                 path (sources, headers, outputs) means the same in both
//   --time        print load/compile/run times on stderr
//
// argv[0] is /usr/lib/llvm-19/bin/clang: clang.wasm takes its own path from
// argv[0] (there is no other way on WASI) and finds its resource directory
// (lib/clang/19/include: stddef.h, stdint.h ...) relative to it, as Debian's
// clang-19 does. The guest's working directory is "/" (wasi-libc's start
// value), so pass absolute paths, or -fdebug-compilation-dir to get the
// DW_AT_comp_dir a native run in some directory would record.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

// node:wasi prints an ExperimentalWarning on first use; it is noise in
// compiler output (and would differ from native clang's stderr).
const emitWarning = process.emitWarning;
process.emitWarning = (w, ...rest) => {
  const text = typeof w === 'string' ? w : w?.message ?? '';
  if (/WASI is an experimental feature/.test(text)) return;
  return emitWarning.call(process, w, ...rest);
};
const { WASI } = await import('node:wasi'); // after the filter: it warns on load
const args = process.argv.slice(2);
let wasmPath = process.env.BPFPLAY_CLANG_WASM || join(here, 'dist', 'clang.wasm.gz');
const preopens = {};
let showTime = false;
while (args.length) {
  const a = args[0];
  if (a === '--') { args.shift(); break; }
  if (a === '--wasm') { args.shift(); wasmPath = args.shift(); continue; }
  if (a === '--map') {
    args.shift();
    const m = /^([^=]+)=(.+)$/.exec(args.shift() ?? '');
    if (!m) { console.error('run-node: --map wants GUEST=HOST'); process.exit(2); }
    preopens[m[1]] = m[2];
    continue;
  }
  if (a === '--time') { args.shift(); showTime = true; continue; }
  break;
}
if (Object.keys(preopens).length === 0) preopens['/'] = '/';

const t0 = performance.now();
let bytes = readFileSync(wasmPath);
if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
const t1 = performance.now();
const module = await WebAssembly.compile(bytes);
const t2 = performance.now();

const wasi = new WASI({
  version: 'preview1',
  args: ['/usr/lib/llvm-19/bin/clang', ...args],
  env: { PATH: '/usr/bin:/bin', TERM: 'dumb' },
  preopens,
  returnOnExit: true,
});
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  // A trap (unreachable, out of bounds, stack overflow): what a crash is here.
  console.error(`run-node: clang.wasm trapped: ${e && e.message}`);
  code = 134;
}
const t3 = performance.now();
if (showTime) {
  const f = (x) => `${x.toFixed(0)} ms`;
  console.error(`run-node: read ${f(t1 - t0)}, WebAssembly.compile ${f(t2 - t1)}, instantiate+run ${f(t3 - t2)}`);
}
process.exitCode = code;
