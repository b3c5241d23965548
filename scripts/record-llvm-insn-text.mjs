#!/usr/bin/env node
// Records llvm-objdump-19's text for instruction encodings, the reference of the llvm
// syntax printer. Each encoding is assembled alone as raw bytes into .text (function
// symbol `f` at 0) with llvm-mc-19 and disassembled with
//   llvm-objdump-19 -d --no-show-raw-insn            (default CPU: no ALU32 register forms)
//   llvm-objdump-19 -d --no-show-raw-insn --mcpu=v4  (ALU32: `w` registers where they apply)
// Encodings: every instruction of ../shared/corpus (conformance and verifier) plus a
// systematic sweep of every opcode byte with several field values.
// Output: test/golden/llvm-insn-text/insns.jsonl, one `[hex, default text, v4 text, slot]` per
// line, where slot is the encoding's slot index in its object (branch targets depend on it).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const shared = [join(root, '../shared/corpus'), join(root, '../../shared/corpus')].find(existsSync);
const enc = new Set();
if (shared) {
  for (const f of ['conformance.json', 'verifier.json']) {
    for (const r of JSON.parse(readFileSync(join(shared, f), 'utf8'))) {
      for (let k = 0; k < r.insns.length; k++) {
        const h = r.insns[k];
        if (h.startsWith('18')) { if (r.insns[k + 1]) enc.add(h + r.insns[k + 1]); k++; } else enc.add(h);
      }
    }
  }
}
const le16 = (v) => { const b = Buffer.alloc(2); b.writeInt16LE(v); return b.toString('hex'); };
const le32 = (v) => { const b = Buffer.alloc(4); b.writeInt32LE(v | 0); return b.toString('hex'); };
const mk = (code, dst, src, off, imm) => code.toString(16).padStart(2, '0') + ((src << 4) | dst).toString(16).padStart(2, '0') + le16(off) + le32(imm);
for (let code = 0; code < 256; code++) {
  if (code === 0x18) {
    for (const src of [0, 1, 2, 3, 4, 5, 6]) for (const [lo, hi] of [[0, 0], [1, 0], [-1, -1], [0x89abcdef | 0, 0x1234567], [-5, 0x7fffffff]]) enc.add(mk(code, 1, src, 0, lo) + mk(0, 0, 0, 0, hi));
    continue;
  }
  for (const [dst, src, off, imm] of [[1, 2, 0, 0], [1, 2, 3, 5], [0, 10, -8, -1], [10, 1, -32768, 0x7fffffff], [3, 4, 1, 16], [3, 4, 8, 32], [3, 4, 16, 64], [2, 1, 32, 1],
    [5, 6, 0x7fff, -2147483648], [1, 0, 0, 1], [1, 1, 0, 0x101], [1, 0, 0, 0xe1], [2, 3, 4, 0xf1], [1, 2, 0, 0x51], [1, 2, 0, 0xa1], [1, 2, 0, 0x41], [1, 2, 0, 0x40], [1, 2, 0, 0x50], [1, 2, 0, 0xa0],
    [1, 2, 0, 0x100], [1, 2, 0, 0x110], [0, 1, 0, 0], [0, 2, 0, 7], [0, 1, 0, -1], [2, 0, -1, 0]]) enc.add(mk(code, dst, src, off, imm));
}

const dir = mkdtempSync(join(tmpdir(), 'llvminsn-'));
const list = [...enc].sort();
// One object per chunk; every encoding stands alone at its own address so that a bad one
// cannot change how the next is read. An `exit` follows each one as a spacer.
const results = new Map(list.map((h) => [h, ['', '', 0]]));
const chunk = 4000;
for (let c = 0; c < list.length; c += chunk) {
  const part = list.slice(c, c + chunk);
  const lines = ['\t.text', '\t.globl f', 'f:'];
  for (const h of part) {
    lines.push(`\t.byte ${h.match(/../g).map((b) => '0x' + b).join(', ')}`);
    lines.push('\t.byte 0x95, 0, 0, 0, 0, 0, 0, 0');
  }
  const s = join(dir, 'x.s');
  const o = join(dir, 'x.o');
  writeFileSync(s, lines.join('\n') + '\n');
  execFileSync('llvm-mc-19', ['-triple', 'bpfel', '-filetype=obj', s, '-o', o]);
  for (const [col, extra] of [[0, []], [1, ['--mcpu=v4']]]) {
    const out = execFileSync('llvm-objdump-19', ['-d', '--no-show-raw-insn', ...extra, o], { maxBuffer: 1 << 28 }).toString();
    const byAddr = new Map();
    for (const line of out.split('\n')) {
      const m = /^ *(\d+):\t(.*)$/.exec(line);
      if (m) byAddr.set(Number(m[1]), m[2]);
    }
    let slot = 0;
    for (const h of part) {
      results.get(h)[col] = byAddr.get(slot) ?? '(none)';
      results.get(h)[2] = slot;
      slot += h.length / 16 + 1;
    }
  }
}
const out = list.map((h) => JSON.stringify([h, ...results.get(h)]));
writeFileSync(join(root, 'test/golden/llvm-insn-text/insns.jsonl'), out.join('\n') + '\n');
console.log(`${list.length} encodings recorded`);
