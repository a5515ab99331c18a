import { ApiClient } from './api-client.js';
import { type Started, freePort, startAndWait } from './process-utils.js';

export const DEMO_PASSWORD = 'TruongSo@2025';

/**
 * The server on a PostgreSQL database with the demo province loaded, signed in as the demo
 * principal: what most benchmarks start from.
 */
export async function startDemoServer(
  databaseUrl: string,
  serveArgs: string[] = [],
): Promise<{ server: Started; base: string; port: number; api: ApiClient; schoolId: string }> {
  const port = await freePort();
  const server = await startAndWait(
    process.execPath,
    ['dist/server/main.mjs', 'serve', '--demo', ...serveArgs],
    { PORT: String(port), HOST: '0.0.0.0', DATABASE_URL: databaseUrl, TRUONGSO_DEMO_PASSWORD: DEMO_PASSWORD },
    `http://127.0.0.1:${port}/api/health`,
  );
  const base = `http://127.0.0.1:${port}`;
  const api = new ApiClient(base);
  await api.login('hieutruong.demo', DEMO_PASSWORD);
  const me = await api.call<{ grants: { orgUnitId: string }[] }>('GET', '/api/v1/auth/me');
  const schoolId = me.grants.at(0)?.orgUnitId;
  if (!schoolId) throw new Error('hieutruong.demo has no grant: is the demo data loaded?');
  return { server, base, port, api, schoolId };
}
