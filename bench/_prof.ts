import { startPgCluster } from './pg-cluster.js';
import { ApiClient } from './api-client.js';
import { freePort, startAndWait } from './process-utils.js';
import { load } from './http-load.js';
import { rmSync } from 'node:fs';
rmSync('/tmp/prof', { recursive: true, force: true });
const cluster = startPgCluster(55498);
try {
  const port = await freePort();
  const server = await startAndWait(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'dist/server/main.mjs', 'serve', '--demo'],
    { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: cluster.url, TRUONGSO_DEMO_PASSWORD: 'TruongSo@2025' }, `http://127.0.0.1:${port}/api/health`);
  const base = `http://127.0.0.1:${port}`;
  const api = new ApiClient(base);
  await api.login('hieutruong.demo', 'TruongSo@2025');
  const me = await api.call<{ grants: { orgUnitId: string }[] }>('GET', '/api/v1/auth/me');
  const schoolId = me.grants[0].orgUnitId;
  const list = `/api/v1/schools/${schoolId}/students`;
  const paths = [`${list}?page=1&pageSize=50`, `${list}?grade=7&page=2&pageSize=50`, `${list}?q=nguyen%20van&page=1&pageSize=50`, `${list}?sex=female&page=5&pageSize=50`];
  const headers = { cookie: api.cookie };
  await load(base, paths, { connections: 10, seconds: 3, headers });
  const r = await load(base, paths, { connections: 50, seconds: 10, headers });
  console.log('list', r.rps, r.p95);
  await server.stop();
} finally { cluster.stop(); }
