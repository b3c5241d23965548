/** Conformance cases the VM does not pass, with the reason (one line each). */
export const CONFORMANCE_EXCEPTIONS: Record<string, string> = {
  'negative/error': 'reads r0 before writing it: the kernel verifier rejects that; the VM runs unverified code with registers zeroed',
  reload: 'a uBPF API test (loading code twice into one VM instance), not a program',
  'errors/err-unknown-opcode': 'opcode 0x06 is gotol (JMP32 | JA, ISA v4), newer than the test; `gotol +0` is valid',
  'errors/err-too-many-instructions': '65,537 instructions exceed uBPF\'s 65,536 limit; the kernel (and the VM) accept up to 1,000,000',
};
