import { configDefaults, defineConfig } from 'vitest/config';

// What a browser sees and downloads does not depend on the database engine: the layout pass (every
// page × role × width, axe), the page weights and the role-route walk run once, on the embedded
// engine (the README way); the PostgreSQL run keeps the flows that write and read data.
const BROWSER_ONLY = ['e2e/layout/**', 'e2e/speed/**', 'e2e/access/role-routes.e2e.ts', 'e2e/auth/crowded-door.e2e.ts'];
// Screens whose every server rule runs on PostgreSQL in the integration suite already (preschool,
// primary qualities, lesson attendance, the summer, the TT58 import: preschool.test.ts,
// primary-gradebook.test.ts, lesson-attendance.test.ts, summer.test.ts, legacy-results.test.ts):
// their browser flows run once, on the embedded engine, to keep CI within its 30 minutes.
const SCREENS_COVERED_ON_PG = ['e2e/preschool/**', 'e2e/gradebook/qualities.e2e.ts', 'e2e/gradebook/lessons.e2e.ts', 'e2e/gradebook/summer.e2e.ts', 'e2e/imports/legacy-results.e2e.ts'];

// End-to-end: the app started the README way (scripts/start.mjs) with demo data, driven in
// Debian Chromium through playwright-core.
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.e2e.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.DATABASE_URL ? [...BROWSER_ONLY, ...SCREENS_COVERED_ON_PG] : [])],
    globalSetup: ['e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // Files run one after another against the one app; inside a file, tests marked concurrent (the
    // layout pass's and the role walk's roles, which only read) run two at a time.
    maxConcurrency: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A page reacts within a second on a quiet machine; a CI machine under load can take longer
    // to re-validate a form or redraw a list, and a poll that gives up then reports a stale screen.
    expect: { poll: { timeout: 5_000 } },
  },
});
