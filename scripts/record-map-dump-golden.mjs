#!/usr/bin/env node
// Records how bpftool prints map keys and values through BTF (`bpftool -j map dump`,
// its `formatted` part), as the golden for src/core/btf/format-value.ts:
// test/golden/map-dump/NAME.json.
//
// Per object test/progs/obj/NAME.o (listed below: their programs load, and their maps
// have BTF keys and values of different kinds): `bpftool prog loadall` with the maps
// pinned, a few entries written with `bpftool map update` (bytes of a fixed pattern, so
// ints are signed and unsigned, chars printable and not, bitfields set), then
// `bpftool -j map dump pinned`. Needs root and bpffs. Run: node scripts/record-map-dump-golden.mjs
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}test/golden/map-dump/`;
const OBJECTS = ['xdp_count_proto', 'lpm_route', 'xdp_hash_src', 'percpu_lru', 'spin_lock', 'globals', 'knobs', 'v4_features', 'kprobe_stackid'];
/** test/fixtures/btf-values/values.o: strings, enums, bools, bitfields, unions; entries chosen by hand. */
const FIXTURE = `${ROOT}test/fixtures/btf-values/values.o`;
const hexOf = (s) => s.match(/../g);
const REC = (name, rest) => [...Buffer.from(name.padEnd(16, '\0'), 'latin1').toString('hex').match(/../g), ...hexOf(rest)];
const FIXTURE_ENTRIES = {
  // name, color (GREEN=5, BLUE=-2, 7: no name), ok, sc, uc, s, flags, union, arr[3], ptr, big, c
  recs: [
    ['01000000', REC('eth0', '05000000' + '01' + 'ff' + 'fe' + '00' + '9cff' + '0000' + 'fd03ffff' + '44332211' + '010002000300' + '000000000000' + '1122334455667788' + 'f8ffffffffffffff' + '41' + '00000000000000')],
    ['02000000', REC('\x01bad', 'feffffff' + '00' + '80' + '7f' + '00' + '0100' + '0000' + '07000000' + '00000000' + 'ffffffffffff' + '000000000000' + '0000000000000000' + '0000000000000080' + '09' + '00000000000000')],
    ['03000000', [...Array(16).fill('7a'), ...hexOf('07000000' + '02' + '00' + '00' + '00' + '0000' + '0000' + 'ffffffff' + '00000000' + '000000000000' + '000000000000' + '0000000000000000' + '0000000000000000' + '00' + '00000000000000')]],
  ],
  colors: [['00000000', hexOf('05000000')], ['01000000', hexOf('feffffff')], ['02000000', hexOf('09000000')]],
};
const bpftool = (...args) => execFileSync('bpftool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/**
 * bpftool's JSON with every number kept exactly: a number literal becomes the string
 * "#<its text>" (u64 values do not survive JSON.parse as numbers).
 */
function exactJson(text) {
  let out = '';
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (/[-0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[-+0-9.eE]/.test(text[j])) j++;
      out += `"#${text.slice(i, j)}"`;
      i = j;
    } else { out += c; i++; }
  }
  return JSON.parse(out);
}
const json = (...args) => exactJson(bpftool('-j', ...args));
const pattern = (n, seed) => Array.from({ length: n }, (_, i) => ((i * 37 + seed * 101 + 11) & 0xff).toString(16).padStart(2, '0'));

mkdirSync(OUT, { recursive: true });
for (const name of [...OBJECTS, 'values']) {
  const fixture = name === 'values';
  const progs = `/sys/fs/bpf/bpfplay_rec_md_${name}`;
  const maps = `${progs}_maps`;
  rmSync(progs, { recursive: true, force: true });
  rmSync(maps, { recursive: true, force: true });
  try {
    bpftool('prog', 'loadall', fixture ? FIXTURE : `${ROOT}test/progs/obj/${name}.o`, progs, 'pinmaps', maps);
  } catch (e) {
    console.error(`${name}: not loaded (${String(e.stderr).trim().split('\n').pop()})`);
    continue;
  }
  const out = {
    recorded_with: 'node scripts/record-map-dump-golden.mjs (bpftool -j map dump after bpftool map update); numbers are written "#<digits>" to keep them exact',
    object: `${name}.o`,
    maps: [],
  };
  try {
    for (const m of readdirSync(maps)) {
      const path = `${maps}/${m}`;
      const info = JSON.parse(bpftool('-j', 'map', 'show', 'pinned', path));
      if (!info.btf_id || info.frozen) continue;
      const perCpu = String(info.type).startsWith('percpu') || String(info.type).startsWith('lru_percpu');
      const isArray = info.type === 'array' || info.type === 'percpu_array';
      if (!['hash', 'array', 'lru_hash', 'percpu_array', 'percpu_hash', 'lru_percpu_hash', 'lpm_trie'].includes(info.type)) continue;
      for (const [key, value] of fixture ? FIXTURE_ENTRIES[info.name] ?? [] : []) {
        bpftool('map', 'update', 'pinned', path, 'key', 'hex', ...hexOf(key), 'value', 'hex', ...value);
      }
      for (let k = 0; k < (fixture ? 0 : 3); k++) {
        let key = pattern(info.bytes_key, k + 1);
        if (isArray) key = [k % info.max_entries, 0, 0, 0].map((x) => x.toString(16).padStart(2, '0'));
        if (info.type === 'lpm_trie') key[0] = '18', key[1] = key[2] = key[3] = '00'; // prefixlen 24
        // The second entry's value is all zeros (strings, enums and bools at 0).
        const value = k === 1 ? Array(info.bytes_value).fill('00') : pattern(info.bytes_value, k + 7);
        const values = value; // bpftool gives every CPU the same value
        try {
          bpftool('map', 'update', 'pinned', path, 'key', 'hex', ...key, 'value', 'hex', ...values);
        } catch (e) {
          console.error(`${name}/${m}: update failed: ${String(e.stderr).trim()}`);
        }
      }
      const dump = json('map', 'dump', 'pinned', path);
      out.maps.push({
        name: info.name,
        type: info.type,
        entries: dump.map((e) => ({
          key: e.key.map((b) => b.replace(/^0x/, '')).join(''),
          value: (e.value ?? e.values?.[0]?.value ?? []).map((b) => b.replace(/^0x/, '')).join(''),
          formatted: e.formatted,
        })),
      });
    }
  } finally {
    rmSync(progs, { recursive: true, force: true });
    rmSync(maps, { recursive: true, force: true });
  }
  if (!out.maps.length) { console.error(`${name}: no map with BTF written`); continue; }
  writeFileSync(`${OUT}${name}.json`, `${JSON.stringify(out, null, 1)}\n`);
  console.log(`${name}: ${out.maps.map((m) => `${m.name} (${m.entries.length})`).join(', ')}`);
}
