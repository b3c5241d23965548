// Run probe.wasm (see probe.c) under Node's node:wasi and under @wasmer/wasi
// 1.x with the same files, to see which calls each runtime supports.
//   node run-probe.mjs probe.wasm [clang.wasm[.gz] SRC.c testbpf.h [OUT.o]]
// With clang.wasm, also compile SRC.c (which includes "testbpf.h") under
// @wasmer/wasi, entirely in its in-memory file system, three times.
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI as NodeWASI } from 'node:wasi';
import { init, WASI as WasmerWASI, MemFS } from '@wasmer/wasi';

const [probePath, bigPath] = process.argv.slice(2);
const probe = await WebAssembly.compile(readFileSync(probePath));
const source = 'int main(void) { return 0; }\n';

// node:wasi: real host directories as preopens.
{
  const root = mkdtempSync(join(tmpdir(), 'probe-'));
  mkdirSync(join(root, 'src')); mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'src', 'x.c'), source);
  const wasi = new NodeWASI({ version: 'preview1', args: ['probe'], env: { HOME: '/home' },
    preopens: { '/src': join(root, 'src'), '/out': join(root, 'out') }, returnOnExit: true });
  const inst = await WebAssembly.instantiate(probe, wasi.getImportObject());
  console.log('=== node:wasi');
  const code = wasi.start(inst);
  console.log(`exit code ${code}`);
}

// @wasmer/wasi: its in-memory file system (MemFS), files created from JS.
await init();
{
  const fs = new MemFS();
  fs.createDir('/src'); fs.createDir('/out');
  const f = fs.open('/src/x.c', { read: true, write: true, create: true });
  f.writeString(source);
  f.flush();
  const wasi = new WasmerWASI({ args: ['probe'], env: { HOME: '/home' }, fs,
    preopens: { '/src': '/src', '/out': '/out' } });
  console.log('=== @wasmer/wasi');
  try {
    await wasi.instantiate(probe, {});
    const code = wasi.start();
    process.stdout.write(wasi.getStdoutString());
    process.stdout.write('[stderr] ' + wasi.getStderrString());
    console.log(`exit code ${code}`);
    // The MemFS object passed in is locked after the run ("lock error");
    // read results through wasi.fs instead.
    console.log('wasi.fs after run: /out =', JSON.stringify(wasi.fs.readDir('/out').map((e) => e.path)));
    const o = wasi.fs.open('/out/x.o', { read: true });
    console.log('/out/x.o read back from JS:', JSON.stringify(o.readString()));
  } catch (e) {
    console.log('error:', e && (e.message || e));
  }
}

if (bigPath) {
  // A real compile by clang.wasm in @wasmer/wasi's MemFS: the source and its
  // header are created from JS, the object is read back from JS.
  let bytes = readFileSync(bigPath);
  if (bytes[0] === 0x1f) bytes = gunzipSync(bytes);
  const t0 = performance.now();
  const mod = await WebAssembly.compile(bytes);
  const t1 = performance.now();
  console.log(`=== @wasmer/wasi running ${bigPath} (${bytes.length} bytes); WebAssembly.compile ${(t1 - t0).toFixed(0)} ms`);
  const [srcPath, hdrPath, objOut] = process.argv.slice(4);
  for (let run = 1; run <= 3; run++) {
    const fs = new MemFS();
    for (const d of ['/src', '/src/include', '/out']) fs.createDir(d);
    const put = (path, text) => { const f = fs.open(path, { read: true, write: true, create: true }); f.writeString(text); f.flush(); };
    put('/src/x.c', readFileSync(srcPath, 'utf8'));
    put('/src/include/testbpf.h', readFileSync(hdrPath, 'utf8'));
    const wasi = new WasmerWASI({
      args: ['/usr/lib/llvm-19/bin/clang', '--target=bpf', '-O2', '-I', '/src/include', '-c', '/src/x.c', '-o', '/out/x.o'],
      env: {}, fs, preopens: { '/src': '/src', '/out': '/out' },
    });
    try {
      const a = performance.now();
      await wasi.instantiate(mod, {});
      const b = performance.now();
      const code = wasi.start();
      const c = performance.now();
      process.stdout.write(wasi.getStdoutString() + wasi.getStderrString());
      const obj = wasi.fs.open('/out/x.o', { read: true }).read();
      console.log(`run ${run}: exit ${code}, instantiate ${(b - a).toFixed(0)} ms, run ${(c - b).toFixed(0)} ms, /out/x.o ${obj.length} bytes; /out = ${JSON.stringify(wasi.fs.readDir('/out').map((e) => e.path))}`);
      if (objOut) writeFileSync(objOut, obj);
    } catch (e) {
      console.log(`run ${run}: error:`, e && (e.message || e));
    }
  }
}
