/**
 * The real server as a child process, the way `npm start` runs it: the esbuild bundle of
 * server/src/main.ts under plain node (no tsx), so a SIGKILL hits exactly one process that holds
 * the database connections (or the embedded PGlite files).
 */
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { freePort, type Started, startAndWait } from '../../../bench/process-utils.js';
import { projectPath } from '../../src/platform/project-root.js';

/**
 * Builds the server bundle with the options scripts/build.mjs uses, but into .tmp/: `dist/` is
 * what `npm start` serves and is rebuilt there only together with the web app, which this test
 * does not need. Dependencies stay external and resolve from the repository's node_modules.
 */
export async function buildServerBundle(): Promise<string> {
  const outfile = projectPath('.tmp', 'durability', 'main.mjs');
  await build({
    entryPoints: [projectPath('server', 'src', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

export type ServerEnv = { DATA_DIR?: string; DATABASE_URL?: string };

/** `node main.mjs seed --students N`: a small demo province (schools, classes, accounts) in an empty database. */
export function seedDemo(bundle: string, env: ServerEnv, students = 100): void {
  const r = spawnSync(process.execPath, [bundle, 'seed', '--students', String(students)], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`seed failed (${r.status}): ${r.stdout}${r.stderr}`);
}

export type RunningServer = Started & { base: string; killHard: () => Promise<void> };

/** Servers still running when this process exits (a test that timed out) are killed, not left behind. */
const running = new Set<import('node:child_process').ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `node main.mjs serve [args]` and waits until /api/health answers. */
export async function startServer(bundle: string, env: ServerEnv, args: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = await startAndWait(
    process.execPath,
    [bundle, 'serve', '--no-demo', ...args],
    { DATABASE_URL: '', ...env, PORT: String(port), HOST: '127.0.0.1', LOG: '' },
    `${base}/api/health`,
    60_000,
  );
  const { child } = started;
  running.add(child);
  child.once('exit', () => running.delete(child));
  return {
    ...started,
    base,
    // SIGKILL, then wait for the exit: the next process must never open the files while this one still runs.
    killHard: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}
