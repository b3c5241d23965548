/**
 * `<bpf-playground>`: a live bpfplay example for documentation pages.
 *
 *   <script type="module" src="https://…/bpf-playground.js"></script>
 *   <bpf-playground example-height="360" readonly autorun panels="asm,log">
 *     <script type="text/plain" data-file="prog.s">
 *       r0 = 0
 *       exit
 *     </script>
 *   </bpf-playground>
 *
 * Files come from child `<script type="text/plain" data-file="NAME">` elements (never
 * run: the browser does not execute that type), or from the `code` attribute (with
 * `file`, default `prog.s`), or from `example="ID"`. Attributes: `readonly`,
 * `toolbar="none"`, `mode="spoiler"`, `panels="asm,log"`, `autorun`, `theme`, `height`.
 *
 * The element holds an iframe of embed.html: the playground gets its own document, so
 * the page's CSS, scripts and other examples cannot touch it (or it them), and each
 * example has its own store, editor and workers. Methods (promises of the results, see
 * api.ts): `load(files, active?)`, `verify()`, `getResults()`; events: `bpfplay-ready`,
 * `bpfplay-results` (detail: the results).
 */
import { encodeShare } from '../ui/workspace/share';
import { HOST, isEmbedMessage, type EmbedResults } from './api';
import { embedQuery, type EmbedPanel } from './options';
import type { WorkspaceFile } from '../ui/workspace/files';

/** Where embed.html is: beside this script's directory (assets/ in a build, src/embed/ in dev). */
function siteBase(): URL {
  const here = new URL(/* @vite-ignore */ '.', import.meta.url);
  if (here.pathname.endsWith('/assets/')) return new URL('..', here);
  if (here.pathname.endsWith('/src/embed/')) return new URL('../../', here);
  return here;
}

/** Removes the indentation a documentation page puts around code. */
export function dedent(text: string): string {
  const lines = text.replace(/^\s*\n/, '').replace(/\n\s*$/, '\n').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

interface Pending { resolve(r: EmbedResults): void; reject(e: Error): void }

export class BpfPlaygroundElement extends HTMLElement {
  private iframe: HTMLIFrameElement | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readyWaiters: (() => void)[] = [];
  private isReady = false;
  private readonly onMessage = (ev: MessageEvent) => this.receive(ev);

  connectedCallback(): void {
    if (this.iframe) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = ':host{display:block;margin:1em 0}iframe{display:block;width:100%;border:1px solid #2a2e37;border-radius:8px;background:#0f1115}';
    const iframe = document.createElement('iframe');
    iframe.title = this.getAttribute('title') ?? 'bpfplay example';
    iframe.style.height = `${Number(this.getAttribute('height')) || 420}px`;
    iframe.setAttribute('loading', 'lazy');
    // Clipboard for "Share"-like copying inside; nothing else.
    iframe.allow = 'clipboard-write';
    root.replaceChildren(style, iframe);
    this.iframe = iframe;
    window.addEventListener('message', this.onMessage);
    void this.files().then(async (files) => {
      const fragment = files.length ? await encodeShare({ files, activeFile: files[0].name }) : '';
      const panels = this.getAttribute('panels')?.split(',').map((p) => p.trim()).filter((p): p is EmbedPanel => p === 'asm' || p === 'log');
      const query = embedQuery({
        readOnly: this.hasAttribute('readonly'),
        toolbar: this.getAttribute('toolbar') !== 'none',
        spoiler: this.getAttribute('mode') === 'spoiler',
        panels: panels?.length ? panels : undefined,
        autorun: this.hasAttribute('autorun'),
        exampleId: this.getAttribute('example') ?? undefined,
        theme: (['dark', 'light'] as const).find((t) => t === this.getAttribute('theme')),
      });
      iframe.src = new URL(`embed.html${query}${fragment}`, siteBase()).href;
    });
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
    for (const p of this.pending.values()) p.reject(new Error('the example was removed from the page'));
    this.pending.clear();
    this.iframe?.remove();
    this.iframe = null;
    this.isReady = false;
  }

  /** The example's files, from its children or attributes. */
  private async files(): Promise<WorkspaceFile[]> {
    const scripts = [...this.querySelectorAll('script[type="text/plain"]')];
    if (scripts.length) {
      return scripts.map((s, k) => ({ name: s.getAttribute('data-file') ?? (k === 0 ? 'prog.s' : `file${k + 1}.s`), text: dedent(s.textContent ?? '') }));
    }
    const code = this.getAttribute('code');
    if (code !== null) return [{ name: this.getAttribute('file') ?? 'prog.s', text: code }];
    return [];
  }

  /** Replaces the example's files. */
  load(files: WorkspaceFile[], active?: string): Promise<EmbedResults> {
    return this.request({ type: 'load', files, active });
  }

  /** Verifies the program; resolves with the results once the verifier is done. */
  verify(): Promise<EmbedResults> {
    return this.request({ type: 'verify' });
  }

  getResults(): Promise<EmbedResults> {
    return this.request({ type: 'getResults' });
  }

  /** Resolves once the playground inside has started. */
  whenReady(): Promise<void> {
    return this.isReady ? Promise.resolve() : new Promise((r) => this.readyWaiters.push(r));
  }

  private async request(body: Record<string, unknown>): Promise<EmbedResults> {
    await this.whenReady();
    const id = this.nextId++;
    const target = this.iframe?.contentWindow;
    if (!target || !this.iframe) throw new Error('the example is not on the page');
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      target.postMessage({ source: HOST, id, ...body }, new URL(this.iframe!.src).origin);
    });
  }

  private receive(ev: MessageEvent): void {
    if (!this.iframe || ev.source !== this.iframe.contentWindow) return;
    if (ev.origin !== new URL(this.iframe.src).origin || !isEmbedMessage(ev.data)) return;
    const m = ev.data;
    if (m.type === 'ready') {
      this.isReady = true;
      for (const w of this.readyWaiters.splice(0)) w();
      // Introduces this page's origin, so the playground may announce its results to it.
      void this.getResults().catch(() => undefined);
      this.dispatchEvent(new CustomEvent('bpfplay-ready'));
    } else if (m.type === 'results') {
      this.dispatchEvent(new CustomEvent('bpfplay-results', { detail: m.results }));
    } else {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.results); else p.reject(new Error(m.error));
    }
  }
}

if (!customElements.get('bpf-playground')) customElements.define('bpf-playground', BpfPlaygroundElement);

declare global {
  interface HTMLElementTagNameMap {
    'bpf-playground': BpfPlaygroundElement;
  }
}
