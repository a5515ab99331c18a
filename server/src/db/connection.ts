import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import type { Database } from './schema.js';

export type DbEngine = 'pglite' | 'postgres';

export type DbHandle = {
  engine: DbEngine;
  db: Kysely<Database>;
  pool: pg.Pool;
  /** Set only for the embedded engine: tests dump and clone it. */
  pglite?: import('@electric-sql/pglite').PGlite;
  close: () => Promise<void>;
};

// Dates stay ISO strings ('yyyy-mm-dd'): a JS Date would shift them by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// bigint counts fit comfortably in a JS number for our sizes.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export type OpenDbOptions = {
  databaseUrl?: string;
  dataDir?: string;
  /** Open PGlite from a tarball made by dumpDataDir (tests clone a migrated template this way). */
  loadDataDir?: Blob;
  poolSize?: number;
  /** More PGlite extensions than the app's own (the crash test loads amcheck). */
  extensions?: import('@electric-sql/pglite').Extensions;
};

export async function openDb(options: OpenDbOptions = {}): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 20 });
    // An idle connection can be cut by the server (restart, failover, a dropped test database).
    // pg reports that as a pool 'error' event, which would crash the process if nobody listened;
    // the pool replaces the connection on the next query.
    pool.on('error', (err) => {
      if (process.env.LOG === '1') console.error(`PostgreSQL: kết nối nhàn rỗi bị đóng (${err.message})`);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      engine: 'postgres',
      db,
      pool,
      close: async () => {
        await db.destroy();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  let dataDir = options.dataDir ?? 'memory://';
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    dataDir = path.resolve(dataDir);
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: import('@electric-sql/pglite').PGlite;
  try {
    pglite = new PGlite(dataDir, {
      extensions: { unaccent, pg_trgm, ...options.extensions },
      loadDataDir: options.loadDataDir,
    });
    await pglite.waitReady;
  } catch (err) {
    unlock();
    throw err;
  }
  // PGlite is a single connection: the pool must never hand out a second one.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'pglite',
    db,
    pool,
    pglite,
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}
