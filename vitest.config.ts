import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The playground imports the library by its package name, as a user's app would.
  resolve: {
    alias: { nabla: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores on the CI machine: keep workers to what it has.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
