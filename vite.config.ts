import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The app must work offline: Monaco is bundled (no CDN loader) and every
// worker is built as an ES module chunk of our own.
export default defineConfig({
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // e2e/metrics.spec.ts reads it to measure the first bundle.
    manifest: true,
    chunkSizeWarningLimit: 8000,
    rollupOptions: {
      input: {
        // The full playground, the embeddable one (iframe), the docs-style demo of embedding,
        // and the custom element as a script of its own with a stable name.
        main: here('./index.html'),
        embed: here('./embed.html'),
        demo: here('./demo.html'),
        'bpf-playground': here('./src/embed/element.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'bpf-playground' ? 'bpf-playground.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  preview: { port: 4173, strictPort: true },
});
