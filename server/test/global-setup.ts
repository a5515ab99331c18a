import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openDb } from '../src/db/connection.js';
import { migrate } from '../src/db/migrator.js';
import { loadReferenceData } from '../src/db/reference-data.js';
import { hashPassword } from '../src/platform/passwords.js';
import { F } from './fixture-ids.js';
import { loadFixtures } from './fixtures.js';

/** One template per PostgreSQL cluster: test runs against one cluster must not overlap. */
export const TEMPLATE_DB = 'ts_test_template';
// StrykerJS runs one vitest per worker process in one sandbox: each builds and reads its own file.
const worker = process.env.STRYKER_MUTATOR_WORKER;
export const TEMPLATE_FILE = path.resolve(worker ? `.tmp/test-template-${worker}.tar.gz` : '.tmp/test-template.tar.gz');

/** Builds the migrated, fixture-loaded template database once for the whole test run. */
export async function setup(): Promise<() => Promise<void>> {
  const url = process.env.DATABASE_URL;
  const passwordHash = await hashPassword(F.password);
  if (!url) {
    const handle = await openDb();
    await migrate(handle.pool);
    await loadReferenceData(handle.db);
    await loadFixtures(handle.db, passwordHash);
    const dump = await handle.pglite!.dumpDataDir('gzip');
    mkdirSync(path.dirname(TEMPLATE_FILE), { recursive: true });
    writeFileSync(TEMPLATE_FILE, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
    return async () => undefined;
  }
  const templateDb = TEMPLATE_DB;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${templateDb}`);
  await admin.query(`create database ${templateDb}`);
  await admin.end();
  const templateUrl = withDatabase(url, templateDb);
  const handle = await openDb({ databaseUrl: templateUrl, poolSize: 2 });
  await migrate(handle.pool);
  await loadReferenceData(handle.db);
  await loadFixtures(handle.db, passwordHash);
  await handle.close();
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const left = await c.query<{ datname: string }>(`select datname from pg_database where datname like 'ts_test_%' and datname <> '${TEMPLATE_DB}'`);
    for (const row of left.rows) await c.query(`drop database if exists ${row.datname} with (force)`);
    await c.end();
  };
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
