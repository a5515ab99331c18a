import { defineConfig } from 'vitest/config';

// Unit tests (domain/) and integration tests (server/) in one run. Integration tests get a
// fresh database per file, cloned from a template that server/test/global-setup.ts builds once:
// PGlite by default, PostgreSQL when DATABASE_URL is set.
export default defineConfig({
  test: {
    include: ['domain/**/*.test.ts', 'contracts/**/*.test.ts', 'server/**/*.test.ts', 'web/src/**/*.test.ts'],
    // .stryker-tmp holds StrykerJS's sandbox copies of the tests (npm run mutation).
    exclude: ['**/node_modules/**', '**/*.timing.test.ts', '**/.stryker-tmp/**', 'reports/**'],
    globalSetup: ['server/test/global-setup.ts'],
    // A worker's files share its process and its imports (the app is imported once per worker,
    // not once per file: minutes off a run); per-file-setup.ts clears what a process remembers
    // between files, and each file still gets its own database.
    setupFiles: ['server/test/per-file-setup.ts'],
    isolate: false,
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
