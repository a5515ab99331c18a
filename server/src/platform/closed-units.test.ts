import { describe, expect, it } from 'vitest';
import { F, KITS } from '../../test/fixture-ids.js';
import { setupTestApp } from '../../test/harness.js';

/**
 * Closed units (docs/decisions/0005-closed-units.md): a grant on a closed unit gives nothing; a
 * closed school is read-only history for the offices above it ON ITS LAST DAY; an office merged
 * away keeps nothing. Fixtures: school A4 closed on 2026-01-01 under commune A1 (province A);
 * school G under district office G, which province A handed to province B on 2024-01-01, closed on
 * 2025-06-01 (one version of G, begun while its office was still province A's);
 * district office A1 abolished on 2025-07-01.
 */
const ctx = await setupTestApp();
const studentsOf = (schoolId: string) => `/api/v1/schools/${schoolId}/students`;
const nameOf = (k: (typeof KITS)[keyof typeof KITS]) => `${k.student.family} ${k.student.middle} ${k.student.given}`;

describe('a closed school', () => {
  it('is gone for its own principal: list, export, profile and edit all answer 404 without its data', async () => {
    const ht = await ctx.as('principalA4');
    const k = KITS.A4;
    for (const res of [
      await ht.get(studentsOf(k.schoolId)),
      await ht.get(`${studentsOf(k.schoolId)}/export.xlsx`),
      await ht.get(`${studentsOf(k.schoolId)}/${k.studentId}`),
      await ht.patch(`${studentsOf(k.schoolId)}/${k.studentId}`, { address: 'Bản Mới' }),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(k.student.given);
    }
  });

  it('is history the offices above it on its last day still read, with its records', async () => {
    for (const who of ['soA', 'communeA', 'admin'] as const) {
      const s = await ctx.as(who);
      const res = await s.get(studentsOf(F.schoolA4));
      expect(res.statusCode, who).toBe(200);
      expect(res.json().items.map((i: { id: string; fullName: string }) => [i.id, i.fullName])).toEqual([[KITS.A4.studentId, nameOf(KITS.A4)]]);
    }
  });

  it('cannot be changed, even by those who read it: 409 with the closing date, nothing written', async () => {
    const url = `${studentsOf(F.schoolA4)}/${KITS.A4.studentId}`;
    // A province officer never edits student records: the same 404 as for an open school.
    expect((await (await ctx.as('soA')).patch(url, { address: 'Địa chỉ mới' })).statusCode).toBe(404);
    const res = await (await ctx.as('admin')).patch(url, { address: 'Địa chỉ mới' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'unit_closed' });
    expect(res.json().detail).toContain('01/01/2026');
    const row = await ctx.handle.db.selectFrom('student').select('address').where('id', '=', KITS.A4.studentId).executeTakeFirstOrThrow();
    expect(row.address).toBeNull();
  });

  it('is read by the province that held it last, not by the one that gave it away earlier', async () => {
    const soB = await ctx.as('soB');
    const read = await soB.get(studentsOf(F.schoolG));
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((i: { id: string }) => i.id)).toEqual([KITS.G.studentId]);
    const soA = await ctx.as('soA');
    const refused = await soA.get(studentsOf(F.schoolG));
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain(KITS.G.student.given);
  });
});

describe('an abolished office', () => {
  it('its officer reads nothing: not its old unit, not its old schools, not the tree', async () => {
    const phong = await ctx.as('districtA1');
    for (const url of [
      `/api/v1/org-units/${F.districtA1}`,
      `/api/v1/org-units/${F.districtA1}/schools?asOf=2025-01-01`,
      studentsOf(F.schoolA1),
      studentsOf(F.schoolA4),
    ]) {
      const res = await phong.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toMatch(/Lê Lợi|Hòa Bình|Nguyễn Văn An/);
    }
    for (const asOf of ['2025-01-01', '2026-12-01']) {
      const tree = await phong.get(`/api/v1/org-units/tree?asOf=${asOf}`);
      expect(tree.statusCode).toBe(200);
      expect(tree.json().units).toEqual([]);
    }
  });
});

describe('a moved school', () => {
  it('belongs to its new office after the move date and to its old one before it', async () => {
    const xa1 = await ctx.as('communeA');
    const xa2 = await ctx.as('communeA2');
    // M1 moved from commune A2 to commune A1 on 2026-03-01 (past): A1 reads it, A2 no longer does.
    expect((await xa1.get(studentsOf(F.schoolM1))).json().items.map((i: { id: string }) => i.id)).toEqual([KITS.M1.studentId]);
    expect((await xa2.get(studentsOf(F.schoolM1))).statusCode).toBe(404);
    // M2 moves from commune A1 to commune A2 on 2099-09-01 (future): still A1's until then.
    expect((await xa1.get(studentsOf(F.schoolM2))).json().items.map((i: { id: string }) => i.id)).toEqual([KITS.M2.studentId]);
    expect((await xa2.get(studentsOf(F.schoolM2))).statusCode).toBe(404);
  });
});
