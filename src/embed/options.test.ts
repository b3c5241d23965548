import { describe, expect, it } from 'vitest';
import { DEFAULT_EMBED, embedQuery, parseEmbedOptions } from './options';

describe('embed options', () => {
  it('default to a full, editable playground with both views', () => {
    expect(parseEmbedOptions('')).toEqual(DEFAULT_EMBED);
  });
  it('read every option', () => {
    expect(parseEmbedOptions('?readonly=1&toolbar=0&mode=spoiler&panels=log&autorun=true&example=xdp-bounds&theme=light')).toEqual({
      readOnly: true, toolbar: false, spoiler: true, panels: ['log'], autorun: true, exampleId: 'xdp-bounds', theme: 'light',
    });
  });
  it('ignore what they do not know', () => {
    expect(parseEmbedOptions('?panels=dag,nonsense&theme=pink&example=<script>&mode=weird')).toEqual(DEFAULT_EMBED);
  });
  it('round-trip through the query the element writes', () => {
    const o = { readOnly: true, toolbar: false, spoiler: true, panels: ['asm' as const], autorun: true, exampleId: 'bounded-loop', theme: 'dark' as const };
    expect(parseEmbedOptions(embedQuery(o))).toEqual(o);
  });
});
