/**
 * A Monarch grammar for BPF assembly, covering what the assembler reads (src/core/asm/parse.ts):
 *
 *   kernel    `r0 = *(u32 *)(r1 +8)`, `if r1 > r2 goto pc+3`, `call bpf_map_lookup_elem#1`,
 *             `lock *(u64 *)(r0 +0) += r1`, pasted log lines `12: (b7) r0 = 0`
 *   llvm      `r0 = *(u32 *)(r1 + 0x8)`, `if w1 s> 0x5 goto +0x3 <LBB0_2>`, `r1 = 0x1 ll`
 *   mnemonic  `ldxw %r0, [%r1+8]`, `jgt %r1, %r2, +3`, `lddw %r1, 0x1`
 *
 * plus labels (`name:`), directives (`.map`, `.section`, `.license`) and comments
 * (`;` and `//` anywhere, `#` at the start of a word: `call foo#12` is not a comment).
 *
 * Token names are Monaco's standard ones so every theme colours them.
 */
import type { languages } from 'monaco-editor/editor/editor.api';

export const BPF_ASM_LANGUAGE_ID = 'bpf-asm';

const MNEMONICS = [
  // ALU, 64- and 32-bit (`add`, `add64`, `add32`, ...).
  ...['add', 'sub', 'mul', 'div', 'or', 'and', 'lsh', 'rsh', 'mod', 'xor', 'mov', 'arsh', 'sdiv', 'smod', 'neg']
    .flatMap((m) => [m, `${m}32`, `${m}64`]),
  'movsx832', 'movsx1632', 'movsx864', 'movsx1664', 'movsx3264',
  'le16', 'le32', 'le64', 'be16', 'be32', 'be64', 'bswap16', 'bswap32', 'bswap64', 'swap16', 'swap32', 'swap64',
  'lddw', 'ldxb', 'ldxh', 'ldxw', 'ldxdw', 'ldxsb', 'ldxsh', 'ldxsw', 'stb', 'sth', 'stw', 'stdw', 'stxb', 'stxh', 'stxw', 'stxdw',
  'ldabsb', 'ldabsh', 'ldabsw', 'ldindb', 'ldindh', 'ldindw', 'fetch', 'xchg', 'cmpxchg', 'xchg32', 'cmpxchg32',
  ...['jeq', 'jgt', 'jge', 'jset', 'jne', 'jsgt', 'jsge', 'jlt', 'jle', 'jslt', 'jsle'].flatMap((m) => [m, `${m}32`]),
  'ja', 'ja32',
];

const KEYWORDS = [
  'if', 'goto', 'gotol', 'may_goto', 'call', 'callx', 'exit', 'lock', 'nospec', 'll',
  'load_acquire', 'store_release', 'addr_space_cast', 'ld_pseudo',
  'atomic_fetch_add', 'atomic_fetch_and', 'atomic_fetch_or', 'atomic_fetch_xor',
  'atomic64_fetch_add', 'atomic64_fetch_and', 'atomic64_fetch_or', 'atomic64_fetch_xor',
  'atomic_xchg', 'atomic_cmpxchg', 'atomic64_xchg', 'atomic64_cmpxchg', 'xchg_64', 'xchg32_32', 'cmpxchg_64', 'cmpxchg32_32',
  'map', 'skb',
];

export const bpfAsmMonarch: languages.IMonarchLanguage = {
  defaultToken: '',
  keywords: KEYWORDS,
  mnemonics: MNEMONICS,
  tokenizer: {
    root: [
      // Pasted listings: `12:` instruction index.
      [/^\s*\d+:/, 'comment'],
      // Label definitions.
      [/^\s*[A-Za-z_$.][\w$.]*:/, 'type.identifier'],
      // Directives.
      [/^\s*\.[A-Za-z_]\w*/, 'keyword.directive'],
      { include: '@whitespace' },
      // `(b7)` opcode column of kernel listings.
      [/\([0-9a-f]{2}\)(?=\s)/, 'comment'],
      // Size casts `(u32 *)`, `(s8)`.
      [/\b[us](?:8|16|32|64)\b/, 'type'],
      [/%?[rw](?:10|[0-9])\b/, 'variable.predefined'],
      // Helper by name and id: `bpf_map_lookup_elem#1`.
      [/[A-Za-z_]\w*#-?\d+/, 'predefined'],
      // `pc+3`, `pc-1`: kernel jump offsets.
      [/\bpc[+-]\d+/, 'number'],
      // llvm-objdump's symbolised target `<LBB0_2>`.
      [/<[^<>\s]+>/, 'comment'],
      // Signed comparisons and shifts start with an `s` that is not a name: `s>=`, `s>>=`.
      [/s(?:>>=|>=|<=|>|<|\/=|%=)/, 'operator'],
      [/bpf_\w+/, 'predefined'],
      [/[A-Za-z_$.][\w$.]*/, { cases: { '@keywords': 'keyword', '@mnemonics': 'keyword', '@default': 'identifier' } }],
      [/0[xX][0-9a-fA-F]+/, 'number.hex'],
      [/\d+/, 'number'],
      [/"([^"\\]|\\.)*"/, 'string'],
      [/"([^"\\]|\\.)*$/, 'string.invalid'],
      [/[()[\]]/, '@brackets'],
      [/[=<>!+\-*/%&|^]+/, 'operator'],
      [/,/, 'delimiter'],
    ],
    whitespace: [
      [/[ \t]+/, ''],
      [/;.*$/, 'comment'],
      [/\/\/.*$/, 'comment'],
      // Reached only at the start of a word: `name#12` is consumed whole above.
      [/#.*$/, 'comment'],
    ],
  },
};

export const bpfAsmConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: ';' },
  brackets: [['(', ')'], ['[', ']']],
  autoClosingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }, { open: '"', close: '"' }],
  surroundingPairs: [{ open: '(', close: ')' }, { open: '[', close: ']' }],
  wordPattern: /-?0x[0-9a-fA-F]+|-?\d+|[A-Za-z_$.][\w$.]*(?:#\d+)?/,
};
