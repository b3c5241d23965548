/**
 * `.BTF.ext`: per-section function info, line info and CO-RE relocation records, with
 * names and source text in the `.BTF` string section.
 *
 * Layout (libbpf's `struct btf_ext_header`, Documentation/bpf/btf.rst "BTF.ext"): a
 * header (magic 0xeB9F, version 1, hdr_len, then func_info_off/len, line_info_off/len
 * and, when hdr_len >= 32, core_relo_off/len, all relative to the end of the header).
 * Each block is `u32 rec_size` then, per ELF section, `{u32 sec_name_off; u32 num_info;
 * rec[num_info]}`. Instruction offsets in the records are byte offsets in the section.
 */
import { BTF_MAGIC, BtfError, readBtfString } from './btf';

export interface BtfExtFuncInfo {
  /** Byte offset of the function's first instruction in its section. */
  insnOff: number;
  typeId: number;
}

export interface BtfExtLineInfo {
  insnOff: number;
  fileNameOff: number;
  lineOff: number;
  line: number;
  col: number;
}

/** `enum bpf_core_relo_kind`. */
export const CORE_RELO_KINDS = [
  'field_byte_offset', 'field_byte_size', 'field_exists', 'field_signed', 'field_lshift_u64', 'field_rshift_u64',
  'type_id_local', 'type_id_target', 'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
] as const;
export type CoreReloKind = (typeof CORE_RELO_KINDS)[number];

export interface BtfExtCoreRelo {
  insnOff: number;
  /** Local (object) BTF type id the access starts from. */
  typeId: number;
  /** Access string, e.g. "0:1:0". */
  accessStr: string;
  kind: number;
}

export interface BtfExtSection<R> {
  /** ELF section name the records belong to. */
  section: string;
  records: R[];
}

export interface BtfExt {
  funcInfo: BtfExtSection<BtfExtFuncInfo>[];
  lineInfo: BtfExtSection<BtfExtLineInfo>[];
  coreRelos: BtfExtSection<BtfExtCoreRelo>[];
}

const WHERE = '.BTF.ext';

/** Parses `.BTF.ext` bytes; `strings` is the `.BTF` string section. */
export function parseBtfExt(bytes: Uint8Array, strings: Uint8Array): BtfExt {
  if (bytes.length < 8) throw new BtfError(`${bytes.length} bytes is shorter than a BTF.ext header`, WHERE);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = dv.getUint16(0, true);
  if (magic !== BTF_MAGIC) throw new BtfError(`bad magic 0x${magic.toString(16)} (want 0xeb9f)`, WHERE);
  if (dv.getUint8(2) !== 1) throw new BtfError(`unsupported version ${dv.getUint8(2)}`, WHERE);
  const hdrLen = dv.getUint32(4, true);
  if (hdrLen < 24 || hdrLen > bytes.length) throw new BtfError(`header length ${hdrLen} is invalid (data is ${bytes.length} bytes)`, WHERE);
  const u32 = (o: number) => dv.getUint32(o, true);
  const str = (off: number) => readBtfString(strings, off, `${WHERE} (names in .BTF)`);
  const out: BtfExt = { funcInfo: [], lineInfo: [], coreRelos: [] };

  const blocks: { what: string; off: number; len: number; minRec: number; read: (o: number) => unknown; into: BtfExtSection<unknown>[] }[] = [
    { what: 'func_info', off: u32(8), len: u32(12), minRec: 8, into: out.funcInfo, read: (o) => ({ insnOff: u32(o), typeId: u32(o + 4) }) },
    {
      what: 'line_info', off: u32(16), len: u32(20), minRec: 16, into: out.lineInfo,
      read: (o) => ({ insnOff: u32(o), fileNameOff: u32(o + 4), lineOff: u32(o + 8), line: u32(o + 12) >>> 10, col: u32(o + 12) & 0x3ff }),
    },
  ];
  if (hdrLen >= 32) {
    blocks.push({
      what: 'core_relo', off: u32(24), len: u32(28), minRec: 16, into: out.coreRelos,
      read: (o) => ({ insnOff: u32(o), typeId: u32(o + 4), accessStr: str(u32(o + 8)), kind: u32(o + 12) }),
    });
  }
  for (const b of blocks) {
    if (b.len === 0) continue;
    const start = hdrLen + b.off;
    const end = start + b.len;
    if (end > bytes.length) throw new BtfError(`${b.what} (offset ${b.off}, ${b.len} bytes) runs past the end (${bytes.length - hdrLen} bytes after the header)`, WHERE);
    if (b.off % 4) throw new BtfError(`${b.what} offset ${b.off} is not 4-byte aligned`, WHERE);
    if (b.len < 4) throw new BtfError(`${b.what} is too short for its record size`, WHERE);
    const recSize = u32(start);
    if (recSize < b.minRec || recSize % 4) throw new BtfError(`${b.what} record size ${recSize} is invalid (at least ${b.minRec}, multiple of 4)`, WHERE);
    let o = start + 4;
    while (o < end) {
      if (o + 8 > end) throw new BtfError(`${b.what}: section header at offset ${o - hdrLen} is truncated`, WHERE);
      const section = str(u32(o));
      const num = u32(o + 4);
      o += 8;
      if (num === 0) throw new BtfError(`${b.what}: section ${section} has no records`, WHERE);
      if (num * recSize > end - o) throw new BtfError(`${b.what}: section ${section} claims ${num} records of ${recSize} bytes, more than the ${end - o} bytes left`, WHERE);
      const records: unknown[] = [];
      for (let k = 0; k < num; k++, o += recSize) records.push(b.read(o));
      b.into.push({ section, records });
    }
  }
  return out;
}

/** The source text and file of a line-info record. */
export function lineInfoText(strings: Uint8Array, l: BtfExtLineInfo): { file: string; text: string } {
  return { file: readBtfString(strings, l.fileNameOff, `${WHERE} line_info`), text: readBtfString(strings, l.lineOff, `${WHERE} line_info`) };
}
