/**
 * The "Output" region: what the last run did. r0 with its meaning for the program type,
 * a fault with the instruction it happened at (a link to its source line), printk lines
 * as trace_pipe prints them, ring buffer and perf events, the packet as the program left
 * it, instructions executed, and for "Run N times" the time per run. A program the
 * verifier rejects does not run unless the user asks ("Run anyway"), and the result then
 * says it ran anyway.
 */
import { useMemo, useState } from 'react';
import { Panel } from '../components/Panel';
import { usePlayground } from '../store/context';
import { retvalMeaning, retvalText, RETURN_ROLE } from './retval';
import { currentTarget, hexBytes, runInputFor } from './targets';
import { useCurrentTarget, useLineOfPc } from './use-target';
import type { ExecResult } from '../../workers/vm-exec-spec';
import type { RunTargetInfo } from '../store/slices/run';
import { inputKindOf } from './context-layout';

const fmt = (n: number) => n.toLocaleString('en');

function hexOf(b: Uint8Array, max = 64): string {
  const h = Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, '0')).join(' ');
  return b.length > max ? `${h} … (${b.length} bytes)` : h;
}

function asciiOf(b: Uint8Array): string {
  return Array.from(b.subarray(0, 64), (x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : '.')).join('');
}

/** A link from an instruction to its source line (when the workspace has the file). */
export function InsnLink({ target, pc }: { target: RunTargetInfo; pc: number }) {
  const loc = useLineOfPc(target, pc);
  const reveal = usePlayground((s) => s.revealLine);
  if (!loc) return <>insn {pc}</>;
  return (
    <button type="button" className="line-link" onClick={() => reveal(loc.line, loc.file)} title={`Show ${loc.file}:${loc.line} in the editor`}>
      insn {pc} ({loc.file}:{loc.line})
    </button>
  );
}

function Verdict({ r, anyway }: { r: ExecResult; anyway: boolean }) {
  const runAnyway = usePlayground((s) => s.run);
  const target = usePlayground((s) => s.exec.target);
  if (r.verdict.accepted) return null;
  if (r.run || r.runError) {
    return (
      <div className="run-anyway-note" role="note" data-testid="ran-anyway">
        <strong>Ran anyway</strong>: the verifier rejects this program ({r.verdict.error}); the kernel would not load it.
      </div>
    );
  }
  return (
    <div className="verdict rejected" role="alert" data-testid="run-rejected">
      <div className="verdict-head">
        <strong>Not run: the verifier rejects {r.program.name}</strong>
        {r.verdict.errorInsn !== null && target && <> at <InsnLink target={target} pc={r.verdict.errorInsn} /></>}
      </div>
      <pre className="verdict-error">{r.verdict.error}</pre>
      <div className="verdict-actions">
        The kernel would refuse to load it. The VM can run it regardless, to see what would go wrong:
        <button type="button" className="button small" onClick={() => void runAnyway({ anyway: true })} disabled={anyway}>Run anyway</button>
      </div>
    </div>
  );
}

function ReturnValue({ r }: { r: ExecResult }) {
  const packetLen = usePlayground((s) => (r.program.progType === 'socket_filter' ? Math.max(0, runInputFor(s, 'socket_filter').input.data!.length - 14) : undefined));
  const run = r.run!;
  const meaning = retvalMeaning(r.program.progType, run.retval, packetLen);
  const full = BigInt(run.r0);
  return (
    <div className={`retval ${meaning?.drops ? 'drops' : ''}`} data-testid="retval">
      <div className="retval-line">
        <span className="retval-label">r0</span>
        <code className="retval-number">{retvalText(run.retval)}</code>
        {meaning && <strong className="retval-name" data-testid="retval-name">{meaning.name}</strong>}
        {meaning && <span className="retval-meaning">{meaning.meaning}</span>}
      </div>
      {full > 0xffffffffn && <div className="dim">Full r0 is {run.r0}: the kernel reports its low 32 bits.</div>}
      {!meaning && RETURN_ROLE[r.program.progType] && <div className="dim">For {r.program.progType} programs: {RETURN_ROLE[r.program.progType]}.</div>}
      {run.redirect && <div>Redirect: ifindex {run.redirect.ifindex}{run.redirect.map ? ` (map ${run.redirect.map})` : ''}, flags {run.redirect.flags}</div>}
    </div>
  );
}

function PacketOut({ r }: { r: ExecResult }) {
  const packetHex = usePlayground((s) => (inputKindOf(r.program.progType).kind === 'packet' ? s.exec.input.replace(/^packet:/, '') : null));
  const input = useMemo(() => (packetHex === null ? null : hexBytes(packetHex)), [packetHex]);
  const out = r.run?.dataOut;
  if (!out || !input) return null;
  // Socket filters and the other non-L2 types get the Ethernet header zeroed in data_out (test_run does).
  const l2 = r.program.progType === 'xdp' || r.program.progType === 'sched_cls' || r.program.progType === 'sched_act';
  const from = l2 ? 0 : 14;
  const changed: number[] = [];
  for (let i = from; i < Math.max(out.length, input.length); i++) if (out[i] !== input[i]) changed.push(i);
  if (!changed.length && out.length === input.length) return null;
  return (
    <section className="out-section" aria-label="Packet after the run">
      <h3>Packet after the run</h3>
      <p className="dim">
        {out.length !== input.length ? `${input.length} → ${out.length} bytes. ` : ''}
        {changed.length ? `${changed.length} byte${changed.length === 1 ? '' : 's'} changed.` : ''}
      </p>
      <pre className="hex-out" data-testid="data-out">
        {Array.from(out.subarray(0, 256), (b, i) => (
          <span key={i} className={changed.includes(i) ? 'changed-byte' : undefined}>{b.toString(16).padStart(2, '0')}{(i + 1) % 16 ? ' ' : '\n'}</span>
        ))}
        {out.length > 256 ? `… ${out.length - 256} more bytes` : ''}
      </pre>
    </section>
  );
}

function Records({ r }: { r: ExecResult }) {
  const run = r.run!;
  return (
    <>
      <section className="out-section" aria-label="printk output">
        <h3>trace_pipe <span className="dim">({run.printk.length} line{run.printk.length === 1 ? '' : 's'} from bpf_printk)</span></h3>
        {run.printk.length > 0
          ? <pre className="printk" data-testid="printk">{run.printk.join('\n')}</pre>
          : <p className="dim">No bpf_printk / bpf_trace_printk output.</p>}
      </section>
      {run.events.length > 0 && (
        <section className="out-section" aria-label="Events">
          <h3>Events <span className="dim">({run.events.length})</span></h3>
          <table className="data-table events-table" data-testid="events">
            <thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Map</th><th scope="col">Bytes</th><th scope="col">Text</th></tr></thead>
            <tbody>
              {run.events.slice(0, 200).map((e, k) => (
                <tr key={k}>
                  <td>{k}</td><td>{e.kind === 'ringbuf' ? 'ring buffer' : `perf event${e.cpu !== undefined ? ` (cpu ${e.cpu})` : ''}`}</td><td><code>{e.map}</code></td>
                  <td><code>{hexOf(e.data)}</code></td><td><code>{asciiOf(e.data)}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}

function Stats({ r, repeat }: { r: ExecResult; repeat: number }) {
  const run = r.run!;
  const ns = run.nsPerRun;
  return (
    <div className="run-stats" data-testid="run-stats">
      {fmt(run.insnsExecuted)} instruction{run.insnsExecuted === 1 ? '' : 's'} executed{repeat > 1 ? ' in the last run' : ''}
      {repeat > 1 && ns !== null && (
        <> · {fmt(run.runs)} runs · {ns < 1000 ? `${ns.toFixed(0)} ns` : `${(ns / 1000).toFixed(2)} µs`} per run
          {run.insnsExecuted > 0 && ns > 0 && <> · {((run.insnsExecuted / ns) * 1000).toFixed(1)} M insns/s</>}
          <span className="dim"> (bpfplay's VM in this browser; the kernel's JIT is faster)</span>
        </>
      )}
    </div>
  );
}

function Fault({ r }: { r: ExecResult }) {
  const target = usePlayground((s) => s.exec.target);
  const e = r.run?.error;
  if (!e || !target) return null;
  return (
    <div className="verdict rejected" role="alert" data-testid="run-error">
      <div className="verdict-head"><strong>The program stopped</strong> in {e.program} at <InsnLink target={target} pc={e.insn} /></div>
      <pre className="verdict-error">{e.message}</pre>
      <div className="dim">The kernel's verifier exists to rule this out; a loaded program would not fault here.</div>
    </div>
  );
}

function RepeatControl() {
  const repeat = usePlayground((s) => s.runInputs.repeat);
  const setInputs = usePlayground((s) => s.setRunInputs);
  const run = usePlayground((s) => s.run);
  const busy = usePlayground((s) => s.exec.status === 'running');
  const [text, setText] = useState(String(repeat));
  const n = Number(text);
  const ok = Number.isInteger(n) && n >= 1 && n <= 10_000_000;
  return (
    <span className="repeat-control">
      <button type="button" className="button small" disabled={!ok || busy} onClick={() => { setInputs({ repeat: n }); void run({ repeat: n }); }} title="Run the program this many times on the same input and time it">
        Run N times
      </button>
      <input
        className="num-input" aria-label="Number of runs" value={text} inputMode="numeric" aria-invalid={!ok}
        onChange={(e) => setText(e.target.value.trim())}
        onBlur={() => { if (ok) setInputs({ repeat: n }); }}
      />
    </span>
  );
}

export function OutputPanel() {
  const exec = usePlayground((s) => s.exec);
  const target = useCurrentTarget();
  const stop = usePlayground((s) => s.stopRun);
  const r = exec.result;
  const stale = usePlayground((s) => {
    if (!s.exec.result || !s.exec.target) return false;
    const t = currentTarget(s);
    return !t || t.key !== s.exec.target.key || t.source !== s.exec.source || runInputFor(s, t.progType).key !== s.exec.input;
  });
  const summary = r ? `${exec.target?.title ?? ''} · ${r.program.progType}` : target ? `${target.title} · ${target.progType}` : undefined;
  return (
    <Panel title="Output" testId="output" className="output-panel" summary={summary} actions={<RepeatControl />}>
      {exec.status === 'running' && (
        <div className="run-progress" role="status">
          Running{exec.traced ? ' (recording every step)' : ''}… {exec.progress ? `${fmt(exec.progress)} instructions` : ''}
          <button type="button" className="button small" onClick={stop}>Stop</button>
        </div>
      )}
      {exec.status === 'failed' && <div className="problem" role="alert">The run failed: {exec.error}</div>}
      {exec.status === 'idle' && !r && (
        <p className="empty">
          Press <strong>Run</strong> (Ctrl+Shift+Enter) to run {target ? <code>{target.title}</code> : 'the program'} in bpfplay's VM on the input below,
          or <strong>Step</strong> (F10) to go through it instruction by instruction.
        </p>
      )}
      {r && (
        <div className={`output-body ${stale ? 'stale' : ''}`} data-testid="output-body">
          {stale && <div className="stale-banner">The program or its input changed since this run. Run again to update.</div>}
          <Verdict r={r} anyway={exec.anyway} />
          {r.runError && <div className="problem" role="alert" data-testid="run-start-error">The program could not start: {r.runError}</div>}
          {r.run && (
            <>
              {r.run.ok ? <ReturnValue r={r} /> : <Fault r={r} />}
              <Stats r={r} repeat={exec.repeat} />
              <PacketOut r={r} />
              <Records r={r} />
            </>
          )}
        </div>
      )}
    </Panel>
  );
}
