import { describe, expect, it } from 'vitest';
import { LogBuffer, fmtStackMask, fmtRegMask, vlogAlignment } from './log';
import { lastErrorLine } from './verify';

describe('verifier log buffer', () => {
  it('rewinds to earlier positions, also across chunks', () => {
    const b = new LogBuffer(true);
    b.write('0: a\n');
    const mark = b.endPos;
    for (let i = 0; i < 20000; i++) b.write(`${i}: some text\n`);
    expect(b.endPos).toBeGreaterThan(65536 * 3);
    b.reset(mark + 3);
    b.write('X\n');
    expect(b.toString()).toBe('0: a\n0: X\n');
    b.reset(2);
    expect(b.toString()).toBe('0:');
  });

  it('keeps only the newest text past its limit, from a line start, and says so', () => {
    const b = new LogBuffer(true, 200_000);
    for (let i = 0; i < 50000; i++) b.write(`line ${i}\n`);
    const s = b.toString();
    expect(b.truncated).toBe(true);
    expect(s.length).toBeLessThanOrEqual(200_000 + 65536);
    expect(s.endsWith('line 49999\n')).toBe(true);
    expect(s.startsWith('line ')).toBe(true);
  });

  it('is silent when disabled (log level 0)', () => {
    const b = new LogBuffer(false);
    b.write('x');
    expect(b.toString()).toBe('');
    expect(b.endPos).toBe(0);
  });
});

describe('log formatting helpers', () => {
  it('prints stack and register masks as the kernel does', () => {
    expect(fmtStackMask(0n)).toBe('');
    expect(fmtStackMask(0b101n)).toBe('-8,-24');
    expect(fmtStackMask(1n << 63n)).toBe('-512');
    expect(fmtRegMask(0b1001)).toBe('r0,r3');
  });

  it('aligns the state column at 38 (or the next multiple of 8)', () => {
    // the argument is the printed instruction line with its newline: "0: (b7) r0 = 0\n"
    expect(14 + vlogAlignment(15)).toBe(38);
    // longer lines: the next multiple of 8 after 4 more columns, minus one
    expect(45 + vlogAlignment(46)).toBe(54);
  });

  it('finds the error line before the summary', () => {
    expect(lastErrorLine('0: (95) exit\nR0 !read_ok\nprocessed 1 insns (limit 1000000) x\n')).toBe('R0 !read_ok');
    expect(lastErrorLine('only an error\n')).toBe('only an error');
    expect(lastErrorLine('')).toBe('');
  });
});
