/**
 * The "Execution" view (a lazily loaded chunk): a debugging run step by step. The trace
 * lists every executed instruction with the registers it changed; the Registers and Stack
 * panels show the VM's concrete state after the current step (values in hex and decimal,
 * pointers named by what they point at); the step's memory writes and helper call are
 * spelled out. Stepping, breakpoints and Run to cursor move through the recorded history,
 * forwards and backwards; nothing runs again.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { ExecutionHistory, type VmState } from '../../core/vm/history';
import type { HistoryData } from '../../core/vm/history';
import type { Change } from '../../core/trace/cursor';
import { Panel } from '../components/Panel';
import { VirtualList } from '../components/VirtualList';
import { usePlayground } from '../store/context';
import type { PlaygroundState } from '../store/create-store';
import type { RegionSnapshot } from '../../workers/vm-service';
import type { TraceState } from '../store/slices/run';
import { hexPairs, kindWord, pointerTarget, u64le, valueText } from './vm-state';
import { currentTarget } from './targets';
import { useBreakpointPcs, useCurrentTarget, useLineOfPc } from './use-target';
import { TargetPicker } from './RunView';
import './run.css';

const ROW = 18;
const histories = new WeakMap<HistoryData, ExecutionHistory>();
const historyOf = (d: HistoryData): ExecutionHistory => {
  let h = histories.get(d);
  if (!h) { h = new ExecutionHistory(d); histories.set(d, h); }
  return h;
};

/** Kernel-syntax text of each instruction (by program name and slot) of the target. */
function useInsnText(): (program: string, pc: number) => string {
  const asm = usePlayground((s) => s.asm.view);
  const objectView = usePlayground((s) => s.object.view);
  const target = usePlayground((s) => s.trace?.targetKey ?? null);
  return useMemo(() => {
    if (target?.startsWith('asm:') && asm) {
      const m = new Map(asm.rows.map((r) => [r.pc, r.kernel.slice(r.kernel.indexOf(':') + 2)]));
      return (_p: string, pc: number) => m.get(pc) ?? '?';
    }
    const byProgram = new Map((objectView?.programs ?? []).map((p) => [p.name, new Map(p.rows.flatMap((r) => (r.kind === 'insn' ? [[r.pc, r.text] as [number, string]] : [])))]));
    return (p: string, pc: number) => byProgram.get(p)?.get(pc) ?? '?';
  }, [asm, objectView, target]);
}

interface StepView {
  tr: TraceState;
  h: ExecutionHistory;
  state: VmState;
  changes: readonly Change[];
}

function useStep(): StepView | null {
  const tr = usePlayground((s) => s.trace);
  return useMemo(() => {
    if (!tr || tr.data.steps === 0) return null;
    const h = historyOf(tr.data);
    return { tr, h, state: h.state(tr.step), changes: h.changes(tr.step) };
  }, [tr]);
}

function regText(v: bigint, regions: readonly RegionSnapshot[]): string {
  const p = pointerTarget(v, regions);
  if (p) return p.text;
  const { hex, dec } = valueText(v);
  return v > 0xffffn ? hex : dec;
}

/** What the step did besides registers: its helper call, memory writes, output. */
function StepEffects({ v }: { v: StepView }) {
  const { state, changes, tr } = v;
  const items: string[] = [];
  if (state.helper) {
    const h = state.helper;
    const r0 = regText(BigInt(h.r0), tr.regions);
    items.push(`call ${h.name}${h.map ? ` on ${h.map}${h.key !== undefined ? ` key ${h.key}` : ''}` : ''} → r0 = ${r0}`);
  }
  for (const c of changes) {
    if (c.kind === 'stack') {
      const frame = state.stacks[c.frame];
      const at = 512 + c.off;
      items.push(`wrote ${c.size} byte${c.size === 1 ? '' : 's'} at ${c.frame ? `fp#${c.frame}` : 'fp'}${c.off}: ${frame ? hexPairs(frame.subarray(at, at + Math.min(c.size, 16))) : ''}`);
    } else if (c.kind === 'mem') {
      const bytes = state.region(c.region);
      const region = tr.regions.find((r) => r.name === c.region);
      const abs = c.off + (region?.origin ?? 0);
      items.push(`wrote ${c.size} byte${c.size === 1 ? '' : 's'} at ${c.region}${c.off < 0 ? '' : '+'}${c.off}${bytes ? `: ${hexPairs(bytes.subarray(abs, abs + Math.min(c.size, 16)))}` : ''}`);
    } else if (c.kind === 'map') {
      items.push(`map ${v.h.data.maps[c.map] ?? c.map}: entry ${c.key} changed`);
    } else if (c.kind === 'output') {
      items.push(c.what === 'printk' ? 'printed a trace_pipe line' : 'output an event');
    }
  }
  if (!items.length) return null;
  return <ul className="step-effects" data-testid="step-effects">{items.map((t, k) => <li key={k}>{t}</li>)}</ul>;
}

function StepBar({ v }: { v: StepView | null }) {
  const step = usePlayground((s) => s.stepExec);
  const cont = usePlayground((s) => s.continueExec);
  const bps = usePlayground((s) => s.breakpoints.length);
  const target = usePlayground((s) => s.exec.target);
  const n = v?.tr.data.steps ?? 0;
  return (
    <div className="step-controls exec-step-bar" role="group" aria-label="Execution stepping">
      <button type="button" className="button small" onClick={() => void step(-1)} disabled={!v || v.tr.step === 0} title="Previous step (Shift+F10)">Step back</button>
      <button type="button" className="button small" onClick={() => void step(1)} disabled={!v || v.tr.step === n - 1} title="Next step (F10)">Step</button>
      <button type="button" className="button small" onClick={() => void cont()} title={bps ? 'To the next breakpoint (F8)' : 'To the end (F8); click line numbers to set breakpoints'}>Continue</button>
      {v && (
        <span className="step-status" data-testid="exec-step-status" aria-live="polite">
          step {(v.tr.step + 1).toLocaleString('en')} of {n.toLocaleString('en')} · insn {v.state.pc}
          {v.state.program && v.h.data.programs.length > 1 ? ` of ${v.state.program}` : ''}
          {v.state.frame ? ` · frame ${v.state.frame}` : ''}
          {target && <> · <SourceOf target={target} pc={v.state.pc} /></>}
        </span>
      )}
    </div>
  );
}

function SourceOf({ target, pc }: { target: NonNullable<PlaygroundState['exec']['target']>; pc: number }) {
  const loc = useLineOfPc(target, pc);
  return loc ? <>{loc.file}:{loc.line}</> : null;
}

function TraceList({ v }: { v: StepView }) {
  const setStep = usePlayground((s) => s.setExecStep);
  const stepExec = usePlayground((s) => s.stepExec);
  const text = useInsnText();
  const target = useCurrentTarget();
  const bps = useBreakpointPcs(target);
  const { h, tr } = v;
  const scrollTo = useMemo(() => ({ index: tr.step, seq: tr.step }), [tr.step]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); void stepExec(1); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); void stepExec(-1); }
    else if (e.key === 'Home') { e.preventDefault(); setStep(0); }
    else if (e.key === 'End') { e.preventDefault(); setStep(tr.data.steps - 1); }
  };
  const deltas = (k: number): string => {
    const d = h.data;
    const parts: string[] = [];
    for (let i = d.regOffsets[k]; i < d.regOffsets[k + 1]; i += 3) {
      const r = d.regDeltas[i];
      const val = (BigInt(d.regDeltas[i + 2] >>> 0) << 32n) | BigInt(d.regDeltas[i + 1] >>> 0);
      parts.push(`r${r}=${regText(val, tr.regions)}`);
    }
    return parts.join(' ');
  };
  return (
    <VirtualList
      count={tr.data.steps}
      rowHeight={ROW}
      ariaLabel="Executed instructions"
      className="log-lines exec-lines"
      testId="exec-lines"
      scrollTo={scrollTo}
      onKeyDown={onKey}
      renderRow={(k) => {
        const pc = h.pc(k);
        const d = deltas(k);
        return (
          <div key={k} role="listitem" className={`log-line k-insn ${k === tr.step ? 'current' : ''} ${bps.has(pc) ? 'has-bp' : ''}`} style={{ height: ROW }} onClick={() => setStep(k)} data-step={k}>
            <span className="log-ln" aria-hidden="true">{k + 1}</span>
            <span className="log-text">{h.frame(k) ? '  '.repeat(h.frame(k)) : ''}{pc}: {text(h.program(k), pc)}{d && <span className="log-state">{'  ; '}{d}</span>}</span>
          </div>
        );
      }}
    />
  );
}

function VmRegistersPanel({ v }: { v: StepView }) {
  const { state, changes, tr, h } = v;
  // Registers not written since the program started (besides r1 = ctx and r10 = fp) hold nothing meaningful.
  const written = useMemo(() => {
    const set = new Set([1, 10]);
    const d = h.data;
    for (let i = 0; i < d.regOffsets[tr.step + 1] && set.size < 11; i += 3) set.add(d.regDeltas[i]);
    return set;
  }, [h, tr.step]);
  const changed = new Set(changes.flatMap((c) => (c.kind === 'reg' ? [c.reg] : [])));
  return (
    <Panel title="Registers" testId="registers" className="state-panel vm-state" summary={<><span className="trace-kind vm">execution</span> concrete values after step {tr.step + 1} (insn {state.pc})</>}>
      <table className="data-table regs-table">
        <thead><tr><th scope="col">Reg</th><th scope="col">Value</th><th scope="col">Hex</th></tr></thead>
        <tbody>
          {state.regs.map((val, r) => {
            const p = pointerTarget(val, tr.regions);
            const { hex, dec } = valueText(val);
            const unset = !written.has(r);
            return (
              <tr key={r} className={`reg-row ${changed.has(r) ? 'changed' : ''} ${unset ? 'uninit' : ''}`} data-testid="reg-row" aria-description={changed.has(r) ? 'changed by this step' : undefined}>
                <th scope="row">R{r}</th>
                <td className="reg-value">
                  {unset ? <span className="dim">not written yet</span> : p ? (
                    <><span className="reg-kind">pointer to {kindWord(p.region)}</span> <span className="reg-summary">{p.text}</span>{p.outside && <span className="field-problem"> (outside it)</span>}</>
                  ) : (
                    <><span className="reg-kind">scalar</span> <span className="reg-summary">{dec}</span></>
                  )}
                </td>
                <td className="kernel-text"><code>{hex}</code></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}

function VmStackPanel({ v }: { v: StepView }) {
  const { state, changes, tr, h } = v;
  const [chosen, setChosen] = useState<number | null>(null);
  const frame = chosen !== null && chosen <= state.frame ? chosen : state.frame;
  const bytes = state.stacks[frame];
  // Slots written so far in this frame's stack (the bytes of others are whatever was there).
  const writtenSlots = useMemo(() => {
    const region = tr.regions.find((r) => r.kind === 'stack' && r.name === (frame ? `fp#${frame}` : 'fp'));
    const out = new Set<number>();
    if (!region) return out;
    const w = h.data.writes;
    for (let i = 0; i < w.length && w[i] <= tr.step; i += 6) {
      if (w[i + 1] !== region.id || w[i + 5]) continue;
      for (let b = w[i + 2]; b < w[i + 2] + w[i + 3]; b++) out.add(Math.floor(b / 8) * 8);
    }
    return out;
  }, [h, tr.regions, tr.step, frame]);
  const changed = new Set(changes.flatMap((c) => (c.kind === 'stack' && c.frame === frame ? [Math.floor((512 + c.off) / 8) * 8] : [])));
  const slots = [...writtenSlots].sort((a, b) => b - a);
  return (
    <Panel title="Stack" testId="stack" className="state-panel vm-state" summary={<><span className="trace-kind vm">execution</span> {slots.length} of 64 slots written{state.frame ? ` · frame ${frame} of ${state.frame}` : ''}</>}>
      {state.frame > 0 && (
        <div className="frame-picker" role="radiogroup" aria-label="Call frame">
          {Array.from({ length: state.frame + 1 }, (_, k) => (
            <label key={k} className={`frame-choice ${k === frame ? 'selected' : ''}`}>
              <input type="radio" name="vm-frame" checked={k === frame} onChange={() => setChosen(k)} />
              {k === 0 ? 'frame 0 (main)' : `frame ${k}`}
            </label>
          ))}
        </div>
      )}
      {!slots.length && <p className="empty">Nothing written to this frame's stack yet.</p>}
      {slots.length > 0 && bytes && (
        <table className="data-table stack-table">
          <thead><tr><th scope="col">Slot</th><th scope="col" title="fp-8 holds bytes fp-8 … fp-1, lowest address first">Bytes</th><th scope="col">As u64</th></tr></thead>
          <tbody>
            {slots.map((at) => {
              const slot = bytes.subarray(at, at + 8);
              const val = u64le(slot);
              const p = pointerTarget(val, tr.regions);
              return (
                <tr key={at} className={changed.has(at) ? 'changed' : ''} data-testid="stack-row">
                  <th scope="row">fp{at - 512}</th>
                  <td><code>{hexPairs(slot)}</code></td>
                  <td>{p ? <><span className="reg-kind">pointer</span> {p.text}</> : <code>{valueText(val).dec}</code>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

export default function ExecutionView() {
  const v = useStep();
  const exec = usePlayground((s) => s.exec);
  const stale = usePlayground((s) => {
    const tr = s.trace;
    if (!tr) return false;
    const t = currentTarget(s);
    return !t || t.key !== tr.targetKey || t.source !== tr.source;
  });
  const running = exec.status === 'running' && exec.traced;
  return (
    <div className="exec-view">
      <div className="run-bar"><TargetPicker /></div>
      <section role="region" aria-label="Execution" className="panel log-panel exec-panel" data-testid="execution">
        <header className="panel-header">
          <h2 className="panel-title">Execution</h2>
          <div className="panel-summary">
            <span className="trace-kind vm">execution</span>{' '}
            {v ? `${exec.target?.title ?? ''} · ${v.tr.data.steps.toLocaleString('en')} steps recorded · r0 = ${exec.result?.run?.retval ?? '?'}` : running ? 'recording…' : ''}
          </div>
        </header>
        <div className="panel-body log-body">
          {stale && <div className="stale-banner">The program changed since this run: Step starts a new one.</div>}
          <StepBar v={v} />
          {v && <StepEffects v={v} />}
          {running && !v && <p className="empty" role="status">Recording every step of a run…</p>}
          {v && <TraceList v={v} />}
        </div>
      </section>
      {v && (
        <div className="state-panels">
          <VmRegistersPanel v={v} />
          <VmStackPanel v={v} />
        </div>
      )}
    </div>
  );
}
