// @ts-check
// Mutation testing of the access code (`npm run mutation`; not part of `npm test`).
// StrykerJS changes one thing at a time in the code below (a condition negated, a filter
// dropped, a constant changed) and runs the tests of vitest.mutation.config.ts against each
// change: a change no test notices ("survived") is a hole in the proof. The score and the
// survivors with their fate are in docs/security.md.
import { readFileSync } from 'node:fs';

/**
 * `file:first-last` lines of one top-level function, found by its declaration and the next
 * closing brace in column 0, so the range follows the function when the file around it changes.
 */
function functionRange(file, declaration) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.startsWith(declaration));
  if (first < 0) throw new Error(`stryker.config.mjs: "${declaration}" is no longer in ${file}`);
  const last = lines.findIndex((l, i) => i > first && l === '}');
  return `${file}:${first + 1}-${last + 1}`;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  // Code that runs only while a test file loads (module constants, route registration when the
  // app is built) has no test of its own: such a mutant would need every test file for itself.
  // Mutants reached both at load and by tests still run, against the tests that reach them.
  ignoreStatic: true,
  mutate: [
    'server/src/platform/access.ts',
    // The queries of the scope checks (the teacher's classes, the guardian link) are in access.repo.ts.
    'server/src/platform/access.repo.ts',
    'server/src/platform/security-plugin.ts',
    'server/src/platform/sessions.ts',
    'server/src/platform/sessions.repo.ts',
    // The scope functions the services use beside access.ts (teacherClassIds, schoolView and
    // isGuardianOf live in access.ts).
    functionRange('server/src/modules/org/org.service.ts', 'export async function visibleTree('),
    functionRange('server/src/modules/students/students-profile.service.ts', 'export async function assertCanSee('),
  ],
  // Only what the server tests need is copied into the sandbox.
  ignorePatterns: ['/web', '/e2e', '/bench', '/docs', '/dist', '/data', '/.tmp', '/test-results', '/reports'],
  concurrency: 2,
  // A busy 2-core machine: a mutant that makes a test slower is not an infinite loop.
  timeoutMS: 30_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
