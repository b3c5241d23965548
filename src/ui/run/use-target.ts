/**
 * React access to the run target: the state it depends on is selected piece by piece
 * (stable references), and the target computed from it only when one of them changes.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePlayground } from '../store/context';
import type { RunTargetInfo } from '../store/slices/run';
import { breakpointPcs, currentTarget, lineOfPc, targetChoices, type TargetChoice } from './targets';

function useTargetInputs() {
  return usePlayground(useShallow((s) => ({
    asm: s.asm, files: s.files, importedObject: s.importedObject, object: s.object, runTargetKey: s.runTargetKey, exec: s.exec, logDocs: s.logDocs,
  })));
}

export function useCurrentTarget(): TargetChoice | null {
  const t = useTargetInputs();
  return useMemo(() => currentTarget(t), [t]);
}

export function useTargetChoices(): TargetChoice[] {
  const t = useTargetInputs();
  return useMemo(() => targetChoices(t), [t]);
}

export function useLineOfPc(target: RunTargetInfo | null, pc: number): { file: string; line: number } | null {
  const key = usePlayground((s) => {
    const l = target ? lineOfPc(s, target, pc) : null;
    return l ? `${l.line}:${l.file}` : null;
  });
  return useMemo(() => {
    if (key === null) return null;
    const k = key.indexOf(':');
    return { line: Number(key.slice(0, k)), file: key.slice(k + 1) };
  }, [key]);
}

export function useBreakpointPcs(target: RunTargetInfo | null): Set<number> {
  const p = usePlayground(useShallow((s) => ({ asm: s.asm, object: s.object, breakpoints: s.breakpoints })));
  return useMemo(() => (target ? breakpointPcs(p, target) : new Set<number>()), [p, target]);
}
