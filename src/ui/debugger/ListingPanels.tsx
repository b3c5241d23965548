/**
 * The "Xlated" and "Jited" regions: what `bpftool prog dump xlated|jited` would print
 * for the verified program once loaded (the kernel's rewrites, then the x86-64 JIT's
 * code), following the debugger: the lines made from the current step's instruction are
 * marked. `opcodes` and `linum` as bpftool's keywords.
 */
import { useMemo, useState } from 'react';
import { Panel } from '../components/Panel';
import { VirtualList } from '../components/VirtualList';
import { usePlayground } from '../store/context';
import type { ListingLine } from './listings';

const ROW = 18;

function ListingPanel({ title, lines, summary, notes }: { title: 'Xlated' | 'Jited'; lines: ListingLine[]; summary: string; notes: string[] }) {
  const [opcodes, setOpcodes] = useState(false);
  const [linum, setLinum] = useState(true);
  // Follows bpfplay's verification (the program these listings are of).
  const pc = usePlayground((s) => {
    const d = s.logDocs.verifier;
    return d.parsed && d.step !== null ? (d.parsed.steps[d.step]?.pc ?? null) : null;
  });
  const shown = useMemo(
    () => lines.filter((l) => (opcodes || l.kind !== 'bytes') && (linum || l.kind !== 'source')),
    [lines, opcodes, linum],
  );
  const firstCurrent = pc === null ? -1 : shown.findIndex((l) => l.origin === pc);
  const scrollTo = useMemo(() => (firstCurrent >= 0 ? { index: firstCurrent, seq: pc ?? 0 } : null), [firstCurrent, pc]);
  const slug = title.toLowerCase();
  return (
    <Panel
      title={title}
      testId={slug}
      className="listing-panel"
      summary={summary}
      actions={(
        <>
          <label className="toggle"><input type="checkbox" checked={opcodes} onChange={(e) => setOpcodes(e.target.checked)} /> opcodes</label>
          <label className="toggle"><input type="checkbox" checked={linum} onChange={(e) => setLinum(e.target.checked)} /> linum</label>
        </>
      )}
    >
      <div className="log-body">
        {notes.map((n) => <div key={n} className="warning-line">bpfplay note: {n}</div>)}
        <VirtualList
          count={shown.length}
          rowHeight={ROW}
          ariaLabel={`${title} listing`}
          className="log-lines"
          testId={`${slug}-lines`}
          scrollTo={scrollTo}
          renderRow={(i) => {
            const l = shown[i];
            return (
              <div key={i} role="listitem" className={`log-line listing-${l.kind} ${pc !== null && l.origin === pc ? 'current' : ''}`} style={{ height: ROW }} data-origin={l.origin ?? undefined}>
                <span className="log-text">{l.text.replace(/\t/g, '    ') || '\u00a0'}</span>
              </div>
            );
          }}
        />
      </div>
    </Panel>
  );
}

export function XlatedPanel() {
  const l = usePlayground((s) => s.logDocs.verifier.listings);
  if (!l) return null;
  return <ListingPanel title="Xlated" lines={l.xlated} summary={`${l.xlatedInsns} insns · tag ${l.tag} · as bpftool prog dump xlated`} notes={l.notes} />;
}

export function JitedPanel() {
  const l = usePlayground((s) => s.logDocs.verifier.listings);
  if (!l) return null;
  if (!l.jited) return <Panel title="Jited" testId="jited"><div className="problem" role="status">The JIT cannot compile this program: {l.jitError}</div></Panel>;
  return <ListingPanel title="Jited" lines={l.jited} summary={`${l.jitedBytes} bytes of x86-64 · as bpftool prog dump jited`} notes={[]} />;
}
