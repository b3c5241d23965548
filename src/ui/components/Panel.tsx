/**
 * A panel: a landmark region with a title bar. Issue 7 fixes the names the later panels
 * use ("Verifier DAG", "Registers", ...); a panel is only mounted when it has results.
 */
import type { ReactNode } from 'react';

export interface PanelProps {
  /** Accessible name of the region, also its visible title. */
  title: string;
  /** Short text beside the title (counts, program type). */
  summary?: ReactNode;
  /** Controls in the title bar. */
  actions?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

export function Panel({ title, summary, actions, className, testId, children }: PanelProps) {
  return (
    <section role="region" aria-label={title} className={`panel ${className ?? ''}`} data-testid={testId}>
      <header className="panel-header">
        <h2 className="panel-title">{title}</h2>
        {summary !== undefined && <div className="panel-summary">{summary}</div>}
        {actions !== undefined && <div className="panel-actions">{actions}</div>}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
