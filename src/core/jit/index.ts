/**
 * The x86-64 JIT as Linux 6.18 compiles verified programs: xlated BPF in, machine code,
 * per-instruction code ranges and address-dependent fields out.
 */
export { jitProgram, jitFunctionsOf, functionStarts, constantKeyTailCalls, tailCallReachable, usesPrivateStack, calleeSlot, type JitProgramInput } from './program';
export { jitFunctions, type JitOptions, type JitResult, type JitFunctionImage, type JitImageRelocation } from './x86/compile';
export { JitError, type Relocation, type RelocationKind } from './x86/emit';
export { LINUX_6_18_X86_64, PLACEHOLDER_ADDRESSES, PLACEHOLDER_IMAGE_BASE, type JitMachine, type JitAddresses } from './x86/machine';
export { type JitFunction } from './x86/do-jit';
export { X86_NAME_OF_BPF_REG } from './x86/regs';
export { decodeX86, disassembleX86, formatObjdumpLines, objdumpAddressWidth, type X86Insn } from './x86/disasm';
export { formatJitedListing, jitedListingJson, type JitedListingInput, type JitedListingOptions, type JitedLineInfo, type JitedFunctionName, type JitedFunctionJson, type JitedInsnJson } from './listing';
