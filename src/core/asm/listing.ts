/**
 * Whole-program listings built from the one-instruction printers:
 *  - `formatObjdump`: an object file as `llvm-objdump -d [--no-show-raw-insn]` prints it;
 *  - `formatKernelListing`: instructions as the verifier log (`12: (b7) r0 = 0`) or
 *    `bpftool prog dump xlated` (`  12: (b7) r0 = 0`, optionally with `opcodes`) print them.
 */
import { SHF_EXECINSTR, STT_FILE, STT_SECTION, type ElfFile } from '../elf/elf64';
import { insnFromBytes, insnToBytes, insnWidth, type Insn } from '../isa/insn';
import { formatKernelInsn, type KernelResolvers } from './format-kernel';
import { formatLlvmInsn, nearestSymbolizer } from './format-llvm';

export interface ObjdumpOptions {
  /** File name for the `NAME:\tfile format elf64-bpf` header, as given on the command line. */
  fileName: string;
  /** `--mcpu=v3`/`v4`: ALU32 register forms. */
  alu32?: boolean;
  /** Show the raw instruction bytes (objdump's default; `--no-show-raw-insn` turns them off). */
  rawBytes?: boolean;
}

const hexBytes = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');

/** `llvm-objdump -d` of every non-empty executable section. */
export function formatObjdump(elf: ElfFile, opts: ObjdumpOptions): string {
  const out: string[] = ['', `${opts.fileName}:\tfile format elf64-bpf`, ''];
  for (const sec of elf.sections) {
    if (!(sec.flags & BigInt(SHF_EXECINSTR)) || sec.size === 0) continue;
    out.push(`Disassembly of section ${sec.name}:`);
    const syms = elf.symbols
      .filter((s) => s.shndx === sec.index && s.type !== STT_SECTION && s.type !== STT_FILE && s.name)
      .map((s) => ({ name: s.name, addr: s.value }));
    const labelAt = new Map<bigint, string>();
    for (const s of [...syms].sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.name.localeCompare(b.name)))) {
      if (!labelAt.has(s.addr)) labelAt.set(s.addr, s.name);
    }
    const symbolize = nearestSymbolizer(syms);
    const slots = Math.floor(sec.data.length / 8);
    const insns: Insn[] = [];
    for (let k = 0; k < slots; k++) insns.push(insnFromBytes(sec.data, k * 8));
    for (let pc = 0; pc < slots;) {
      const addr = BigInt(pc * 8);
      const label = labelAt.get(addr);
      if (label !== undefined) out.push('', `${addr.toString(16).padStart(16, '0')} <${label}>:`);
      const width = pc + 1 < slots ? insnWidth(insns, pc) : 1;
      const text = formatLlvmInsn(insns, pc, { alu32: opts.alu32, symbolize });
      const prefix = `${String(pc).padStart(8)}:\t`;
      if (opts.rawBytes) {
        const bytes = sec.data.subarray(pc * 8, (pc + (text === '<unknown>' ? 1 : width)) * 8);
        out.push(`${prefix}${hexBytes(bytes)}\t${text}`);
      } else out.push(`${prefix}${text}`);
      pc += text === '<unknown>' ? 1 : width;
    }
    out.push('');
  }
  return out.join('\n');
}

export interface KernelListingOptions {
  /** `log`: `12: (b7) r0 = 0` as in verifier logs; `bpftool`: `  12: (b7) r0 = 0`. */
  style?: 'log' | 'bpftool';
  /** bpftool's `opcodes`: the raw bytes on a second line. */
  opcodes?: boolean;
  resolvers?: KernelResolvers;
}

/** Kernel-syntax listing of a program, one line per instruction (two with `opcodes`). */
export function formatKernelListing(insns: readonly Insn[], opts: KernelListingOptions = {}): string[] {
  const lines: string[] = [];
  for (let pc = 0; pc < insns.length; pc += insnWidth(insns, pc)) {
    const text = formatKernelInsn(insns, pc, opts.resolvers);
    lines.push(opts.style === 'bpftool' ? `${String(pc).padStart(4)}: ${text}` : `${pc}: ${text}`);
    if (opts.opcodes) {
      const w = insnWidth(insns, pc);
      const bytes = new Uint8Array(w * 8);
      for (let k = 0; k < w; k++) if (insns[pc + k]) insnToBytes(insns[pc + k], bytes, k * 8);
      lines.push(`       ${hexBytes(bytes)}`);
    }
  }
  return lines;
}
