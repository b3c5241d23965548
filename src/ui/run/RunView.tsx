/**
 * The "Run" view (a lazily loaded chunk): which program runs, then Output and Maps beside
 * the Input, so a run, its map changes and the packet it ran on are seen together.
 */
import { usePlayground } from '../store/context';
import { InputPanel } from './InputPanel';
import { MapsPanel, useMapsOfTarget } from './MapsPanel';
import { OutputPanel } from './OutputPanel';
import { useCurrentTarget, useTargetChoices } from './use-target';
import './run.css';

/** Chooses the program when there are several (the assembly file, an object's programs). */
export function TargetPicker() {
  const choices = useTargetChoices();
  const current = useCurrentTarget()?.key ?? '';
  const choose = usePlayground((s) => s.setRunTarget);
  if (choices.length < 2) return null;
  return (
    <label className="toolbar-field">
      <span>Program</span>
      <select aria-label="Program to run" value={current} onChange={(e) => choose(e.target.value)}>
        {choices.map((c) => <option key={c.key} value={c.key}>{c.title} ({c.progType})</option>)}
      </select>
    </label>
  );
}

export default function RunView() {
  const hasMaps = useMapsOfTarget();
  return (
    <div className="run-view">
      <div className="run-bar">
        <TargetPicker />
      </div>
      <div className="run-columns">
        <div className="run-column">
          <OutputPanel />
          {hasMaps && <MapsPanel />}
        </div>
        <div className="run-column">
          <InputPanel />
        </div>
      </div>
    </div>
  );
}
