import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { ISOLATION_HEADERS } from '../src/cli/playground.js';

/** A file of nabla's sources, which the package names (`nabla`, `nabla/viz`) stand for here. */
const source = (file: string): string => fileURLToPath(new URL(`../src/${file}`, import.meta.url));

/**
 * The playground is a static app: `vite build` writes it to playground/dist, and any static file
 * server (or `npx nabla playground`) serves it. It imports the browser-safe core of nabla and
 * `nabla/viz` by their package names, as a user's app would; here the names point at the sources.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^nabla$/, replacement: source('index.ts') },
      { find: /^nabla\/viz$/, replacement: source('viz.ts') },
    ],
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
