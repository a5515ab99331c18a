import { defineConfig } from 'vitest/config';

// End-to-end: the app started the README way (scripts/start.mjs) with demo data, driven in
// Debian Chromium through playwright-core.
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
