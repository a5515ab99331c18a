import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';

const ctx = await setupTestApp();
const base = `/api/v1/schools/${F.schoolA1}`;
const db = ctx.handle.db;

const auditOf = (action: string) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('at', 'desc').orderBy('id', 'desc').execute();

const year2026 = { year: 2026, term1Start: '2026-09-05', term1End: '2027-01-16', term2Start: '2027-01-18', term2End: '2027-05-31' };

describe('school years', () => {
  it('GET lists the declared years with their label', async () => {
    const s = await ctx.as('homeroomA1');
    const res = await s.get(`${base}/school-years`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { year: 2025, label: '2025-2026', term1Start: '2025-09-05', term1End: '2026-01-15', term2Start: '2026-01-19', term2End: '2026-05-31' },
    ]);
  });

  it('PUT declares a new year, then updates it, auditing before and after', async () => {
    const s = await ctx.as('principalA1');
    const created = await s.put(`${base}/school-years`, year2026);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ year: 2026, label: '2026-2027' });
    const [createAudit] = await auditOf('school_year.create');
    expect(createAudit).toMatchObject({ org_unit_id: F.schoolA1, user_id: F.users.principalA1, before: null });
    expect(createAudit!.after).toMatchObject({ year: 2026, term1_start: '2026-09-05' });

    const updated = await s.put(`${base}/school-years`, { ...year2026, term2End: '2027-05-25' });
    expect(updated.json().term2End).toBe('2027-05-25');
    const [updateAudit] = await auditOf('school_year.update');
    expect(updateAudit!.before).toMatchObject({ term2_end: '2027-05-31' });
    expect(updateAudit!.after).toMatchObject({ term2_end: '2027-05-25' });
    const years = (await s.get(`${base}/school-years`)).json() as { year: number }[];
    expect(years.map((y) => y.year)).toEqual([2026, 2025]);
  });

  it.each([
    [
      { term1End: '2026-09-01' },
      'term1_dates_order',
      'Ngày kết thúc học kì I (01/09/2026) phải sau ngày bắt đầu học kì I (05/09/2026).',
    ],
    [
      { term2Start: '2027-01-10' },
      'terms_overlap',
      'Học kì II phải bắt đầu sau khi học kì I kết thúc: ngày bắt đầu học kì II (10/01/2027) phải sau 16/01/2027.',
    ],
    [
      { term2End: '2027-01-18' },
      'term2_dates_order',
      'Ngày kết thúc học kì II (18/01/2027) phải sau ngày bắt đầu học kì II (18/01/2027).',
    ],
    [
      { term1Start: '2027-09-05' },
      'year_start_out_of_range',
      'Năm học 2026-2027 phải bắt đầu trong khoảng 01/07/2026 – 31/12/2026; ngày bắt đầu học kì I đang là 05/09/2027.',
    ],
    [
      { term2End: '2027-09-30' },
      'year_end_out_of_range',
      'Năm học 2026-2027 phải kết thúc chậm nhất ngày 31/08/2027; ngày kết thúc học kì II đang là 30/09/2027.',
    ],
  ])('PUT refuses wrong dates %o with a Vietnamese message', async (change, code, detail) => {
    const s = await ctx.as('principalA1');
    const res = await s.put(`${base}/school-years`, { ...year2026, ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code, detail });
  });

  it('PUT refuses an impossible calendar date at validation', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.put(`${base}/school-years`, { ...year2026, term1End: '2027-02-30' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });

  it('school staff may write; a teacher is refused (404) and nothing changes', async () => {
    const staff = await ctx.as('staffA1');
    expect((await staff.put(`${base}/school-years`, { ...year2026, year: 2027, term1Start: '2027-09-05', term1End: '2028-01-15', term2Start: '2028-01-17', term2End: '2028-05-31' })).statusCode).toBe(200);
    const teacher = await ctx.as('homeroomA1');
    const res = await teacher.put(`${base}/school-years`, { ...year2026, year: 2028, term1Start: '2028-09-05', term1End: '2029-01-15', term2Start: '2029-01-17', term2End: '2029-05-31' });
    expect(res.statusCode).toBe(404);
    expect(await db.selectFrom('school_year').select('year').where('school_id', '=', F.schoolA1).where('year', '=', 2028).executeTakeFirst()).toBeUndefined();
  });

  it('other tenants get 404; the Sở above the school may read', async () => {
    expect((await (await ctx.as('principalB1')).get(`${base}/school-years`)).statusCode).toBe(404);
    expect((await (await ctx.as('soB')).get(`${base}/school-years`)).statusCode).toBe(404);
    expect((await (await ctx.as('parentA')).get(`${base}/school-years`)).statusCode).toBe(404);
    expect((await (await ctx.as('soA')).get(`${base}/school-years`)).statusCode).toBe(200);
  });

  it('an office id in the school slot is not a school (404)', async () => {
    const s = await ctx.as('soA');
    expect((await s.get(`/api/v1/schools/${F.provinceA}/school-years`)).statusCode).toBe(404);
  });
});

describe('school subjects', () => {
  type Subject = { grade: number; subjectCode: string; periodsPerYear: number; assessmentKind: string; isTaught: boolean; overridden: boolean; isElective: boolean };

  it('GET gives the GDPT 2018 catalog for the grades of the school levels only', async () => {
    const s = await ctx.as('homeroomA1');
    const res = await s.get(`${base}/subjects?year=2025`);
    expect(res.statusCode).toBe(200);
    const subjects = res.json() as Subject[];
    expect([...new Set(subjects.map((x) => x.grade))]).toEqual([6, 7, 8, 9]);
    expect(subjects.find((x) => x.grade === 6 && x.subjectCode === 'toan')).toMatchObject({
      subjectName: 'Toán',
      periodsPerYear: 140,
      assessmentKind: 'score',
      isTaught: true,
      overridden: false,
    });
    expect(subjects.some((x) => x.subjectCode === 'vat_li')).toBe(false);
    // Catalog order inside a grade: Ngữ văn before Toán.
    const grade6 = subjects.filter((x) => x.grade === 6).map((x) => x.subjectCode);
    expect(grade6.indexOf('ngu_van')).toBeLessThan(grade6.indexOf('toan'));
  });

  it('GET for a primary school gives grades 1–5', async () => {
    const s = await ctx.as('communeA');
    const subjects = (await s.get(`/api/v1/schools/${F.schoolA2}/subjects?year=2025`)).json() as Subject[];
    expect([...new Set(subjects.map((x) => x.grade))]).toEqual([1, 2, 3, 4, 5]);
    expect(subjects.find((x) => x.grade === 1 && x.subjectCode === 'tieng_viet')).toMatchObject({ periodsPerYear: 420, assessmentKind: 'mixed' });
  });

  it('GET with a grade outside the school levels says which grades the school has', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.get(`${base}/subjects?year=2025&grade=10`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'grade_not_in_school_levels', detail: 'Khối 10 không thuộc cấp học của trường (trường dạy khối 6–9).' });
    expect((await s.get(`${base}/subjects`)).statusCode).toBe(400);
  });

  it('PUT overrides periods and kind for a year, shows as overridden, and is audited', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.put(`${base}/subjects`, { year: 2025, grade: 6, subjectCode: 'toan', periodsPerYear: 150, assessmentKind: 'score', isTaught: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      grade: 6,
      subjectCode: 'toan',
      subjectName: 'Toán',
      periodsPerYear: 150,
      assessmentKind: 'score',
      isElective: false,
      isTaught: true,
      overridden: true,
    });
    const grade6 = (await s.get(`${base}/subjects?year=2025&grade=6`)).json() as Subject[];
    expect(grade6.find((x) => x.subjectCode === 'toan')!.periodsPerYear).toBe(150);
    // Another year keeps the catalog.
    const next = (await s.get(`${base}/subjects?year=2026&grade=6`)).json() as Subject[];
    expect(next.find((x) => x.subjectCode === 'toan')!.periodsPerYear).toBe(140);

    const again = await s.put(`${base}/subjects`, { year: 2025, grade: 6, subjectCode: 'toan', periodsPerYear: 145, assessmentKind: 'score', isTaught: true });
    expect(again.json().periodsPerYear).toBe(145);
    const [audit] = await auditOf('school_subject.update');
    expect(audit!.before).toMatchObject({ periods_per_year: 150 });
    expect(audit!.after).toMatchObject({ periods_per_year: 145 });
    expect((await auditOf('school_subject.create'))[0]!.after).toMatchObject({ periods_per_year: 150, subject_code: 'toan' });
  });

  it('PUT can stop teaching a subject, and refuses unknown subjects and foreign grades', async () => {
    const s = await ctx.as('principalA1');
    const off = await s.put(`${base}/subjects`, { year: 2025, grade: 7, subjectCode: 'gd_dia_phuong', periodsPerYear: 0, assessmentKind: 'comment', isTaught: false });
    expect(off.json()).toMatchObject({ isTaught: false, overridden: true });
    const unknown = await s.put(`${base}/subjects`, { year: 2025, grade: 7, subjectCode: 'chiem_tinh', periodsPerYear: 35, assessmentKind: 'score' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: 'unknown_subject', detail: 'Môn học "chiem_tinh" không có trong danh mục môn học. Hãy chọn môn trong danh mục.' });
    const foreign = await s.put(`${base}/subjects`, { year: 2025, grade: 3, subjectCode: 'toan', periodsPerYear: 35, assessmentKind: 'score' });
    expect(foreign.json().code).toBe('grade_not_in_school_levels');
  });

  it('a teacher may read but not change subjects', async () => {
    const s = await ctx.as('mathA1');
    expect((await s.get(`${base}/subjects?year=2025`)).statusCode).toBe(200);
    const res = await s.put(`${base}/subjects`, { year: 2025, grade: 6, subjectCode: 'toan', periodsPerYear: 1, assessmentKind: 'score' });
    expect(res.statusCode).toBe(404);
    const row = await db
      .selectFrom('school_subject')
      .select('periods_per_year')
      .where('school_id', '=', F.schoolA1)
      .where('year', '=', 2025)
      .where('grade', '=', 6)
      .where('subject_code', '=', 'toan')
      .executeTakeFirst();
    expect(row?.periods_per_year).toBe(145);
    expect((await (await ctx.as('principalB1')).get(`${base}/subjects?year=2025`)).statusCode).toBe(404);
  });
});
