/**
 * Program, map and attach types by name and number (the kernel's enums, generated from
 * its BTF). Names are lower case without prefix: `xdp`, `socket_filter`, `hash`, `array`.
 */
import { ATTACH_TYPE_ROWS, MAP_TYPE_ROWS, PROG_TYPE_ROWS } from './kernel-enums.gen';

export class KernelEnum {
  private readonly byName: Map<string, number>;
  private readonly byValue: Map<number, string>;

  constructor(readonly what: string, readonly prefix: string, rows: ReadonlyArray<readonly [string, number]>) {
    this.byName = new Map(rows.map(([n, v]) => [n, v]));
    this.byValue = new Map(rows.map(([n, v]) => [v, n]));
  }

  /** Accepts `xdp`, `XDP`, `BPF_PROG_TYPE_XDP` or a number (as a number or a decimal string). */
  value(nameOrValue: string | number): number | undefined {
    if (typeof nameOrValue === 'number') return this.byValue.has(nameOrValue) ? nameOrValue : undefined;
    const s = nameOrValue.trim();
    if (/^\d+$/.test(s)) return this.value(Number(s));
    const lower = s.toLowerCase();
    const bare = lower.startsWith(this.prefix.toLowerCase()) ? lower.slice(this.prefix.length) : lower;
    return this.byName.get(bare);
  }

  name(value: number): string | undefined {
    return this.byValue.get(value);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }
}

export const PROG_TYPES = new KernelEnum('program type', 'BPF_PROG_TYPE_', PROG_TYPE_ROWS);
export const MAP_TYPES = new KernelEnum('map type', 'BPF_MAP_TYPE_', MAP_TYPE_ROWS);
export const ATTACH_TYPES = new KernelEnum('attach type', 'BPF_', ATTACH_TYPE_ROWS);
