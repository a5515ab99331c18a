import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The tests StrykerJS runs against each mutant of the access code (`npm run mutation`, see
// stryker.config.mjs): the ones that exercise access.ts, security-plugin.ts, sessions.ts and the
// scope functions of the services. Not part of `npm test`.
//
// Two groups, run one after the other. Stryker stops a mutant's run at its first failing test
// (bail), so a mutant the direct tests of the access code catch never loads the module tests;
// only the mutants they miss go on to the module tests and the access matrix (last, ≈ 9,000 cells).
// Each group shares one module graph (isolate: false): every file still builds its own app on
// its own database, but Fastify, ExcelJS, pdfkit and PGlite are imported once per Stryker worker
// instead of once per file and mutant.
export const DIRECT_TESTS = ['server/src/platform/access.test.ts', 'server/src/platform/sessions.test.ts', 'server/src/platform/security-plugin.test.ts'];
export const MODULE_TESTS = [
  'server/src/modules/auth/auth.test.ts',
  'server/src/modules/org/org.test.ts',
  'server/src/modules/students/students.test.ts',
  'server/src/modules/admin/admin-users.test.ts',
  'server/src/modules/admin/admin-audit.test.ts',
  'server/src/modules/privacy/privacy.test.ts',
  'server/src/modules/students/students.writes.test.ts',
  'server/src/platform/closed-units.test.ts',
  'server/src/platform/path-ids.test.ts',
  'server/src/modules/auth/password-change.test.ts',
  'server/src/modules/transfers/transfers.test.ts',
  'server/src/platform/access-matrix.test.ts',
];
const ORDER = [...DIRECT_TESTS, ...MODULE_TESTS];

const rank = (spec: TestSpecification): number => {
  const i = ORDER.findIndex((f) => spec.moduleId.endsWith(f));
  return i < 0 ? ORDER.length : i;
};

/** Files in the order listed above (vitest's own order puts the slowest file first). */
class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

const shared = {
  globalSetup: ['server/test/global-setup.ts'],
  isolate: false,
  testTimeout: 120_000,
  hookTimeout: 180_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'direct', include: DIRECT_TESTS, sequence: { sequencer: ListedOrder, groupOrder: 0 } } },
      { test: { ...shared, name: 'modules', include: MODULE_TESTS, sequence: { sequencer: ListedOrder, groupOrder: 1 } } },
    ],
  },
});
