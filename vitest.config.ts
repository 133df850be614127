import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores on the CI machine: keep workers to what it has.
    maxWorkers: 2,
    testTimeout: 60_000,
  },
});
