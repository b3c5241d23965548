/**
 * The BPF opcode byte, its fields, and the kernel's tables of names.
 *
 * Values are those of the Linux UAPI (`include/uapi/linux/bpf.h`,
 * `bpf_common.h`) and RFC 9669. The opcode byte is split in three ways,
 * depending on the class (low three bits):
 *
 *   ALU / ALU64 / JMP / JMP32:   | op (4 bits) | source (1 bit) | class (3 bits) |
 *   LD / LDX / ST / STX:         | mode (3)    | size (2)       | class (3)      |
 */

/** Instruction class: the low three bits of the opcode. */
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_JMP32 = 0x06;
export const BPF_ALU64 = 0x07;

/** Source operand bit of ALU and JMP classes: immediate (K) or register (X). */
export const BPF_K = 0x00;
export const BPF_X = 0x08;
/** For BPF_END in class ALU the source bit selects the byte order. */
export const BPF_TO_LE = 0x00;
export const BPF_TO_BE = 0x08;

/** ALU operations (high four bits). */
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_MOV = 0xb0;
export const BPF_ARSH = 0xc0;
export const BPF_END = 0xd0;

/** Jump operations (high four bits). */
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;
export const BPF_JNE = 0x50;
export const BPF_JSGT = 0x60;
export const BPF_JSGE = 0x70;
export const BPF_CALL = 0x80;
export const BPF_EXIT = 0x90;
export const BPF_JLT = 0xa0;
export const BPF_JLE = 0xb0;
export const BPF_JSLT = 0xc0;
export const BPF_JSLE = 0xd0;
/** Conditional pseudo jump (may_goto), JMP class only. */
export const BPF_JCOND = 0xe0;

/** Load/store size (bits 3-4). */
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_DW = 0x18;

/** Load/store mode (bits 5-7). */
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_MEMSX = 0x80;
export const BPF_ATOMIC = 0xc0;
/** Kernel-internal speculation barrier, `BPF_ST | 0xc0` (not UAPI; appears in xlated code). */
export const BPF_NOSPEC = 0xc0;

/** Atomic operations, carried in `imm` of `BPF_STX | BPF_ATOMIC`. */
export const BPF_FETCH = 0x01;
export const BPF_XCHG = 0xe0 | BPF_FETCH;
export const BPF_CMPXCHG = 0xf0 | BPF_FETCH;
export const BPF_LOAD_ACQ = 0x100;
export const BPF_STORE_REL = 0x110;

/** `src_reg` values of LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW). */
export const BPF_PSEUDO_MAP_FD = 1;
export const BPF_PSEUDO_MAP_VALUE = 2;
export const BPF_PSEUDO_BTF_ID = 3;
export const BPF_PSEUDO_FUNC = 4;
export const BPF_PSEUDO_MAP_IDX = 5;
export const BPF_PSEUDO_MAP_IDX_VALUE = 6;

/** `src_reg` values of BPF_CALL. */
export const BPF_PSEUDO_CALL = 1;
export const BPF_PSEUDO_KFUNC_CALL = 2;

/** `src_reg` of BPF_JCOND. */
export const BPF_MAY_GOTO = 0;

/** `off` of `BPF_ALU64 | BPF_MOV | BPF_X` marking an arena address-space cast. */
export const BPF_ADDR_SPACE_CAST = 1;
/** `off` of `BPF_ALU64 | BPF_MOV | BPF_X` for the kernel-internal per-CPU address move. */
export const BPF_ADDR_PERCPU = -1;

/** Register numbers: r0-r9 general purpose, r10 the read-only frame pointer. */
export const BPF_REG_FP = 10;
export const MAX_BPF_REG = 11;

export const opClass = (code: number): number => code & 0x07;
export const opSize = (code: number): number => code & 0x18;
export const opMode = (code: number): number => code & 0xe0;
export const opOp = (code: number): number => code & 0xf0;
export const opSrc = (code: number): number => code & 0x08;

export type ClassName = 'ld' | 'ldx' | 'st' | 'stx' | 'alu' | 'jmp' | 'jmp32' | 'alu64';

/** Class names, as the kernel's `bpf_class_string` has them. */
export const CLASS_NAMES: readonly ClassName[] = ['ld', 'ldx', 'st', 'stx', 'alu', 'jmp', 'jmp32', 'alu64'];

export type AluOpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'or' | 'and' | 'lsh' | 'rsh'
  | 'neg' | 'mod' | 'xor' | 'mov' | 'arsh' | 'end';

/** ALU operation names, indexed by `op >> 4`; undefined entries are not opcodes. */
export const ALU_OPS: readonly (AluOpName | undefined)[] = [
  'add', 'sub', 'mul', 'div', 'or', 'and', 'lsh', 'rsh',
  'neg', 'mod', 'xor', 'mov', 'arsh', 'end', undefined, undefined,
];

export type JmpOpName =
  | 'ja' | 'jeq' | 'jgt' | 'jge' | 'jset' | 'jne' | 'jsgt' | 'jsge'
  | 'call' | 'exit' | 'jlt' | 'jle' | 'jslt' | 'jsle' | 'jcond';

/** Jump operation names, indexed by `op >> 4`. */
export const JMP_OPS: readonly (JmpOpName | undefined)[] = [
  'ja', 'jeq', 'jgt', 'jge', 'jset', 'jne', 'jsgt', 'jsge',
  'call', 'exit', 'jlt', 'jle', 'jslt', 'jsle', 'jcond', undefined,
];

/** Conditional jump operators, as both the kernel and LLVM print them (`bpf_jmp_string`). */
export const JMP_COND_SYMBOL: Readonly<Record<string, string>> = {
  jeq: '==', jgt: '>', jge: '>=', jset: '&', jne: '!=', jsgt: 's>', jsge: 's>=',
  jlt: '<', jle: '<=', jslt: 's<', jsle: 's<=',
};

/** ALU compound-assignment operators (`bpf_alu_string`). */
export const ALU_SYMBOL: Readonly<Record<string, string>> = {
  add: '+=', sub: '-=', mul: '*=', div: '/=', or: '|=', and: '&=', lsh: '<<=', rsh: '>>=',
  mod: '%=', xor: '^=', mov: '=', arsh: 's>>=',
};

export type SizeName = 'w' | 'h' | 'b' | 'dw';
/** Access width in bytes, indexed by `size >> 3`. */
export const SIZE_BYTES: readonly number[] = [4, 2, 1, 8];
export const SIZE_NAMES: readonly SizeName[] = ['w', 'h', 'b', 'dw'];

export const sizeBytes = (code: number): number => SIZE_BYTES[opSize(code) >> 3];

/** The size field for an access width in bytes. */
export function sizeField(bytes: number): number {
  switch (bytes) {
    case 1: return BPF_B;
    case 2: return BPF_H;
    case 4: return BPF_W;
    case 8: return BPF_DW;
    default: throw new RangeError(`no BPF access size of ${bytes} bytes`);
  }
}

export type ModeName = 'imm' | 'abs' | 'ind' | 'mem' | 'memsx' | 'atomic' | 'nospec';
