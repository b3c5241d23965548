/**
 * Our own C programs (test/progs/obj/*.o and test/verifier/progs/obj/*.o, loaded by our
 * ELF loader): the verifier's
 * verdict and its level-1 and level-2 logs must equal the 6.18 kernel's, recorded by
 * scripts/record-verifier-progs-logs.ts (map addresses blanked).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { loadInput } from '../../src/core/input';
import { verifyProgram } from '../../src/core/verifier/verify';
import { registerShippedKernelData } from '../../src/cli/kernel-data';
import { normalizeLog } from './corpus-agreement';

interface Entry { accepted: boolean | null; errno: string | null; log: string; notLoaded?: string }
const golden = JSON.parse(gunzipSync(readFileSync(new URL('./golden/progs-logs.json.gz', import.meta.url))).toString('utf8')) as {
  records: Record<string, { dir: string; L1: Entry; L2: Entry }>;
};
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Programs whose logs differ from the kernel's, and why. The test fails if one starts to agree. */
const KNOWN: Record<string, string> = {
  'core_missing.o/core_missing': 'libbpf rewrites the log line of a poisoned CO-RE relocation (<invalid CO-RE relocation>); the kernel itself prints the call',
  'kfunc_ksym.o/kfunc_ksym': 'kfuncs are not modelled yet (we refuse the call where the kernel resolves it)',
};

describe('verifier on our C programs vs Linux 6.18', () => {
  registerShippedKernelData();
  const objects = new Map<string, ReturnType<typeof loadInput>>();
  for (const [id, rec] of Object.entries(golden.records)) {
    if (rec.L1.notLoaded) continue;
    const [file, name] = id.split('/');
    it(id, () => {
      if (!objects.has(file)) objects.set(file, loadInput(new Uint8Array(readFileSync(root + rec.dir + file)), file));
      const obj = objects.get(file)!;
      const idx = obj.programs.findIndex((p) => p.name === name);
      expect(idx).toBeGreaterThanOrEqual(0);
      const results = ([1, 2] as const).map((level) => {
        const r = verifyProgram(obj, idx, { logLevel: level, trace: false });
        const want = level === 1 ? rec.L1 : rec.L2;
        return { r, want, same: normalizeLog(r.log) === normalizeLog(want.log) };
      });
      if (KNOWN[id]) {
        expect(results.every((x) => x.same), `${id} now agrees with the kernel: remove it from KNOWN`).toBe(false);
        return;
      }
      for (const { r, want } of results) {
        expect(r.accepted).toBe(want.accepted);
        expect(r.accepted ? null : r.errnoName).toBe(want.errno);
        expect(normalizeLog(r.log)).toBe(normalizeLog(want.log));
      }
    });
  }
});
