import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { nameSortKey, searchFold } from '../../../domain/index.js';
import { F } from '../../test/fixture-ids.js';
import { setupTestApp } from '../../test/harness.js';
import { dataVersion } from './data-version.repo.js';
import { VersionedCache } from './versioned-cache.js';

const ctx = await setupTestApp();

describe('VersionedCache', () => {
  it('returns an entry only for the version it was stored at, and evicts the oldest', () => {
    const c = new VersionedCache<number>(2);
    c.set('a', 1, 10);
    expect(c.get('a', 1)).toBe(10);
    expect(c.get('a', 2)).toBeUndefined();
    c.set('b', 1, 20);
    c.set('c', 1, 30);
    expect(c.get('a', 1)).toBeUndefined();
    expect(c.get('c', 1)).toBe(30);
  });
});

describe('cached reads see every write, whoever makes it', () => {
  it('a student written behind the app (another process, a script) shows in the next list', async () => {
    const s = await ctx.as('principalA1');
    const before = (await s.get(`/api/v1/schools/${F.schoolA1}/students`)).json();
    const v0 = await dataVersion(ctx.handle.db, `school:${F.schoolA1}`);
    await ctx.handle.db
      .insertInto('student')
      .values({
        school_id: F.schoolA1,
        id: '00000000-0000-7000-8000-00000000c001',
        person_id: '00000000-0000-7000-8000-00000000c001',
        learner_id: '0100000099',
        temp_code: null,
        citizen_id: null,
        family_name: 'Vũ',
        middle_name: 'Thị',
        given_name: 'Yến',
        name_sort_key: nameSortKey({ familyName: 'Vũ', middleName: 'Thị', givenName: 'Yến' }),
        search_text: searchFold('Vũ Thị Yến'),
        date_of_birth: '2014-05-05',
        sex: 'female',
        religion_code: null,
        birthplace: null,
        address: null,
        status_date: '2025-09-05',
        current_class_id: F.class6A1,
      })
      .execute();
    expect(await dataVersion(ctx.handle.db, `school:${F.schoolA1}`)).toBeGreaterThan(v0);
    const after = (await s.get(`/api/v1/schools/${F.schoolA1}/students`)).json();
    expect(after.total).toBe(before.total + 1);
    expect(after.items.map((i: { fullName: string }) => i.fullName)).toContain('Vũ Thị Yến');
  });

  it('a tree change made in SQL changes access at the next request', async () => {
    const s = await ctx.as('communeA');
    expect((await s.get(`/api/v1/schools/${F.schoolA2}/students`)).statusCode).toBe(200);
    // Move school A2 to province B from yesterday, directly in the database.
    await sql`update org_unit_version set valid_to = current_date - 1 where unit_id = ${F.schoolA2} and valid_to is null`.execute(ctx.handle.db);
    await sql`insert into org_unit_version (unit_id, valid_from, parent_id, name, school_levels, ownership)
              values (${F.schoolA2}, current_date - 1, ${F.provinceB}, 'Trường Tiểu học Đồng Tâm', '{primary}', 'public')`.execute(ctx.handle.db);
    expect((await s.get(`/api/v1/schools/${F.schoolA2}/students`)).statusCode).toBe(404);
  });
});
