#!/usr/bin/env node
// Records GNU objdump's disassembly of x86 code the kernel's JIT emits on machines other
// than this one (no BMI2, other indirect-jump and return mitigations), for the x86
// disassembler's tests: the code is our JIT's output for recorded programs with the
// machine changed (the kernel's own images are covered by test/golden/jit/*.json), and
// objdump is the reference for the text.
//
//   test/golden/jit-objdump/variants.json: [{variant, machine, programs, hex, objdump}]
//     objdump: instruction lines of `objdump -D -b binary -m i386:x86-64` for hex
//
// Usage: node scripts/record-jit-objdump-golden.mjs   (needs binutils' objdump)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const root = new URL('..', import.meta.url).pathname;
const { jitProgram, LINUX_6_18_X86_64 } = await tsImport('../src/core/jit/index.ts', import.meta.url);
const { goldenFiles, jitInputOf } = await tsImport('../test/jit/golden.ts', import.meta.url);

const VARIANTS = [
  { variant: 'no-bmi2', machine: { bmi2: false }, programs: ['asm_alu_x/alu_x', 'asm_alu32_k/alu32_k', 'atomics_v3/atomics_v3'] },
  { variant: 'lfence-indirect-jump', machine: { indirectJump: 'lfence' }, programs: ['asm_tail_calls/tail_calls'] },
  { variant: 'plain-ret-sls', machine: { indirectJump: 'plain', returnThunk: false, sls: true }, programs: ['asm_tail_calls/tail_calls', 'asm_calls/calls'] },
];

const byId = new Map();
for (const g of goldenFiles()) for (const p of g.programs) byId.set(`${g.file.replace(/\.json$/, '')}/${p.name}`, p);

const tmp = mkdtempSync(join(tmpdir(), 'jitobjd-'));
const out = [];
try {
  for (const v of VARIANTS) {
    const machine = { ...LINUX_6_18_X86_64, ...v.machine };
    const images = v.programs.map((id) => jitProgram(jitInputOf(byId.get(id)), { machine }).image);
    const bytes = Buffer.concat(images.map((i) => Buffer.from(i)));
    const f = join(tmp, 'code.bin');
    writeFileSync(f, bytes);
    const text = execFileSync('objdump', ['-D', '-b', 'binary', '-m', 'i386:x86-64', f]).toString();
    const objdump = text.split('\n').filter((l) => /^ *[0-9a-f]+:\t/.test(l)).join('\n') + '\n';
    out.push({ ...v, hex: bytes.toString('hex'), objdump });
  }
  writeFileSync(join(root, 'test/golden/jit-objdump/variants.json'), JSON.stringify({
    recorded_by: 'node scripts/record-jit-objdump-golden.mjs',
    objdump: execFileSync('objdump', ['--version']).toString().split('\n')[0],
    variants: out,
  }, null, 1) + '\n');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`recorded ${out.length} variants`);
