// `npm test`: type check, lint, unit + integration tests (PGlite, or PostgreSQL when DATABASE_URL
// is set), latency tests alone, then Playwright end-to-end tests in Debian Chromium. Ends with one line
// "N passed, N failed" (", N skipped" when something was skipped) alone on its line.
import './check-node.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = path.join(root, '.tmp');
mkdirSync(tmp, { recursive: true });
const node = process.execPath;
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const args = new Set(process.argv.slice(2));

let passed = 0;
let failed = 0;
let skipped = 0;
// Names of what failed, repeated just above the summary so a log's tail says what broke.
const failures = [];

function run(label, cmd, cmdArgs, env = {}) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function countVitest(label, config, extraEnv = {}) {
  const out = path.join(tmp, `vitest-${label}.json`);
  rmSync(out, { force: true });
  const status = run(`${label} tests`, node, [bin('vitest', 'vitest.mjs'), 'run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile=${out}`], extraEnv);
  if (!existsSync(out)) {
    console.error(`${label}: vitest produced no report (exit ${status}); counted as 1 failure`);
    failed += 1;
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests to count but is still a failure.
  const brokenSuites = report.testResults.filter((t) => t.status === 'failed' && t.assertionResults.length === 0);
  failed += brokenSuites.length;
  for (const file of report.testResults) {
    const where = path.relative(root, file.name);
    if (file.status === 'failed' && file.assertionResults.length === 0) failures.push(`${label}: ${where} (did not load)`);
    for (const t of file.assertionResults) if (t.status === 'failed') failures.push(`${label}: ${where} › ${t.fullName}`);
  }
  if (status !== 0 && report.numFailedTests === 0 && brokenSuites.length === 0) {
    failures.push(`${label}: vitest exited ${status} with no failed test`);
    failed += 1;
  }
}

if (!args.has('--no-typecheck')) {
  const status = run('type check (tsc --noEmit)', node, [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  const webStatus = run('type check web (tsc --noEmit -p web)', node, [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'web/tsconfig.json']);
  for (const [what, s] of [['type check', status], ['type check web', webStatus]]) {
    if (s === 0) passed += 1;
    else {
      failures.push(what);
      failed += 1;
    }
  }
}

// Type-aware lint over the whole tree (eslint.config.js), zero warnings: one step, pass or fail,
// with the problems printed above.
if (!args.has('--no-lint')) {
  const status = run('lint (eslint, type-aware, zero warnings)', node, [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings', '0']);
  if (status === 0) passed += 1;
  else {
    failures.push('lint');
    failed += 1;
  }
}

countVitest('unit+integration', 'vitest.config.ts');
countVitest('timing', 'vitest.timing.config.ts');

if (!args.has('--no-e2e')) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    if (process.env.SKIP_E2E === '1') {
      console.log(`\nE2E skipped: ${chromium} not found (SKIP_E2E=1).`);
      skipped += 1;
    } else {
      console.error(`\nE2E cannot run: ${chromium} not found. Install it with: apt-get install -y chromium (or set SKIP_E2E=1).`);
      failed += 1;
    }
  } else {
    // The web app and server bundle the e2e start the README way, rebuilt only when their sources
    // changed: `npm ci`'s postinstall has built them, and CI's second run (PostgreSQL) reuses them.
    const build = run('build web and server (when stale)', node, [path.join(root, 'scripts', 'build.mjs')]);
    if (build !== 0) {
      failures.push('build web');
      failed += 1;
    } else countVitest('e2e', 'e2e/vitest.config.ts');
  }
}

if (failures.length > 0) console.log(`\nFailed:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
