/**
 * The "Object" region: an imported ELF object as the loader, readelf and bpftool see it.
 * Programs (kernel-syntax listing with the C source lines interleaved as the verifier log
 * prints them), maps and initial global data, ELF sections / symbols / relocations, and
 * BTF (raw as `bpftool btf dump`, and as C) with `.BTF.ext` function and line info.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Panel } from '../components/Panel';
import { Tabs } from '../components/Tabs';
import { KernelText } from '../listing/KernelText';
import type { ObjectView, ProgramView } from '../object/inspect';
import { usePlayground } from '../store/context';
import { base64ToBytes } from '../workspace/base64';

const kb = (n: number) => (n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function Summary({ view }: { view: ObjectView }) {
  const parts = [view.name, kb(view.size)];
  if (!view.elfError && !view.loadError) parts.push(plural(view.programs.length, 'program'), plural(view.maps.length, 'map'));
  if (view.license) parts.push(`license ${view.license}`);
  return <span data-testid="object-summary">{parts.join(' · ')}</span>;
}

/** A source line: opens the file when the workspace has one of that name. */
function SourceLine({ text, file, line }: { text: string; file: string; line: number }) {
  const has = usePlayground((s) => s.files.some((f) => f.name === file));
  const reveal = usePlayground((s) => s.revealLine);
  const where = `${file}:${line}`;
  return (
    <span className="source-line">
      ; {text} @ {has ? <button type="button" className="line-link" onClick={() => reveal(line, file)}>{where}</button> : where}
    </span>
  );
}

function ProgramListing({ p }: { p: ProgramView }) {
  return (
    <table className="listing object-listing" data-testid="program-listing">
      <tbody>
        {p.rows.map((r, k) => {
          if (r.kind === 'func') return <tr key={k} className="func-row"><td colSpan={2}>{r.text}:</td></tr>;
          if (r.kind === 'source') return <tr key={k} className="source-row" data-testid="source-row"><td colSpan={2}><SourceLine text={r.text} file={r.file} line={r.line} /></td></tr>;
          return (
            <tr key={k} data-testid="insn-row">
              <td className="col-pc">{r.pc}:</td>
              <td className="col-kernel"><KernelText text={r.text} map={r.map} valueOff={r.valueOff} /></td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Programs({ view }: { view: ObjectView }) {
  const [selected, setSelected] = useState(0);
  const verify = usePlayground((s) => s.verify);
  const base64 = usePlayground((s) => s.importedObject?.base64);
  const index = Math.min(selected, view.programs.length - 1);
  const p = view.programs[index];
  if (!p) return <p className="empty">No programs in this object.</p>;
  return (
    <div className="object-programs">
      <div className="object-bar">
        {view.programs.length > 1 && (
          <label className="toolbar-field">
            <span>Program</span>
            <select aria-label="Program" value={selected} onChange={(e) => setSelected(Number(e.target.value))}>
              {view.programs.map((q, k) => <option key={q.name} value={k}>{q.name} ({q.section})</option>)}
            </select>
          </label>
        )}
        <span className="chips" data-testid="program-facts">
          <span className="chip">{p.name}</span>
          <span className="chip" title="ELF section">SEC("{p.section}")</span>
          <span className="chip" title="Program type libbpf derives from the section">{p.progType}</span>
          {p.attachType && <span className="chip" title="expected_attach_type">attach {p.attachType}</span>}
          {p.attachTo && <span className="chip" title="Attach target">{p.attachTo}</span>}
          <span className="chip">{plural(p.slots, 'insn')}</span>
          {p.funcs.length > 1 && <span className="chip">{plural(p.funcs.length, 'function')}</span>}
          {!p.autoload && <span className="chip" title='SEC("?...") programs are not loaded unless asked for'>not autoloaded</span>}
          {p.kfuncs.length > 0 && <span className="chip" title="kfuncs called">kfuncs: {p.kfuncs.join(', ')}</span>}
        </span>
        {base64 !== undefined && (
          <button
            type="button"
            className="button small primary"
            title="Verify this program with bpfplay's verifier"
            onClick={() => void verify({ kind: 'object', name: view.name, bytes: base64ToBytes(base64), program: index })}
          >
            Verify {p.name}
          </button>
        )}
      </div>
      <div className="table-scroll">
        <ProgramListing p={p} />
      </div>
    </div>
  );
}

function Maps({ view }: { view: ObjectView }) {
  if (!view.maps.length) return <p className="empty">No maps in this object.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="maps-table">
        <thead>
          <tr>
            <th scope="col">Name</th><th scope="col">Type</th><th scope="col">Key</th><th scope="col">Value</th>
            <th scope="col">Max entries</th><th scope="col">Flags</th><th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {view.maps.map((m) => (
            <tr key={m.name}>
              <td><code>{m.name}</code>{m.innerTemplate && <span className="badge" title="The description of an outer map's inner maps">inner template</span>}</td>
              <td>{m.type}</td>
              <td><code>{m.keyType ?? ''}</code> {m.keySize} B</td>
              <td><code>{m.valueType ?? ''}</code> {m.valueSize} B</td>
              <td>{m.maxEntries}</td>
              <td>{m.flags ? `0x${m.flags.toString(16)}` : '0'}</td>
              <td>{m.section ?? m.kind}{m.frozen ? ' (frozen)' : ''}{m.pinPath ? `, pinned at ${m.pinPath}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.maps.filter((m) => m.initialHex !== undefined).map((m) => (
        <section key={m.name} className="global-data" aria-label={`Initial data of ${m.name}`}>
          <h3>{m.name}: initial data, {m.initialSize} bytes</h3>
          {m.vars.length > 0 && (
            <table className="data-table">
              <thead><tr><th scope="col">Variable</th><th scope="col">Offset</th><th scope="col">Size</th><th scope="col">Value</th><th scope="col">Bytes</th></tr></thead>
              <tbody>
                {m.vars.map((v) => (
                  <tr key={v.name} data-testid="global-var">
                    <td><code>{v.type ?? v.name}</code></td><td>{v.offset}</td><td>{v.size}</td><td>{v.value ?? ''}</td><td className="col-hex">{v.hex}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {m.vars.length === 0 && <pre className="hexdump">{m.initialHex}</pre>}
        </section>
      ))}
    </div>
  );
}

function Sections({ view }: { view: ObjectView }) {
  const h = (n: number) => `0x${n.toString(16)}`;
  return (
    <div className="table-scroll">
      <h3 className="table-title">Sections</h3>
      <table className="data-table" data-testid="sections-table">
        <thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Offset</th><th scope="col">Size</th><th scope="col">Flags</th><th scope="col">Link</th><th scope="col">Info</th><th scope="col">Align</th></tr></thead>
        <tbody>
          {view.sections.map((s) => (
            <tr key={s.index}><td>{s.index}</td><td><code>{s.name}</code></td><td>{s.type}</td><td>{h(s.offset)}</td><td>{s.size}</td><td>{s.flags}</td><td>{s.link}</td><td>{s.info}</td><td>{s.align}</td></tr>
          ))}
        </tbody>
      </table>
      <h3 className="table-title">Symbols</h3>
      <table className="data-table" data-testid="symbols-table">
        <thead><tr><th scope="col">#</th><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Size</th><th scope="col">Type</th><th scope="col">Bind</th><th scope="col">Visibility</th><th scope="col">Section</th></tr></thead>
        <tbody>
          {view.symbols.map((s) => (
            <tr key={s.index}><td>{s.index}</td><td><code>{s.name}</code></td><td>{s.value.replace(/^0+(?=.)/, '0x')}</td><td>{s.size}</td><td>{s.type}</td><td>{s.bind}</td><td>{s.visibility}</td><td>{view.sections[Number(s.section)]?.name ?? s.section}</td></tr>
          ))}
        </tbody>
      </table>
      <h3 className="table-title">Relocations</h3>
      {view.relocations.map((g) => (
        <table key={g.section} className="data-table" data-testid="relocations-table">
          <caption>{g.section}, applied to <code>{g.target}</code> ({plural(g.relocs.length, 'entry', 'entries')})</caption>
          <thead><tr><th scope="col">Offset</th><th scope="col">Type</th><th scope="col">Symbol</th><th scope="col">Instruction</th></tr></thead>
          <tbody>
            {g.relocs.map((r, k) => (
              <tr key={k}><td>{h(r.offset)}</td><td>{r.type}</td><td><code>{r.symbol}</code></td><td>{r.offset % 8 === 0 ? r.offset / 8 : ''}</td></tr>
            ))}
          </tbody>
        </table>
      ))}
      <p className="popover-note">As <code>llvm-readelf -S -s -r</code> shows them; relocations of DWARF sections are left out.</p>
    </div>
  );
}

function BtfView({ view }: { view: ObjectView }) {
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const types = view.btf?.types ?? [];
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return types;
    const id = /^\[?(\d+)\]?$/.exec(q);
    return types.filter((t) => (id ? t.id === Number(id[1]) : t.name.toLowerCase().includes(q) || t.kind.toLowerCase() === q));
  }, [types, query]);
  const current = types.find((t) => t.id === selected) ?? shown[0];
  if (!view.btf) return <p className="empty">This object has no .BTF section (compile with <code>-g</code>).</p>;
  return (
    <div className="btf-view">
      {view.btf.error && <div className="problem" role="status">.BTF: {view.btf.error}</div>}
      <div className="btf-columns">
        <div className="btf-list">
          <input
            type="search"
            className="search"
            aria-label="Search BTF types"
            placeholder="Name, kind (struct, func) or [id]"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <p className="popover-note" data-testid="btf-count">{shown.length === types.length ? plural(types.length, 'type') : `${shown.length} of ${types.length} types`}</p>
          <ul className="btf-types" aria-label="BTF types">
            {shown.slice(0, 2000).map((t) => (
              <li key={t.id}>
                <button type="button" className={`btf-type ${current?.id === t.id ? 'selected' : ''}`} aria-pressed={current?.id === t.id} onClick={() => setSelected(t.id)}>
                  <span className="btf-id">[{t.id}]</span> <span className="btf-kind">{t.kind}</span> {t.name || '(anon)'}
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="btf-detail" aria-label="BTF type" role="group">
          {current && (
            <>
              <h3 className="table-title">As C</h3>
              <pre className="code-block" data-testid="btf-c">{current.c}</pre>
              <h3 className="table-title">As <code>bpftool btf dump</code> prints it</h3>
              <pre className="code-block" data-testid="btf-raw">{current.raw.join('\n')}</pre>
            </>
          )}
        </div>
      </div>
      <BtfExt view={view} />
    </div>
  );
}

function BtfExt({ view }: { view: ObjectView }) {
  if (!view.btfExt) return null;
  const e = view.btfExt;
  return (
    <section className="btf-ext" aria-label=".BTF.ext">
      <h3 className="table-title">.BTF.ext: {plural(e.funcInfo, 'func_info record')}, {plural(e.lineInfo, 'line_info record')}, {plural(e.coreRelos, 'CO-RE relocation')}</h3>
      {e.error && <div className="problem" role="status">{e.error}</div>}
      {view.programs.map((p) => (
        <details key={p.name}>
          <summary>{p.name}: {plural(p.funcs.length, 'function')}, {plural(p.lineInfo.length, 'line')}</summary>
          <table className="data-table">
            <thead><tr><th scope="col">Insn</th><th scope="col">func_info</th></tr></thead>
            <tbody>{p.funcs.map((f) => <tr key={f.insnOff}><td>{f.insnOff}</td><td><code>{f.signature || f.name}</code></td></tr>)}</tbody>
          </table>
          <table className="data-table">
            <thead><tr><th scope="col">Insn</th><th scope="col">Line</th><th scope="col">Source</th></tr></thead>
            <tbody>{p.lineInfo.map((l, k) => <tr key={k}><td>{l.insnOff}</td><td>{l.file}:{l.line}:{l.col}</td><td><code>{l.text}</code></td></tr>)}</tbody>
          </table>
        </details>
      ))}
    </section>
  );
}

export function ObjectPanel() {
  const state = usePlayground((s) => s.object);
  const name = usePlayground((s) => s.importedObject?.name);
  const remove = usePlayground((s) => s.removeObject);
  const retry = usePlayground((s) => s.inspectImported);
  const view = state.view;
  let body: ReactNode;
  if (state.status === 'loading') body = <p className="empty" role="status">Reading {name}{state.progress ? `: ${state.progress}` : ''}…</p>;
  else if (state.status === 'failed') {
    body = (
      <div className="problem" role="alert">
        {name} could not be inspected: {state.error} <button type="button" className="link" onClick={() => void retry()}>Try again</button>
      </div>
    );
  } else if (view?.elfError) body = <div className="problem" role="alert">{view.name} is not a BPF object: {view.elfError}</div>;
  else if (view) {
    body = (
      <>
        {view.loadError && <div className="problem" role="alert" data-testid="load-error">The loader refuses this object (as libbpf would): {view.loadError}. Its sections and BTF are still shown.</div>}
        {view.warnings.map((w) => <div key={w} className="warning-line" role="status">libbpf would warn: {w}</div>)}
        <Tabs
          label="Object views"
          idPrefix="object"
          tabs={[
            { id: 'programs', title: 'Programs', render: () => <Programs view={view} /> },
            { id: 'maps', title: 'Maps', render: () => <Maps view={view} /> },
            { id: 'sections', title: 'ELF sections', render: () => <Sections view={view} /> },
            { id: 'btf', title: 'BTF', render: () => <BtfView view={view} /> },
          ]}
        />
      </>
    );
  }
  return (
    <Panel
      title="Object"
      testId="object"
      className="object-panel"
      summary={view ? <Summary view={view} /> : name}
      actions={<button type="button" className="button small" onClick={remove} title="Remove the imported object from the workspace">Remove</button>}
    >
      {body}
    </Panel>
  );
}
