import path from 'node:path';
import { buildApp } from './app.js';
import { runtimeConfig } from './config.js';
import { type DbHandle, openDb } from './db/connection.js';
import { migrate } from './db/migrator.js';
import { loadReferenceData } from './db/reference-data.js';
import { DEFAULT_DEMO_STUDENTS, seedDemo } from './demo/seed-demo.js';

type Args = { command: string; flags: Map<string, string | true> };

function parseArgs(argv: string[]): Args {
  const [command = 'serve', ...rest] = argv;
  const flags = new Map<string, string | true>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a?.startsWith('--')) continue;
    const next = rest[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(a.slice(2), next);
      i++;
    } else flags.set(a.slice(2), true);
  }
  return { command, flags };
}

async function openAndMigrate(): Promise<DbHandle> {
  const handle = await openDb({
    databaseUrl: runtimeConfig.databaseUrl,
    dataDir: path.join(runtimeConfig.dataDir, 'pglite'),
  });
  await migrate(handle.pool);
  await loadReferenceData(handle.db);
  return handle;
}

async function isEmpty(handle: DbHandle): Promise<boolean> {
  const row = await handle.db.selectFrom('org_unit').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

async function main(): Promise<void> {
  const { command, flags } = parseArgs(process.argv.slice(2));
  const started = Date.now();
  if (command === 'migrate') {
    const handle = await openAndMigrate();
    console.log(`Đã cập nhật cấu trúc CSDL (${handle.engine}).`);
    await handle.close();
    return;
  }
  if (command === 'seed') {
    const handle = await openAndMigrate();
    const students = Number(flags.get('students') ?? DEFAULT_DEMO_STUDENTS);
    if (!Number.isInteger(students) || students < 100) throw new Error('--students phải là số nguyên ≥ 100');
    if (!(await isEmpty(handle))) {
      // The demo province has fixed codes and usernames, so it can only go into an empty database.
      console.error('CSDL đã có dữ liệu. Dữ liệu demo chỉ tạo được trên CSDL trống: dùng DATA_DIR mới hoặc một CSDL PostgreSQL trống.');
      process.exitCode = 1;
    } else {
      const summary = await seedDemo(handle.db, { students, password: runtimeConfig.demoPassword });
      console.log(`Đã tạo dữ liệu demo: ${JSON.stringify(summary)} trong ${Date.now() - started} ms`);
    }
    await handle.close();
    return;
  }
  if (command === 'serve') {
    const handle = await openAndMigrate();
    // Demo data only on the embedded database, unless asked for: a real PostgreSQL is someone's data.
    const wantDemo = handle.engine === 'pglite' ? !flags.has('no-demo') : flags.has('demo');
    if (wantDemo && (await isEmpty(handle))) {
      const summary = await seedDemo(handle.db, { students: DEFAULT_DEMO_STUDENTS, password: runtimeConfig.demoPassword });
      console.log(`Đã nạp dữ liệu demo (${summary.students} học sinh, ${summary.schools} trường).`);
    }
    const app = await buildApp(handle, { webDir: runtimeConfig.webDir, logger: process.env.LOG === '1' });
    const shutdown = async () => {
      await app.close();
      await handle.close();
      process.exit(0);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    await app.listen({ port: runtimeConfig.port, host: runtimeConfig.host });
    console.log(
      `Trường Số đang chạy: http://localhost:${runtimeConfig.port} (CSDL: ${handle.engine}, sẵn sàng sau ${Date.now() - started} ms)`,
    );
    return;
  }
  console.error(`Lệnh không rõ: ${command}. Dùng: serve | migrate | seed [--students N]`);
  process.exitCode = 2;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
