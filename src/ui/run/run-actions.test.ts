import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPlaygroundStore } from '../store/create-store';
import { DEFAULT_PACKET_HEX, DEFAULT_RUN_INPUTS } from '../store/slices/run';
import { directServices } from '../services-direct';
import { buildPacket, DEFAULT_PACKET_SPEC } from './packet';
import { currentTarget } from './targets';
import { traceIsCurrent } from './run-actions';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const store = (exampleId = 'xdp-counter') => createPlaygroundStore({ exampleId, services: directServices }).store;

describe('Run', () => {
  it('starts from the builder\'s first packet', () => {
    expect(DEFAULT_PACKET_HEX).toBe(hex(buildPacket(DEFAULT_PACKET_SPEC)));
  });

  it('runs the assembly program, shows r0 and the map it changed, and keeps the maps between runs', async () => {
    const s = store();
    await s.getState().run();
    const e = s.getState().exec;
    expect(e.status).toBe('done');
    expect(e.result?.run).toMatchObject({ ok: true, retval: 2, insnsExecuted: 11 });
    expect(s.getState().mainView).toBe('run');
    const counter = () => s.getState().maps.views.find((m) => m.name === 'counter')!;
    expect(counter().entries[0].value).toBe('0100000000000000');
    expect(s.getState().maps.before?.[0].entries[0].value).toBe('0000000000000000');
    await s.getState().run({ repeat: 10 });
    expect(s.getState().exec.result?.run).toMatchObject({ runs: 10 });
    expect(s.getState().exec.result?.run?.nsPerRun).toBeGreaterThan(0);
    expect(counter().entries[0].value).toBe('0b00000000000000');
  });

  it('does not run a program the verifier rejects until asked to, then reports its fault', async () => {
    const s = store();
    s.getState().setFileText('prog.s', '.section xdp\n r2 = *(u32 *)(r1 +0)\n r0 = *(u8 *)(r2 +100)\n exit\n');
    s.getState().assemble();
    await s.getState().run();
    const r = s.getState().exec.result!;
    expect(r.verdict).toMatchObject({ accepted: false, errorInsn: 1 });
    expect(r.run).toBeNull();
    await s.getState().run({ anyway: true });
    expect(s.getState().exec.anyway).toBe(true);
    expect(s.getState().exec.result?.run?.error?.message).toBe('out-of-bounds read of 1 byte at pkt+100 (pkt spans pkt+0..pkt+47) (insn 1)');
  });
});

describe('stepping through an execution', () => {
  it('Step records a debugging run and moves through it; Step back from none starts at the end', async () => {
    const s = store();
    await s.getState().stepExec(1);
    const tr = () => s.getState().trace!;
    expect(tr().step).toBe(0);
    expect(tr().data.steps).toBe(11);
    expect(s.getState().mainView).toBe('exec');
    await s.getState().stepExec(1);
    await s.getState().stepExec(1);
    expect(tr().step).toBe(2);
    await s.getState().stepExec(-1);
    expect(tr().step).toBe(1);
    // A change of input makes the history stale: Step back records again and starts at the end.
    s.getState().setRunInputs({ packet: `${DEFAULT_PACKET_HEX}00` });
    expect(traceIsCurrent(s.getState())).toBe(false);
    await s.getState().stepExec(-1);
    expect(tr().step).toBe(10);
  });

  it('Continue stops at breakpoints (lines of the source), Run to cursor at the cursor line', async () => {
    const s = store();
    // Line 15 of the example: `lock *(u64 *)(r0 +0) += r1` (insn 9).
    s.getState().toggleBreakpoint({ kind: 'line', file: 'prog.s', line: 15 });
    await s.getState().continueExec();
    expect(s.getState().trace!.data.slots[s.getState().trace!.step]).toBe(9);
    await s.getState().continueExec();
    expect(s.getState().trace!.step).toBe(10);
    expect(s.getState().execNotice).toMatch(/No breakpoint is reached after this step/);
    s.getState().setExecStep(0);
    s.getState().setFocusLine(17); // r0 = 2
    await s.getState().runToCursor();
    expect(s.getState().trace!.data.slots[s.getState().trace!.step]).toBe(10);
    s.getState().setFocusLine(4); // .license: no instruction
    await s.getState().runToCursor();
    expect(s.getState().execNotice).toBe('Line 4 of prog.s has no instruction of prog.s.');
  });

  it('Reset forgets the run and makes the maps anew', async () => {
    const s = store();
    await s.getState().run();
    await s.getState().run();
    expect(s.getState().maps.views[0].entries[0].value).toBe('0200000000000000');
    await s.getState().resetExec();
    expect(s.getState().exec).toMatchObject({ status: 'idle', result: null });
    expect(s.getState().trace).toBeNull();
    expect(s.getState().maps).toMatchObject({ fresh: true, cause: 'load' });
    expect(s.getState().maps.views[0].entries[0].value).toBe('0000000000000000');
  });
});

describe('the Maps panel\'s edits', () => {
  it('changes values between runs; the next run starts from them; errors say why', async () => {
    const s = store();
    expect(await s.getState().editMaps([{ map: 'counter', key: '00000000', value: '2a00000000000000' }])).toBeNull();
    expect(s.getState().maps).toMatchObject({ cause: 'edit' });
    await s.getState().run();
    expect(s.getState().maps.views[0].entries[0].value).toBe('2b00000000000000');
    expect(await s.getState().editMaps([{ map: 'counter', key: '00000000' }])).toBe('delete counter[00000000]: EINVAL: array entries cannot be deleted: set the value to zero instead');
    expect(await s.getState().editMaps([{ map: 'counter', key: '05000000', value: '00' }])).toBe('update counter[05000000]: E2BIG: the index is not below max_entries (1)');
  });
});

describe('objects', () => {
  it('runs a program of an imported object and reads its maps through BTF', async () => {
    const { store: s } = createPlaygroundStore({ services: directServices });
    const bytes = new Uint8Array(readFileSync(new URL('../../../test/progs/obj/xdp_count_proto.o', import.meta.url)));
    s.getState().importObject('xdp_count_proto.o', bytes);
    await s.getState().inspectImported();
    s.getState().setRunTarget('obj:xdp_count_proto.o:0');
    expect(currentTarget(s.getState())?.title).toBe('xdp_count_proto.o: xdp_count_proto');
    await s.getState().run();
    const m = s.getState().maps.views.find((x) => x.name === 'proto_count')!;
    // The default packet is IPv4 UDP: protocol 17.
    expect(m.entries.filter((e) => e.valueText !== '0')).toEqual([{ key: '11000000', value: '0100000000000000', keyText: '17', valueText: '1' }]);
    expect(s.getState().exec.result?.run?.retval).toBe(2);
  });

  it('leaves the run inputs in the saved workspace', () => {
    const p = createPlaygroundStore({ services: directServices, save: () => undefined });
    expect(p.store.getState().runInputs).toEqual(DEFAULT_RUN_INPUTS);
    p.store.getState().setRunInputs({ ctx: { pt_regs: '01' } });
    const again = createPlaygroundStore({ saved: p.pendingJson() });
    expect(again.store.getState().runInputs.ctx).toEqual({ pt_regs: '01' });
  });
});
