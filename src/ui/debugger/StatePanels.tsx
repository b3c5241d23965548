/**
 * The "Registers" and "Stack" regions: the verifier's state after the current step, one
 * call frame at a time, each value in words beside the kernel's own text, what the step
 * changed highlighted.
 */
import { Panel } from '../components/Panel';
import { usePlayground } from '../store/context';
import { describeReg, describeSlot } from './describe';
import { useLogStep, type LogStepView } from './use-log-step';

const BYTE_CHAR: Record<string, string> = { invalid: '?', spill: 'r', misc: 'm', zero: '0', dynptr: 'd', iter: 'i', irq_flag: 'f' };

function FramePicker({ view }: { view: LogStepView }) {
  const setFrame = usePlayground((s) => s.setLogFrame);
  const frames = view.step.state.frames;
  if (frames.length < 2) return null;
  return (
    <div className="frame-picker" role="radiogroup" aria-label="Call frame">
      {frames.map((f, k) => (
        <label key={k} className={`frame-choice ${k === view.frame ? 'selected' : ''}`}>
          <input type="radio" name={`frame-${view.parsed.lines.length}`} checked={k === view.frame} onChange={() => setFrame(k === frames.length - 1 ? null : k)} />
          {k === 0 ? 'frame 0 (main)' : `frame ${k} (called at ${f.callsite})`}
        </label>
      ))}
    </div>
  );
}

function frameSummary(view: LogStepView): string {
  const n = view.step.state.frames.length;
  return `after step ${view.index + 1} (insn ${view.step.pc})${n > 1 ? ` · frame ${view.frame} of ${n - 1}` : ''}`;
}

export function RegistersPanel() {
  const view = useLogStep();
  if (!view) return null;
  const f = view.step.state.frames[view.frame];
  const changed = new Set(view.changes.filter((c) => c.kind === 'reg' && c.frame === view.frame).map((c) => (c.kind === 'reg' ? c.reg : -1)));
  return (
    <Panel title="Registers" testId="registers" className="state-panel" summary={<><span className="trace-kind verifier">verifier</span> abstract state {frameSummary(view)}</>}>
      <FramePicker view={view} />
      <table className="data-table regs-table">
        <thead><tr><th scope="col">Reg</th><th scope="col">Value</th><th scope="col">Kernel text</th></tr></thead>
        <tbody>
          {f.regs.map((text, r) => {
            if (text === null) {
              return (
                <tr key={r} className="reg-row uninit" data-testid="reg-row">
                  <th scope="row">R{r}</th><td colSpan={2} className="dim">not initialised</td>
                </tr>
              );
            }
            const d = describeReg(text);
            return (
              <tr key={r} className={`reg-row ${changed.has(r) ? 'changed' : ''} ${d.maybeNull ? 'maybe-null' : ''}`} data-testid="reg-row" aria-description={changed.has(r) ? 'changed by this step' : undefined}>
                <th scope="row">R{r}</th>
                <td className="reg-value">
                  <div><span className="reg-kind">{d.kind}</span>{d.summary && <> <span className="reg-summary">{d.summary}</span></>}</div>
                  {d.details.length > 0 && (
                    <div className="reg-details">
                      {d.details.map(([k, v]) => <span key={k}><span className="dt">{k}</span> {v}</span>)}
                    </div>
                  )}
                </td>
                <td className="kernel-text"><code>{text}</code></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Panel>
  );
}

export function StackPanel() {
  const view = useLogStep();
  if (!view) return null;
  const f = view.step.state.frames[view.frame];
  const changed = new Set(view.changes.filter((c) => c.kind === 'stack' && c.frame === view.frame).map((c) => (c.kind === 'stack' ? c.off : 0)));
  return (
    <Panel title="Stack" testId="stack" className="state-panel" summary={<><span className="trace-kind verifier">verifier</span> {f.stack.length} slot{f.stack.length === 1 ? '' : 's'} in use of 64 (512 bytes)</>}>
      {f.stack.length === 0 && <p className="empty">No stack slot written yet in this frame.</p>}
      {f.stack.length > 0 && (
        <table className="data-table stack-table">
          <thead><tr><th scope="col">Slot</th><th scope="col" title="One cell per byte, fp-1 of the slot first: m data, 0 zero, r spilled register, ? not written">Bytes</th><th scope="col">Holds</th></tr></thead>
          <tbody>
            {f.stack.map((slot) => {
              const d = describeSlot(slot.text);
              return (
                <tr key={slot.off} className={changed.has(slot.off) ? 'changed' : ''} data-testid="stack-row">
                  <th scope="row">fp{slot.off}</th>
                  <td>
                    <span className="slot-bytes" aria-label={d.bytes.join(', ')}>
                      {d.bytes.map((b, k) => <span key={k} className={`slot-byte b-${b}`} title={`fp${slot.off + 7 - k}: ${b}`}>{BYTE_CHAR[b]}</span>)}
                    </span>
                  </td>
                  <td>
                    <div>{d.summary}</div>
                    <div className="kernel-text"><code>{slot.text}</code></div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
