/**
 * Reads the kernel JIT goldens (test/golden/jit/*.json, recorded by
 * scripts/record-listing-goldens.mjs) and turns one recorded program into the JIT's input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { programFromHex, type Insn } from '../../src/core/isa/insn';
import { PROG_TYPES } from '../../src/core/isa/kernel-types';
import type { JitProgramInput } from '../../src/core/jit/program';
import type { JitAddresses } from '../../src/core/jit/x86/machine';

export interface GoldenProgram {
  name: string;
  prog_type: string;
  section?: string;
  tag: string;
  xlated: string[];
  jited: string;
  jited_func_lens: number[];
  jited_ksyms: string[];
  prog_tags: string[];
  func_info: { insn_off: number; type_id: number }[];
  line_info: { insn_off: number; line: number; col: number }[];
  jited_line_info: string[];
  stack_depths: number[];
  objdump: string;
}

export interface GoldenFile {
  file: string;
  source: string;
  environment: { kallsyms: Record<string, string>; cpu_bmi2: boolean };
  programs: GoldenProgram[];
}

const dir = new URL('../golden/jit/', import.meta.url);

export function goldenFiles(): GoldenFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(new URL(f, dir), 'utf8')) }));
}

export const xlatedOf = (p: GoldenProgram): Insn[] => programFromHex(p.xlated);

/** The JIT input for a recorded program: its xlated code and the verifier's stack depths. */
export function jitInputOf(p: GoldenProgram): JitProgramInput {
  const progType = PROG_TYPES.value(p.prog_type);
  if (progType === undefined) throw new Error(`unknown program type ${p.prog_type}`);
  return {
    insns: xlatedOf(p),
    progType,
    stackDepths: p.stack_depths,
    funcStarts: p.func_info.length ? p.func_info.map((f) => f.insn_off) : undefined,
  };
}

/** The kernel addresses the recorded image encodes, as far as /proc/kallsyms shows them. */
export function kernelAddressesOf(g: GoldenFile, p: GoldenProgram): Partial<JitAddresses> {
  const k = (n: string): bigint => BigInt(g.environment.kallsyms[n]);
  return {
    funcs: p.jited_ksyms.map((a) => BigInt(a)),
    callBase: k('__bpf_call_base'),
    returnThunk: k('its_return_thunk'),
    indirectThunkRcx: k('__x86_indirect_thunk_rcx'),
  };
}
