import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { directServices } from '../../services-direct';
import { createPlaygroundStore } from '../create-store';
import { currentSourceLocation } from '../../debugger/source-location';

const until = async (f: () => boolean) => { for (let k = 0; k < 200 && !f(); k++) await new Promise((r) => setTimeout(r, 5)); };

describe('the log slice', () => {
  it('verifies the assembly file with bpfplay\'s verifier and steps through it', async () => {
    const p = createPlaygroundStore({ services: directServices, exampleId: 'xdp-bounds' });
    await p.store.getState().verify();
    const s = p.store.getState();
    expect(s.logSource).toBe('verifier');
    expect(s.mainView).toBe('log');
    expect(s.log).toMatchObject({ status: 'ready', step: 0, title: 'prog.s', asmFile: 'prog.s' });
    expect(s.log.parsed?.accepted).toBe(true);
    // The xdp-bounds example: 11 instructions, two exits: 12 processed.
    expect(s.log.parsed?.summary?.processed).toBe(12);
    s.stepLog(4);
    expect(p.store.getState().log.step).toBe(4);
    // Step 4 is instruction 4 (`if r4 > r3 goto pass`), on line 10 of the example.
    expect(currentSourceLocation(p.store.getState())).toEqual({ file: 'prog.s', line: 10 });
    s.stepLog(-100);
    expect(p.store.getState().log.step).toBe(0);
  });

  it('opens a rejection at the error', async () => {
    const p = createPlaygroundStore({ services: directServices });
    p.store.getState().setFileText('prog.s', '.section xdp\n    r2 = *(u32 *)(r1 +0)\n    r0 = *(u8 *)(r2 +12)\n    exit\n');
    p.store.getState().assemble();
    await p.store.getState().verify();
    const log = p.store.getState().log;
    expect(log.parsed?.accepted).toBe(false);
    expect(log.parsed?.error?.text).toBe('invalid access to packet, off=12 size=1, R2(id=0,off=12,r=0)\nR2 offset is outside of the packet');
    expect(log.step).toBe(1);
  });

  it('keeps an imported log and a verification side by side', async () => {
    const p = createPlaygroundStore({ services: directServices });
    const text = readFileSync(new URL('../../../../test/golden/kernel-logs/reject_null_deref.l2.log', import.meta.url), 'utf8');
    expect(p.store.getState().importLog('null.log', text)).toBeNull();
    await until(() => p.store.getState().log.status === 'ready');
    expect(p.store.getState().log).toMatchObject({ title: 'null.log', step: 6 });
    await p.store.getState().verify();
    expect(p.store.getState().log.title).toBe('prog.s');
    p.store.getState().showLog('imported');
    expect(p.store.getState().log).toMatchObject({ title: 'null.log', step: 6 });
    p.store.getState().removeLog();
    expect(p.store.getState()).toMatchObject({ kernelLog: null, logSource: 'verifier', log: { title: 'prog.s' } });
  });

  it('refuses empty logs', () => {
    const p = createPlaygroundStore({ services: directServices });
    expect(p.store.getState().importLog('x', '  \n')).toBe('the log is empty');
  });
});
