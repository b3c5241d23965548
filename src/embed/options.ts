/**
 * What an embedded playground shows, from its URL's query (set by `<bpf-playground>`'s
 * attributes or by hand in an iframe's src):
 *
 *   readonly=1        the editor takes no edits
 *   toolbar=0         no toolbar (the "Open in full playground" link stays, small)
 *   mode=spoiler      one pane: the code, and a button that shows the result instead
 *   panels=asm,log    which result views exist (asm: the listing, log: the verifier)
 *   autorun=1         verify as soon as the page is ready
 *   example=ID        start from an example (when the fragment holds no files)
 *   theme=light|dark  (default: the reader's preference)
 *
 * Files come from the fragment, in the share-link format (`#share=1.…`). Unknown keys
 * and values are ignored: a typo must not break a documentation page.
 */

export type EmbedPanel = 'asm' | 'log';

export interface EmbedOptions {
  readOnly: boolean;
  toolbar: boolean;
  spoiler: boolean;
  panels: EmbedPanel[];
  autorun: boolean;
  exampleId?: string;
  theme?: 'dark' | 'light';
}

export const DEFAULT_EMBED: EmbedOptions = { readOnly: false, toolbar: true, spoiler: false, panels: ['asm', 'log'], autorun: false };

const truthy = (v: string | null): boolean | undefined => (v === null ? undefined : !['0', 'false', 'no', 'off'].includes(v.toLowerCase()));

export function parseEmbedOptions(search: string): EmbedOptions {
  const q = new URLSearchParams(search);
  const o: EmbedOptions = { ...DEFAULT_EMBED, panels: [...DEFAULT_EMBED.panels] };
  o.readOnly = truthy(q.get('readonly')) ?? o.readOnly;
  o.toolbar = truthy(q.get('toolbar')) ?? o.toolbar;
  o.autorun = truthy(q.get('autorun')) ?? o.autorun;
  o.spoiler = q.get('mode') === 'spoiler';
  const panels = q.get('panels');
  if (panels !== null) {
    const list = panels.split(',').map((p) => p.trim()).filter((p): p is EmbedPanel => p === 'asm' || p === 'log');
    if (list.length) o.panels = [...new Set(list)];
  }
  const ex = q.get('example');
  if (ex && /^[a-z0-9-]{1,40}$/.test(ex)) o.exampleId = ex;
  const theme = q.get('theme');
  if (theme === 'dark' || theme === 'light') o.theme = theme;
  return o;
}

/** The query string for options (what `<bpf-playground>` puts on its iframe). */
export function embedQuery(o: Partial<EmbedOptions>): string {
  const q = new URLSearchParams();
  if (o.readOnly) q.set('readonly', '1');
  if (o.toolbar === false) q.set('toolbar', '0');
  if (o.spoiler) q.set('mode', 'spoiler');
  if (o.panels) q.set('panels', o.panels.join(','));
  if (o.autorun) q.set('autorun', '1');
  if (o.exampleId) q.set('example', o.exampleId);
  if (o.theme) q.set('theme', o.theme);
  const s = q.toString();
  return s ? `?${s}` : '';
}
