/**
 * The public API of the core: what workers, the CLI and the UI import.
 * Everything here is plain TypeScript with no DOM or framework dependency.
 */
export * from './isa/opcodes';
export * from './isa/insn';
export * from './isa/helpers';
export * from './isa/kernel-types';
export { formatKernelInsn, formatLogInsn, type KernelResolvers } from './asm/format-kernel';
export { formatLlvmInsn, nearestSymbolizer, llvmHex, type LlvmFormatOptions } from './asm/format-llvm';
export { formatObjdump, formatKernelListing, type ObjdumpOptions, type KernelListingOptions } from './asm/listing';
export { assemble, AsmError, type AsmResult } from './asm/parse';
export { parseElf, ElfError, type ElfFile, type ElfSection, type ElfSymbol, type ElfReloc } from './elf/elf64';
export { writeBpfObject, writeObjectForProgram, sectionForProgType, type MapSpec, type ProgramSpec, type ObjectSpec } from './elf/write-object';
export * from './elf/loaded-object';
export { sectionMeaning, SECTION_DEFS, type SectionDef, type SectionMeaning } from './elf/sections';
export { loadElfObject, LoadError, type LoadElfOptions } from './elf/load-elf';
export { globalVariables, setGlobalVariable, encodeGlobalValue, type GlobalVariable, type GlobalValue } from './elf/globals';
export { Btf, BtfError, parseBtf, type BtfType, type BtfKind, type BtfMember } from './btf/btf';
export { parseBtfExt, type BtfExt } from './btf/btf-ext';
export { formatCDecl, formatCDefinition } from './btf/format-c';
export { btfSignature } from './btf/signature';
export { sourceAnnotations, formatLinum, type SourceAnnotation } from './btf/source-lines';
export * from './kernel-data';
export { loadInput, detectInputKind, InputError, type InputKind } from './input';
export * from './trace/cursor';
export * from './jit';
export { Vm, VmError, type VmOptions, type RunInput, type RunResult, type RunError, type VmEvent, type TaskInfo } from './vm/vm';
export { VmLoadError } from './vm/program';
export { ExecutionHistory, type VmState, type HistoryData, type HelperRecord } from './vm/history';
export { VmFault } from './vm/memory';
export { type VmMap, MapDefError } from './vm/maps';
export * from './xlated';
export { parseClangDiagnostics, countDiagnostics, type Diagnostic, type FixIt, type SourceRange, type Severity } from './compiler/diagnostics';
export { clangArgs, needsVmlinux, virtualFiles, checkUserPath, WORK_DIR, SYSTEM_INCLUDE, CLANG_ARGV0, DIAGNOSTIC_FLAGS, CompileOptionsError, type CompileOptions } from './compiler/driver';
export {
  compileC, runClang, compileFs, requestNeedsVmlinux, ClangFailure, DEFAULT_TIMEOUT_MS,
  type CompileRequest, type CompileResult, type HeaderSet, type SourceFile, type ClangFailureKind,
} from './compiler/clang';
export { MemoryFs, runWasi, WasiExit, WasiTimeout, type HostLookup, type WasiOptions, type WasiResult } from './compiler/wasi';
export { HEADER_FILES, INCLUDE_DIR, VMLINUX_H_GZ, VMLINUX_KERNEL } from './compiler/headers';
export {
  verifyProgram, verifyRaw, type VerifyResult, type VerifyProgramOptions, type RawProgram, type VerifierStats,
} from './verifier/verify';
export type { VerifyOptions } from './verifier/env';
export type { VerifierTrace, VerifierStepState, VerifierFrameView, VerifierStepKind, PruneInfo } from './verifier/trace';
export type { CfgGraph, CfgBlock, CfgEdge, CfgEdgeKind } from './verifier/cfg';
export * from './trace/kernel-log';
export * from './trace/reg-text';
export { formatBtfRaw, btfKindName } from './btf/format-raw';
export { readBtfValue, btfValueJson, compactBtfValue, btfIntOf, type BtfValue } from './btf/format-value';
