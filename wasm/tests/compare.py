#!/usr/bin/env python3
"""Compile every wasm/tests/*.c with native clang-19 and with clang.wasm (under
Node's WASI, through wasm/run-node.mjs) and compare the objects.

    python3 wasm/tests/compare.py [--wasm FILE] [--keep DIR] [TEST.c ...]

Flags are `--target=bpf -O2 -g` plus a test's `// FLAGS: ...` line. A test
marked `// EXPECT-FAIL` must fail on both sides with the same diagnostics; one
with `// REQUIRES: FILE...` is skipped unless those host files exist.
For the others this checks, and prints per test:
  - `llvm-objdump-19 -d -r` output (instructions + relocations), must match;
  - the .BTF, .BTF.ext and .maps sections byte for byte, must match;
  - every other section, and the whole file, reported (identical or not).
Native clang runs in the tests directory (so its DW_AT_comp_dir is that
directory); clang.wasm gets the same directory via -fdebug-compilation-dir,
because its working directory is always "/". Exit status 0 when all match.
"""
import os, struct, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(os.path.dirname(HERE), 'run-node.mjs')
MUST_MATCH = ('.BTF', '.BTF.ext', '.maps')


def sections(path):
    """{name: bytes} of an ELF64 little-endian object."""
    data = open(path, 'rb').read()
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3A)
    hdrs = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
    strtab = hdrs[shstrndx]
    def name(off):
        start = strtab[4] + off
        return data[start:data.index(b'\0', start)].decode()
    out = {}
    for h in hdrs[1:]:
        sh_name, sh_type, _, _, off, size = h[:6]
        out[name(sh_name)] = b'' if sh_type == 8 else data[off:off + size]  # NOBITS
    return out


def objdump(path):
    r = subprocess.run(['llvm-objdump-19', '-d', '-r', path], capture_output=True, text=True, check=True)
    return r.stdout.split('\n', 2)[2]  # drop the line naming the file


def main():
    argv = sys.argv[1:]
    wasm_args, keep = [], None
    while argv and argv[0].startswith('--'):
        opt = argv.pop(0)
        if opt == '--wasm':
            wasm_args = ['--wasm', argv.pop(0)]
        elif opt == '--keep':
            keep = argv.pop(0)
        else:
            sys.exit(f'unknown option {opt}')
    tests = [os.path.abspath(t) for t in argv] or sorted(
        os.path.join(HERE, f) for f in os.listdir(HERE) if f.endswith('.c'))
    out = keep or tempfile.mkdtemp(prefix='clang-wasm-compare-')
    os.makedirs(out, exist_ok=True)
    include = os.path.join(HERE, 'include')
    failures = skipped = 0
    for src in tests:
        name = os.path.basename(src)[:-2]
        text = open(src).read()
        flags = ['--target=bpf', '-O2', '-g']
        for line in text.splitlines():
            if line.startswith('// FLAGS:'):
                flags += line.split(':', 1)[1].split()
        expect_fail = '// EXPECT-FAIL' in text
        required = [w for line in text.splitlines() if line.startswith('// REQUIRES:')
                    for w in line.split(':', 1)[1].split()]
        if any(not os.path.exists(p) for p in required):
            print(f'skip {name}: needs {" ".join(required)}')
            skipped += 1
            continue
        nat_o, wasm_o = os.path.join(out, name + '.native.o'), os.path.join(out, name + '.wasm.o')
        common = flags + ['-I', include, '-c', src]
        t0 = time.monotonic()
        nat = subprocess.run(['clang-19', *common, '-o', nat_o], cwd=HERE, capture_output=True, text=True)
        t1 = time.monotonic()
        was = subprocess.run(['node', RUNNER, *wasm_args, '--', *common, f'-fdebug-compilation-dir={HERE}',
                              '-o', wasm_o], capture_output=True, text=True)
        t2 = time.monotonic()
        timing = f'native {1000 * (t1 - t0):.0f} ms, wasm {1000 * (t2 - t1):.0f} ms (node process incl. load+compile)'
        if expect_fail:
            ok = nat.returncode != 0 and was.returncode == nat.returncode and was.stderr == nat.stderr
            print(f'{"ok  " if ok else "FAIL"} {name}: both fail (rc {nat.returncode}/{was.returncode}), '
                  f'diagnostics {"identical" if was.stderr == nat.stderr else "DIFFER"}; {timing}')
            if not ok:
                failures += 1
                print('--- native stderr\n' + nat.stderr + '--- wasm stderr\n' + was.stderr)
            continue
        if nat.returncode or was.returncode:
            failures += 1
            print(f'FAIL {name}: native rc={nat.returncode} wasm rc={was.returncode}\n{nat.stderr}{was.stderr}')
            continue
        problems = []
        if objdump(nat_o) != objdump(wasm_o):
            problems.append('objdump -d -r differs')
        ns, ws = sections(nat_o), sections(wasm_o)
        for sec in MUST_MATCH:
            if ns.get(sec) != ws.get(sec):
                problems.append(f'{sec} differs')
        others = sorted(s for s in set(ns) | set(ws) if s not in MUST_MATCH and ns.get(s) != ws.get(s))
        whole = open(nat_o, 'rb').read() == open(wasm_o, 'rb').read()
        present = [s for s in MUST_MATCH if s in ns]
        print(f'{"ok  " if not problems else "FAIL"} {name}: objdump -d -r identical' if not problems else
              f'FAIL {name}: {", ".join(problems)}', end='')
        print(f'; {"/".join(present)} identical' if not problems else '', end='')
        print(f'; file {"byte-identical" if whole else "differs in " + ", ".join(others)}; {timing}')
        if problems:
            failures += 1
    print(f'{len(tests) - failures - skipped}/{len(tests) - skipped} match'
          f'{f" ({skipped} skipped)" if skipped else ""}; objects in {out}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
