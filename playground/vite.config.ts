import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { ISOLATION_HEADERS } from '../src/cli/playground.js';

/**
 * The playground is a static app: `vite build` writes it to playground/dist, and any static file
 * server (or `npx nabla playground`) serves it. It imports the browser-safe core of nabla by its
 * package name, as a user's app would; here the name points at the core's sources.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: { nabla: fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
  },
  worker: { format: 'es' },
  // Cross-origin isolated, as `nabla playground` serves it, so that the wasm backend has threads.
  server: { headers: { ...ISOLATION_HEADERS } },
  preview: { headers: { ...ISOLATION_HEADERS } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    // Two pages: the 2-D playground and the digits page (digits.html).
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        digits: fileURLToPath(new URL('digits.html', import.meta.url)),
      },
    },
  },
});
