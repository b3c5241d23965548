import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, writeBpfObject } from '../../core/index';
import { assembleForView } from '../assembly/asm-view';
import { ASM_EXAMPLES } from './asm-examples';

describe('assembly examples', () => {
  it('have unique ids', () => {
    expect(new Set(ASM_EXAMPLES.map((e) => e.id)).size).toBe(ASM_EXAMPLES.length);
  });

  for (const ex of ASM_EXAMPLES) {
    it(`${ex.id} assembles into a listing with a section`, () => {
      const out = assembleForView(ex.source, { alu32: true });
      if (!out.ok) throw new Error(`${ex.id}:${out.problem.line}:${out.problem.startColumn}: ${out.problem.message}`);
      expect(out.view.rows.length).toBeGreaterThan(3);
      expect(out.view.section).toBeDefined();
      expect(out.view.rows.every((r) => !r.llvm.includes('<unknown>'))).toBe(true);
    });
  }
});

/** Why the kernel cannot be asked here, or undefined when it can. */
function kernelUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  try { execFileSync('bpftool', ['version'], { stdio: 'pipe' }); } catch { return 'bpftool not installed'; }
  if (!existsSync('/sys/fs/bpf')) return '/sys/fs/bpf missing';
  try {
    if (!execFileSync('stat', ['-f', '-c', '%T', '/sys/fs/bpf'], { encoding: 'utf8' }).includes('bpf')) return 'bpffs not mounted at /sys/fs/bpf';
  } catch { return 'cannot stat /sys/fs/bpf'; }
  return undefined;
}

const why = kernelUnavailable();
if (why) console.warn(`[skip] assembly examples against the kernel: ${why}`);

describe.skipIf(why !== undefined)('assembly examples against the kernel', () => {
  for (const ex of ASM_EXAMPLES) {
    it(`the kernel's verifier accepts ${ex.id}`, () => {
      const r = assemble(ex.source);
      const dir = mkdtempSync(join(tmpdir(), 'bpfplay-ex-'));
      const pin = `/sys/fs/bpf/bpfplay_ex_${process.pid}_${ex.id.replace(/\W/g, '_')}`;
      try {
        const obj = join(dir, `${ex.id}.o`);
        writeFileSync(obj, writeBpfObject({
          programs: [{ name: 'prog', section: r.section ?? 'socket', insns: r.insns, mapRefs: r.mapRefs }],
          maps: r.maps,
          license: r.license,
        }));
        let log = '';
        try {
          execFileSync('bpftool', ['-d', 'prog', 'load', obj, pin], { stdio: 'pipe', encoding: 'utf8' });
        } catch (e) {
          log = String((e as { stderr?: string }).stderr ?? e);
        }
        expect(log, 'bpftool prog load failed').toBe('');
      } finally {
        rmSync(pin, { force: true });
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
