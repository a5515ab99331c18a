import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startAndWait } from './process-utils.js';
import type { BenchResult } from './types.js';

/**
 * `npm start` on an empty data directory (migrations + reference data + 20,000-student demo
 * province) until the first page is served, then a restart on the same directory. Baseline: a bare
 * Fastify process started the same way until its first answer.
 */
export async function benchStartup(): Promise<BenchResult> {
  const node = process.execPath;
  const basePort = await freePort();
  const base = await startAndWait(node, ['node_modules/tsx/dist/cli.mjs', 'bench/bare-fastify.ts'], { PORT: String(basePort) }, `http://127.0.0.1:${basePort}/json`);
  await base.stop();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ts-bench-start-'));
  const port = await freePort();
  const env = { PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1', DATABASE_URL: '' };
  const first = await startAndWait(node, ['scripts/start.mjs'], env, `http://127.0.0.1:${port}/`);
  await first.stop();
  const again = await startAndWait(node, ['scripts/start.mjs'], env, `http://127.0.0.1:${port}/`);
  await again.stop();
  rmSync(dataDir, { recursive: true, force: true });
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return {
    name: 'Start-up (`npm start`, embedded PGlite, web already built)',
    rows: [
      ['first start, empty data dir, demo province loaded, until GET / = 200', `${s(first.ms)} (${(first.ms / base.ms).toFixed(1)}× bare Fastify)`, '≤ 15 s'],
      ['restart on the same data dir, until GET / = 200', `${s(again.ms)} (${(again.ms / base.ms).toFixed(1)}× bare Fastify)`, '≤ 3 s'],
      ['baseline: bare Fastify process until its first answer', s(base.ms), '—'],
    ],
  };
}
