import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The suites that run again on the native and the wasm backends (every backend passes them). */
const ON_BOTH_BACKENDS = [
  'test/ops/**/*.test.ts',
  'test/autograd/**/*.test.ts',
  'test/nn/**/*.test.ts',
  'test/optim/**/*.test.ts',
  'test/train/**/*.test.ts',
  'test/lecture.test.ts',
];

/** A file of nabla's sources, which the package names (`nabla`, `nabla/viz`) stand for here. */
const source = (file: string): string => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  // The playground imports the library by its package names, as a user's app would.
  resolve: {
    alias: [
      { find: /^nabla$/, replacement: source('index.ts') },
      { find: /^nabla\/viz$/, replacement: source('viz.ts') },
    ],
  },
  test: {
    // Two cores on the CI machine: keep workers to what it has.
    maxWorkers: 2,
    testTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'js', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'native', include: ON_BOTH_BACKENDS, setupFiles: ['test/setup-native.ts'] },
      },
      {
        extends: true,
        test: { name: 'wasm', include: ON_BOTH_BACKENDS, setupFiles: ['test/setup-wasm.ts'] },
      },
    ],
  },
});
