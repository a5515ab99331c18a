import { defineConfig } from 'vitest/config';

// Tests that assert latency (`*.timing.test.ts`). npm test runs them after the parallel suite, one
// file at a time, so that no other test competes for the machine while they measure.
export default defineConfig({
  test: {
    include: ['server/**/*.timing.test.ts'],
    globalSetup: ['server/test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
