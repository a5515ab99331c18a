import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { type DbHandle, compiledOnce } from './connection.js';

// The hottest statements (session lookup, profile read, access-log line) are prepared once per
// connection instead of parsed and planned per request (docs/profiles/README.md). Both engines.
let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDb();
});
afterAll(async () => {
  await handle.close();
});

const unitName = (db: DbHandle['db'], id: string) => db.selectFrom('org_unit_version').select('name').where('unit_id', '=', id).orderBy('valid_from', 'desc').limit(1);

describe('prepared statements', () => {
  it('runs the statement by name on its connection, with the right rows each time', async () => {
    await handle.db.transaction().execute(async (trx) => {
      const probe = compiledOnce('probe_unit', 1, (db, id) => unitName(db, id));
      const a = await probe(trx, F.schoolA1);
      const b = await probe(trx, F.provinceA);
      expect(a).toEqual([{ name: 'Trường THCS Lê Lợi' }]);
      expect(b).toHaveLength(1);
      expect(b[0]!.name).not.toBe(a[0]!.name);
      const prepared = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx);
      const mine = prepared.rows.filter((r) => r.name.startsWith('probe_unit_'));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.statement).toContain('from "org_unit_version"');
    });
  });

  it('gives a different text under the same mark its own name (no clash, no wrong plan)', async () => {
    await handle.db.transaction().execute(async (trx) => {
      await compiledOnce('probe_other', 1, (db, id) => unitName(db, id))(trx, F.schoolA1);
      const other = compiledOnce('probe_other', 1, (db, id) => db.selectFrom('org_unit').select('code').where('id', '=', id));
      const rows = await other(trx, F.schoolA1);
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!)).toEqual(['code']);
      const prepared = await sql<{ name: string }>`select name from pg_prepared_statements where name like 'probe_other_%'`.execute(trx);
      expect(prepared.rows).toHaveLength(2);
    });
  });
});

describe('compiledOnce', () => {
  const unitNameOnce = compiledOnce('probe_once', 1, (db, id) => unitName(db, id));

  it('binds each call\'s arguments into the query compiled the first time', async () => {
    const a = await unitNameOnce(handle.db, F.schoolA1);
    const b = await unitNameOnce(handle.db, F.provinceA);
    const c = await unitNameOnce(handle.db, F.schoolA1);
    expect(a).toEqual([{ name: 'Trường THCS Lê Lợi' }]);
    expect(b).toHaveLength(1);
    expect(b[0]!.name).not.toBe('Trường THCS Lê Lợi');
    expect(c).toEqual(a);
  });

  it('refuses a query that does not use an argument as a value (it would be silently ignored)', async () => {
    const spliced = compiledOnce('probe_spliced', 1, (db, id) => db.selectFrom('org_unit').select('code').where('code', 'like', `${id.slice(0, 0)}0%`));
    await expect(spliced(handle.db, F.schoolA1)).rejects.toThrow(/argument 0 is not a parameter/);
  });
});
