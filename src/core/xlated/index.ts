/**
 * The kernel's xlated program: the rewrites after verification (xlate.ts) and
 * `bpftool prog dump xlated` output (dump.ts).
 */
export { xlateProgram, type XlatedProgram, type XlateOptions } from './xlate';
export { analyzeFacts, loadedFuncStarts, type InsnAux, type VerifierFacts } from './facts';
export { formatXlated, xlatedJson, bpftoolResolvers, type XlatedDumpOptions, type XlatedInsnJson } from './dump';
export { helperKernelFunc, kernelCallImm, kernelFuncOfImm } from './calls';
export { progTag, sha256 } from './tag';
export { KERNEL_LAYOUT } from './ctx';
export { xlatedProtos } from './protos';
export { formatXlatedVisual } from './visual';
