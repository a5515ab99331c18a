import { withBenchDatabase } from './pg-cluster.js';
import { startDemoServer } from './demo-server.js';
import { load } from './http-load.js';
import type { BenchResult } from './types.js';

/**
 * Read throughput of the student list with 1 and then 2 server processes (`--workers N`) on the
 * same PostgreSQL demo database, 50 clients each. On 2 cores the load generator competes with
 * the workers, so this shows how much a second process buys here, not on a real server.
 */
export function benchCluster(pgUrl: string): Promise<BenchResult> {
  return withBenchDatabase(pgUrl, 'cluster', (dbUrl) => measureCluster(new URL(dbUrl)));
}

async function measureCluster(u: URL): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const results: Record<number, number> = {};
  for (const workers of [1, 2]) {
    const { server, base, api, schoolId } = await startDemoServer(u.toString(), ['--workers', String(workers)]);
    try {
      const list = `/api/v1/schools/${schoolId}/students`;
      const paths = [`${list}?page=1&pageSize=50`, `${list}?grade=7&page=1&pageSize=50`, `${list}?q=nguyen&page=1&pageSize=50`];
      await load(base, paths, { connections: 10, seconds: 3, headers: { cookie: api.cookie } });
      const r = await load(base, paths, { connections: 50, seconds: 8, headers: { cookie: api.cookie } });
      results[workers] = r.rps;
      rows.push([
        `student list (~900-student demo school), ${workers} worker${workers > 1 ? 's' : ''}, 50 clients × 8 s`,
        `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.non2xx} non-2xx)`,
        workers === 1 ? 'baseline' : `${(r.rps / results[1]).toFixed(2)}× 1 worker`,
      ]);
    } finally {
      await server.stop();
    }
  }
  return { name: 'Cluster mode (`npm start -- --workers N`, PostgreSQL)', rows };
}
