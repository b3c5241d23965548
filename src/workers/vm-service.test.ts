import { describe, expect, it } from 'vitest';
import { loadInput } from '../core/input';
import { ExecutionHistory } from '../core/vm/history';
import { SupersededError, WorkerClient, WorkerRequestError, type WorkerEventLike, type WorkerLike } from './client';
import { serveWorker, type WorkerScopeLike } from './serve';
import { createVmHandlers, vmSpec, vmTransferables } from './vm-service';

/** The VM service in this process: messages cross by structured clone on a macrotask, as between threads. */
class InProcessWorker implements WorkerLike {
  terminated = false;
  private listeners: ((e: WorkerEventLike) => void)[] = [];
  private scopeListeners: ((e: { data?: unknown }) => void)[] = [];

  constructor() {
    const scope: WorkerScopeLike = {
      postMessage: (m, transfer) => {
        const c = structuredClone(m, { transfer: transfer as Transferable[] });
        setTimeout(() => { for (const l of this.listeners) l({ data: c }); }, 0);
      },
      addEventListener: (_t, l) => { this.scopeListeners.push(l); },
    };
    serveWorker(vmSpec, createVmHandlers(), scope, { transferables: vmTransferables });
  }
  postMessage(message: unknown): void {
    if (this.terminated) return;
    const c = structuredClone(message);
    setTimeout(() => { if (!this.terminated) for (const l of this.scopeListeners) l({ data: c }); }, 0);
  }
  terminate(): void { this.terminated = true; }
  addEventListener(type: string, listener: (e: WorkerEventLike) => void): void {
    if (type === 'message') this.listeners.push(listener);
  }
}

const asm = (src: string, type?: string) => loadInput(new TextEncoder().encode(src), 'p.s', { progType: type });
const client = () => new WorkerClient(vmSpec, () => new InProcessWorker(), { timeoutMs: 10_000 });

const COUNTER = `
  .section xdp
  .map hits array key=4 value=8 entries=1
  *(u32 *)(r10 -4) = 0
  r2 = r10
  r2 += -4
  r1 = hits ll
  call bpf_map_lookup_elem
  if r0 == 0 goto +2
  r1 = 1
  lock *(u64 *)(r0 +0) += r1
  r0 = 2
  exit`;

describe('VM worker service', () => {
  it('runs a program and sends back results, maps and a history the page can step through', async () => {
    const c = client();
    const r = await c.request('run', { object: asm(COUNTER), input: { data: new Uint8Array(20) }, trace: true });
    expect(r.ok).toBe(true);
    expect(r.retval).toBe(2);
    expect(r.maps).toEqual({ hits: [['00000000', '0100000000000000']] });
    expect(r.dataOut).toEqual(new Uint8Array(20));
    const h = new ExecutionHistory(r.history!);
    expect(h.length).toBe(r.insnsExecuted);
    expect(h.state(h.length - 1).regs[0]).toBe(2n);
    c.dispose();
  });

  it('keeps maps within a session and applies map edits before a run', async () => {
    const c = client();
    const object = asm(COUNTER);
    const run = (extra = {}) => c.request('run', { object, input: { data: new Uint8Array(20) }, session: 's', ...extra });
    await run();
    expect((await run()).maps.hits).toEqual([['00000000', '0200000000000000']]);
    expect((await run({ mapEdits: [{ map: 'hits', key: '00000000', value: '0a00000000000000' }] })).maps.hits).toEqual([['00000000', '0b00000000000000']]);
    const bad = await run({ mapEdits: [{ map: 'nope', key: '00', value: '00' }] });
    expect(bad.editErrors).toEqual([[0, 'no map named nope']]);
    expect((await run({ resetSession: true })).maps.hits).toEqual([['00000000', '0100000000000000']]);
    c.dispose();
  });

  it('stops a long run when a newer request on the same channel supersedes it', async () => {
    const c = client();
    const forever = asm('l:\ngoto l');
    const progress: number[] = [];
    const t0 = performance.now();
    const first = c.request('run', { object: forever, options: { budget: 2_000_000_000 } }, { channel: 'run', onProgress: (p) => progress.push(p.executed) });
    await new Promise((r) => setTimeout(r, 50));
    const second = c.request('run', { object: asm('r0 = 7\nexit') }, { channel: 'run' });
    await expect(first).rejects.toBeInstanceOf(SupersededError);
    expect((await second).retval).toBe(7);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(progress.length).toBeGreaterThan(0);
    c.dispose();
  });

  it('reports bad input as an error reply', async () => {
    const c = client();
    const e = await c.request('run', { object: asm('r0 = 0\nexit', 'xdp'), input: { data: new Uint8Array(3) } }).catch((x) => x);
    expect(e).toBeInstanceOf(WorkerRequestError);
    expect((e as WorkerRequestError).info.name).toBe('VmError');
    expect(e.message).toMatch(/shorter than an Ethernet header/);
    c.dispose();
  });
});
