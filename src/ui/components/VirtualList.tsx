/**
 * A list that renders only the rows in view, so a log of a hundred thousand lines scrolls
 * as smoothly as one of ten. Rows have one fixed height; `scrollTo` brings a row into view
 * (centred) when its request sequence changes.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow(index: number): ReactNode;
  /** Bring this row into view when `seq` changes. */
  scrollTo?: { index: number; seq: number } | null;
  /** Rows rendered beyond the visible ones, above and below. */
  overscan?: number;
  className?: string;
  ariaLabel: string;
  onKeyDown?(e: KeyboardEvent<HTMLDivElement>): void;
  testId?: string;
}

export function VirtualList({ count, rowHeight, renderRow, scrollTo, overscan = 12, className, ariaLabel, onKeyDown, testId }: VirtualListProps) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || !scrollTo) return;
    const top = scrollTo.index * rowHeight;
    // Only when the row is not already comfortably in view.
    if (top < el.scrollTop + rowHeight || top > el.scrollTop + el.clientHeight - 2 * rowHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 2);
      setScrollTop(el.scrollTop);
    }
  }, [scrollTo?.seq, scrollTo?.index, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) rows.push(renderRow(i));
  return (
    <div
      ref={ref}
      className={`virtual-list ${className ?? ''}`}
      role="list"
      aria-label={ariaLabel}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      data-testid={testId}
    >
      <div style={{ height: count * rowHeight, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>{rows}</div>
      </div>
    </div>
  );
}
