import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { projectPath } from '../platform/project-root.js';

const migrationsDir = projectPath('server', 'src', 'db', 'migrations');

// Any fixed number: it only has to be the same for every app process sharing one database.
const MIGRATION_LOCK_KEY = 727_2025;

/** The migration files this code knows, in the order they are applied: the app's schema version. */
export function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

/**
 * Applies forward-only SQL migrations (NNNN_name.sql) in order, each in its own transaction.
 * The same code runs on PGlite and PostgreSQL; an advisory lock keeps concurrent workers
 * from applying the same file twice. `upTo` stops after that file (restoring a backup made
 * by an older version first builds the schema the backup was made with).
 */
export async function migrate(pool: pg.Pool, options: { upTo?: string } = {}): Promise<string[]> {
  const files = migrationFiles().filter((f) => options.upTo === undefined || f <= options.upTo);
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('select name from schema_migration')).rows.map((r) => r.name),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = readFileSync(path.join(migrationsDir, file), 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into schema_migration (name) values ($1)', [file]);
        await client.query('commit');
        applied.push(file);
      } catch (err) {
        await client.query('rollback');
        throw new Error(`Migration ${file} failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    client.release();
  }
  return applied;
}
