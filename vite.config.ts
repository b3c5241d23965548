import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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
  },
  preview: { port: 4173, strictPort: true },
});
