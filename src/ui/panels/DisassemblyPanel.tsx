/**
 * Assembly mode's result: every instruction as encoded slots, in the kernel's syntax and
 * in llvm-objdump's, row by row beside the source line it came from. Clicking a row's
 * line number selects that line in the editor; the editor's cursor line lights up its rows.
 */
import { Panel } from '../components/Panel';
import { usePlayground } from '../store/context';
import { asmIsStale } from '../store/slices/build';
import type { AsmView } from '../assembly/asm-view';
import { KernelText } from '../listing/KernelText';
import { steppingVerifier } from '../store/slices/run';

function Summary({ view, file }: { view: AsmView; file: string | null }) {
  const n = view.rows.length;
  const parts: string[] = [...(file ? [file] : []), `${n} instruction${n === 1 ? '' : 's'}`, `${view.slotCount} slot${view.slotCount === 1 ? '' : 's'}`];
  if (view.section !== undefined) parts.push(view.progType ? `section ${view.section} (${view.progType})` : `section ${view.section}`);
  if (view.license !== undefined) parts.push(`license ${view.license}`);
  return <span data-testid="asm-summary">{parts.join(' · ')}</span>;
}

function MapList({ view }: { view: AsmView }) {
  if (!view.maps.length) return null;
  return (
    <ul className="map-list" aria-label="Maps declared">
      {view.maps.map((m) => (
        <li key={m.name}>
          <code>{m.name}</code>: {m.type}, key {m.key_size} B, value {m.value_size} B, {m.max_entries} entr{m.max_entries === 1 ? 'y' : 'ies'}
        </li>
      ))}
    </ul>
  );
}

export function DisassemblyPanel() {
  const view = usePlayground((s) => s.asm.view);
  const problem = usePlayground((s) => s.asm.problem);
  const file = usePlayground((s) => s.asm.file);
  const stale = usePlayground(asmIsStale);
  // The editor's cursor line means this listing's lines only while the assembly file is open.
  const focusLine = usePlayground((s) => (s.activeFile === s.asm.file ? s.focusLine : null));
  const reveal = usePlayground((s) => s.revealLine);
  const revealLine = (line: number) => reveal(line, file);
  const multi = usePlayground((s) => s.files.length > 1);
  const alu32 = usePlayground((s) => s.llvmAlu32);
  const setAlu32 = usePlayground((s) => s.setLlvmAlu32);
  const breakpoints = usePlayground((s) => s.breakpoints);
  const toggleBreakpoint = usePlayground((s) => s.toggleBreakpoint);
  const bpLines = new Set(breakpoints.flatMap((b) => (b.kind === 'line' && b.file === file ? [b.line] : [])));
  // The instruction an execution being stepped is at (this file's program).
  const vmPc = usePlayground((s) => (s.trace && !steppingVerifier(s) && s.exec.target?.key === s.trace.targetKey && s.exec.target.file === s.asm.file ? s.trace.data.slots[s.trace.step] : null));

  return (
    <Panel title="Disassembly" testId="disassembly" summary={view ? <Summary view={view} file={multi ? file : null} /> : undefined} className="disassembly">
      {problem && (
        <div className="problem" role="status" data-testid="asm-problem">
          <button type="button" className="link" onClick={() => revealLine(problem.line)}>
            Line {problem.line}, column {problem.startColumn}
          </button>
          : {problem.message}
          {stale && <span className="stale-note"> — showing the last program that assembled</span>}
        </div>
      )}
      {view && <MapList view={view} />}
      {view && view.rows.length === 0 && !problem && <p className="empty">No instructions yet: type some BPF assembly in the editor.</p>}
      {view && view.rows.length > 0 && (
        <div className={`table-scroll ${stale ? 'stale' : ''}`}>
          <table className="listing" data-testid="asm-table">
            <thead>
              <tr>
                <th scope="col" className="col-line">Line</th>
                <th scope="col" className="col-hex">Encoded</th>
                <th scope="col" className="col-kernel" title="As the 6.18 verifier log and bpftool prog dump xlated print it">Kernel</th>
                <th scope="col" className="col-llvm">
                  <span title="As llvm-objdump-19 -d --no-show-raw-insn prints it; labels are shown as symbols">llvm-objdump</span>
                  <select className="inline-select" aria-label="llvm-objdump CPU" value={alu32 ? 'v3' : 'v1'} onChange={(e) => setAlu32(e.target.value === 'v3')}>
                    <option value="v1">default CPU</option>
                    <option value="v3">--mcpu=v3</option>
                  </select>
                </th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr key={r.pc} data-testid="asm-row" className={r.pc === vmPc ? 'current' : r.line === focusLine ? 'focused' : undefined}>
                  <td className="col-line">
                    {/* Mouse only: F9 on the editor's line is the keyboard's way. */}
                    <button
                      type="button" tabIndex={-1} className={`bp-dot ${bpLines.has(r.line) ? 'on' : ''}`} aria-pressed={bpLines.has(r.line)}
                      aria-label={`Breakpoint at line ${r.line}`} title={bpLines.has(r.line) ? 'Remove the breakpoint' : 'Set a breakpoint (Continue stops here)'}
                      onClick={() => file && toggleBreakpoint({ kind: 'line', file, line: r.line })}
                    />
                    <button type="button" className="line-link" onClick={() => revealLine(r.line)} aria-label={`Go to line ${r.line}`}>{r.line}</button>
                  </td>
                  <td className="col-hex" data-testid="asm-encoded">{r.slots.map((h, k) => <div key={k}>{h}</div>)}</td>
                  <td className="col-kernel" data-testid="asm-kernel"><KernelText text={r.kernel} map={r.map} valueOff={r.mapValueOff} /></td>
                  <td className="col-llvm" data-testid="asm-llvm">{r.llvm}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
