/** The imported log's current step, its state, what changed, and the frame shown. */
import { useMemo } from 'react';
import { diffStates, type KernelLogStep, type ParsedKernelLog } from '../../core/trace/kernel-log';
import type { Change } from '../../core/trace/cursor';
import { usePlayground } from '../store/context';

export interface LogStepView {
  parsed: ParsedKernelLog;
  index: number;
  step: KernelLogStep;
  /** The frame the panels show. */
  frame: number;
  changes: Change[];
}

export function useLogStep(): LogStepView | null {
  const parsed = usePlayground((s) => s.log.parsed);
  const index = usePlayground((s) => s.log.step);
  const chosenFrame = usePlayground((s) => s.log.frame);
  return useMemo(() => {
    if (!parsed || index === null || !parsed.steps[index]) return null;
    const step = parsed.steps[index];
    const parent = step.startsPath ? step.pushedBy : index > 0 ? index - 1 : undefined;
    const changes = diffStates(parent !== undefined ? parsed.steps[parent].state : undefined, step.state);
    const frame = chosenFrame !== null && chosenFrame < step.state.frames.length ? chosenFrame : step.state.frames.length - 1;
    return { parsed, index, step, frame, changes };
  }, [parsed, index, chosenFrame]);
}
