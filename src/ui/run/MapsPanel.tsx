/**
 * The "Maps" region: every map of the program's VM session as a table, keys and values
 * read through the object's BTF (integers when the object has none, hex otherwise), what
 * the last run or edit changed highlighted, and edits between runs with the syscall's
 * rules (arrays: values only; hashes: add with BPF_NOEXIST, change with BPF_EXIST,
 * delete; queues and stacks: push) and its errors.
 */
import { useEffect, useState } from 'react';
import { Panel } from '../components/Panel';
import { usePlayground } from '../store/context';
import type { MapView } from '../../workers/vm-exec-spec';
import type { MapEdit } from '../../workers/vm-service';
import { cellText, mapChanges, parseCell } from './map-values';
import { useCurrentTarget } from './use-target';

/** Arrays show their non-zero entries (and all of them on request) up to this many rows. */
const MAX_ROWS = 256;

const isZeroHex = (h: string) => /^0*$/.test(h);

function typeLine(m: MapView): string {
  const key = m.keySize ? `${m.keyType ?? `${m.keySize} bytes`}` : 'no key';
  const value = m.valueType ?? `${m.valueSize} bytes`;
  return `${m.type}, key ${key}, value ${value}, max ${m.maxEntries.toLocaleString('en')}`;
}

function EditRow({ map, initialKey, initialValue, mode, onDone }: {
  map: MapView; initialKey: string; initialValue: string; mode: 'add' | 'change' | 'push'; onDone(): void;
}) {
  const edit = usePlayground((s) => s.editMaps);
  const [key, setKey] = useState(initialKey);
  const [value, setValue] = useState(initialValue);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const k = mode === 'push' ? { hex: '' } : parseCell(map, 'key', key);
    if ('problem' in k) { setProblem(`key: ${k.problem}`); return; }
    const v = parseCell(map, 'value', value);
    if ('problem' in v) { setProblem(`value: ${v.problem}`); return; }
    const e: MapEdit = { map: map.name, key: k.hex, value: v.hex, flags: mode === 'add' ? 1 : mode === 'change' && map.editing === 'entries' ? 2 : 0 };
    setBusy(true);
    const p = await edit([e]);
    setBusy(false);
    if (p) setProblem(p); else onDone();
  };
  const hint = (shape: MapView['keyInt'], size: number) => (shape ? `a number, or ${size} bytes of hex` : `${size} bytes of hex`);
  return (
    <tr className="edit-row">
      <td>
        {mode === 'add'
          ? <input className="cell-input" aria-label={`Key of the new ${map.name} entry`} placeholder={hint(map.keyInt, map.keySize)} value={key} onChange={(e) => setKey(e.target.value)} />
          : mode === 'push' ? <span className="dim">(pushed)</span> : <code>{initialKey}</code>}
      </td>
      <td>
        <input
          className="cell-input" aria-label={`New value for ${map.name}`} placeholder={hint(map.valueInt, map.valueSize)} value={value}
          onChange={(e) => setValue(e.target.value)} onKeyDown={(e) => { if (e.key === 'Enter') void save(); if (e.key === 'Escape') onDone(); }}
          autoFocus={mode !== 'add'}
        />
        {problem && <div className="field-problem" role="alert">{problem}</div>}
      </td>
      <td className="row-actions">
        <button type="button" className="button small primary" disabled={busy} onClick={() => void save()}>{mode === 'add' ? 'Add' : mode === 'push' ? 'Push' : 'Save'}</button>
        <button type="button" className="button small" onClick={onDone}>Cancel</button>
      </td>
    </tr>
  );
}

function MapTable({ map, before }: { map: MapView; before: MapView | undefined }) {
  const edit = usePlayground((s) => s.editMaps);
  const [showAll, setShowAll] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { changed, added, removed } = mapChanges(map, before);
  // Big arrays hold every index: the zero ones are hidden unless asked for (or changed).
  const isArray = map.editing === 'values' && map.entries.length > 16;
  const rows = isArray && !showAll ? map.entries.filter((e) => !isZeroHex(e.value) || changed.has(e.key)) : map.entries;
  const hidden = map.entries.length - rows.length;
  const shown = rows.slice(0, MAX_ROWS);
  const del = async (key: string) => {
    setProblem(await edit([{ map: map.name, key }]));
  };
  return (
    <section className="map-block" aria-label={`Map ${map.name}`} data-testid="map-block" data-map={map.name}>
      <header className="map-head">
        <code className="map-name">{map.name}</code>
        <span className="dim map-type" title={map.fromBtf ? 'Types from the object\'s BTF' : 'The object has no BTF for this map: sizes only'}>{typeLine(map)}</span>
        <span className="map-count">{map.entries.length.toLocaleString('en')} entr{map.entries.length === 1 ? 'y' : 'ies'}</span>
        {(map.editing === 'entries' || map.editing === 'push') && !adding && (
          <button type="button" className="button small" onClick={() => setAdding(true)}>{map.editing === 'push' ? 'Push value' : 'Add entry'}</button>
        )}
      </header>
      {map.note && <p className="dim map-note">{map.note}</p>}
      {problem && <div className="problem" role="alert" data-testid="map-problem">{problem}</div>}
      {(map.entries.length > 0 || adding) && (
        <table className="data-table map-table">
          <thead>
            <tr>
              <th scope="col">{map.keySize ? 'Key' : ''}</th>
              <th scope="col">Value</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {adding && <EditRow map={map} initialKey="" initialValue="" mode={map.editing === 'push' ? 'push' : 'add'} onDone={() => setAdding(false)} />}
            {shown.map((e) => (editing === e.key
              ? <EditRow key={e.key} map={map} initialKey={cellText(e.key, e.keyText, map.keyInt)} initialValue={cellText(e.value, e.valueText, map.valueInt)} mode="change" onDone={() => setEditing(null)} />
              : (
                <tr key={e.key} className={changed.has(e.key) || added.has(e.key) ? 'changed' : undefined} data-testid="map-entry">
                  <td>
                    <code className="cell-main">{map.keySize ? cellText(e.key, e.keyText, map.keyInt) : '—'}</code>
                    {map.keySize > 0 && (e.keyText !== undefined || map.keyInt) && <code className="cell-hex">{e.key}</code>}
                  </td>
                  <td>
                    <code className="cell-main" data-testid="map-value">{cellText(e.value, e.valueText, map.valueInt)}</code>
                    {(e.valueText !== undefined || map.valueInt) && <code className="cell-hex">{e.value}</code>}
                    {changed.has(e.key) && <span className="was" data-testid="map-was"> was {changed.get(e.key)}</span>}
                    {added.has(e.key) && <span className="was"> new</span>}
                  </td>
                  <td className="row-actions">
                    {(map.editing === 'values' || map.editing === 'entries') && (
                      <button type="button" className="tab-action" aria-label={`Edit ${map.name} entry ${cellText(e.key, e.keyText, map.keyInt)}`} title="Edit the value" onClick={() => setEditing(e.key)}>✎</button>
                    )}
                    {map.editing === 'entries' && (
                      <button type="button" className="tab-action" aria-label={`Delete ${map.name} entry ${cellText(e.key, e.keyText, map.keyInt)}`} title="Delete the entry" onClick={() => void del(e.key)}>×</button>
                    )}
                  </td>
                </tr>
              )))}
          </tbody>
        </table>
      )}
      {removed.length > 0 && <p className="dim">Removed: {removed.join(', ')}</p>}
      {map.entries.length === 0 && !adding && map.editing !== 'none' && <p className="dim map-note">Empty.</p>}
      {isArray && (hidden > 0 || showAll) && (
        <button type="button" className="link map-more" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show only non-zero entries' : `${hidden.toLocaleString('en')} zero entr${hidden === 1 ? 'y' : 'ies'} not shown: show all`}
        </button>
      )}
      {rows.length > MAX_ROWS && <p className="dim">{(rows.length - MAX_ROWS).toLocaleString('en')} more entries not shown.</p>}
    </section>
  );
}

/** Reads the maps of the program in view from its VM session when those shown are of another one. */
export function useMapsOfTarget(): boolean {
  const maps = usePlayground((s) => s.maps);
  const targetKey = useCurrentTarget()?.key ?? null;
  const load = usePlayground((s) => s.loadMaps);
  const running = usePlayground((s) => s.exec.status === 'running');
  useEffect(() => {
    if (targetKey !== null && maps.targetKey !== targetKey && !maps.loading && !running) void load();
  }, [targetKey, maps.targetKey, maps.loading, running, load]);
  return maps.targetKey === targetKey && maps.views.some((m) => !m.global || m.entries.length);
}

export function MapsPanel() {
  const maps = usePlayground((s) => s.maps);
  const targetKey = useCurrentTarget()?.key ?? null;
  const current = maps.targetKey === targetKey;
  const views = current ? maps.views.filter((m) => !m.global || m.entries.length) : [];
  const cause = maps.cause === 'run' ? 'the last run' : maps.cause === 'edit' ? 'the last edit' : null;
  return (
    <Panel
      title="Maps" testId="maps" className="maps-panel"
      summary={current ? `${views.length} map${views.length === 1 ? '' : 's'}${cause && maps.before ? ` · highlighted: changed by ${cause}` : ''}` : undefined}
    >
      {current && maps.fresh && maps.cause !== 'edit' && views.length > 0 && (
        <p className="dim map-note">{maps.cause === 'run' ? 'The maps were made for this run (new program, or after Reset): they started empty or zero.' : 'Fresh maps, as after loading the program.'}</p>
      )}
      {!current && <p className="empty">{maps.loading ? 'Reading the maps…' : 'Run the program to see its maps.'}</p>}
      {current && views.length === 0 && <p className="empty">This program has no maps.</p>}
      {views.map((m) => <MapTable key={m.name} map={m} before={maps.before?.find((b) => b.name === m.name)} />)}
    </Panel>
  );
}
