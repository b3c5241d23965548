/**
 * The kernel's BPF printf (bpf_bprintf_prepare + bstr_printf in kernel/bpf/helpers.c),
 * shared by bpf_trace_printk, bpf_trace_vprintk, bpf_snprintf and bpf_seq_printf:
 * conversions %d %i %u %x %X (with l / ll), %c, %s, %pks / %pus, %pK %px %p, %pI4 %pi4
 * %pI6 %pi6, %%, optional flags [0 +- ] and a width. Anything else is EINVAL, as in the
 * kernel. Arguments are u64; without `l`/`ll` they are formatted as 32-bit ints.
 */

export interface PrintfMemory {
  /** Reads a NUL-terminated string of at most `max` bytes at a pointer; undefined if unreadable. */
  str(ptr: bigint, max: number): string | undefined;
  /** Reads `n` bytes at a pointer; undefined if unreadable. */
  bytes(ptr: bigint, n: number): Uint8Array | undefined;
}

export type PrintfResult = { ok: true; text: string } | { ok: false; error: string };

const MAX_STR = 512;
const isPrint = (c: number): boolean => (c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13);

/**
 * Formats `fmt` (the bytes up to the first NUL) with `args`. `maxArgs` is the helper's
 * limit (3 for trace_printk, 12 for the others).
 */
export function bpfPrintf(fmtBytes: Uint8Array, args: readonly bigint[], maxArgs: number, mem: PrintfMemory): PrintfResult {
  const nul = fmtBytes.indexOf(0);
  if (nul < 0) return { ok: false, error: 'format string is not NUL-terminated within its size' };
  const fmt = fmtBytes.subarray(0, nul);
  let out = '';
  let argi = 0;
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (!isPrint(c)) return { ok: false, error: `format string has a non-printable character (0x${c.toString(16)}) at byte ${i}` };
    if (c !== 0x25) { out += String.fromCharCode(c); continue; }
    if (fmt[i + 1] === 0x25) { out += '%'; i++; continue; }
    if (argi >= args.length || argi >= maxArgs) return { ok: false, error: `format string has more conversions than the ${Math.min(args.length, maxArgs)} argument(s) given` };
    const arg = BigInt.asUintN(64, args[argi++]);
    i++;
    let flags = '';
    while (fmt[i] === 0x30 || fmt[i] === 0x2b || fmt[i] === 0x2d || fmt[i] === 0x20) flags += String.fromCharCode(fmt[i++]);
    let width = 0;
    if (fmt[i] >= 0x31 && fmt[i] <= 0x39) {
      while (fmt[i] >= 0x30 && fmt[i] <= 0x39) width = width * 10 + (fmt[i++] - 0x30);
    }
    const ch = String.fromCharCode(fmt[i] ?? 0);
    if (ch === 'p') {
      const t = String.fromCharCode(fmt[i + 1] ?? 0);
      const t2 = String.fromCharCode(fmt[i + 2] ?? 0);
      if ((t === 'k' || t === 'u') && t2 === 's') {
        i += 2;
        out += pad(mem.str(arg, MAX_STR) ?? '', width, flags);
        continue;
      }
      if (t === 'K' || t === 'x' || t === 's' || t === 'S' || t === 'B') {
        i++;
        out += pad(`0x${arg.toString(16).padStart(16, '0')}`, width, flags);
        continue;
      }
      if ((t === 'i' || t === 'I') && (t2 === '4' || t2 === '6')) {
        i += 2;
        const n = t2 === '4' ? 4 : 16;
        const b = mem.bytes(arg, n);
        out += pad(b ? formatIp(b, t === 'I') : '', width, flags);
        continue;
      }
      if (fmt[i + 1] === undefined || !/[0-9A-Za-z]/.test(t)) {
        out += pad(`0x${arg.toString(16)}`, width, flags);
        continue;
      }
      return { ok: false, error: `unsupported pointer conversion %p${t}` };
    }
    if (ch === 's') {
      out += pad(mem.str(arg, MAX_STR) ?? '', width, flags);
      continue;
    }
    if (ch === 'c') {
      out += pad(String.fromCharCode(Number(arg & 0xffn)), width, flags);
      continue;
    }
    let bits = 32;
    if (fmt[i] === 0x6c) { bits = 64; i++; }
    if (fmt[i] === 0x6c) { bits = 64; i++; }
    const conv = String.fromCharCode(fmt[i] ?? 0);
    const v = bits === 32 ? arg & 0xffffffffn : arg;
    let body: string;
    let neg = false;
    switch (conv) {
      case 'd':
      case 'i': {
        const s = BigInt.asIntN(bits, v);
        neg = s < 0n;
        body = (neg ? -s : s).toString();
        break;
      }
      case 'u': body = v.toString(); break;
      case 'x': body = v.toString(16); break;
      case 'X': body = v.toString(16).toUpperCase(); break;
      default:
        return { ok: false, error: `unsupported conversion %${flags}${width || ''}${bits === 64 ? 'l' : ''}${conv === '\0' ? '' : conv}` };
    }
    out += padNumber(body, neg, width, flags);
  }
  return { ok: true, text: out };
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  return flags.includes('-') ? s.padEnd(width) : s.padStart(width);
}

function padNumber(digits: string, neg: boolean, width: number, flags: string): string {
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  const len = sign.length + digits.length;
  if (len >= width) return sign + digits;
  if (flags.includes('-')) return (sign + digits).padEnd(width);
  if (flags.includes('0')) return sign + digits.padStart(width - sign.length, '0');
  return (sign + digits).padStart(width);
}

function formatIp(b: Uint8Array, pretty: boolean): string {
  if (b.length === 4) return pretty ? Array.from(b).join('.') : Array.from(b, (x) => String(x).padStart(3, '0')).join('.');
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0'));
  if (!pretty) return hex.join('');
  const groups: string[] = [];
  for (let k = 0; k < 16; k += 2) groups.push(hex[k] + hex[k + 1]);
  return groups.join(':');
}
