import { describe, expect, it } from 'vitest';
import { programFromHex } from '../isa/insn';
import { PROG_TYPES } from '../isa/kernel-types';
import { formatJitedListing, jitedListingJson } from './listing';
import { jitProgram } from './program';

// KERNEL-FACTS P4 (socket filter returning skb->len): xlated `r0 = *(u32 *)(r1 +112); exit`,
// which this kernel JITs to nop5, nop3, push rbp, mov rbp,rsp, mov 0x70(%rdi),%eax, leave, jmp thunk.
const result = jitProgram({ insns: programFromHex(['6110700000000000', '9500000000000000']), progType: PROG_TYPES.value('socket_filter')!, stackDepths: [0] });
const lineInfo = [
  { insnOff: 0, file: 'len.c', line: 5, col: 9, text: '\treturn skb->len;' },
  { insnOff: 1, file: 'len.c', line: 5, col: 2, text: 'return skb->len;' },
];

describe('jited listing (bpftool prog dump jited layout)', () => {
  it('prints the symbol, function-relative pcs and objdump text', () => {
    const text = formatJitedListing({ result, functions: [{ name: 'bpf_prog_abc_len', proto: 'int len(struct __sk_buff * skb)' }] });
    const thunk = (0xffffffff82200000n).toString(16); // the placeholder return thunk
    expect(text).toBe([
      'int len(struct __sk_buff * skb):',
      'bpf_prog_abc_len:',
      '   0:\tnopl   0x0(%rax,%rax,1)',
      '   5:\tnopl   (%rax)',
      '   8:\tpush   %rbp',
      '   9:\tmov    %rsp,%rbp',
      '   c:\tmov    0x70(%rdi),%eax',
      '   f:\tleave',
      `  10:\tjmp    0x${thunk}`,
      '',
      '',
    ].join('\n'));
  });

  it('puts source lines where their instruction starts (the first at the function start)', () => {
    const text = formatJitedListing({ result, lineInfo }, { linum: true });
    const lines = text.split('\n');
    expect(lines[1]).toBe('; return skb->len; [file:len.c line_num:5 line_col:9]');
    expect(lines[2]).toBe('   0:\tnopl   0x0(%rax,%rax,1)');
    expect(lines[7]).toBe('; return skb->len; [file:len.c line_num:5 line_col:2]');
    expect(lines[8]).toBe('   f:\tleave');
  });

  it('adds the bytes on a second line with opcodes', () => {
    const text = formatJitedListing({ result }, { opcodes: true });
    expect(text.split('\n').slice(1, 3)).toEqual(['   0:\tnopl   0x0(%rax,%rax,1)', '\t0f 1f 44 00 00 ']);
  });

  it('has the -j shape: name, insns with pc, operation, operands, opcodes', () => {
    const j = jitedListingJson({ result, lineInfo }, { opcodes: true });
    expect(j[0].insns[0]).toEqual({ src: 'return skb->len;', pc: '0x0', operation: 'nopl', operands: ['0x0(%rax,%rax,1)'], opcodes: ['0x0f', '0x1f', '0x44', '0x00', '0x00'] });
    expect(j[0].insns[5]).toMatchObject({ pc: '0xf', operation: 'leave', operands: null });
  });
});
