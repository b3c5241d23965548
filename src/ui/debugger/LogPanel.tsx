/**
 * The "Verifier log" region: a log from a real kernel, whole and untruncated, in a
 * virtualised list (megabytes scroll smoothly), under a summary that keeps the real error
 * at the top. A click on a line, Step / Step back, the arrow keys or "Go to error" choose
 * the step the Registers and Stack panels show.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import { Panel } from '../components/Panel';
import { VirtualList } from '../components/VirtualList';
import { LOG_LINE_KINDS, type ParsedKernelLog } from '../../core/trace/kernel-log';
import { usePlayground } from '../store/context';
import { useLogStep } from './use-log-step';

const ROW_HEIGHT = 18;
/** Kinds hidden unless "Show precision and liveness lines" is on: the verifier's bookkeeping. */
const DETAIL_KINDS = new Set(['precise', 'liveness', 'scc'].map((k) => LOG_LINE_KINDS.indexOf(k as (typeof LOG_LINE_KINDS)[number])));

function Verdict({ parsed }: { parsed: ParsedKernelLog }) {
  const ours = usePlayground((s) => s.logSource === 'verifier');
  const goToError = usePlayground((s) => s.goToLogError);
  const reveal = usePlayground((s) => s.revealLine);
  const files = usePlayground((s) => s.files);
  const e = parsed.error;
  const s = parsed.summary;
  const errStep = e?.step !== undefined ? parsed.steps[e.step] : undefined;
  const source = errStep?.source !== undefined ? /^; (.*) @ ([^\s@]+):(\d+)$/.exec(parsed.lines[errStep.source]) : null;
  return (
    <div className="log-summary" data-testid="log-summary">
      {parsed.accepted === false && e && (
        <div className="verdict rejected" role="alert">
          <div className="verdict-head">
            <strong>Rejected</strong>
            {e.pc !== undefined && <> at insn {e.pc}{errStep?.insn ? <>: <code>{errStep.insn}</code></> : null}</>}
            {e.step !== undefined && <button type="button" className="button small" onClick={goToError}>Go to error</button>}
          </div>
          <pre className="verdict-error" data-testid="log-error">{e.text}</pre>
          {source && (
            <div className="verdict-source">
              ; {source[1]} @{' '}
              {files.some((f) => f.name === source[2])
                ? <button type="button" className="line-link" onClick={() => reveal(Number(source[3]), source[2])}>{source[2]}:{source[3]}</button>
                : `${source[2]}:${source[3]}`}
            </div>
          )}
        </div>
      )}
      {parsed.accepted === true && (
        <div className="verdict accepted" role="status">
          <strong>Accepted</strong> {ours ? "by bpfplay's verifier (Linux 6.18's rules)." : "by the kernel's verifier."}
        </div>
      )}
      {parsed.accepted === null && <div className="verdict unknown" role="status"><strong>No verdict</strong>: the log ends before the verifier's summary.</div>}
      {s && (
        <div className="log-stats" data-testid="log-stats">
          processed {s.processed.toLocaleString('en')} insns (limit {s.limit.toLocaleString('en')}) · {s.totalStates} states saved, {s.peakStates} at the peak,
          at most {s.maxStatesPerInsn} per insn · log level {parsed.level} · {parsed.steps.length.toLocaleString('en')} steps
        </div>
      )}
      {parsed.notes.map((n) => <div key={n} className="warning-line">{n}</div>)}
    </div>
  );
}

function StepControls({ parsed }: { parsed: ParsedKernelLog }) {
  const step = usePlayground((s) => s.log.step);
  const stepLog = usePlayground((s) => s.stepLog);
  const goToError = usePlayground((s) => s.goToLogError);
  const view = useLogStep();
  const n = parsed.steps.length;
  if (!n) return <p className="empty">The log shows no instruction steps (level 1 logs of accepted programs are only the summary; load with log level 2 to see every step).</p>;
  return (
    <div className="step-controls" role="group" aria-label="Stepping">
      <button type="button" className="button small" onClick={() => stepLog(-1)} disabled={step === 0} aria-keyshortcuts="Shift+F10" title="Previous step (Shift+F10, or ↑ in the log)">Step back</button>
      <button type="button" className="button small" onClick={() => stepLog(1)} disabled={step === n - 1} aria-keyshortcuts="F10" title="Next step (F10, or ↓ in the log)">Step</button>
      {parsed.error?.step !== undefined && <button type="button" className="button small" onClick={goToError} aria-keyshortcuts="F8" title="The rejected instruction (F8)">Go to error</button>}
      {view && (
        <span className="step-status" data-testid="step-status" aria-live="polite">
          step {view.index + 1} of {n} · insn {view.step.pc}{view.step.frame ? ` · frame ${view.step.frame}` : ''}
          {view.step.kind === 'pruned' && ' · pruned (an explored state covers it)'}
          {view.step.kind === 'error' && ' · rejected here'}
          {view.step.startsPath && view.step.pushedBy !== undefined && ` · branch queued at insn ${view.parsed.steps[view.step.pushedBy].pc}`}
        </span>
      )}
    </div>
  );
}

function LogLine({ parsed, line, current, onSelect }: { parsed: ParsedKernelLog; line: number; current: boolean; onSelect(line: number): void }) {
  const kind = LOG_LINE_KINDS[parsed.kinds[line]];
  const text = parsed.lines[line];
  let body;
  if (kind === 'insn') {
    const k = text.search(/\s+; /);
    body = k < 0 ? text : <>{text.slice(0, k)}<span className="log-state">{text.slice(k)}</span></>;
  } else body = text || '\u00a0';
  return (
    <div
      role="listitem"
      className={`log-line k-${kind} ${current ? 'current' : ''}`}
      style={{ height: ROW_HEIGHT }}
      data-line={line}
      onClick={() => onSelect(line)}
    >
      <span className="log-ln" aria-hidden="true">{line + 1}</span>
      <span className="log-text">{body}</span>
    </div>
  );
}

/** Switches between the imported log and bpfplay's verification when there are both. */
function SourceSwitch() {
  const source = usePlayground((s) => s.logSource);
  const docs = usePlayground((s) => s.logDocs);
  const show = usePlayground((s) => s.showLog);
  if (docs.imported.status === 'none' || docs.verifier.status === 'none') return null;
  return (
    <div className="segmented" role="radiogroup" aria-label="Log shown">
      {(['verifier', 'imported'] as const).map((k) => (
        <label key={k} className={source === k ? 'selected' : ''}>
          <input type="radio" name="log-source" checked={source === k} onChange={() => show(k)} />
          {k === 'verifier' ? 'bpfplay verifier' : 'imported log'}
        </label>
      ))}
    </div>
  );
}

export function LogPanel() {
  const log = usePlayground((s) => s.log);
  const source = usePlayground((s) => s.logSource);
  const name = log.title;
  const remove = usePlayground((s) => s.removeLog);
  const retryImported = usePlayground((s) => s.parseImportedLog);
  const reverify = usePlayground((s) => s.verify);
  const retry = source === 'imported' ? retryImported : () => reverify();
  const selectLine = usePlayground((s) => s.selectLogLine);
  const stepLog = usePlayground((s) => s.stepLog);
  const setStep = usePlayground((s) => s.setLogStep);
  const [details, setDetails] = useState(false);
  const parsed = log.parsed;
  const visible = useMemo(() => {
    if (!parsed) return [];
    const out: number[] = [];
    for (let i = 0; i < parsed.lines.length; i++) if (details || !DETAIL_KINDS.has(parsed.kinds[i])) out.push(i);
    return out;
  }, [parsed, details]);
  const currentLine = parsed && log.step !== null ? parsed.steps[log.step]?.line : undefined;
  const scrollTo = useMemo(() => {
    if (currentLine === undefined) return null;
    // The nearest visible line at or before the step's line.
    let lo = 0;
    let hi = visible.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (visible[mid] <= currentLine) lo = mid; else hi = mid - 1;
    }
    return { index: lo, seq: log.step ?? 0 };
  }, [currentLine, visible, log.step]);

  const onKey = (e: KeyboardEvent) => {
    if (!parsed) return;
    if (e.key === 'ArrowDown' || e.key === 'j') { e.preventDefault(); stepLog(1); }
    else if (e.key === 'ArrowUp' || e.key === 'k') { e.preventDefault(); stepLog(-1); }
    else if (e.key === 'Home') { e.preventDefault(); setStep(0); }
    else if (e.key === 'End') { e.preventDefault(); setStep(parsed.steps.length - 1); }
  };

  const from = source === 'verifier'
    ? `bpfplay verifier${parsed?.program && log.asmFile === undefined ? `, prog ${parsed.program}` : ''}`
    : parsed?.format === 'kernel' ? 'kernel log' : parsed?.format === 'libbpf' ? `libbpf / bpftool${parsed.program ? `, prog ${parsed.program}` : ''}` : `kbpf JSON${parsed?.program ? `, ${parsed.program}` : ''}`;
  const summary = parsed ? `${name} · ${from} · ${parsed.lines.length.toLocaleString('en')} lines` : name;
  return (
    <Panel
      title="Verifier log"
      testId="verifier-log"
      className="log-panel"
      summary={summary}
      actions={(
        <>
          <SourceSwitch />
          <label className="toggle" title="mark_precise backtracking, stack liveness and SCC lines">
            <input type="checkbox" checked={details} onChange={(e) => setDetails(e.target.checked)} /> Show precision and liveness lines
          </label>
          {source === 'imported' && <button type="button" className="button small" onClick={remove} title="Remove the imported log from the workspace">Remove</button>}
        </>
      )}
    >
      {log.status === 'loading' && <p className="empty" role="status">{source === 'verifier' ? `Verifying ${name}…` : `Reading ${name}…`}</p>}
      {log.status === 'failed' && (
        <div className="problem" role="alert">{name} could not be read: {log.error} <button type="button" className="link" onClick={() => void retry()}>Try again</button></div>
      )}
      {parsed && (
        <div className="log-body">
          <Verdict parsed={parsed} />
          <StepControls parsed={parsed} />
          <VirtualList
            count={visible.length}
            rowHeight={ROW_HEIGHT}
            ariaLabel="Log lines"
            className="log-lines"
            testId="log-lines"
            scrollTo={scrollTo}
            onKeyDown={onKey}
            renderRow={(i) => <LogLine key={visible[i]} parsed={parsed} line={visible[i]} current={visible[i] === currentLine} onSelect={selectLine} />}
          />
        </div>
      )}
    </Panel>
  );
}
