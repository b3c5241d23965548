/**
 * WAI-ARIA tabs: a tablist whose tabs are reached with Tab and moved between with the
 * arrow keys, Home and End; only the selected panel is rendered.
 */
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabSpec {
  id: string;
  title: ReactNode;
  render(): ReactNode;
}

export function Tabs({ label, idPrefix, tabs, selected, onSelect, className }: {
  label: string;
  /** Prefix of element ids (made unique per mount: several playgrounds may share a page). */
  idPrefix: string;
  tabs: TabSpec[];
  /** Controlled selection (else the component keeps its own). */
  selected?: string;
  onSelect?(id: string): void;
  className?: string;
}) {
  const [own, setOwn] = useState(tabs[0]?.id);
  const uid = `${idPrefix}${useId().replace(/:/g, '')}`;
  const current = tabs.find((t) => t.id === (selected ?? own)) ?? tabs[0];
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const select = (id: string) => { setOwn(id); onSelect?.(id); };
  const onKey = (e: KeyboardEvent) => {
    const k = tabs.findIndex((t) => t.id === current?.id);
    let next = -1;
    if (e.key === 'ArrowRight') next = (k + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (k + tabs.length - 1) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    select(tabs[next].id);
    refs.current.get(tabs[next].id)?.focus();
  };
  if (!current) return null;
  return (
    <div className={`tabs ${className ?? ''}`}>
      <div role="tablist" aria-label={label} className="tab-strip" onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => { if (el) refs.current.set(t.id, el); else refs.current.delete(t.id); }}
            type="button"
            role="tab"
            id={`${uid}-tab-${t.id}`}
            aria-selected={t.id === current.id}
            aria-controls={`${uid}-panel-${t.id}`}
            tabIndex={t.id === current.id ? 0 : -1}
            className="strip-tab"
            onClick={() => select(t.id)}
          >
            {t.title}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${uid}-panel-${current.id}`} aria-labelledby={`${uid}-tab-${current.id}`} className="tab-panel">
        {current.render()}
      </div>
    </div>
  );
}
