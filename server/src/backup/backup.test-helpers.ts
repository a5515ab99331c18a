import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { expect } from 'vitest';
import { F, USERNAMES } from '../../test/fixture-ids.js';
import { loadFixtures } from '../../test/fixtures.js';
import { withDatabase } from '../../test/global-setup.js';
import { buildApp } from '../app.js';
import { type DbHandle, openDb } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { loadReferenceData } from '../db/reference-data.js';
import { hashPassword } from '../platform/passwords.js';

export const pgUrl = process.env.DATABASE_URL;

export const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'ts-backup-'));

/** A PostgreSQL database with nothing in it (not even tables), dropped on close. */
export async function emptyPostgres(url: string): Promise<DbHandle & { url: string }> {
  const name = `ts_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = withDatabase(url, name);
  const handle = await openDb({ databaseUrl: dbUrl, poolSize: 2 });
  const close = handle.close;
  return {
    ...handle,
    url: dbUrl,
    close: async () => {
      await close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** An empty, never-migrated database of the engine this test run covers. */
export async function emptyDb(): Promise<DbHandle> {
  return pgUrl ? emptyPostgres(pgUrl) : openDb();
}

/** An embedded database holding the fixture province (the source of PGlite → PostgreSQL). */
export async function fixturePglite(dataDir?: string): Promise<DbHandle> {
  const handle = await openDb({ dataDir });
  await migrate(handle.pool);
  await loadReferenceData(handle.db);
  await loadFixtures(handle.db, await hashPassword(F.password));
  return handle;
}

/** The app works on a restored database: a principal signs in and lists the school's students. */
export async function expectAppWorks(handle: DbHandle): Promise<void> {
  const app = await buildApp(handle, { loginRatePerMinute: 10_000 });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: USERNAMES.principalA1, password: F.password },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
    const list = await app.inject({ method: 'GET', url: `/api/v1/schools/${F.schoolA1}/students`, headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const body = list.json() as { total: number; items: { givenName: string }[] };
    expect(body.total).toBe(3);
    expect(body.items.map((i) => i.givenName)).toEqual(['An', 'Bình', 'Cường']);
  } finally {
    await app.close();
  }
}

/**
 * Rewrites a backup file's lines (trailer excluded) and signs the result with a fresh SHA-256,
 * as a tool that knew the format would: the file passes the integrity check, so what it tests
 * is the restore's other defences.
 */
export function rewriteBackup(src: string, dst: string, edit: (lines: string[]) => string[]): void {
  const lines = gunzipSync(readFileSync(src)).toString('utf8').split('\n');
  lines.pop(); // '' after the last \n
  const trailer = JSON.parse(lines.pop()!) as { end: { sha256: string; rows: number } };
  const body = edit(lines).map((l) => `${l}\n`).join('');
  trailer.end.sha256 = createHash('sha256').update(body).digest('hex');
  writeFileSync(dst, gzipSync(`${body}${JSON.stringify(trailer)}\n`));
}
