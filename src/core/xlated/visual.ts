/**
 * `bpftool prog dump xlated visual`: the program's control flow graph in DOT, as
 * bpftool's cfg.c builds it: functions split at bpf-to-bpf call targets, basic blocks
 * split at jumps (JMP and JMP32) and their targets, ENTRY / EXIT blocks per function, edges
 * from each block's last instruction, and instruction rows escaped for DOT records.
 */
import { isLdImm64 } from '../isa/insn';
import { bpftoolResolvers, type XlatedDumpOptions, instructionText } from './dump';
import type { XlatedProgram } from './xlate';

const ENTRY = 0;
const EXIT = 1;

interface Block {
  idx: number;
  head: number;
  tail: number;
  succs: { dst: number }[];
}

const isJmpClass = (code: number): boolean => (code & 7) === 5 || (code & 7) === 6;
/** Jump offset: `gotol` (JMP32 | JA) keeps it in imm. */
const jumpOff = (i: { code: number; off: number; imm: number }): number => (i.code === 0x06 ? i.imm : i.off);

/** One instruction row as print_insn_for_graph writes it: at most 63 characters, then escaped. */
function graphRow(text: string): string {
  const clipped = `${text}\n`.slice(0, 63);
  let out = '';
  for (const c of clipped) {
    if (c === '\n') out += '\\l\\\n';
    else if (c === '<' || c === '>' || c === '|' || c === '&') out += `\\${c}`;
    else out += c;
  }
  return out;
}

export function formatXlatedVisual(x: XlatedProgram, opts: XlatedDumpOptions = {}): string {
  const insns = x.insns;
  const r = bpftoolResolvers(x, false);
  const text = (pc: number): string => instructionText(insns, pc, r, opts);

  // Functions: slot 0 and every pseudo-call target (cfg_partition_funcs).
  // Each function is numbered in the order its start was found, listed in program order.
  const found = new Map<number, number>([[0, 0]]);
  insns.forEach((i, k) => {
    const t = k + i.off + 1;
    if (i.code === 0x85 && i.src === 1 && !found.has(t)) found.set(t, found.size);
  });
  const funcStarts = [...found.keys()].sort((a, b) => a - b);
  const out: string[] = ['digraph "DOT graph for eBPF program" {'];
  funcStarts.forEach((start, pos) => {
    const f = found.get(start)!;
    const end = (pos + 1 < funcStarts.length ? funcStarts[pos + 1] : insns.length) - 1;
    // Block heads (func_partition_bb_head).
    const heads = new Set([start]);
    for (let pc = start; pc <= end; pc++) {
      const i = insns[pc];
      if (!isJmpClass(i.code)) continue;
      const op = i.code & 0xf0;
      if (op === 0x90 || op === 0x80) continue;
      heads.add(pc + jumpOff(i) + 1);
      if (op !== 0x00) heads.add(pc + 1);
    }
    const sorted = [...heads].sort((a, b) => a - b);
    const blocks: Block[] = sorted.map((head, k) => ({ idx: k + 2, head, tail: k + 1 < sorted.length ? sorted[k + 1] - 1 : end, succs: [] }));
    const byHead = new Map(blocks.map((b) => [b.head, b]));
    // Edges (func_add_bb_edges).
    const entrySuccs = blocks.length ? [{ dst: blocks[0].idx }] : [];
    blocks.forEach((b, k) => {
      const next = k + 1 < blocks.length ? blocks[k + 1].idx : EXIT;
      const i = insns[b.tail];
      const op = i.code & 0xf0;
      if (!isJmpClass(i.code) || op === 0x90) b.succs.push({ dst: next });
      else if (op === 0x00) b.succs.push({ dst: byHead.get(b.tail + jumpOff(i) + 1)?.idx ?? -1 });
      else {
        b.succs.push({ dst: next });
        b.succs.push({ dst: byHead.get(b.tail + i.off + 1)?.idx ?? -1 });
      }
    });

    out.push(`subgraph "cluster_${f}" {`, '\tstyle="dashed";', '\tcolor="black";', `\tlabel="func_${f} ()";`);
    out.push(`\tfn_${f}_bb_${ENTRY} [shape=Mdiamond,style=filled,label="ENTRY"];`, '');
    for (const b of blocks) {
      let label = '{';
      let doubleInsn = false;
      for (let pc = b.head; pc <= b.tail; pc++) {
        if (doubleInsn) {
          doubleInsn = false;
          continue;
        }
        doubleInsn = isLdImm64(insns[pc]);
        label += `${String(pc - start).padStart(4)}: ${graphRow(text(pc))}`;
        if (pc !== b.tail) label += ' | ';
      }
      label += '}';
      out.push(`\tfn_${f}_bb_${b.idx} [shape=record,style=filled,label="${label}"];`, '');
    }
    out.push(`\tfn_${f}_bb_${EXIT} [shape=Mdiamond,style=filled,label="EXIT"];`, '');
    const edge = (src: number, dst: number): string => `\tfn_${f}_bb_${src}:s -> fn_${f}_bb_${dst}:n [style="solid,bold", color=black, weight=10, constraint=true];`;
    for (const s of entrySuccs) out.push(edge(ENTRY, s.dst));
    for (const b of blocks) for (const s of b.succs) out.push(edge(b.idx, s.dst));
    out.push(`\tfn_${f}_bb_${ENTRY}:s -> fn_${f}_bb_${EXIT}:n [style="invis", constraint=true];`);
    out.push('}');
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}
