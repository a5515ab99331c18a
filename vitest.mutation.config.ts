import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The tests StrykerJS runs against each mutant of the access code (`npm run mutation`, see
// stryker.config.mjs): the ones that exercise access.ts, security-plugin.ts, sessions.ts and the
// scope functions of the services. Not part of `npm test`.
//
// Order matters: Stryker stops a mutant's run at its first failing test (bail), so the fast,
// direct tests come first and the 1,300-cell access matrix last; vitest's own order would put
// the slowest file first.
export const MUTATION_TEST_FILES = [
  'server/src/platform/access.test.ts',
  'server/src/platform/sessions.test.ts',
  'server/src/modules/auth/auth.test.ts',
  'server/src/modules/org/org.test.ts',
  'server/src/modules/students/students.test.ts',
  'server/src/modules/admin/admin-users.test.ts',
  'server/src/modules/admin/admin-audit.test.ts',
  'server/src/modules/privacy/privacy.test.ts',
  'server/src/modules/students/students.writes.test.ts',
  'server/src/platform/access-matrix.test.ts',
];

const rank = (spec: TestSpecification): number => {
  const i = MUTATION_TEST_FILES.findIndex((f) => spec.moduleId.endsWith(f));
  return i < 0 ? MUTATION_TEST_FILES.length : i;
};

class ListedOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: MUTATION_TEST_FILES,
    globalSetup: ['server/test/global-setup.ts'],
    sequence: { sequencer: ListedOrder },
    // The test files share one module graph per Stryker worker: each file still builds its own
    // app on its own database, but the app's modules (Fastify, ExcelJS, pdfkit, PGlite) are
    // imported once instead of once per file and mutant.
    isolate: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
