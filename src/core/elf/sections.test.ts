import { describe, expect, it } from 'vitest';
import { ATTACH_TYPES, PROG_TYPES } from '../isa/kernel-types';
import { SECTION_DEFS, sectionMeaning } from './sections';

describe('sectionMeaning', () => {
  it('names only program and attach types the 6.18 kernel has', () => {
    for (const def of SECTION_DEFS) {
      expect(PROG_TYPES.value(def.progType), def.prefix).toBeDefined();
      if (def.attachType) expect(ATTACH_TYPES.value(def.attachType), `${def.prefix}: ${def.attachType}`).toBeDefined();
    }
  });

  it('maps the usual sections as libbpf does', () => {
    const t = (s: string) => { const m = sectionMeaning(s); return m && [PROG_TYPES.name(m.progType), m.expectedAttachType === undefined ? undefined : ATTACH_TYPES.name(m.expectedAttachType), m.target]; };
    expect(t('xdp')).toEqual(['xdp', 'xdp', undefined]);
    expect(t('socket')).toEqual(['socket_filter', undefined, undefined]);
    expect(t('kprobe/do_unlinkat')).toEqual(['kprobe', undefined, 'do_unlinkat']);
    expect(t('tp/syscalls/sys_enter_write')).toEqual(['tracepoint', undefined, 'syscalls/sys_enter_write']);
    expect(t('cgroup_skb/egress')).toEqual(['cgroup_skb', 'cgroup_inet_egress', undefined]);
    expect(t('fentry/bpf_fentry_test1')).toEqual(['tracing', 'trace_fentry', 'bpf_fentry_test1']);
    expect(t('tc')).toEqual(['sched_cls', undefined, undefined]);
    expect(t('xdpfoo')).toBeUndefined();
    expect(t('kprobex')).toBeUndefined();
  });
});
