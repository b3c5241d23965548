import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createVmHandlers } from './vm-service';
import { createExecHandlers } from './vm-exec';
import type { ExecParams, RunTarget } from './vm-exec-spec';

const ctx = () => ({ id: 1, progress: () => undefined, signal: new AbortController().signal });
const handlers = () => createExecHandlers(createVmHandlers());
const obj = (name: string, program = 0): RunTarget => ({
  kind: 'object', name: `${name}.o`, program, bytes: new Uint8Array(readFileSync(new URL(`../../test/progs/obj/${name}.o`, import.meta.url))),
});

const COUNTER: RunTarget = {
  kind: 'asm',
  name: 'prog.s',
  text: `.section xdp
.map counter array key=4 value=8 entries=1
    r1 = 0
    *(u32 *)(r10 -4) = r1
    r2 = r10
    r2 += -4
    r1 = counter ll
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = 1
    lock *(u64 *)(r0 +0) += r1
out:
    r0 = 2
    exit
`,
};

/** An IPv4 UDP frame: Ethernet (14) + IPv4 (20, protocol 17 at byte 23) + UDP (8). */
const udpFrame = () => {
  const f = new Uint8Array(42);
  f[12] = 0x08; // ETH_P_IP
  f[14] = 0x45;
  f[23] = 17;
  return f;
};

describe('exec: Run as the playground does it', () => {
  it('verifies, runs, and shows each map before and after the run; maps persist in the session until the program changes', async () => {
    const h = handlers();
    const p: ExecParams = { target: COUNTER, input: { data: new Uint8Array(64) }, session: 's' };
    const r1 = await h.exec(p, ctx());
    expect(r1.verdict).toMatchObject({ accepted: true, error: '' });
    expect(r1.program).toMatchObject({ name: 'prog', progType: 'xdp' });
    expect(r1.run).toMatchObject({ ok: true, retval: 2 });
    expect(r1.mapsFresh).toBe(true);
    expect(r1.mapsBefore[0].entries).toEqual([{ key: '00000000', value: '0000000000000000' }]);
    expect(r1.maps[0]).toMatchObject({ name: 'counter', type: 'array', editing: 'values', fromBtf: false, keyInt: { size: 4 }, valueInt: { size: 8 } });
    expect(r1.maps[0].entries).toEqual([{ key: '00000000', value: '0100000000000000' }]);
    const r2 = await h.exec(p, ctx());
    expect(r2.mapsFresh).toBe(false);
    expect(r2.maps[0].entries[0].value).toBe('0200000000000000');
    // Another program in the same session: the maps are made anew, as a new load would.
    const r3 = await h.exec({ ...p, target: { ...COUNTER, text: COUNTER.text.replace('r0 = 2', 'r0 = 1') } }, ctx());
    expect(r3.mapsFresh).toBe(true);
    expect(r3.run?.retval).toBe(1);
    expect(r3.maps[0].entries[0].value).toBe('0100000000000000');
    // A reset does the same for an unchanged program.
    expect((await h.exec({ ...p, resetSession: true, mapsOnly: true }, ctx())).maps[0].entries[0].value).toBe('0000000000000000');
  });

  it('does not run a program the verifier rejects unless asked to, and then reports the fault at its instruction', async () => {
    const h = handlers();
    const p: ExecParams = { target: obj('reject_null_deref'), input: { data: new Uint8Array(64) }, session: 'r' };
    const r = await h.exec(p, ctx());
    expect(r.verdict.accepted).toBe(false);
    expect(r.verdict.error).toBe("R0 invalid mem access 'map_value_or_null'");
    expect(r.run).toBeNull();
    const anyway = await h.exec({ ...p, runAnyway: true }, ctx());
    expect(anyway.run?.ok).toBe(false);
    expect(anyway.run?.error?.message).toMatch(/NULL pointer.*\(insn \d+\)$/);
    expect(anyway.run?.error?.insn).toBe(r.verdict.errorInsn);
  });

  it('reads keys and values through the object\'s BTF', async () => {
    const h = handlers();
    const r = await h.exec({ target: obj('xdp_count_proto'), input: { data: udpFrame() }, session: 'b' }, ctx());
    const m = r.maps.find((x) => x.name === 'proto_count')!;
    expect(m).toMatchObject({ keyType: '__u32', valueType: '__u64', fromBtf: true, keyInt: { size: 4, signed: false }, valueInt: { size: 8, signed: false } });
    expect(m.entries).toHaveLength(256);
    expect(m.entries[17]).toEqual({ key: '11000000', value: '0100000000000000', keyText: '17', valueText: '1' });
  });

  it('edits maps with the syscall\'s semantics and says why an edit fails', async () => {
    const h = handlers();
    const p: ExecParams = { target: obj('reject_null_deref'), session: 'e', mapsOnly: true };
    const add = { map: 'counts', key: '06000000', value: '0500000000000000', flags: 1 };
    let r = await h.exec({ ...p, mapEdits: [add] }, ctx());
    expect(r.editErrors).toEqual([]);
    expect(r.maps[0].entries).toEqual([{ key: '06000000', value: '0500000000000000', keyText: '6', valueText: '5' }]);
    r = await h.exec({ ...p, mapEdits: [add, { map: 'counts', key: '07000000', value: '01', flags: 2 }, { map: 'counts', key: '09000000' }] }, ctx());
    // BPF_NOEXIST on a present key, BPF_EXIST on an absent one, deleting what is not there.
    expect(r.editErrors).toEqual([[0, 'EEXIST'], [1, 'ENOENT'], [2, 'ENOENT']]);
    const arr = await h.exec({ target: COUNTER, session: 'a', mapsOnly: true, mapEdits: [{ map: 'counter', key: '00000000' }, { map: 'counter', key: '01000000', value: '0000000000000000' }] }, ctx());
    expect(arr.editErrors).toEqual([[0, 'EINVAL'], [1, 'E2BIG']]);
  });

  it('records a history with the regions that name pointers', async () => {
    const h = handlers();
    const r = await h.exec({ target: COUNTER, input: { data: new Uint8Array(64) }, session: 't', trace: true }, ctx());
    expect(r.run?.history?.steps).toBe(r.run?.insnsExecuted);
    const names = r.run!.regions!.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['fp', 'ctx', 'pkt', 'counter']));
    expect(r.run!.regions!.find((x) => x.name === 'fp')).toMatchObject({ kind: 'stack', origin: 512 });
  });

  it('says why a program cannot start (a packet shorter than an Ethernet header)', async () => {
    const r = await handlers().exec({ target: COUNTER, input: { data: new Uint8Array(4) }, session: 'x' }, ctx());
    expect(r.run).toBeNull();
    expect(r.runError).toMatch(/shorter than an Ethernet header/);
  });
});
