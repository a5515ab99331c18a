import type pg from 'pg';

/**
 * What backup and restore know about the database, read from the catalog rather than from a
 * hand-kept list, so a table added by a new migration is backed up, restored and verified
 * without touching this code.
 */

/** The migrator's own bookkeeping: described by the backup header (schema version), not copied as data. */
export const MIGRATION_TABLE = 'schema_migration';

export type TableInfo = {
  name: string;
  /** Columns in table order, without generated columns (they are computed again on restore). */
  columns: string[];
  /** SQL type of each column (format_type), to cast its text form back on restore. */
  types: string[];
  /** Some column is GENERATED ALWAYS AS IDENTITY: inserts need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
  /** Sequences owned by a column (serial / identity), to be moved past the restored values. */
  sequences: { column: string; sequence: string }[];
};

export type TableSummary = { rows: number; checksum: string };

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/**
 * The text rendering of rows (and so the checksums) depends on these settings; both backup and
 * restore pin them, so PGlite and PostgreSQL, or two servers set to other time zones, agree.
 */
export async function pinRenderingSettings(client: pg.PoolClient): Promise<void> {
  await client.query(
    "set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local intervalstyle = 'postgres'; " +
      "set local extra_float_digits = 1; set local bytea_output = 'hex'",
  );
}

/**
 * Ordinary tables of the app's schema (the first schema on the search path), parents before
 * children by foreign keys so rows can be inserted in that order. Ties are broken by name so
 * the order is the same on every engine.
 */
export async function listTables(client: pg.PoolClient): Promise<TableInfo[]> {
  const cols = await client.query<{ table: string; column: string; type: string; identity: string; sequence: string | null }>(
    `select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type, a.attidentity as identity,
            pg_get_serial_sequence(quote_ident(c.relname), a.attname) as sequence
       from pg_class c
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where c.relnamespace = (select oid from pg_namespace where nspname = current_schema()) and c.relkind in ('r', 'p') and c.relname <> $1
      order by c.relname, a.attnum`,
    [MIGRATION_TABLE],
  );
  const byName = new Map<string, TableInfo>();
  for (const r of cols.rows) {
    let t = byName.get(r.table);
    if (!t) byName.set(r.table, (t = { name: r.table, columns: [], types: [], identityAlways: false, sequences: [] }));
    t.columns.push(r.column);
    t.types.push(r.type);
    if (r.identity === 'a') t.identityAlways = true;
    if (r.sequence) t.sequences.push({ column: r.column, sequence: r.sequence });
  }
  const fks = await client.query<{ child: string; parent: string }>(
    `select distinct c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
      where k.contype = 'f' and c.relnamespace = (select oid from pg_namespace where nspname = current_schema()) and c.oid <> p.oid`,
  );
  const parents = new Map<string, Set<string>>();
  for (const { child, parent } of fks.rows) {
    const set = parents.get(child) ?? new Set<string>();
    set.add(parent);
    parents.set(child, set);
  }
  // Depth-first topological order over names sorted alphabetically.
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, info: TableInfo) => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`Vòng khoá ngoại giữa các bảng (${name}): không sắp được thứ tự khôi phục.`);
    state.set(name, 'visiting');
    for (const p of [...(parents.get(name) ?? [])].sort()) {
      const parentInfo = byName.get(p);
      if (parentInfo) visit(p, parentInfo);
    }
    state.set(name, 'done');
    ordered.push(info);
  };
  for (const [name, info] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) visit(name, info);
  return ordered;
}

/**
 * Row count and checksum of one table, computed in SQL the same way on both engines: the md5 of
 * each row rendered as text (columns in the given order), first 64 bits summed. A sum does not
 * depend on row order, so no ORDER BY (whose text order would depend on the collation, which
 * differs between PGlite and a PostgreSQL cluster) and no large aggregate string in memory.
 */
export async function summarizeTable(client: pg.PoolClient, table: string, columns: string[]): Promise<TableSummary> {
  const row = `row(${columns.map(quoteIdent).join(', ')})`;
  const res = await client.query<{ rows: string; checksum: string }>(
    `select count(*)::text as rows,
            coalesce(sum(('x' || left(md5(${row}::text), 16))::bit(64)::bigint), 0)::text as checksum
       from ${quoteIdent(table)}`,
  );
  return { rows: Number(res.rows[0].rows), checksum: res.rows[0].checksum };
}

/** Applied migrations in order (empty when the database has never been migrated). */
export async function appliedMigrations(client: pg.PoolClient): Promise<string[]> {
  const exists = await client.query(`select 1 from pg_class where relname = $1 and relnamespace = (select oid from pg_namespace where nspname = current_schema())`, [
    MIGRATION_TABLE,
  ]);
  if (exists.rowCount === 0) return [];
  const res = await client.query<{ name: string }>(`select name from ${quoteIdent(MIGRATION_TABLE)} order by name`);
  return res.rows.map((r) => r.name);
}

/** Row count and checksum of every table, from one snapshot: compares a restored database with its original. */
export async function summarizeDatabase(pool: pg.Pool): Promise<Record<string, TableSummary>> {
  const client = await pool.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    await pinRenderingSettings(client);
    const out: Record<string, TableSummary> = {};
    for (const t of await listTables(client)) out[t.name] = await summarizeTable(client, t.name, t.columns);
    await client.query('commit');
    return out;
  } finally {
    client.release();
  }
}
