// `npm run bench`: every benchmark, each against a baseline measured in the same run, printed and
// appended as a dated section to docs/benchmarks.md with the machine it ran on.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { benchAnnouncements } from './announcements.bench.js';
import { benchApi } from './api.bench.js';
import { benchCluster } from './cluster.bench.js';
import { benchFamily } from './family.bench.js';
import { benchGradebook } from './gradebook.bench.js';
import { benchNotices } from './notices.bench.js';
import { describeMachine } from './machine.js';
import { startPgCluster } from './pg-cluster.js';
import { benchRecords } from './records.bench.js';
import { benchStartup } from './startup.bench.js';
import { benchWeb } from './web.bench.js';
import type { BenchResult } from './types.js';

// Benchmarks start the server the way `npm start` does: from the bundle, rebuilt if sources changed.
if (spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' }).status !== 0) throw new Error('build failed');

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

// BENCH_PG_PORT: another port for the throwaway cluster when several benches share a machine.
const cluster = startPgCluster(process.env.BENCH_PG_PORT ? Number(process.env.BENCH_PG_PORT) : undefined);
const results: BenchResult[] = [];
try {
  if (want('startup')) results.push(await benchStartup());
  if (want('web')) results.push(await benchWeb(cluster.url));
  if (want('api')) results.push(await benchApi(cluster.url));
  if (want('records')) results.push(await benchRecords(cluster.url));
  if (want('cluster')) results.push(await benchCluster(cluster.url));
  if (want('gradebook')) results.push(await benchGradebook(cluster.url));
  if (want('announcements')) results.push(await benchAnnouncements(cluster.url));
  if (want('notices')) results.push(await benchNotices(cluster.url));
  if (want('family')) results.push(await benchFamily(cluster.url));
} finally {
  cluster.stop();
}

const lines = [`\n## ${new Date().toISOString().slice(0, 10)} — ${describeMachine(cluster.version)}\n`];
for (const r of results) {
  lines.push(`### ${r.name}\n`, '| figure | measured | target |', '|---|---|---|');
  for (const [a, b, c] of r.rows) lines.push(`| ${a} | ${b} | ${c} |`);
  for (const n of r.notes ?? []) lines.push(`\n${n}`);
  lines.push('');
}
const text = lines.join('\n');
console.log(text);
const file = 'docs/benchmarks.md';
if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nWritten by `npm run bench`; newest section last. Figures are ratios against baselines measured in the same run.\n');
appendFileSync(file, text);
