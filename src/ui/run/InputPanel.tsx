/**
 * The "Input" region: what the program runs on. For packet programs (socket, tc, XDP,
 * cgroup_skb, lwt) the frame: presets, a builder (Ethernet + IPv4/IPv6 + UDP/TCP/ICMP with
 * lengths and checksums computed) that also shows the fields of the current bytes, and a
 * hex editor with what each byte is. For the other types the context as named 64-bit
 * fields (kprobe registers with their PT_REGS_PARM names, tracepoint record words, the
 * raw tracepoint argument array). Kept with the workspace and in share links.
 */
import { useEffect, useMemo, useState } from 'react';
import { Panel } from '../components/Panel';
import { usePlayground } from '../store/context';
import { buildPacket, DEFAULT_PACKET_SPEC, dissect, formatHexLines, PACKET_PRESETS, PacketError, parseHexText, TCP_FLAGS, type PacketSpec, type TcpFlag } from './packet';
import { inputKindOf, parseU64, readU64, writeU64, type CtxLayout } from './context-layout';
import { hexBytes } from './targets';
import { useCurrentTarget } from './use-target';

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
/** The most bytes a test packet may have (a page minus headroom and tail room). */
const MAX_PACKET = 3520;

function Field({ label, name, value, onChange, width }: { label: string; name: string; value: string; onChange(v: string): void; width?: string }) {
  return (
    <label className="builder-field">
      <span>{label}</span>
      <input value={value} aria-label={name} onChange={(e) => onChange(e.target.value)} style={width ? { width } : undefined} spellCheck={false} />
    </label>
  );
}

/** The builder: fields of the current packet (when the builder could have made it); a change rebuilds it. */
function Builder({ bytes, onBytes }: { bytes: Uint8Array; onBytes(b: Uint8Array): void }) {
  const d = useMemo(() => dissect(bytes), [bytes]);
  // The last spec the user saw, kept for the fields a packet does not have (TCP flags of a UDP packet).
  const [spec, setSpec] = useState<PacketSpec>(d.spec ?? DEFAULT_PACKET_SPEC);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (d.spec) { setSpec((old) => ({ ...old, ...d.spec! })); setDraft({}); setProblem(null); }
  }, [d.spec]);
  const apply = (next: PacketSpec) => {
    setSpec(next);
    try {
      onBytes(buildPacket(next));
      setProblem(null);
    } catch (e) {
      if (e instanceof PacketError) setProblem(e.message); else throw e;
    }
  };
  const text = (k: keyof PacketSpec) => draft[k] ?? String(spec[k]);
  const setText = (k: keyof PacketSpec, v: string, num = false) => {
    setDraft({ ...draft, [k]: v });
    const value = num ? Number(v) : v;
    if (num && (v.trim() === '' || !Number.isInteger(value))) { setProblem(`${k}: ${JSON.stringify(v)} is not a whole number`); return; }
    apply({ ...spec, [k]: value });
  };
  const flag = (f: TcpFlag, on: boolean) => apply({ ...spec, tcpFlags: on ? [...spec.tcpFlags, f] : spec.tcpFlags.filter((x) => x !== f) });
  const v4 = spec.l3 === 'ipv4';
  return (
    <div className="builder" role="group" aria-label="Packet builder">
      {!d.spec && <p className="dim builder-note">These bytes are not a packet the builder makes (or something in them is off); changing a field builds a new one from the fields shown.</p>}
      <div className="builder-row">
        <span className="layer-tag l-eth">Ethernet</span>
        <Field label="src" name="Source MAC" value={text('srcMac')} onChange={(v) => setText('srcMac', v)} width="19ch" />
        <Field label="dst" name="Destination MAC" value={text('dstMac')} onChange={(v) => setText('dstMac', v)} width="19ch" />
      </div>
      <div className="builder-row">
        <select aria-label="Network layer" className="layer-tag-select l-ip" value={spec.l3} onChange={(e) => {
          const l3 = e.target.value as PacketSpec['l3'];
          const six = l3 === 'ipv6';
          apply({ ...spec, l3, src: six ? 'fd00::1' : '10.0.0.1', dst: six ? 'fd00::2' : '10.0.0.2', icmpType: spec.l4 === 'icmp' ? (six ? 128 : 8) : spec.icmpType });
          setDraft({});
        }}>
          <option value="ipv4">IPv4</option>
          <option value="ipv6">IPv6</option>
        </select>
        <Field label="src" name="Source address" value={text('src')} onChange={(v) => setText('src', v)} width={v4 ? '13ch' : '20ch'} />
        <Field label="dst" name="Destination address" value={text('dst')} onChange={(v) => setText('dst', v)} width={v4 ? '13ch' : '20ch'} />
        <Field label={v4 ? 'TTL' : 'hop limit'} name={v4 ? 'TTL' : 'Hop limit'} value={text('ttl')} onChange={(v) => setText('ttl', v, true)} width="5ch" />
      </div>
      <div className="builder-row">
        <select aria-label="Transport layer" className="layer-tag-select l-l4" value={spec.l4} onChange={(e) => {
          const l4 = e.target.value as PacketSpec['l4'];
          apply({ ...spec, l4, icmpType: l4 === 'icmp' ? (v4 ? 8 : 128) : spec.icmpType });
          setDraft({});
        }}>
          <option value="udp">UDP</option>
          <option value="tcp">TCP</option>
          <option value="icmp">{v4 ? 'ICMP' : 'ICMPv6'}</option>
        </select>
        {spec.l4 !== 'icmp' && (
          <>
            <Field label="src" name="Source port" value={text('sport')} onChange={(v) => setText('sport', v, true)} width="7ch" />
            <Field label="dst" name="Destination port" value={text('dport')} onChange={(v) => setText('dport', v, true)} width="7ch" />
          </>
        )}
        {spec.l4 === 'tcp' && (
          <span className="tcp-flags" role="group" aria-label="TCP flags">
            {TCP_FLAGS.map((f) => (
              <label key={f} className="toggle"><input type="checkbox" checked={spec.tcpFlags.includes(f)} onChange={(e) => flag(f, e.target.checked)} />{f}</label>
            ))}
          </span>
        )}
        {spec.l4 === 'icmp' && (
          <>
            <Field label="type" name="ICMP type" value={text('icmpType')} onChange={(v) => setText('icmpType', v, true)} width="5ch" />
            <Field label="code" name="ICMP code" value={text('icmpCode')} onChange={(v) => setText('icmpCode', v, true)} width="5ch" />
          </>
        )}
      </div>
      <div className="builder-row">
        <span className="layer-tag l-payload">Payload</span>
        <Field label="text" name="Payload text" value={text('payload')} onChange={(v) => setText('payload', v)} width="28ch" />
        <span className="dim builder-hint">lengths and checksums computed</span>
      </div>
      {problem && <div className="field-problem" role="alert">{problem}</div>}
    </div>
  );
}

const LAYER_CLASS: Record<string, string> = { Ethernet: 'l-eth', IPv4: 'l-ip', IPv6: 'l-ip', UDP: 'l-l4', TCP: 'l-l4', ICMP: 'l-l4', ICMPv6: 'l-l4', Payload: 'l-payload' };

/** Each byte coloured by its layer, 16 to a row; hovering names its field. */
function ByteMap({ bytes, onEdit }: { bytes: Uint8Array; onEdit(): void }) {
  const d = useMemo(() => dissect(bytes), [bytes]);
  const fieldAt = (i: number) => {
    for (const l of d.layers) for (const f of l.fields) if (i >= f.start && i < f.end) return { l, f };
    return null;
  };
  const shown = Math.min(bytes.length, 1024);
  const rows: number[] = [];
  for (let i = 0; i < shown; i += 16) rows.push(i);
  return (
    <div className="byte-map" data-testid="byte-map" onDoubleClick={onEdit} title="Double-click to edit the bytes">
      {rows.map((at) => (
        <div key={at} className="byte-row">
          <span className="byte-offset">{at.toString(16).padStart(4, '0')}</span>
          {Array.from(bytes.subarray(at, Math.min(at + 16, shown)), (b, k) => {
            const i = at + k;
            const f = fieldAt(i);
            return (
              <span key={i} className={`byte ${f ? LAYER_CLASS[f.l.name] ?? '' : ''} ${f?.f.problem ? 'bad' : ''}`} title={f ? `byte ${i}: ${f.l.name} ${f.f.name} = ${f.f.value}${f.f.problem ? ` (${f.f.problem})` : ''}` : `byte ${i}`}>
                {b.toString(16).padStart(2, '0')}
              </span>
            );
          })}
        </div>
      ))}
      {bytes.length > shown && <div className="dim"> … {bytes.length - shown} more bytes</div>}
      <div className="byte-legend dim">
        {d.layers.map((l) => <span key={l.name + l.start} className={`legend ${LAYER_CLASS[l.name] ?? ''}`}>{l.name} {l.start}–{l.end - 1}</span>)}
      </div>
    </div>
  );
}

function PacketInput() {
  const hex = usePlayground((s) => s.runInputs.packet);
  const setInputs = usePlayground((s) => s.setRunInputs);
  const bytes = useMemo(() => hexBytes(hex), [hex]);
  const d = useMemo(() => dissect(bytes), [bytes]);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(() => formatHexLines(bytes));
  const [problem, setProblem] = useState<string | null>(null);
  const [preset, setPreset] = useState('');
  // The text follows changes made elsewhere (builder, preset, a share link).
  useEffect(() => {
    const r = parseHexText(text);
    if (!('bytes' in r) || toHex(r.bytes) !== hex) { setText(formatHexLines(bytes)); setProblem(null); }
  }, [hex]);
  const setBytes = (b: Uint8Array) => setInputs({ packet: toHex(b) });
  const onText = (t: string) => {
    setText(t);
    const r = parseHexText(t);
    if ('problem' in r) { setProblem(r.problem); return; }
    if (r.bytes.length > MAX_PACKET) { setProblem(`${r.bytes.length} bytes: a test packet holds at most ${MAX_PACKET}`); return; }
    setProblem(null);
    setBytes(r.bytes);
  };
  return (
    <div className="packet-input">
      <div className="input-bar">
        <label className="toolbar-field">
          <span>Preset</span>
          <select aria-label="Packet preset" value={preset} onChange={(e) => {
            const p = PACKET_PRESETS.find((x) => x.id === e.target.value);
            setPreset('');
            if (p) setBytes(p.spec ? buildPacket(p.spec) : hexBytes(p.hex!));
          }}>
            <option value="">Choose a packet…</option>
            {PACKET_PRESETS.map((p) => <option key={p.id} value={p.id}>{p.title}</option>)}
          </select>
        </label>
        <span className="packet-summary" data-testid="packet-summary">{d.summary} · {bytes.length} bytes</span>
      </div>
      <Builder bytes={bytes} onBytes={setBytes} />
      {d.problems.length > 0 && (
        <ul className="packet-problems" aria-label="Problems in the packet">{d.problems.map((p) => <li key={p}>{p}</li>)}</ul>
      )}
      <div className="bytes-head">
        <h3>Bytes</h3>
        <button type="button" className="button small" aria-pressed={editing} onClick={() => { if (editing && !problem) setText(formatHexLines(bytes)); setEditing(!editing); }}>
          {editing ? 'Done' : 'Edit hex'}
        </button>
      </div>
      {editing ? (
        <div className="hex-editor">
          <div className="hex-offsets" aria-hidden="true">{text.split('\n').map((_, k) => <div key={k}>{(k * 16).toString(16).padStart(4, '0')}</div>)}</div>
          <textarea
            className="hex-text" aria-label="Packet bytes (hex)" spellCheck={false} value={text} rows={Math.min(16, Math.max(3, text.split('\n').length + 1))}
            onChange={(e) => onText(e.target.value)} aria-invalid={!!problem} data-testid="packet-hex" autoFocus
          />
        </div>
      ) : <ByteMap bytes={bytes} onEdit={() => setEditing(true)} />}
      {problem && <div className="field-problem hex-problem" role="alert">{problem}</div>}
    </div>
  );
}

function CtxInput({ layout }: { layout: CtxLayout }) {
  const hex = usePlayground((s) => s.runInputs.ctx[layout.id] ?? '');
  const ctx = usePlayground((s) => s.runInputs.ctx);
  const setInputs = usePlayground((s) => s.setRunInputs);
  const bytes = useMemo(() => hexBytes(hex), [hex]);
  const [draft, setDraft] = useState<Record<number, string>>({});
  const set = (offset: number, text: string) => {
    setDraft({ ...draft, [offset]: text });
    const v = parseU64(text);
    if (v === null) return;
    setInputs({ ctx: { ...ctx, [layout.id]: toHex(writeU64(bytes, offset, v, layout.size)) } });
  };
  return (
    <div className="ctx-input">
      <p className="dim">r1 points at {layout.title}: {layout.size} bytes, shown as 64-bit fields. Values are decimal, or hex with 0x.</p>
      <table className="data-table ctx-table">
        <thead><tr><th scope="col">Field</th><th scope="col">Offset</th><th scope="col">Value</th><th scope="col">Read by</th></tr></thead>
        <tbody>
          {layout.fields.map((f) => {
            const cur = readU64(bytes, f.offset);
            const text = draft[f.offset] ?? (cur > 0xffffn ? `0x${cur.toString(16)}` : cur.toString());
            const bad = parseU64(text) === null;
            return (
              <tr key={f.offset}>
                <th scope="row"><code>{f.name}</code></th>
                <td className="dim">+{f.offset}</td>
                <td><input className="cell-input" aria-label={`Value of ${f.name}`} value={text} aria-invalid={bad || undefined} onChange={(e) => set(f.offset, e.target.value)} spellCheck={false} /></td>
                <td className="dim">{f.note ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button type="button" className="button small" onClick={() => { setDraft({}); setInputs({ ctx: { ...ctx, [layout.id]: '' } }); }}>All zero</button>
    </div>
  );
}

export function InputPanel() {
  const target = useCurrentTarget();
  const kind = inputKindOf(target?.progType ?? 'xdp');
  return (
    <Panel
      title="Input" testId="input" className="input-panel"
      summary={target ? `${target.progType ?? ''} program: ${kind.kind === 'packet' ? 'a packet (data_in)' : kind.layout.title}` : 'a packet'}
    >
      {kind.kind === 'packet' ? <PacketInput /> : <CtxInput layout={kind.layout} />}
    </Panel>
  );
}
