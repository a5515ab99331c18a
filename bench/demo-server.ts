import { ApiClient } from './api-client.js';
import { type Started, freePort, startAndWait } from './process-utils.js';

export const DEMO_PASSWORD = 'TruongSo@2025';

/**
 * Waits until the server has filled the demo's gradebook, which it does in the background after it
 * listens (server/src/demo/demo-gradebook.ts, ~40 s on PostgreSQL for the 20,000-student province):
 * a benchmark measured meanwhile would share the cores with ~600,000 inserts and the closes.
 */
export async function demoGradebookFilled(server: Started, timeoutMs = 300_000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const out = server.output();
    if (out.includes('Đã nạp sổ điểm demo')) return;
    if (out.includes('Chưa nạp xong sổ điểm demo')) throw new Error(`the demo gradebook fill failed:\n${out}`);
    if (performance.now() - t0 > timeoutMs) throw new Error(`the demo gradebook was not filled within ${timeoutMs} ms:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The server on a PostgreSQL database with the demo province loaded (its gradebook too), signed in
 * as the demo principal: what most benchmarks start from.
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
  await demoGradebookFilled(server);
  const base = `http://127.0.0.1:${port}`;
  const api = new ApiClient(base);
  await api.login('hieutruong.demo', DEMO_PASSWORD);
  const me = await api.call<{ grants: { orgUnitId: string }[] }>('GET', '/api/v1/auth/me');
  const schoolId = me.grants.at(0)?.orgUnitId;
  if (!schoolId) throw new Error('hieutruong.demo has no grant: is the demo data loaded?');
  return { server, base, port, api, schoolId };
}
