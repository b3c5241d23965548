/**
 * Special fields of a map value (the kernel's `btf_record`, found by `btf_parse_fields`
 * in the value's BTF): spin locks, timers, kptrs, graph roots and nodes. The verifier
 * keeps plain loads and stores away from them and checks the helpers that take them.
 */
import type { Btf, BtfType } from '../btf/btf';

export type MapFieldType =
  | 'bpf_spin_lock' | 'bpf_res_spin_lock' | 'bpf_timer' | 'bpf_wq' | 'kptr' | 'bpf_list_head' | 'bpf_list_node'
  | 'bpf_rb_root' | 'bpf_rb_node' | 'bpf_refcount' | 'bpf_task_work';

export interface MapField {
  type: MapFieldType;
  offset: number;
  size: number;
}

const STRUCT_FIELDS: ReadonlySet<string> = new Set([
  'bpf_spin_lock', 'bpf_res_spin_lock', 'bpf_timer', 'bpf_wq', 'bpf_list_head', 'bpf_list_node', 'bpf_rb_root',
  'bpf_rb_node', 'bpf_refcount', 'bpf_task_work',
]);

const KPTR_TAGS: ReadonlySet<string> = new Set(['kptr_untrusted', 'kptr', 'percpu_kptr', 'uptr']);

function strip(btf: Btf, id: number): { t: BtfType; id: number; tags: string[] } {
  const tags: string[] = [];
  let t = btf.type(id);
  for (let i = 0; i < 32; i++) {
    if (t.kind === 'type_tag') tags.push(t.name);
    if (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'typedef' || t.kind === 'type_tag') {
      id = t.type;
      t = btf.type(id);
    } else break;
  }
  return { t, id, tags };
}

/** Special fields of BTF type `typeId` (a struct, or a datasec of global variables). */
export function mapFields(btf: Btf, typeId: number): MapField[] {
  const out: MapField[] = [];
  const visit = (id: number, base: number, depth: number): void => {
    if (depth > 8) return;
    const { t } = strip(btf, id);
    if (t.kind === 'struct' || t.kind === 'union') {
      if (STRUCT_FIELDS.has(t.name)) {
        out.push({ type: t.name as MapFieldType, offset: base, size: t.size });
        return;
      }
      for (const m of t.members) {
        if (m.bitfieldSize) continue;
        const off = base + m.bitOffset / 8;
        const mt = strip(btf, m.type);
        if (mt.t.kind === 'ptr') {
          const pointee = strip(btf, mt.t.type);
          if (pointee.tags.some((x) => KPTR_TAGS.has(x))) out.push({ type: 'kptr', offset: off, size: 8 });
          continue;
        }
        visit(m.type, off, depth + 1);
      }
    } else if (t.kind === 'array') {
      const et = strip(btf, t.type);
      if (et.t.kind !== 'struct' && et.t.kind !== 'union') return;
      const size = et.t.size;
      for (let i = 0; i < t.nelems && i < 1024; i++) visit(t.type, base + i * size, depth + 1);
    } else if (t.kind === 'datasec') {
      for (const v of t.vars) {
        const vt = btf.type(v.type);
        if (vt.kind === 'var') visit(vt.type, base + v.offset, depth + 1);
      }
    }
  };
  try {
    visit(typeId, 0, 0);
  } catch {
    return [];
  }
  return out.sort((a, b) => a.offset - b.offset);
}
