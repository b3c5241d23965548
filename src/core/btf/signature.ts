/**
 * Function signatures as bpftool prints them above each function of an xlated dump
 * (btf_dumper.c `btf_dumper_type_only`): `int subprog_calls(struct __sk_buff * skb)`.
 * Each type is followed by a space, a pointer adds `* `, so the text has bpftool's own
 * spacing rather than C style. Returns '' where bpftool prints nothing.
 */
import { BTF_VAR_STATIC, type Btf } from './btf';

const MAX_DEPTH = 64;

export function btfSignature(btf: Btf, id: number): string {
  try {
    return typeOnly(btf, id, 0);
  } catch {
    return '';
  }
}

function typeOnly(btf: Btf, id: number, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error('too deep');
  if (id === 0) return 'void ';
  const t = btf.types[id];
  if (!t) throw new Error('no such type');
  const next = (x: number) => typeOnly(btf, x, depth + 1);
  switch (t.kind) {
    case 'int': case 'typedef': case 'float': return `${t.name} `;
    case 'struct': return `struct ${t.name} `;
    case 'union': return `union ${t.name} `;
    case 'enum': case 'enum64': return `enum ${t.name} `;
    case 'array': return `${next(t.type)}[${t.nelems | 0}]`;
    case 'ptr': return `${next(t.type)}* `;
    case 'fwd': return `${t.union ? 'union' : 'struct'} ${t.name} `;
    case 'volatile': return `volatile ${next(t.type)}`;
    case 'const': return `const ${next(t.type)}`;
    case 'restrict': return `restrict ${next(t.type)}`;
    case 'func_proto': return func(btf, t, undefined, depth);
    case 'func': {
      const proto = btf.types[t.type];
      if (!proto || proto.kind !== 'func_proto') throw new Error('func without proto');
      return func(btf, proto, t.name, depth);
    }
    case 'var': return `${t.linkage === BTF_VAR_STATIC ? 'static ' : ''}${next(t.type)} ${t.name}`;
    case 'datasec': return `section ("${t.name}") `;
    default: throw new Error(`bpftool prints nothing for ${t.kind}`);
  }
}

function func(btf: Btf, proto: { type: number; params: { name: string; type: number }[] }, name: string | undefined, depth: number): string {
  let s = `${typeOnly(btf, proto.type, depth + 1)}${name ?? ''}(`;
  proto.params.forEach((p, k) => {
    if (k) s += ', ';
    if (!p.type) {
      s += '...';
      return;
    }
    s += typeOnly(btf, p.type, depth + 1);
    if (p.name) s += p.name;
    else if (s.endsWith(' ')) s = s.slice(0, -1);
  });
  return `${s})`;
}
