/** The BTF prototype line bpftool prints above each function of a dump. */
import { parseBtf, type Btf } from '../btf/btf';
import { btfSignature } from '../btf/signature';
import type { LoadedObject, LoadedProgram } from '../elf/loaded-object';
import type { XlatedProgram } from './xlate';

const cache = new WeakMap<Uint8Array, Btf | null>();

function btfOf(obj: LoadedObject): Btf | undefined {
  if (!obj.btf) return undefined;
  let b = cache.get(obj.btf);
  if (b === undefined) {
    try {
      b = parseBtf(obj.btf);
    } catch {
      b = null;
    }
    cache.set(obj.btf, b);
  }
  return b ?? undefined;
}

/** Per function of the xlated program: `int f(struct __sk_buff * skb)`, or '' without BTF. */
export function xlatedProtos(obj: LoadedObject, p: LoadedProgram, x: XlatedProgram): string[] {
  const btf = btfOf(obj);
  return x.funcStarts.map((start) => {
    const fi = p.funcInfo.find((f) => f.insnOff === x.origin[start]);
    return btf && fi?.btfTypeId !== undefined ? btfSignature(btf, fi.btfTypeId) : '';
  });
}
