import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();

type Unit = { id: string; kind: string; name: string; parentId: string | null };

describe('org tree as of a date (district offices abolished 1/7/2025)', () => {
  it('today: school A1 sits under the commune office and the district office is gone', async () => {
    const s = await ctx.as('soA');
    const res = await s.get('/api/v1/org-units/tree?asOf=2026-01-10');
    expect(res.statusCode).toBe(200);
    const units = res.json().units as Unit[];
    expect(units.find((u) => u.id === F.schoolA1)?.parentId).toBe(F.communeA1);
    expect(units.find((u) => u.id === F.districtA1)).toBeUndefined();
  });

  it('on 01/01/2025 the same tree shows school A1 under the district office', async () => {
    const s = await ctx.as('soA');
    const units = (await s.get('/api/v1/org-units/tree?asOf=2025-01-01')).json().units as Unit[];
    expect(units.find((u) => u.id === F.schoolA1)?.parentId).toBe(F.districtA1);
    expect(units.find((u) => u.id === F.communeA1)).toBeUndefined();
  });

  it('a province officer sees only their own province', async () => {
    const s = await ctx.as('soB');
    const ids = ((await s.get('/api/v1/org-units/tree')).json().units as Unit[]).map((u) => u.id);
    expect(ids).toContain(F.schoolB1);
    expect(ids).not.toContain(F.schoolA1);
    expect(ids).not.toContain(F.provinceA);
  });

  it('parents have no tree', async () => {
    const s = await ctx.as('parentA');
    expect((await s.get('/api/v1/org-units/tree')).statusCode).toBe(403);
  });

  it('unit detail shows the history of parents with names', async () => {
    const s = await ctx.as('communeA');
    const res = await s.get(`/api/v1/org-units/${F.schoolA1}`);
    expect(res.statusCode).toBe(200);
    const history = res.json().history as { parentName: string; validFrom: string; validTo: string | null }[];
    expect(history.map((h) => [h.parentName, h.validFrom, h.validTo])).toEqual([
      ['Phòng GD&ĐT huyện Một', '2020-01-01', '2025-07-01'],
      ['UBND xã Một', '2025-07-01', null],
    ]);
  });

  it('the province still reads an abolished district office (judged by the tree on its last day)', async () => {
    const soA = await ctx.as('soA');
    const res = await soA.get(`/api/v1/org-units/${F.districtA1}?asOf=2025-01-01`);
    expect(res.statusCode).toBe(200);
    const then = [F.schoolA1, F.schoolA2, F.schoolA3, F.schoolA4, F.schoolM1, F.schoolM2];
    expect(res.json().children.map((c: { id: string }) => c.id).sort()).toEqual([...then].sort());
    const schools = await soA.get(`/api/v1/org-units/${F.districtA1}/schools?asOf=2025-01-01`);
    expect(schools.json().schools.map((x: { id: string }) => x.id).sort()).toEqual([...then].sort());
    const soB = await ctx.as('soB');
    expect((await soB.get(`/api/v1/org-units/${F.districtA1}?asOf=2025-01-01`)).statusCode).toBe(404);
  });

  it('out-of-scope unit answers 404, not 403', async () => {
    const s = await ctx.as('soB');
    const res = await s.get(`/api/v1/org-units/${F.schoolA1}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });

  it('schools below a unit, with counts, on a date', async () => {
    const s = await ctx.as('soA');
    const now = (await s.get(`/api/v1/org-units/${F.communeA1}/schools?asOf=2025-10-01`)).json();
    // Hòa Bình closes on 2026-01-01 and Núi Thành moves away in 2099: both still here on 2025-10-01.
    expect(now.schools.map((x: { name: string }) => x.name)).toEqual([
      'Trường THCS Hòa Bình',
      'Trường THCS Lê Lợi',
      'Trường Tiểu học Đồng Tâm',
      'Trường Tiểu học Núi Thành',
    ]);
    // An's mother and Cường's father (school A1) have parent accounts: two families activated.
    expect(now.totals).toMatchObject({ schools: 4, students: 5, classes: 4, familiesActivated: 2 });
    const later = (await s.get(`/api/v1/org-units/${F.communeA1}/schools?asOf=2026-06-01`)).json();
    expect(later.schools.map((x: { name: string }) => x.name)).toEqual(['Trường THCS Lê Lợi', 'Trường Tiểu học Đồng Tâm', 'Trường Tiểu học Núi Thành', 'Trường Tiểu học Sông Cầu']);
    const before = (await s.get(`/api/v1/org-units/${F.communeA1}/schools?asOf=2025-01-01`)).json();
    expect(before.totals.schools).toBe(0);
    const district = (await s.get(`/api/v1/org-units/${F.provinceA}/schools?asOf=2025-01-01`)).json();
    expect(district.schools.every((x: { parentName: string }) => x.parentName === 'Phòng GD&ĐT huyện Một')).toBe(true);
  });
});

describe('reshaping the tree', () => {
  it('creates a school under a commune office, audited', async () => {
    const s = await ctx.as('soA');
    const res = await s.post('/api/v1/org-units', {
      kind: 'school',
      name: 'Trường Mầm non Hoa Sen',
      code: '01001009',
      parentId: F.communeA1,
      schoolLevels: ['preschool'],
      ownership: 'private',
      validFrom: '2026-09-01',
    });
    expect(res.statusCode).toBe(200);
    const id = res.json().id as string;
    const audit = await ctx.handle.db.selectFrom('audit_log').selectAll().where('entity_id', '=', id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.action).toBe('org_unit.create');
    expect(audit[0]!.username).toBe('so.a');
  });

  it('refuses a school directly under the ministry with a Vietnamese reason', async () => {
    const s = await ctx.as('admin');
    const res = await s.post('/api/v1/org-units', {
      kind: 'school',
      name: 'Trường X',
      parentId: F.ministry,
      schoolLevels: ['primary'],
      validFrom: '2026-09-01',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('không thể trực thuộc');
  });

  it('a province officer cannot create under another province', async () => {
    const s = await ctx.as('soB');
    const res = await s.post('/api/v1/org-units', {
      kind: 'school', name: 'Trường Y', parentId: F.communeA1, schoolLevels: ['primary'], validFrom: '2026-09-01',
    });
    expect(res.statusCode).toBe(404);
  });

  it('moves a school from a date; both dates answer correctly', async () => {
    const s = await ctx.as('admin');
    const created = (
      await s.post('/api/v1/org-units', { kind: 'commune_office', name: 'UBND xã Hai', parentId: F.provinceA, validFrom: '2026-01-01' })
    ).json();
    const moved = await s.post(`/api/v1/org-units/${F.schoolA2}/move`, { newParentId: created.id, effectiveDate: '2026-02-01', reason: 'Sắp xếp lại' });
    expect(moved.statusCode).toBe(200);
    const before = (await s.get('/api/v1/org-units/tree?asOf=2026-01-31')).json().units as Unit[];
    const after = (await s.get('/api/v1/org-units/tree?asOf=2026-02-01')).json().units as Unit[];
    expect(before.find((u) => u.id === F.schoolA2)?.parentId).toBe(F.communeA1);
    expect(after.find((u) => u.id === F.schoolA2)?.parentId).toBe(created.id);
    // History is never rewritten: a change dated before the last one is refused.
    const back = await s.post(`/api/v1/org-units/${F.schoolA2}/move`, { newParentId: F.communeA1, effectiveDate: '2025-12-01' });
    expect(back.statusCode).toBe(400);
    expect(back.json().code).toBe('date_before_last_change');
  });

  it('refuses to close a unit that still has schools, and merges instead', async () => {
    const s = await ctx.as('admin');
    const target = (
      await s.post('/api/v1/org-units', { kind: 'province_office', name: 'Sở GD&ĐT tỉnh Hợp Nhất', parentId: F.ministry, validFrom: '2026-07-01' })
    ).json();
    const close = await s.post(`/api/v1/org-units/${F.provinceB}/close`, { effectiveDate: '2026-07-01' });
    expect(close.statusCode).toBe(409);
    const merge = await s.post(`/api/v1/org-units/${F.provinceB}/merge`, { targetId: target.id, effectiveDate: '2026-07-01', reason: 'Sáp nhập tỉnh 2025' });
    expect(merge.statusCode).toBe(200);
    expect(merge.json().moved).toBe(3); // district office B1, district office G, school B1
    const old = (await s.get('/api/v1/org-units/tree?asOf=2026-06-30')).json().units as Unit[];
    const now = (await s.get('/api/v1/org-units/tree?asOf=2026-07-01')).json().units as Unit[];
    expect(old.find((u) => u.id === F.schoolB1)?.parentId).toBe(F.provinceB);
    expect(now.find((u) => u.id === F.schoolB1)?.parentId).toBe(target.id);
    expect(now.find((u) => u.id === F.provinceB)).toBeUndefined();
    // The old province officer's grant still covers history, not the merged province today.
    const soB = await ctx.as('soB');
    expect((await soB.get(`/api/v1/org-units/${F.schoolB1}`)).statusCode).toBe(404);
  });

  it('refuses a cycle', async () => {
    const s = await ctx.as('admin');
    const res = await s.post(`/api/v1/org-units/${F.provinceA}/move`, { newParentId: F.schoolA1, effectiveDate: '2027-01-01' });
    expect(res.statusCode).toBe(400);
  });

  it('a principal cannot reshape the tree', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`/api/v1/org-units/${F.schoolA1}/rename`, { name: 'Tên mới', effectiveDate: '2027-01-01' });
    expect(res.statusCode).toBe(404);
    const unchanged = await ctx.handle.db.selectFrom('org_unit_version').select('name').where('unit_id', '=', F.schoolA1).where('valid_to', 'is', null).executeTakeFirst();
    expect(unchanged?.name).toBe('Trường THCS Lê Lợi');
  });
});
