// Builds what is missing or stale: the web app (Vite) and the server bundle (esbuild, so the
// server starts without transpiling TypeScript). Runs after `npm install` (postinstall) and
// again from `npm start`, where it does nothing unless sources changed.
import './check-node.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
const rel = (...p) => path.join(root, ...p);

/** Newest modification time of the files under the given folders (0 if none). */
function newest(dirs, skip = /node_modules|dist/) {
  let t = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (skip.test(entry.name)) continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else t = Math.max(t, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return t;
}
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : -1);

export const bundle = rel('dist', 'server', 'main.mjs');

export async function ensureBuilt() {
  const webIndex = rel('web', 'dist', 'index.html');
  if (mtime(webIndex) < newest([rel('web', 'src'), rel('contracts'), rel('domain')])) {
    console.log('Đang build giao diện web…');
    // NODE_ENV=production whoever asks: started from a test run (vitest sets NODE_ENV=test, and the
    // e2e setup starts the app the README way), the build would take React's development runtime
    // and split its chunks differently, and the page-weight budget would measure another app.
    const build = spawnSync(process.execPath, [rel('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  if (mtime(bundle) < Math.max(newest([rel('server', 'src'), rel('contracts'), rel('domain')]), mtime(rel('package.json')))) {
    const { build } = await import('esbuild');
    await build({
      // Worker threads load their own module from beside the bundle (server/src/platform/worker-pool.ts).
      entryPoints: {
        main: rel('server', 'src', 'main.ts'),
        'hoc-ba-render.worker': rel('server', 'src', 'modules', 'gradebook', 'hoc-ba-render.worker.ts'),
      },
      outdir: path.dirname(bundle),
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      packages: 'external', // dependencies load from node_modules as usual
      sourcemap: true,
      logLevel: 'warning',
    });
  }
}

if (process.argv[1] === import.meta.filename) await ensureBuilt();
