import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TClassMeasurements, TDevelopmentSheet, TFamilyDevelopment, TIndicatorSet, TSaveDevelopmentResult, TSaveMeasurementsResult } from '../../../../contracts/preschool.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { freshClass, freshStudent } from '../../../test/matrix-places.js';

// Preschool evaluation and measurements through the API. The fixture's accounts are in school A1
// (a THCS; the rules follow the class's grade, not the school's level), so a preschool class
// (grade 0) is made there with homeroomA1 as its class teacher, and two children in it: Bảo, a boy
// whose guardian account is parentA, and Chi.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const base = `/api/v1/schools/${F.schoolA1}`;

let preschool: string;
const kids: Record<'bao' | 'chi', { id: string; fullName: string }> = {} as never;

const SET = {
  name: 'Bộ chỉ số thử',
  basis: 'Quyết định 4222/QĐ-BGDĐT ngày 27/12/2024',
  domains: [
    { code: 'the_chat', name: 'Thể chất', standards: [{ code: 'c1', name: 'Chuẩn thử 1', indicators: [{ code: 'cs1', name: 'Chỉ số thử 1' }, { code: 'cs2', name: 'Chỉ số thử 2' }] }] },
    { code: 'nhan_thuc', name: 'Nhận thức', standards: [{ code: 'c2', name: 'Chuẩn thử 2', indicators: [{ code: 'cs3', name: 'Chỉ số thử 3' }] }] },
  ],
};

async function childIn(classId: string, dob: string, sex: 'male' | 'female') {
  const s = await freshStudent(db, F.schoolA1, 0);
  await db.updateTable('enrolment').set({ class_id: classId }).where('student_id', '=', s.id).execute();
  await db.updateTable('student').set({ current_class_id: classId, date_of_birth: dob, sex }).where('id', '=', s.id).execute();
  return s;
}

beforeAll(async () => {
  preschool = await freshClass(db, F.schoolA1, 0);
  await db.updateTable('class').set({ homeroom_teacher_id: F.teacherHomeroom, name: 'Mẫu giáo 5 tuổi Thử', age_group: '06' }).where('id', '=', preschool).execute();
  kids.bao = await childIn(preschool, '2020-03-15', 'male');
  kids.chi = await childIn(preschool, '2020-06-01', 'female');
  await db
    .insertInto('guardian')
    .values({ school_id: F.schoolA1, id: randomUUID(), student_id: kids.bao.id, relation: 'father', full_name: 'Bố của Bảo', phone: '0912000111', email: null, occupation: null, birth_year: 1988, user_id: F.users.parentA })
    .execute();
  const set = await (await ctx.as('principalA1')).put(`${base}/preschool/indicator-set`, { ...SET, version: 0 });
  expect(set.statusCode).toBe(200);
});

describe('the indicator set', () => {
  it('starts as the default set (domains only, what is missing said), and the principal saves the school’s own with a version check', async () => {
    const other = (await (await ctx.as('principalB1')).get(`/api/v1/schools/${F.schoolB1}/preschool/indicator-set`)).json<TIndicatorSet>();
    expect(other).toMatchObject({ name: 'Bộ chuẩn phát triển trẻ em 5 tuổi', version: 0, isDefault: true, counts: { domains: 6, standards: 0, indicators: 0 } });
    expect(other.problems).toContain('Lĩnh vực "Thể chất" chưa có chuẩn nào');
    const mine = (await (await ctx.as('homeroomA1')).get(`${base}/preschool/indicator-set`)).json<TIndicatorSet>();
    expect(mine).toMatchObject({ name: 'Bộ chỉ số thử', version: 1, isDefault: false, counts: { domains: 2, standards: 2, indicators: 3 }, canEdit: false });
    // A save from an old version is refused, never silently overwriting the newer set.
    const stale = await (await ctx.as('staffA1')).put(`${base}/preschool/indicator-set`, { ...SET, name: 'Cũ', version: 0 });
    expect(stale.statusCode).toBe(409);
    // Repeated codes are refused with the reason; a teacher may not edit the set.
    const dup = await (await ctx.as('principalA1')).put(`${base}/preschool/indicator-set`, { ...SET, domains: [SET.domains[0], { ...SET.domains[1], code: 'the_chat' }], version: 1 });
    expect(dup.json<{ detail: string }>().detail).toContain('Mã lĩnh vực "the_chat" bị trùng');
    expect((await (await ctx.as('homeroomA1')).put(`${base}/preschool/indicator-set`, { ...SET, version: 1 })).statusCode).toBe(404);
  });
});

describe('the development evaluation', () => {
  const url = () => `${base}/classes/${preschool}/development`;

  it('the class teacher ticks Đạt / Chưa đạt, reads them back with the per-domain summary; a stale version is a conflict', async () => {
    const teacher = await ctx.as('homeroomA1');
    const res = await teacher.put(url(), {
      evaluationPeriod: 'end_term1',
      results: [
        { studentId: kids.bao.id, indicator: 'cs1', value: 'dat', version: 0 },
        { studentId: kids.bao.id, indicator: 'cs2', value: 'dat', version: 0 },
        { studentId: kids.bao.id, indicator: 'cs3', value: 'chua_dat', version: 0 },
        { studentId: kids.chi.id, indicator: 'cs1', value: 'chua_dat', version: 0 },
        { studentId: kids.chi.id, indicator: 'nope', value: 'dat', version: 0 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const out = res.json<TSaveDevelopmentResult>();
    expect(out.saved).toHaveLength(4);
    expect(out.rejected).toEqual([{ studentId: kids.chi.id, indicator: 'nope', message: 'Không có chỉ số "nope" trong bộ chỉ số của trường.' }]);

    const sheet = (await teacher.get(`${url()}?evaluationPeriod=end_term1`)).json<TDevelopmentSheet>();
    expect(sheet).toMatchObject({ className: 'Mẫu giáo 5 tuổi Thử', periodLabel: 'Cuối học kì I', canEdit: true, readOnlyReason: null });
    const bao = sheet.rows.find((r) => r.studentId === kids.bao.id)!;
    expect(bao.fullName).toBe(kids.bao.fullName);
    expect(bao.results).toEqual({ cs1: { value: 'dat', version: 1 }, cs2: { value: 'dat', version: 1 }, cs3: { value: 'chua_dat', version: 1 } });
    expect(bao.domains).toEqual([
      { domainCode: 'the_chat', domainName: 'Thể chất', achieved: 2, total: 2, evaluated: 2, complete: true },
      { domainCode: 'nhan_thuc', domainName: 'Nhận thức', achieved: 0, total: 1, evaluated: 1, complete: true },
    ]);
    // Thể chất: Bảo achieved both, Chi is not fully evaluated; Nhận thức: Bảo did not achieve, Chi not evaluated.
    expect(sheet.summary).toEqual([
      { domainCode: 'the_chat', domainName: 'Thể chất', achieved: 1, notAchieved: 0, incomplete: 1 },
      { domainCode: 'nhan_thuc', domainName: 'Nhận thức', achieved: 0, notAchieved: 1, incomplete: 1 },
    ]);
    // The end of the year is another period: nothing there yet.
    const endYear = (await teacher.get(`${url()}?evaluationPeriod=end_year`)).json<TDevelopmentSheet>();
    expect(endYear.rows.every((r) => Object.keys(r.results).length === 0)).toBe(true);

    // The principal changes cs3 (version 1 → 2); the teacher's save from version 1 comes back as a conflict with the value that won.
    await (await ctx.as('principalA1')).put(url(), { evaluationPeriod: 'end_term1', results: [{ studentId: kids.bao.id, indicator: 'cs3', value: 'dat', version: 1 }] });
    const late = (await teacher.put(url(), { evaluationPeriod: 'end_term1', results: [{ studentId: kids.bao.id, indicator: 'cs3', value: 'chua_dat', version: 1 }] })).json<TSaveDevelopmentResult>();
    expect(late).toEqual({ saved: [], conflicts: [{ studentId: kids.bao.id, indicator: 'cs3', value: 'dat', version: 2 }], rejected: [] });
    const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'preschool.evaluate').where('org_unit_id', '=', F.schoolA1).execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('another school’s principal, a teacher who is not the class’s, and a parent are refused; an office reads, read only', async () => {
    // Refusals by role over the school answer 404, as for any place the caller may not see.
    expect((await (await ctx.as('principalB1')).get(`${url()}?evaluationPeriod=end_term1`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).put(url(), { evaluationPeriod: 'end_term1', results: [{ studentId: kids.bao.id, indicator: 'cs1', value: 'chua_dat', version: 1 }] })).statusCode).toBe(404);
    const math = await ctx.as('mathA1');
    expect((await math.get(`${url()}?evaluationPeriod=end_term1`)).statusCode).toBe(404);
    expect((await math.put(url(), { evaluationPeriod: 'end_term1', results: [{ studentId: kids.bao.id, indicator: 'cs1', value: 'chua_dat', version: 1 }] })).statusCode).toBe(404);
    expect((await (await ctx.as('parentA')).get(`${url()}?evaluationPeriod=end_term1`)).statusCode).toBe(404);
    const office = await ctx.as('soA');
    const seen = await office.get(`${url()}?evaluationPeriod=end_term1`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json<TDevelopmentSheet>()).toMatchObject({ canEdit: false });
    expect(seen.json<TDevelopmentSheet>().readOnlyReason).toContain('phòng, sở chỉ xem');
    expect((await office.put(url(), { evaluationPeriod: 'end_term1', results: [{ studentId: kids.bao.id, indicator: 'cs1', value: 'chua_dat', version: 1 }] })).statusCode).toBe(404);
    const stored = await db.selectFrom('preschool_evaluation').select('result').where('student_id', '=', kids.bao.id).where('indicator_code', '=', 'cs1').executeTakeFirst();
    expect(stored?.result).toBe('dat');
  });

  it('a class that is not a preschool class is refused in Vietnamese', async () => {
    const res = await (await ctx.as('homeroomA1')).get(`${base}/classes/${F.class6A1}/development?evaluationPeriod=end_term1`);
    expect(res.statusCode).toBe(422);
    expect(res.json<{ detail: string }>().detail).toBe('Lớp 6A1 là lớp 6, không phải lớp mầm non: đánh giá sự phát triển và cân đo chỉ dành cho các lớp mầm non.');
    const m = await (await ctx.as('homeroomA1')).put(`${base}/classes/${F.class6A1}/measurements`, { measurements: [{ studentId: F.studentAn, measuredOn: '2025-10-15', height: '140', weight: '35', version: 0 }] });
    expect(m.statusCode).toBe(422);
  });
});

describe('measurements', () => {
  const url = () => `${base}/classes/${preschool}/measurements`;

  it('a boy of 67 months, 102,0 cm and 16,0 kg: height-for-age z = −2,39, stunted (hand-checked against the WHO 2007 LMS row)', async () => {
    // WHO 2007 hfa boys, 67 months: L 1, M 113.428, S 0.04211 → (102/113.428 − 1)/0.04211 = −2.3926.
    // wfa: L −0.2653, M 19.5765, S 0.13213 → −1.57 (normal); BMI 16/1.02² = 15.38: L −0.8785, M 15.2684, S 0.08543 → +0.08 (normal).
    const res = await (await ctx.as('homeroomA1')).put(url(), { measurements: [{ studentId: kids.bao.id, measuredOn: '2025-10-15', height: '102', weight: '16,0', version: 0 }] });
    expect(res.statusCode).toBe(200);
    const out = res.json<TSaveMeasurementsResult>();
    expect(out.saved).toEqual([
      {
        studentId: kids.bao.id,
        measuredOn: '15/10/2025',
        height: '102,0',
        weight: '16,0',
        version: 1,
        age: '5 tuổi 7 tháng (67 tháng)',
        status: ['Suy dinh dưỡng thể thấp còi'],
        details: ['Cân nặng theo tuổi: Bình thường (z = −1,57)', 'Chiều cao theo tuổi: Thấp còi (z = −2,39)', 'BMI theo tuổi: Bình thường (z = +0,08)'],
      },
    ]);
    expect(await db.selectFrom('preschool_measurement').select(['height_tenths_cm', 'weight_tenths_kg']).where('student_id', '=', kids.bao.id).execute()).toEqual([{ height_tenths_cm: 1020, weight_tenths_kg: 160 }]);
    const read = (await (await ctx.as('principalA1')).get(url())).json<TClassMeasurements>();
    expect(read.rows.find((r) => r.studentId === kids.bao.id)?.measurements[0]?.status).toEqual(['Suy dinh dưỡng thể thấp còi']);
    // The same day saved again from version 0 is not a silent overwrite.
    const again = (await (await ctx.as('principalA1')).put(url(), { measurements: [{ studentId: kids.bao.id, measuredOn: '2025-10-15', height: '110', weight: '18', version: 0 }] })).json<TSaveMeasurementsResult>();
    expect(again.saved).toEqual([]);
    expect(again.conflicts.map((c) => c.studentId)).toEqual([kids.bao.id]);
  });

  it('a height that is not a number is refused naming the field by its Vietnamese label; nothing is stored', async () => {
    const res = await (await ctx.as('homeroomA1')).put(url(), { measurements: [{ studentId: kids.chi.id, measuredOn: '2025-10-15', height: '1m05', weight: '17', version: 0 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('Chiều cao (cm) thứ 1: "1m05" không phải là chiều cao; hãy nhập số cm, ví dụ 98,5.');
    const tooTall = await (await ctx.as('homeroomA1')).put(url(), { measurements: [{ studentId: kids.chi.id, measuredOn: '2025-10-15', height: '250', weight: '17', version: 0 }] });
    expect(tooTall.json<{ detail: string }>().detail).toContain('Chiều cao (cm) thứ 1: chiều cao phải từ 30,0 đến 200,0 cm ("250").');
    expect(await db.selectFrom('preschool_measurement').select('student_id').where('student_id', '=', kids.chi.id).execute()).toEqual([]);
  });

  it('a child who left the class is not measured by it after leaving (attacker review: the old class overwrote the new one’s record)', async () => {
    const stay = await db.selectFrom('enrolment').select(['start_date', 'end_date']).where('student_id', '=', kids.chi.id).executeTakeFirstOrThrow();
    await db.updateTable('enrolment').set({ end_date: '2025-11-14' }).where('student_id', '=', kids.chi.id).execute();
    try {
      const after = (await (await ctx.as('homeroomA1')).put(url(), { measurements: [{ studentId: kids.chi.id, measuredOn: '2025-12-01', height: '80', weight: '40', version: 0 }] })).json<TSaveMeasurementsResult>();
      expect(after.saved).toEqual([]);
      expect(after.rejected).toEqual([{ studentId: kids.chi.id, measuredOn: '2025-12-01', message: 'Ngày cân đo: ngày 01/12/2025 trẻ không học lớp Mẫu giáo 5 tuổi Thử; số đo ngày đó do lớp trẻ đang học ghi.' }]);
      // While the child was in the class, it measures.
      const before = (await (await ctx.as('homeroomA1')).put(url(), { measurements: [{ studentId: kids.chi.id, measuredOn: '2025-11-14', height: '105', weight: '17', version: 0 }] })).json<TSaveMeasurementsResult>();
      expect(before.saved.map((m) => m.measuredOn)).toEqual(['14/11/2025']);
    } finally {
      await db.updateTable('enrolment').set({ end_date: stay.end_date }).where('student_id', '=', kids.chi.id).execute();
      await db.deleteFrom('preschool_measurement').where('student_id', '=', kids.chi.id).execute();
    }
  });
});

describe('the family', () => {
  it('a parent reads their own child’s evaluation and measurements, and not another child’s', async () => {
    const parent = await ctx.as('parentA');
    const own = await parent.get(`${base}/students/${kids.bao.id}/development`);
    expect(own.statusCode).toBe(200);
    const body = own.json<TFamilyDevelopment>();
    expect(body.fullName).toBe(kids.bao.fullName);
    expect(body.isPreschool).toBe(true);
    expect(body.periods).toEqual([
      {
        periodLabel: 'Cuối học kì I năm học 2025-2026 (lớp Mẫu giáo 5 tuổi Thử)',
        complete: true,
        domains: [
          { domainName: 'Thể chất', text: 'Đạt', notAchieved: [] },
          { domainName: 'Nhận thức', text: 'Đạt', notAchieved: [] },
        ],
      },
    ]);
    expect(body.measurements.map((m) => m.status)).toEqual([['Suy dinh dưỡng thể thấp còi']]);
    // A period under way: a domain not fully evaluated says so, one with a Chưa đạt names the indicator in words.
    await (await ctx.as('homeroomA1')).put(`${base}/classes/${preschool}/development`, {
      evaluationPeriod: 'end_year',
      results: [
        { studentId: kids.bao.id, indicator: 'cs1', value: 'dat', version: 0 },
        { studentId: kids.bao.id, indicator: 'cs2', value: 'chua_dat', version: 0 },
      ],
    });
    const later = (await parent.get(`${base}/students/${kids.bao.id}/development`)).json<TFamilyDevelopment>();
    expect(later.periods[1]).toEqual({
      periodLabel: 'Cuối năm học 2025-2026 (lớp Mẫu giáo 5 tuổi Thử)',
      complete: false,
      domains: [
        { domainName: 'Thể chất', text: 'Chưa đạt', notAchieved: ['Chỉ số thử 2'] },
        { domainName: 'Nhận thức', text: 'Chưa đánh giá xong (đã đánh giá 0/1 chỉ số)', notAchieved: [] },
      ],
    });
    // A child of grade 6 is no preschool child: the family's screen leaves this part out.
    const an = (await parent.get(`${base}/students/${F.studentAn}/development`)).json<TFamilyDevelopment>();
    expect(an).toMatchObject({ isPreschool: false, periods: [], measurements: [] });
    const other = await parent.get(`${base}/students/${kids.chi.id}/development`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain(kids.chi.fullName);
  });
});
