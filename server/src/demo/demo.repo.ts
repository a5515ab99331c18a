import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

// The demo's statements: whether the database is empty, and writing the built rows fast (bulk
// inserts shaped for PGlite, the bulk-load mode and the foreign-key re-check that makes it safe).

/** Whether the database holds any org unit (the demo goes only into an empty one). */
export async function hasOrgUnits(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('org_unit').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Whether a unit carries the code. */
export async function hasOrgUnitWithCode(db: Kysely<Database>, code: string): Promise<boolean> {
  const row = await db.selectFrom('org_unit').select('id').where('code', '=', code).executeTakeFirst();
  return row !== undefined;
}

/** Types whose text form never needs quoting inside an array literal. */
const BARE_ARRAY_TYPES = new Set(['uuid', 'date', 'smallint', 'integer', 'bigint', 'boolean']);

/** A PostgreSQL array literal for one column of a chunk ('{…}'); text elements are quoted. */
function arrayLiteral(part: readonly Record<string, unknown>[], column: string, bare: boolean): string {
  let out = '{';
  for (let k = 0; k < part.length; k++) {
    if (k > 0) out += ',';
    const v = part[k][column];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else if (typeof v === 'number') out += String(v);
    else if (typeof v !== 'string') throw new Error(`seed-demo: ${column} holds a ${typeof v}, which has no array-literal form here`);
    else if (bare) out += v;
    else out += v.includes('"') || v.includes('\\') ? `"${v.replace(/[\\"]/g, '\\$&')}"` : `"${v}"`;
  }
  return `${out}}`;
}

/**
 * Multi-row insert in chunks of ~1000 rows, shaped for PGlite, where every statement crosses a
 * WASM bridge and the server's per-row work is what costs:
 * - tables with only scalar columns go in as one array parameter per column, expanded with
 *   unnest(): array_in is the cheapest way into PostgreSQL short of COPY;
 * - tables with array columns (staff, org_unit_version; small) go in as one json parameter,
 *   expanded with json_populate_recordset.
 * Both are much cheaper than a VALUES list with ~20 bind parameters per row, and neither can
 * hit the 65,535-parameter limit. Columns absent from the rows keep their defaults.
 */
export async function insertAll<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  chunk = 1000,
): Promise<void> {
  if (rows.length === 0) return;
  const names = new Set<string>();
  for (const row of rows) for (const key in row) names.add(key);
  const columns = [...names];
  const typeRows = await sql<{ name: string; type: string }>`
    select a.attname::text as name, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
    where a.attrelid = ${table}::regclass and a.attnum > 0 and not a.attisdropped`.execute(trx);
  const typeOf = new Map(typeRows.rows.map((r) => [r.name, r.type]));
  const list = sql.join(columns.map((c) => sql.ref(c)));
  const useJson = columns.some((c) => typeOf.get(c)?.endsWith('[]'));
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk) as readonly Record<string, unknown>[];
    if (useJson) {
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(part)}::json)`.execute(trx);
    } else {
      const arrays = columns.map((c) => {
        const type = typeOf.get(c) ?? 'text';
        return sql`${arrayLiteral(part, c, BARE_ARRAY_TYPES.has(type))}::${sql.raw(`${type}[]`)}`;
      });
      await sql`insert into ${sql.table(table)} (${list}) select * from unnest(${sql.join(arrays)})`.execute(trx);
    }
  }
}

/**
 * Bulk-load settings for this transaction only (both need superuser; PGlite always is):
 * - session_replication_role = replica skips the per-row foreign-key triggers, as
 *   pg_restore --disable-triggers does. On PGlite each FK check is an SPI lookup plus a row
 *   lock, which more than doubles the load time of 20k students (measured). The
 *   builder creates every referenced row itself, and validateForeignKeys() re-checks every
 *   foreign key set-wise before commit, so nothing unchecked is ever committed.
 * - wal_init_zero = off: new 16 MB WAL segments are not zero-filled first (PGlite keeps them in
 *   memory, where zero-filling is pure copying; the seed writes ~100 MB of WAL).
 * Where SET is refused (a non-superuser on PostgreSQL), the savepoint undoes the attempt and
 * rows are checked one by one as usual.
 */
export async function enterBulkLoadMode(trx: Transaction<Database>): Promise<boolean> {
  await sql`savepoint demo_bulk_load`.execute(trx);
  try {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`set local wal_init_zero = off`.execute(trx);
    await sql`release savepoint demo_bulk_load`.execute(trx);
    return true;
  } catch {
    await sql`rollback to savepoint demo_bulk_load`.execute(trx);
    return false;
  }
}

/** Foreign-key triggers on again, for whatever the transaction does after the bulk load. */
export async function leaveBulkLoadMode(trx: Transaction<Database>): Promise<void> {
  await sql`set local session_replication_role = origin`.execute(trx);
}

/** Every foreign key of the public schema, checked set-wise; throws on the first violation. */
export async function validateForeignKeys(trx: Transaction<Database>): Promise<void> {
  const fks = await sql<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>`
    select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
      array(select a.attname::text from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i) as child_cols,
      array(select a.attname::text from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i) as parent_cols
    from pg_constraint c join pg_namespace ns on ns.oid = c.connamespace
    where c.contype = 'f' and ns.nspname = 'public'`.execute(trx);
  for (const fk of fks.rows) {
    const notNull = sql.join(fk.child_cols.map((c) => sql`ch.${sql.ref(c)} is not null`), sql` and `);
    const match = sql.join(fk.child_cols.map((c, i) => sql`p.${sql.ref(fk.parent_cols[i])} = ch.${sql.ref(c)}`), sql` and `);
    const bad = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.table(fk.child)} ch
      where ${notNull} and not exists (select 1 from ${sql.table(fk.parent)} p where ${match})`.execute(trx);
    const n = bad.rows[0]?.n ?? 0;
    if (n > 0) throw new Error(`Demo data breaks foreign key ${fk.name} (${fk.child} → ${fk.parent}) in ${n} rows`);
  }
}
