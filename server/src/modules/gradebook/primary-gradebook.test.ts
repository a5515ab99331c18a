import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TGradebook, TQualityRatings, TSaveGradebookResult, TSaveQualityRatingsResult } from '../../../../contracts/gradebook.js';
import type { TJob } from '../../../../contracts/jobs.js';
import type { TClassResults, TCloseSummary, TFamilyResults } from '../../../../contracts/results.js';
import { CURRICULUM, QUALITY_CODES, periodicTestRequired } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { primaryClass, studentIn } from './gradebook.test-helpers.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { multipartWith } from '../../../test/signing-upload.js';
import { identity, pkcs12 } from '../../../test/test-certificates.js';
import { verifyPdfSignature } from '../../platform/pdf-sign.js';

// The primary gradebook (TT27/2020) through the API. The fixture's accounts are in school A1, so
// the primary classes are made there (a THCS in the fixture; the gradebook follows the class's
// grade, not the school's level): 1P (grade 1) and 4P (grade 4), homeroom homeroomA1, Toán and
// Tiếng Việt taught by mathA1 in both terms.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const gridUrl = (classId: string, subject: string) => `/api/v1/schools/${F.schoolA1}/classes/${classId}/gradebook/${subject}`;

let class1: string;
let class4: string;
const kids: Record<string, { id: string; fullName: string }> = {};

beforeAll(async () => {
  class1 = await primaryClass(db, 1);
  class4 = await primaryClass(db, 4);
  kids.lan = await studentIn(db, class1, 1);
  kids.mai = await studentIn(db, class4, 4);
  kids.nga = await studentIn(db, class4, 4);
  kids.oanh = await studentIn(db, class4, 4);
  kids.phuong = await studentIn(db, class4, 4);
  kids.quan = await studentIn(db, class4, 4);
});

const save = async (who: 'mathA1' | 'homeroomA1' | 'principalA1', url: string, cells: Array<{ studentId: string; column: string; value: string | null; version: number }>, term = 1) =>
  (await ctx.as(who)).put(`${url}/cells`, { term, cells });

describe('the primary grid (TT27/2020 Điều 7)', () => {
  it('grade 1 Toán: level and comment at mid-term I, a test only at the end of term I; grade 4 also sits the mid-term test (Điều 7 khoản 2)', async () => {
    const g1 = (await (await ctx.as('mathA1')).get(`${gridUrl(class1, 'toan')}?term=1`)).json<TGradebook>();
    expect(g1).toMatchObject({ ruleSet: 'tt27_2020', ruleSetLabel: 'Thông tư 27/2020/TT-BGDĐT', requiredRegular: 0, state: 'open' });
    expect(g1.columns.map((c) => `${c.key}:${c.kind}:${c.checkpoint}`)).toEqual([
      'gk_muc:subject_level:mid_term1',
      'gk_nx:comment:mid_term1',
      'ck_muc:subject_level:end_term1',
      'ck_kt:test_score:end_term1',
      'ck_nx:comment:end_term1',
    ]);
    const g4 = (await (await ctx.as('mathA1')).get(`${gridUrl(class4, 'tieng_viet')}?term=2`)).json<TGradebook>();
    expect(g4.columns.map((c) => `${c.key}:${c.checkpoint}`)).toEqual(['gk_muc:mid_term2', 'gk_kt:mid_term2', 'gk_nx:mid_term2', 'ck_muc:end_year', 'ck_kt:end_year', 'ck_nx:end_year']);
    expect(g4.columns.find((c) => c.key === 'gk_kt')?.title).toBe('Điểm kiểm tra định kì giữa học kì II');
    // A subject without periodic tests (Đạo đức) has levels and comments only.
    const dd = (await (await ctx.as('principalA1')).get(`${gridUrl(class4, 'dao_duc')}?term=1`)).json<TGradebook>();
    expect(dd.columns.map((c) => c.key)).toEqual(['gk_muc', 'gk_nx', 'ck_muc', 'ck_nx']);
  });

  it('a periodic test score is a whole number 1–10: 0, 11 and 7,5 refused with the reason, 7 saved (Điều 7 khoản 2)', async () => {
    const url = gridUrl(class4, 'toan');
    const res = await save('mathA1', url, [
      { studentId: kids.mai.id, column: 'gk_kt', value: '0', version: 0 },
      { studentId: kids.nga.id, column: 'gk_kt', value: '11', version: 0 },
      { studentId: kids.oanh.id, column: 'gk_kt', value: '7,5', version: 0 },
      { studentId: kids.phuong.id, column: 'gk_kt', value: '7', version: 0 },
    ]);
    expect(res.statusCode).toBe(200);
    const out = res.json<TSaveGradebookResult>();
    expect(out.saved).toEqual([{ studentId: kids.phuong.id, column: 'gk_kt', value: '7', version: 1 }]);
    expect(out.rejected.map((r) => r.message)).toEqual([
      'Điểm kiểm tra định kì giữa học kì I: Điểm kiểm tra định kì là số nguyên từ 1 đến 10, không cho điểm 0 ("0").',
      'Điểm kiểm tra định kì giữa học kì I: Điểm kiểm tra định kì là số nguyên từ 1 đến 10, cao nhất là 10 ("11").',
      'Điểm kiểm tra định kì giữa học kì I: Điểm kiểm tra định kì là số nguyên từ 1 đến 10, không có phần thập phân ("7,5").',
    ]);
    const stored = await db.selectFrom('gradebook_cell').select(['student_id', 'score_tenths']).where('class_id', '=', class4).where('column_key', '=', 'gk_kt').execute();
    expect(stored).toEqual([{ student_id: kids.phuong.id, score_tenths: 70 }]);
  });

  it('levels typed as T / H / C or in words come back as T / H / C, with the row summary', async () => {
    const url = gridUrl(class4, 'toan');
    const res = await save('mathA1', url, [
      { studentId: kids.mai.id, column: 'ck_muc', value: 'Hoàn thành tốt', version: 0 },
      { studentId: kids.mai.id, column: 'ck_kt', value: '9', version: 0 },
      { studentId: kids.nga.id, column: 'ck_muc', value: 'h', version: 0 },
      { studentId: kids.oanh.id, column: 'ck_muc', value: 'C', version: 0 },
      { studentId: kids.oanh.id, column: 'ck_nx', value: 'Em cần luyện thêm phép chia.', version: 0 },
      { studentId: kids.phuong.id, column: 'ck_muc', value: 'Đạt', version: 0 },
    ]);
    const out = res.json<TSaveGradebookResult>();
    expect(out.saved.map((s) => `${s.column}=${s.value}`)).toEqual(['ck_muc=T', 'ck_kt=9', 'ck_muc=H', 'ck_muc=C', 'ck_nx=Em cần luyện thêm phép chia.']);
    expect(out.rejected).toEqual([
      { studentId: kids.phuong.id, column: 'ck_muc', message: 'Mức đạt được cuối học kì I: "Đạt" không phải mức đánh giá; hãy nhập T (Hoàn thành tốt), H (Hoàn thành) hoặc C (Chưa hoàn thành).' },
    ]);
    expect(out.summaries.find((s) => s.studentId === kids.mai.id)).toEqual({ studentId: kids.mai.id, summary: 'Hoàn thành tốt (9)', summaryMissing: [] });
    expect(out.summaries.find((s) => s.studentId === kids.nga.id)).toEqual({ studentId: kids.nga.id, summary: 'Chưa đủ điều kiện xếp loại', summaryMissing: ['thiếu điểm kiểm tra định kì cuối học kì I'] });
    const g = (await (await ctx.as('homeroomA1')).get(`${url}?term=1`)).json<TGradebook>();
    const row = (id: string) => g.rows.find((r) => r.studentId === id);
    expect(row(kids.mai.id)?.cells.ck_muc).toEqual({ value: 'T', version: 1, correctedFrom: null });
    expect(row(kids.nga.id)?.cells.ck_muc?.value).toBe('H');
    expect(row(kids.oanh.id)?.cells.ck_muc?.value).toBe('C');
    expect(await db.selectFrom('gradebook_cell').select('subject_level').where('student_id', '=', kids.mai.id).where('column_key', '=', 'ck_muc').executeTakeFirst()).toEqual({ subject_level: 'hoan_thanh_tot' });
  });

  it('a primary grid refuses TT22 marks, and a TT22 grid refuses primary columns', async () => {
    const primary = await save('mathA1', gridUrl(class4, 'toan'), [{ studentId: kids.mai.id, column: 'tx1', value: '8', version: 0 }]);
    expect(primary.json<TSaveGradebookResult>().rejected[0]?.message).toMatch(/^Lớp 4X\d+ đánh giá theo Thông tư 27\/2020\/TT-BGDĐT \(tiểu học\): không nhập điểm TX1 của Thông tư 22/);
    const secondary = await save('mathA1', gridUrl(F.class6A2, 'toan'), [{ studentId: F.studentCuong, column: 'ck_muc', value: 'T', version: 0 }]);
    expect(secondary.json<TSaveGradebookResult>().rejected[0]?.message).toBe('Lớp 6A2 đánh giá theo Thông tư 22/2021/TT-BGDĐT: sổ điểm không có cột ck_muc của tiểu học.');
    expect(await db.selectFrom('gradebook_cell').select('column_key').where('column_key', 'in', ['tx1', 'ck_muc']).where('student_id', 'in', [kids.mai.id, F.studentCuong]).where('column_key', '=', 'tx1').execute()).toEqual([]);
    // Storage refuses them too: a primary key outside the list, a level and a mark in one cell.
    await expect(sql`insert into gradebook_cell (school_id, class_id, subject_code, term, student_id, column_key, subject_level) values (${F.schoolA1}, ${class4}, 'toan', 1, ${kids.mai.id}, 'gk_xx', 'hoan_thanh')`.execute(db)).rejects.toThrow(/column_key_check/);
    await expect(sql`update gradebook_cell set score_tenths = 80 where student_id = ${kids.mai.id} and column_key = 'ck_muc'`.execute(db)).rejects.toThrow(/one_value/);
  });

  it('the school\'s other staff read it, a teacher of another school does not (404); the .xlsx export writes its columns', async () => {
    expect((await (await ctx.as('principalB1')).get(`${gridUrl(class4, 'toan')}?term=1`)).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).put(`${gridUrl(class4, 'toan')}/cells`, { term: 1, cells: [{ studentId: kids.mai.id, column: 'ck_muc', value: 'C', version: 1 }] })).statusCode).toBe(404);
    expect((await (await ctx.as('principalA1')).get(`${gridUrl(class4, 'toan')}?term=1`)).statusCode).toBe(200);
    // The .xlsx export writes the primary columns as the grid does.
    const xlsx = await (await ctx.as('mathA1')).get(`${gridUrl(class4, 'toan')}/export.xlsx?term=1`);
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => xlsxCellText(v));
    expect(header.slice(4, 10)).toEqual(['Mức GKI', 'KT GKI', 'Nhận xét GKI', 'Mức CKI', 'KT CKI', 'Nhận xét CKI']);
  });

  it('submit → review → lock as in TT22; a locked primary grid refuses changes through the API and below it', async () => {
    const url = gridUrl(class4, 'toan');
    const step = (who: 'mathA1' | 'homeroomA1' | 'principalA1', action: string) => ctx.as(who).then((s) => s.post(`${url}/state`, { term: 1, action }));
    expect((await step('mathA1', 'submit')).json<TGradebook>().state).toBe('submitted');
    expect((await step('homeroomA1', 'review')).json<TGradebook>().state).toBe('reviewed');
    expect((await step('principalA1', 'lock')).json<TGradebook>().state).toBe('locked');
    const refused = await save('mathA1', url, [{ studentId: kids.mai.id, column: 'ck_muc', value: 'H', version: 1 }]);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'gradebook_not_open' });
    await expect(sql`update gradebook_cell set subject_level = 'hoan_thanh' where student_id = ${kids.mai.id} and column_key = 'ck_muc'`.execute(db)).rejects.toThrow(/gradebook_locked/);
    expect(await db.selectFrom('gradebook_cell').select('subject_level').where('student_id', '=', kids.mai.id).where('column_key', '=', 'ck_muc').executeTakeFirst()).toEqual({ subject_level: 'hoan_thanh_tot' });
  });
});

const qualitiesUrl = (classId: string) => `/api/v1/schools/${F.schoolA1}/classes/${classId}/qualities`;

describe('qualities and competencies (TT27 Điều 7: Tốt / Đạt / Cần cố gắng by the homeroom teacher)', () => {
  it('the homeroom teacher rates at a checkpoint; letters or words, versions, bad values refused', async () => {
    const s = await ctx.as('homeroomA1');
    const sheet = (await s.get(`${qualitiesUrl(class4)}?checkpoint=end_year`)).json<TQualityRatings>();
    expect(sheet).toMatchObject({ checkpoint: 'end_year', checkpointLabel: 'Cuối năm học', state: 'open', actions: { edit: true, lock: false } });
    expect(sheet.qualities).toHaveLength(15);
    expect(sheet.qualities[0]).toEqual({ code: 'pc_yeu_nuoc', name: 'Yêu nước', groupLabel: 'Phẩm chất chủ yếu' });
    expect(sheet.rows.find((r) => r.studentId === kids.mai.id)?.missing[0]).toBe('Phẩm chất yêu nước: chưa có mức đánh giá cuối năm học');
    const res = await s.put(qualitiesUrl(class4), {
      checkpoint: 'end_year',
      ratings: [
        { studentId: kids.oanh.id, quality: 'pc_yeu_nuoc', value: 'Tốt', version: 0 },
        { studentId: kids.oanh.id, quality: 'nlc_tu_chu_tu_hoc', value: 'Đ', version: 0 },
        { studentId: kids.oanh.id, quality: 'nldt_tinh_toan', value: 'Khá', version: 0 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const out = res.json<TSaveQualityRatingsResult>();
    expect(out.saved).toEqual([
      { studentId: kids.oanh.id, quality: 'pc_yeu_nuoc', value: 'Tốt', version: 1 },
      { studentId: kids.oanh.id, quality: 'nlc_tu_chu_tu_hoc', value: 'Đạt', version: 1 },
    ]);
    expect(out.rejected).toEqual([{ studentId: kids.oanh.id, quality: 'nldt_tinh_toan', message: 'Năng lực tính toán: "Khá" không phải mức đánh giá; hãy nhập T (Tốt), Đ (Đạt) hoặc C (Cần cố gắng).' }]);
    // A second writer who read version 0 does not overwrite the rating.
    const late = (await s.put(qualitiesUrl(class4), { checkpoint: 'end_year', ratings: [{ studentId: kids.oanh.id, quality: 'pc_yeu_nuoc', value: 'C', version: 0 }] })).json<TSaveQualityRatingsResult>();
    expect(late.conflicts).toEqual([{ studentId: kids.oanh.id, quality: 'pc_yeu_nuoc', value: 'Tốt', version: 1 }]);
  });

  it('a subject teacher who is not the homeroom teacher, and another school, cannot read or rate; a secondary class has no such sheet', async () => {
    expect((await (await ctx.as('mathA1')).get(`${qualitiesUrl(class4)}?checkpoint=end_year`)).statusCode).toBe(404);
    expect((await (await ctx.as('mathA1')).put(qualitiesUrl(class4), { checkpoint: 'end_year', ratings: [{ studentId: kids.mai.id, quality: 'pc_yeu_nuoc', value: 'C', version: 0 }] })).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).get(`${qualitiesUrl(class4)}?checkpoint=end_year`)).statusCode).toBe(404);
    expect((await (await ctx.as('staffA1')).put(qualitiesUrl(class4), { checkpoint: 'end_year', ratings: [{ studentId: kids.mai.id, quality: 'pc_yeu_nuoc', value: 'C', version: 0 }] })).json()).toMatchObject({ code: 'qualities_not_homeroom' });
    const secondary = await (await ctx.as('homeroomA1')).get(`${qualitiesUrl(F.class6A1)}?checkpoint=end_year`);
    expect(secondary.statusCode).toBe(422);
    expect(secondary.json()).toMatchObject({ code: 'gradebook_rule_set_unsupported' });
  });

  it('the principal locks a checkpoint (the homeroom teacher cannot); locked ratings refuse changes, below the API too; unlocking needs a reason', async () => {
    const home = await ctx.as('homeroomA1');
    const boss = await ctx.as('principalA1');
    expect((await home.post(`${qualitiesUrl(class4)}/state`, { checkpoint: 'mid_term2', action: 'lock' })).json()).toMatchObject({ code: 'qualities_action_forbidden' });
    await home.put(qualitiesUrl(class4), { checkpoint: 'mid_term2', ratings: [{ studentId: kids.mai.id, quality: 'pc_nhan_ai', value: 'T', version: 0 }] });
    expect((await boss.post(`${qualitiesUrl(class4)}/state`, { checkpoint: 'mid_term2', action: 'lock' })).json<TQualityRatings>()).toMatchObject({ state: 'locked', actions: { edit: false, unlock: true } });
    const refused = await home.put(qualitiesUrl(class4), { checkpoint: 'mid_term2', ratings: [{ studentId: kids.mai.id, quality: 'pc_nhan_ai', value: 'C', version: 1 }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'gradebook_not_open' });
    await expect(sql`update quality_rating set level = 'can_co_gang' where student_id = ${kids.mai.id} and checkpoint = 'mid_term2'`.execute(db)).rejects.toThrow(/gradebook_locked/);
    // Other checkpoints stay open.
    expect((await home.get(`${qualitiesUrl(class4)}?checkpoint=end_year`)).json<TQualityRatings>().state).toBe('open');
    expect((await boss.post(`${qualitiesUrl(class4)}/state`, { checkpoint: 'mid_term2', action: 'unlock' })).statusCode).toBe(400);
    expect((await boss.post(`${qualitiesUrl(class4)}/state`, { checkpoint: 'mid_term2', action: 'unlock', reason: 'Đánh giá nhầm em Mai' })).json<TQualityRatings>()).toMatchObject({ state: 'open', unlockReason: 'Đánh giá nhầm em Mai' });
    const audit = await db.selectFrom('audit_log').select(['action', 'target_label']).where('entity_id', 'like', `${class4}:qualities:%`).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['gradebook.lock', 'gradebook.unlock']);
    expect(audit[0]?.target_label).toMatch(/^Phẩm chất, năng lực — 4X\d+ \(2025-2026\), giữa học kì II$/);
  });
});

/** Every grade-4 subject's end-of-year level (T unless `levels` says) and test (9 unless `tests` says; `null` leaves it out). */
async function fillEndOfYear(studentId: string, levels: Record<string, 'hoan_thanh_tot' | 'hoan_thanh' | 'chua_hoan_thanh'> = {}, tests: Record<string, number | null> = {}) {
  const rows = CURRICULUM.filter((c) => c.grade === 4).flatMap((c) => {
    const level = { school_id: F.schoolA1, class_id: class4, subject_code: c.subjectCode, term: 2, student_id: studentId, column_key: 'ck_muc', subject_level: levels[c.subjectCode] ?? ('hoan_thanh_tot' as const) };
    if (!periodicTestRequired(4, c.subjectCode, 'end_year')) return [level];
    const t = c.subjectCode in tests ? tests[c.subjectCode] : 90;
    return t === null ? [level] : [level, { school_id: F.schoolA1, class_id: class4, subject_code: c.subjectCode, term: 2, student_id: studentId, column_key: 'ck_kt', score_tenths: t }];
  });
  await db.insertInto('gradebook_cell').values(rows).execute();
}

async function rateAll(studentId: string, levels: Record<string, 'tot' | 'dat' | 'can_co_gang'> = {}) {
  await db.deleteFrom('quality_rating').where('student_id', '=', studentId).where('checkpoint', '=', 'end_year').execute();
  await db
    .insertInto('quality_rating')
    .values(QUALITY_CODES.map((code) => ({ school_id: F.schoolA1, class_id: class4, checkpoint: 'end_year' as const, student_id: studentId, quality_code: code, level: levels[code] ?? ('tot' as const) })))
    .execute();
}

describe('the year close of a primary class (TT27 Điều 9, 11, 13)', () => {
  it('computes the hand-checked outcomes and awards, and "chưa đủ điều kiện" with the reason when a test is missing', async () => {
    // Mai: every subject T, every quality Tốt, every end-of-year test 9 → Hoàn thành xuất sắc, Học sinh Xuất sắc.
    await fillEndOfYear(kids.mai.id);
    await rateAll(kids.mai.id);
    // Nga: the same with Toán's test 8 (≥ 7, < 9) → Hoàn thành tốt, no award (Tiêu biểu needs the class's recognition).
    await fillEndOfYear(kids.nga.id, {}, { toan: 80 });
    await rateAll(kids.nga.id);
    // Oanh: Âm nhạc H, Trách nhiệm Đạt, Khoa học's test 5 → Hoàn thành.
    await fillEndOfYear(kids.oanh.id, { am_nhac: 'hoan_thanh' }, { khoa_hoc: 50 });
    await rateAll(kids.oanh.id, { pc_trach_nhiem: 'dat' });
    // Phương: Toán C → Chưa hoàn thành (support, then re-assessment: Điều 11).
    await fillEndOfYear(kids.phuong.id, { toan: 'chua_hoan_thanh' });
    await rateAll(kids.phuong.id);
    // Quân: Khoa học's end-of-year test not entered → no outcome, the reason instead.
    await fillEndOfYear(kids.quan.id, {}, { khoa_hoc: null });
    await rateAll(kids.quan.id);

    const close = await (await ctx.as('principalA1')).post(`/api/v1/schools/${F.schoolA1}/results/close`, { year: 2025, period: 'cn' });
    expect(close.statusCode).toBe(200);
    const summary = close.json<TCloseSummary>();
    expect(summary.outcomes).toEqual({ hoan_thanh_xuat_sac: 1, hoan_thanh_tot: 1, hoan_thanh: 1, chua_hoan_thanh: 1 });
    expect(summary.skippedClasses).toEqual([]);

    const res = await (await ctx.as('homeroomA1')).get(`/api/v1/schools/${F.schoolA1}/classes/${class4}/results?period=cn`);
    expect(res.statusCode).toBe(200);
    const r = res.json<TClassResults>();
    expect(r.ruleSet).toBe('tt27_2020');
    expect(r.qualities).toHaveLength(15);
    const of = (id: string) => r.students.find((s) => s.studentId === id)!;
    expect(of(kids.mai.id)).toMatchObject({ outcome: 'Hoàn thành xuất sắc', award: 'Học sinh Xuất sắc', completion: 'Hoàn thành chương trình lớp học', missing: [], learning: null });
    expect(of(kids.mai.id).marks).toMatchObject({ toan: 'T (9)', dao_duc: 'T', khoa_hoc: 'T (9)' });
    expect(of(kids.mai.id).qualities.pc_yeu_nuoc).toBe('Tốt');
    expect(of(kids.nga.id)).toMatchObject({ outcome: 'Hoàn thành tốt', award: null, missing: [] });
    expect(of(kids.oanh.id)).toMatchObject({ outcome: 'Hoàn thành', award: null });
    expect(of(kids.oanh.id).marks).toMatchObject({ am_nhac: 'H', khoa_hoc: 'T (5)' });
    expect(of(kids.oanh.id).qualities.pc_trach_nhiem).toBe('Đạt');
    expect(of(kids.phuong.id)).toMatchObject({ outcome: 'Chưa hoàn thành', completion: 'Chưa hoàn thành: chờ giúp đỡ, đánh giá bổ sung', award: null });
    expect(of(kids.quan.id)).toMatchObject({ outcome: 'Chưa đủ điều kiện xếp loại', award: null, completion: null, missing: ['Khoa học: thiếu điểm bài kiểm tra định kì cuối năm học'] });
    expect(r.lists.excellent.map((s) => s.studentId)).toEqual([kids.mai.id]);
    // Grade 1 (Lan): nothing entered at the end of the year → no outcome, every missing entry named.
    const g1 = (await (await ctx.as('principalA1')).get(`/api/v1/schools/${F.schoolA1}/classes/${class1}/results?period=cn`)).json<TClassResults>();
    const lan = g1.students.find((s) => s.studentId === kids.lan.id)!;
    expect(lan.outcome).toBe('Chưa đủ điều kiện xếp loại');
    expect(lan.missing).toContain('Toán: chưa có mức đánh giá cuối năm học');
    expect(lan.missing).toContain('Toán: thiếu điểm bài kiểm tra định kì cuối năm học');
    expect(lan.missing).toContain('Phẩm chất yêu nước: chưa có mức đánh giá cuối năm học');
    // Stored as computed: the outcome column and per subject the level and test.
    expect(await db.selectFrom('student_result').select(['primary_outcome', 'award']).where('student_id', '=', kids.mai.id).where('period', '=', 'cn').executeTakeFirst()).toEqual({ primary_outcome: 'hoan_thanh_xuat_sac', award: 'xuat_sac' });
    expect(await db.selectFrom('subject_result').select(['subject_level', 'test_tenths']).where('student_id', '=', kids.nga.id).where('period', '=', 'cn').where('subject_code', '=', 'toan').executeTakeFirst()).toEqual({ subject_level: 'hoan_thanh_tot', test_tenths: 80 });
  });

  it('another school cannot read the class\'s results; a subject teacher who is not its homeroom teacher neither', async () => {
    expect([403, 404]).toContain((await (await ctx.as('principalB1')).get(`/api/v1/schools/${F.schoolA1}/classes/${class4}/results?period=cn`)).statusCode);
    expect((await (await ctx.as('mathA1')).get(`/api/v1/schools/${F.schoolA1}/classes/${class4}/results?period=cn`)).statusCode).toBe(404);
  });

  it('a parent reads their child\'s outcome only once the school publishes the year\'s results', async () => {
    // parentA becomes Mai's guardian (the fixture's parent accounts are secondary families).
    await db.insertInto('guardian').values({ school_id: F.schoolA1, id: randomUUID(), student_id: kids.mai.id, relation: 'mother', full_name: 'Mẹ em Mai', phone: null, email: null, occupation: null, birth_year: 1988, user_id: F.users.parentA }).execute();
    const family = `/api/v1/schools/${F.schoolA1}/students/${kids.mai.id}/results?year=2025`;
    const before = await (await ctx.as('parentA')).get(family);
    expect(before.statusCode).toBe(200);
    expect(before.json<TFamilyResults>().results).toEqual([]);
    expect((await (await ctx.as('parentC')).get(family)).statusCode).toBe(404); // not their child
    const pub = await (await ctx.as('homeroomA1')).put(`/api/v1/schools/${F.schoolA1}/classes/${class4}/results/publication`, { year: 2025, period: 'cn', published: true });
    expect(pub.statusCode).toBe(200);
    const after = (await (await ctx.as('parentA')).get(family)).json<TFamilyResults>();
    expect(after.results).toEqual([expect.objectContaining({ periodLabel: 'Cả năm', outcome: 'Hoàn thành xuất sắc', award: 'Học sinh Xuất sắc', learning: null })]);
  });

  it('a primary grid\'s columns are published by its teacher; the family sees those only, levels in words', async () => {
    await db
      .insertInto('gradebook_cell')
      .values({ school_id: F.schoolA1, class_id: class4, subject_code: 'toan', term: 2, student_id: kids.mai.id, column_key: 'ck_nx', comment: 'Em tính nhanh, trình bày sạch.' })
      .execute();
    const pub = await (await ctx.as('mathA1')).put(`${gridUrl(class4, 'toan')}/publication`, { term: 2, columns: ['ck_muc', 'ck_kt', 'ck_nx'], published: true });
    expect(pub.statusCode).toBe(200);
    const family = (await (await ctx.as('parentA')).get(`/api/v1/schools/${F.schoolA1}/students/${kids.mai.id}/results?year=2025`)).json<TFamilyResults>();
    expect(family.subjects).toEqual([
      {
        subjectName: 'Toán',
        terms: [
          {
            term: 2,
            marks: [
              { label: 'Cuối kì — mức đạt được', value: 'Hoàn thành tốt' },
              { label: 'Cuối kì — điểm kiểm tra định kì', value: '9' },
            ],
            comment: 'Cuối kì: Em tính nhanh, trình bày sạch.',
          },
        ],
      },
    ]);
  });
});

const school = `/api/v1/schools/${F.schoolA1}`;
const bookText = async (pdf: Buffer | Uint8Array) => (await pdfPageTexts(Buffer.from(pdf))).join('\n');

describe('the primary học bạ (TT27/2020) from the stored year close, through every path that prints a book', () => {
  it("the single PDF: a grade-4 pupil gets the primary book with her own levels, tests, qualities, outcome and register number", async () => {
    await db.updateTable('student').set({ register_number: '58/TH' }).where('id', '=', kids.oanh.id).execute();
    const res = await (await ctx.as('homeroomA1')).get(`${school}/students/${kids.oanh.id}/hoc-ba.pdf`);
    expect(res.statusCode).toBe(200);
    const text = await bookText(res.rawPayload);
    for (const want of ['TIỂU HỌC', 'Số đăng bộ: 58/TH', kids.oanh.fullName, '2025-2026', 'NHỮNG PHẨM CHẤT CHỦ YẾU VÀ NĂNG LỰC CỐT LÕI', 'Hoàn thành chương trình lớp học']) expect(text, want).toContain(want);
    expect(text).not.toContain('TRUNG HỌC CƠ SỞ');
    // Oanh's own record: Âm nhạc H, Khoa học T with test 5, Trách nhiệm Đạt, the outcome Hoàn thành (not Mai's).
    expect(text).toMatch(/Âm nhạc\s+H\b/);
    expect(text).toMatch(/Khoa học\s+T\s+5\b/);
    expect(text).toMatch(/Trách nhiệm\s+Đạt/);
    expect(text).toMatch(/Kết quả giáo dục\s+Hoàn thành\s/);
    expect(text).not.toContain('Hoàn thành xuất sắc');
    expect(text).not.toContain('Học sinh Xuất sắc');
  });

  it('the best pupil prints her award and her teacher\'s end-of-year comment; an incomplete record prints empty cells, never a level', async () => {
    const mai = await bookText((await (await ctx.as('principalA1')).get(`${school}/students/${kids.mai.id}/hoc-ba.pdf`)).rawPayload);
    for (const want of ['Hoàn thành xuất sắc', 'Học sinh Xuất sắc', 'Em tính nhanh, trình bày sạch.']) expect(mai, want).toContain(want);
    expect(mai).toMatch(/Toán\s+T\s+9\b/);
    const quan = await bookText((await (await ctx.as('principalA1')).get(`${school}/students/${kids.quan.id}/hoc-ba.pdf`)).rawPayload);
    expect(quan).toContain(kids.quan.fullName);
    expect(quan).toMatch(/Kết quả giáo dục\s+Tổng số buổi nghỉ/);
    expect(quan).not.toMatch(/Hoàn thành chương trình lớp học/);
  });

  it('the school batch on worker threads: primary pupils get the primary book, a TT22 student of the same school the TT22 book', async () => {
    process.env.TRUONGSO_RENDER_WORKERS = '2';
    process.env.TRUONGSO_RENDER_WORKERS_MIN_BOOKS = '1';
    try {
      const p = await ctx.as('principalA1');
      const started = await p.post(`${school}/hoc-ba/batches`, {});
      expect(started.statusCode).toBe(202);
      let job = started.json<TJob>();
      for (let i = 0; i < 600 && job.state !== 'done' && job.state !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
        job = (await p.get(`/api/v1/org-units/${F.schoolA1}/jobs/${job.id}`)).json<TJob>();
      }
      expect(job.state).toBe('done');
      const files = unzipSync(new Uint8Array((await p.get(`/api/v1/org-units/${F.schoolA1}/jobs/${job.id}/files.zip`)).rawPayload));
      const fileOf = (fullName: string) => Object.keys(files).find((f) => f.endsWith(`/${fullName}.pdf`))!;
      const oanh = await bookText(files[fileOf(kids.oanh.fullName)]!);
      expect(oanh).toContain('HỌC BẠ TIỂU HỌC');
      expect(oanh).toMatch(/Khoa học\s+T\s+5\b/);
      const an = await bookText(files['6A1/Nguyễn Văn An.pdf']!);
      expect(an).toContain('HỌC BẠ TRUNG HỌC CƠ SỞ');
      expect(an).not.toContain('TIỂU HỌC');
      expect(an).not.toContain('NHỮNG PHẨM CHẤT');
    } finally {
      delete process.env.TRUONGSO_RENDER_WORKERS;
      delete process.env.TRUONGSO_RENDER_WORKERS_MIN_BOOKS;
    }
  });

  it('the principal signs the primary class in one .zip (and one book alone): each verifies and is the primary book', async () => {
    const cert = identity('Trường TH Lê Lợi', { serial: '31', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 365 * 86_400_000) });
    const s = await ctx.as('principalA1');
    const post = (url: string) => {
      const m = multipartWith(pkcs12(cert, [], 'mật khẩu thử'), 'mật khẩu thử');
      return ctx.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
    };
    const zip = await post(`${school}/classes/${class4}/hoc-ba/signed.zip`);
    expect(zip.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(zip.rawPayload));
    expect(Object.keys(files)).toHaveLength(5);
    for (const body of Object.values(files)) {
      expect(verifyPdfSignature(Buffer.from(body))).toMatchObject({ valid: true, coversWholeFile: true });
      expect(await bookText(body)).toContain('HỌC BẠ TIỂU HỌC');
    }
    const one = await post(`${school}/students/${kids.oanh.id}/hoc-ba/signed.pdf`);
    expect(one.statusCode).toBe(200);
    expect(verifyPdfSignature(one.rawPayload).valid).toBe(true);
    expect(await bookText(one.rawPayload)).toMatch(/Khoa học\s+T\s+5\b/);
  });
});

/** A cell by the student's name (column B), the group header (row 6) and the column under it (row 7). */
function summaryCell(ws: ExcelJS.Worksheet, name: string, group: string, sub?: string): string {
  let row = 0;
  ws.eachRow((r, n) => {
    if (n > 7 && r.getCell(2).value === name) row = n;
  });
  let col = 0;
  ws.getRow(6).eachCell((c, n) => {
    if (!col && c.value === group) col = n;
  });
  if (sub) {
    const start = col;
    col = 0;
    for (let c = start; c < start + 10 && !col; c++) if (ws.getRow(7).getCell(c).value === sub) col = c;
  }
  if (!row || !col) throw new Error(`no cell for ${name} × ${group}/${sub} (row ${row}, col ${col})`);
  return xlsxCellText(ws.getRow(row).getCell(col).value);
}

describe('the primary class table (bảng tổng hợp kết quả đánh giá giáo dục của lớp, TT27) as .xlsx', () => {
  it('a sheet per checkpoint: mid-terms from the grid and ratings as entered, the year from the stored close — each pupil\'s own values', async () => {
    const res = await (await ctx.as('homeroomA1')).get(`${school}/classes/${class4}/results/summary.xlsx?year=${F.year}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain('Bảng tổng hợp kết quả đánh giá giáo dục');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Giữa học kì I', 'Cuối học kì I', 'Giữa học kì II', 'Cuối năm học']);
    const [mid1, end1, mid2, year] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(year.getCell(2, 1).value).toBe('BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ GIÁO DỤC CỦA LỚP');
    // Mid-term I: Phương's Toán test 7 as entered in the grid (grade 4 sits it, Điều 7 khoản 2).
    expect(summaryCell(mid1, kids.phuong.fullName, 'Toán', 'KTĐK')).toBe('7');
    // Term I was not closed: its sheet says so and shows no result.
    expect(end1.getCell(4, 1).text).toMatch(/^Chưa tổng hợp kết quả cuối học kì i/);
    expect(summaryCell(end1, kids.mai.fullName, 'Toán', 'Mức')).toBe('');
    // Mid-term II: the homeroom teacher's rating of Mai's Nhân ái.
    expect(summaryCell(mid2, kids.mai.fullName, 'Phẩm chất chủ yếu', 'Nhân ái')).toBe('T');
    // The year, from the close: Oanh's Âm nhạc H, Khoa học test 5, Trách nhiệm Đạt, outcome Hoàn thành.
    expect(year.getCell(4, 1).text).toMatch(/^Kết quả do hiệu trưởng tổng hợp lúc/);
    expect(summaryCell(year, kids.oanh.fullName, 'Âm nhạc', 'Mức')).toBe('H');
    expect(summaryCell(year, kids.oanh.fullName, 'Khoa học', 'KTĐK')).toBe('5');
    expect(summaryCell(year, kids.oanh.fullName, 'Phẩm chất chủ yếu', 'Trách nhiệm')).toBe('Đ');
    expect(summaryCell(year, kids.oanh.fullName, 'Kết quả giáo dục')).toBe('Hoàn thành');
    expect(summaryCell(year, kids.mai.fullName, 'Kết quả giáo dục')).toBe('Hoàn thành xuất sắc');
    expect(summaryCell(year, kids.mai.fullName, 'Khen thưởng')).toBe('Học sinh Xuất sắc');
    expect(summaryCell(year, kids.mai.fullName, 'Hoàn thành chương trình')).toBe('Hoàn thành chương trình lớp học');
    expect(summaryCell(year, kids.quan.fullName, 'Kết quả giáo dục')).toBe('Chưa đủ điều kiện xếp loại');
    expect(summaryCell(year, kids.quan.fullName, 'Ghi chú')).toContain('Khoa học: thiếu điểm bài kiểm tra định kì cuối năm học');
    expect(summaryCell(year, kids.quan.fullName, 'Khoa học', 'KTĐK')).toBe('');
    // Đạo đức has no periodic test: a level column only, the next subject's level beside it.
    let daoDuc = 0;
    year.getRow(6).eachCell((c, n) => {
      if (c.value === 'Đạo đức') daoDuc = n;
    });
    expect([year.getRow(7).getCell(daoDuc).value, year.getRow(7).getCell(daoDuc + 1).value]).toEqual(['Mức', 'Mức']);
    expect(year.getRow(6).getCell(daoDuc + 1).value).not.toBe('Đạo đức');
  });
});

