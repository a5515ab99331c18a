import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinFullName, NAME_KEY_VERSION, nameSortKey, searchFold } from '../../../domain/index.js';
import { freshDb } from '../../test/harness.js';
import type { DbHandle } from './connection.js';
import { markNameKeysCurrent, recomputeNameKeys } from './name-keys.js';

// Issue 8 changed the class-list order (decision 0002). Keys stored before the change must be
// recomputed, or existing demo data and imported rows would keep the old order.
let handle: DbHandle;
beforeAll(async () => {
  handle = await freshDb();
});
afterAll(async () => {
  await handle.close();
});

const partsOf = (r: { family_name: string; middle_name: string; given_name: string }) => ({ familyName: r.family_name, middleName: r.middle_name, givenName: r.given_name });

describe('recomputeNameKeys (start-up step after the migrations)', () => {
  it('rewrites every stored key of an older format, once', async () => {
    const db = handle.db;
    // A database from before the change: no format recorded, keys that are not today's.
    await db.deleteFrom('name_key_version').execute();
    await db.updateTable('student').set({ name_sort_key: 'old', search_text: 'old' }).execute();
    await db.updateTable('staff').set({ name_sort_key: 'old' }).execute();
    const students = await db.selectFrom('student').select(['family_name', 'middle_name', 'given_name']).execute();
    const staff = await db.selectFrom('staff').select('id').execute();
    expect(students.length).toBeGreaterThan(3);

    expect(await recomputeNameKeys(db)).toEqual({ students: students.length, staff: staff.length });

    for (const table of ['student', 'staff'] as const) {
      const rows = await db.selectFrom(table).select(['family_name', 'middle_name', 'given_name', 'name_sort_key', 'search_text']).execute();
      for (const r of rows) {
        expect(r.name_sort_key).toBe(nameSortKey(partsOf(r)));
        expect(r.search_text).toBe(searchFold(joinFullName(partsOf(r))));
      }
    }
    expect((await db.selectFrom('name_key_version').select('version').executeTakeFirstOrThrow()).version).toBe(NAME_KEY_VERSION);

    // A later format change finds the recorded format older and recomputes again.
    await db.updateTable('name_key_version').set({ version: NAME_KEY_VERSION - 1 }).execute();
    await db.updateTable('staff').set({ name_sort_key: 'old' }).execute();
    expect(await recomputeNameKeys(db)).toEqual({ students: students.length, staff: staff.length });
    expect(await db.selectFrom('staff').select('id').where('name_sort_key', '=', 'old').execute()).toEqual([]);

    // Current keys: nothing to do, nothing touched.
    await db.updateTable('student').set({ name_sort_key: 'left alone' }).where('given_name', '=', students[0]!.given_name).execute();
    expect(await recomputeNameKeys(db)).toBeNull();
    expect(await db.selectFrom('student').select('id').where('name_sort_key', '=', 'left alone').execute()).not.toEqual([]);
  });

  it('data the code wrote itself (the demo) is marked current, not recomputed at the next start', async () => {
    await handle.db.deleteFrom('name_key_version').execute();
    await markNameKeysCurrent(handle.db);
    await markNameKeysCurrent(handle.db);
    expect(await handle.db.selectFrom('name_key_version').select('version').execute()).toEqual([{ version: NAME_KEY_VERSION }]);
    expect(await recomputeNameKeys(handle.db)).toBeNull();
  });

  it('leaves a database without names empty (a restore needs an empty database)', async () => {
    const empty = await freshDb();
    try {
      const db = empty.db;
      await db.transaction().execute(async (trx) => {
        // Only the name tables matter here; foreign keys are not checked in this throwaway copy.
        await sql`set local session_replication_role = replica`.execute(trx);
        await trx.deleteFrom('name_key_version').execute();
        await trx.deleteFrom('student').execute();
        await trx.deleteFrom('staff').execute();
      });
      expect(await recomputeNameKeys(db)).toEqual({ students: 0, staff: 0 });
      expect(await db.selectFrom('name_key_version').selectAll().execute()).toEqual([]);
    } finally {
      await empty.close();
    }
  });
});
