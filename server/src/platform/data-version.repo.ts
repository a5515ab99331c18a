import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * Change counter of a scope ('school:<id>' or 'org_tree'), maintained by triggers (migrations
 * 0002, 0011, 0013: the sum of a few rows that concurrent writers bump apart). 0 when nothing has
 * changed since the database was created.
 */
export async function dataVersion(db: Kysely<Database>, scope: string): Promise<number> {
  const r = await sql<{ version: string }>`select coalesce(sum(version), 0) as version from data_version where scope = ${scope}`.execute(db);
  return Number(r.rows[0]?.version ?? 0);
}
