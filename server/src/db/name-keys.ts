import { type Kysely, sql } from 'kysely';
import { joinFullName, NAME_KEY_VERSION, nameSortKey, searchFold } from '../../../domain/index.js';
import type { Database } from './schema.js';

// Rows per UPDATE: keeps each statement's parameter list well under PostgreSQL's 65,535.
const BATCH = 1000;

type NameRow = { school_id: string; id: string; family_name: string; middle_name: string; given_name: string };

async function recomputeTable(trx: Kysely<Database>, table: 'student' | 'staff'): Promise<number> {
  const rows: NameRow[] = await trx.selectFrom(table).select(['school_id', 'id', 'family_name', 'middle_name', 'given_name']).execute();
  for (let i = 0; i < rows.length; i += BATCH) {
    const values = rows.slice(i, i + BATCH).map((r) => {
      const parts = { familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name };
      return sql`(${r.school_id}::uuid, ${r.id}::uuid, ${nameSortKey(parts)}, ${searchFold(joinFullName(parts))})`;
    });
    await sql`update ${sql.table(table)} t set name_sort_key = v.k, search_text = v.f
      from (values ${sql.join(values)}) as v(school_id, id, k, f)
      where t.school_id = v.school_id and t.id = v.id`.execute(trx);
  }
  return rows.length;
}

/**
 * Brings the stored name columns (name_sort_key, search_text of student and staff) to the format
 * this code computes, once per format change: the key is built by domain/names, so a change of
 * the class-list order (decision 0002) cannot be a SQL migration. Runs at start, after the
 * migrations; a second process waits on the table lock and then finds nothing to do. No row
 * means format 1, the format of every database from before migration 0008.
 * Returns the rows recomputed, or null when the keys were current.
 */
export async function recomputeNameKeys(db: Kysely<Database>): Promise<{ students: number; staff: number } | null> {
  return db.transaction().execute(async (trx) => {
    // Concurrent starts queue here (no row yet: on the table), so one of them does the work.
    await sql`lock table name_key_version in share row exclusive mode`.execute(trx);
    const row = await trx.selectFrom('name_key_version').select('version').executeTakeFirst();
    if (row && row.version >= NAME_KEY_VERSION) return null;
    const students = await recomputeTable(trx, 'student');
    const staff = await recomputeTable(trx, 'staff');
    // An empty database keeps an empty table: restore only goes into a database without data.
    if (students + staff === 0) return { students, staff };
    if (row) await trx.updateTable('name_key_version').set({ version: NAME_KEY_VERSION }).execute();
    else await trx.insertInto('name_key_version').values({ version: NAME_KEY_VERSION }).execute();
    return { students, staff };
  });
}

/**
 * Records that the stored keys have this code's format, without recomputing: for data this code
 * has just written itself (the demo province), which would otherwise be recomputed at the next start.
 */
export async function markNameKeysCurrent(db: Kysely<Database>): Promise<void> {
  await db
    .insertInto('name_key_version')
    .values({ id: true, version: NAME_KEY_VERSION })
    .onConflict((oc) => oc.column('id').doUpdateSet({ version: NAME_KEY_VERSION }))
    .execute();
}
