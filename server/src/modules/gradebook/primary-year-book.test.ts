import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TQualityRatings, TSaveYearCommentsResult } from '../../../../contracts/gradebook.js';
import type { TClassResults, TFamilyResults, TPrimaryAwards } from '../../../../contracts/results.js';
import { CURRICULUM, QUALITY_CODES, periodicTestRequired } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { primaryClass, studentIn } from './gradebook.test-helpers.js';

// The primary học bạ's year beyond the ratings (TT27/2020): the homeroom teacher's comments of the
// year (locked with the end-of-year ratings) and the awards of Điều 13 that are recorded by hand
// (Học sinh Tiêu biểu for Hoàn thành tốt only, ad-hoc awards). A grade-4 class of school A1,
// homeroom homeroomA1; Mai ends Hoàn thành xuất sắc, Nga Hoàn thành tốt, Oanh Hoàn thành.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
let cls: string;
const kids: Record<string, { id: string; fullName: string }> = {};
const commentsUrl = () => `${school}/classes/${cls}/year-comments`;
const awardsUrl = () => `${school}/classes/${cls}/awards`;
const sheet = async (who: 'homeroomA1' | 'principalA1' = 'homeroomA1') => (await (await ctx.as(who)).get(`${school}/classes/${cls}/qualities?checkpoint=end_year`)).json<TQualityRatings>();

/** Every grade-4 subject's end-of-year level T and test `test` (Toán's `toan`), every quality `quality`. */
async function fillYear(studentId: string, test: number, quality: 'tot' | 'dat', toan = test) {
  const rows = CURRICULUM.filter((c) => c.grade === 4).flatMap((c) => {
    const level = { school_id: F.schoolA1, class_id: cls, subject_code: c.subjectCode, term: 2, student_id: studentId, column_key: 'ck_muc', subject_level: 'hoan_thanh_tot' as const };
    if (!periodicTestRequired(4, c.subjectCode, 'end_year')) return [level];
    return [level, { school_id: F.schoolA1, class_id: cls, subject_code: c.subjectCode, term: 2, student_id: studentId, column_key: 'ck_kt', score_tenths: c.subjectCode === 'toan' ? toan : test }];
  });
  await db.insertInto('gradebook_cell').values(rows).execute();
  await db
    .insertInto('quality_rating')
    .values(QUALITY_CODES.map((code) => ({ school_id: F.schoolA1, class_id: cls, checkpoint: 'end_year' as const, student_id: studentId, quality_code: code, level: quality })))
    .execute();
}

beforeAll(async () => {
  cls = await primaryClass(db, 4);
  kids.mai = await studentIn(db, cls, 4);
  kids.nga = await studentIn(db, cls, 4);
  kids.oanh = await studentIn(db, cls, 4);
  await fillYear(kids.mai.id, 90, 'tot');
  await fillYear(kids.nga.id, 90, 'tot', 80);
  await fillYear(kids.oanh.id, 90, 'dat');
});

describe("the homeroom teacher's year comments (TT27 học bạ: phẩm chất, năng lực chung, năng lực đặc thù, nhận xét chung)", () => {
  it('read with the end-of-year ratings only; saved with versions; a stale version is a conflict that shows the text that won', async () => {
    expect((await (await ctx.as('homeroomA1')).get(`${school}/classes/${cls}/qualities?checkpoint=mid_term2`)).json<TQualityRatings>().commentTopics).toEqual([]);
    const s = await sheet();
    expect(s.commentTopics.map((x) => x.label)).toEqual(['Phẩm chất chủ yếu', 'Năng lực chung', 'Năng lực đặc thù', 'Nhận xét chung cả năm']);
    expect(s.rows.find((r) => r.studentId === kids.nga.id)?.comments).toEqual({});

    const home = await ctx.as('homeroomA1');
    const saved = await home.put(commentsUrl(), {
      comments: [
        { studentId: kids.nga.id, topic: 'pham_chat', value: '  Em chăm chỉ, trung thực, biết giúp đỡ bạn. ', version: 0 },
        { studentId: kids.nga.id, topic: 'nang_luc_chung', value: 'Tự học tốt, mạnh dạn phát biểu.', version: 0 },
        { studentId: kids.nga.id, topic: 'nang_luc_dac_thu', value: 'Tính toán nhanh, đọc diễn cảm.', version: 0 },
        { studentId: kids.nga.id, topic: 'overall', value: 'Một năm học tiến bộ rõ về Toán.', version: 0 },
      ],
    });
    expect(saved.statusCode).toBe(200);
    const r = saved.json<TSaveYearCommentsResult>();
    expect(r.saved).toHaveLength(4);
    expect(r.saved[0]).toEqual({ studentId: kids.nga.id, topic: 'pham_chat', value: 'Em chăm chỉ, trung thực, biết giúp đỡ bạn.', version: 1 });
    expect((await sheet('principalA1')).rows.find((x) => x.studentId === kids.nga.id)?.comments.overall).toEqual({ value: 'Một năm học tiến bộ rõ về Toán.', version: 1 });

    // The principal saves at version 1; the teacher's other tab, still at 1, loses and reads the principal's text.
    const boss = await (await ctx.as('principalA1')).put(commentsUrl(), { comments: [{ studentId: kids.mai.id, topic: 'overall', value: 'Học sinh xuất sắc toàn diện.', version: 0 }] });
    expect(boss.json<TSaveYearCommentsResult>().saved).toHaveLength(1);
    const first = await home.put(commentsUrl(), { comments: [{ studentId: kids.mai.id, topic: 'overall', value: 'Bản của tab thứ nhất', version: 1 }] });
    expect(first.json<TSaveYearCommentsResult>().saved[0]?.version).toBe(2);
    const stale = (await home.put(commentsUrl(), { comments: [{ studentId: kids.mai.id, topic: 'overall', value: 'Bản của tab thứ hai', version: 1 }] })).json<TSaveYearCommentsResult>();
    expect(stale.saved).toEqual([]);
    expect(stale.conflicts).toEqual([{ studentId: kids.mai.id, topic: 'overall', value: 'Bản của tab thứ nhất', version: 2 }]);
  });

  it('bad input: an unknown topic named by its Vietnamese label (400), a student of another class rejected, a comment over 1000 characters refused', async () => {
    const home = await ctx.as('homeroomA1');
    const bad = await home.put(commentsUrl(), { comments: [{ studentId: kids.nga.id, topic: 'hanh_kiem', value: 'x', version: 0 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('Nội dung nhận xét');
    const long = await home.put(commentsUrl(), { comments: [{ studentId: kids.nga.id, topic: 'overall', value: 'a'.repeat(1001), version: 1 }] });
    expect(long.statusCode).toBe(400);
    expect(long.json<{ detail: string }>().detail).toContain('Nhận xét');
    const stranger = (await home.put(commentsUrl(), { comments: [{ studentId: F.studentAn, topic: 'overall', value: 'x', version: 0 }] })).json<TSaveYearCommentsResult>();
    expect(stranger.rejected).toEqual([{ studentId: F.studentAn, topic: 'overall', message: expect.stringContaining('không học lớp') }]);
  });

  it('a subject teacher of the class and another school cannot write them', async () => {
    expect((await (await ctx.as('mathA1')).put(commentsUrl(), { comments: [{ studentId: kids.nga.id, topic: 'overall', value: 'x', version: 1 }] })).statusCode).toBe(404);
    expect([403, 404]).toContain((await (await ctx.as('principalB1')).put(commentsUrl(), { comments: [{ studentId: kids.nga.id, topic: 'overall', value: 'x', version: 1 }] })).statusCode);
  });

  it("the principal's lock of the end-of-year ratings locks the comments: the API (409), and an insert, update or delete below it", async () => {
    const boss = await ctx.as('principalA1');
    expect((await boss.post(`${school}/classes/${cls}/qualities/state`, { checkpoint: 'end_year', action: 'lock' })).statusCode).toBe(200);
    for (const who of ['homeroomA1', 'principalA1'] as const) {
      const refused = await (await ctx.as(who)).put(commentsUrl(), { comments: [{ studentId: kids.nga.id, topic: 'overall', value: 'Sửa sau khi khóa', version: 1 }] });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: 'gradebook_not_open', detail: expect.stringContaining('đã khóa') });
    }
    await expect(sql`update year_comment set comment = 'lén sửa' where student_id = ${kids.nga.id}`.execute(db)).rejects.toThrow(/gradebook_locked/);
    await expect(sql`delete from year_comment where student_id = ${kids.nga.id}`.execute(db)).rejects.toThrow(/gradebook_locked/);
    await expect(
      db.insertInto('year_comment').values({ school_id: F.schoolA1, class_id: cls, student_id: kids.oanh.id, topic: 'overall', comment: 'lén thêm' }).execute(),
    ).rejects.toThrow(/gradebook_locked/);
    expect((await sheet()).readOnlyReason).toMatch(/đã khóa/);
    // Other checkpoints' locks do not touch them: unlock the year, and the save goes through.
    expect((await boss.post(`${school}/classes/${cls}/qualities/state`, { checkpoint: 'end_year', action: 'unlock', reason: 'Bổ sung nhận xét em Oanh' })).statusCode).toBe(200);
    const after = await (await ctx.as('homeroomA1')).put(commentsUrl(), { comments: [{ studentId: kids.oanh.id, topic: 'overall', value: 'Em cần cố gắng hơn về trách nhiệm.', version: 0 }] });
    expect(after.json<TSaveYearCommentsResult>().saved).toHaveLength(1);
  });
});

describe('Học sinh Tiêu biểu and ad-hoc awards (TT27 Điều 13): the homeroom teacher proposes, the principal records', () => {
  beforeAll(async () => {
    const close = await (await ctx.as('principalA1')).post(`${school}/results/close`, { year: 2025, period: 'cn' });
    expect(close.statusCode).toBe(200);
  });

  it('before anything: each student with the outcome, who may be Tiêu biểu, and the caller\'s step', async () => {
    const a = (await (await ctx.as('homeroomA1')).get(awardsUrl())).json<TPrimaryAwards>();
    expect(a.closed).toBe(true);
    expect(a.actions).toEqual({ propose: true, record: false });
    expect(a.students.find((s) => s.studentId === kids.nga.id)).toMatchObject({ outcome: 'Hoàn thành tốt', tieuBieu: true });
    expect(a.students.find((s) => s.studentId === kids.mai.id)).toMatchObject({ outcome: 'Hoàn thành xuất sắc', tieuBieu: false });
    expect(a.students.find((s) => s.studentId === kids.oanh.id)).toMatchObject({ outcome: 'Hoàn thành', tieuBieu: false });
    expect((await (await ctx.as('principalA1')).get(awardsUrl())).json<TPrimaryAwards>().actions).toEqual({ propose: false, record: true });
  });

  it('refused with the reason (409) unless the year is Hoàn thành tốt; an ad-hoc award needs no outcome', async () => {
    const home = await ctx.as('homeroomA1');
    const oanh = await home.put(awardsUrl(), { studentId: kids.oanh.id, kind: 'tieu_bieu', achievement: 'Môn Mĩ thuật nổi trội', version: 0 });
    expect(oanh.statusCode).toBe(409);
    expect(oanh.json()).toMatchObject({ code: 'award_not_eligible', detail: `${kids.oanh.fullName}: Kết quả giáo dục cả năm là Hoàn thành; chỉ học sinh Hoàn thành tốt mới được khen Học sinh Tiêu biểu (Thông tư 27/2020, Điều 13).` });
    const mai = await (await ctx.as('principalA1')).put(awardsUrl(), { studentId: kids.mai.id, kind: 'tieu_bieu', achievement: 'Toán', version: 0 });
    expect(mai.statusCode).toBe(409);
    expect(mai.json<{ detail: string }>().detail).toContain('Học sinh Xuất sắc');
    const adHoc = await home.put(awardsUrl(), { studentId: kids.oanh.id, kind: 'dot_xuat', achievement: 'Giải Nhì vẽ tranh cấp huyện', version: 0 });
    expect(adHoc.statusCode).toBe(200);
    expect(adHoc.json<TPrimaryAwards>().awards).toEqual([expect.objectContaining({ studentId: kids.oanh.id, kind: 'dot_xuat', status: 'proposed', statusLabel: 'Giáo viên chủ nhiệm đề nghị', version: 1 })]);
    const empty = await home.put(awardsUrl(), { studentId: kids.nga.id, kind: 'tieu_bieu', achievement: ' ', version: 0 });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ detail: string }>().detail).toMatch(/^Thành tích:/);
  });

  it('proposal → recorded; the teacher cannot change a recorded award; a stale version is a conflict; others are refused', async () => {
    const home = await ctx.as('homeroomA1');
    const boss = await ctx.as('principalA1');
    const proposed = await home.put(awardsUrl(), { studentId: kids.nga.id, kind: 'tieu_bieu', achievement: 'Môn Toán nổi trội; tiến bộ rõ về năng lực giao tiếp và hợp tác', version: 0 });
    expect(proposed.statusCode).toBe(200);
    const stale = await boss.put(awardsUrl(), { studentId: kids.nga.id, kind: 'tieu_bieu', achievement: 'Môn Toán nổi trội', version: 0 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'award_changed' });
    const recorded = await boss.put(awardsUrl(), { studentId: kids.nga.id, kind: 'tieu_bieu', achievement: 'Môn Toán nổi trội; tiến bộ rõ về năng lực giao tiếp và hợp tác', version: 1 });
    expect(recorded.json<TPrimaryAwards>().awards.find((a) => a.studentId === kids.nga.id)).toMatchObject({ status: 'recorded', version: 2, kindLabel: 'Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện' });
    const late = await home.put(awardsUrl(), { studentId: kids.nga.id, kind: 'tieu_bieu', achievement: 'Sửa', version: 2 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'award_recorded' });
    expect((await home.del(`${awardsUrl()}?studentId=${kids.nga.id}&kind=tieu_bieu&version=2`)).json()).toMatchObject({ code: 'award_recorded' });
    expect((await (await ctx.as('mathA1')).put(awardsUrl(), { studentId: kids.nga.id, kind: 'dot_xuat', achievement: 'Giải toán', version: 0 })).statusCode).toBe(404);
    expect([403, 404]).toContain((await (await ctx.as('principalB1')).put(awardsUrl(), { studentId: kids.nga.id, kind: 'dot_xuat', achievement: 'Giải toán', version: 0 })).statusCode);
    // The teacher withdraws her own proposal; the principal records the ad-hoc award afresh.
    expect((await home.del(`${awardsUrl()}?studentId=${kids.oanh.id}&kind=dot_xuat&version=1`)).json<TPrimaryAwards>().awards.map((a) => a.studentId)).toEqual([kids.nga.id]);
    expect((await boss.put(awardsUrl(), { studentId: kids.oanh.id, kind: 'dot_xuat', achievement: 'Giải Nhì vẽ tranh cấp huyện', version: 0 })).statusCode).toBe(200);
  });

  it("the class's results list them with Học sinh Xuất sắc; the bảng tổng hợp's award column too", async () => {
    const r = (await (await ctx.as('homeroomA1')).get(`${school}/classes/${cls}/results?period=cn`)).json<TClassResults>();
    expect(r.lists.excellent.map((s) => s.studentId)).toEqual([kids.mai.id]);
    expect(r.lists.tieuBieu).toEqual([{ studentId: kids.nga.id, fullName: kids.nga.fullName, achievement: 'Môn Toán nổi trội; tiến bộ rõ về năng lực giao tiếp và hợp tác' }]);
    expect(r.lists.adHoc).toEqual([{ studentId: kids.oanh.id, fullName: kids.oanh.fullName, achievement: 'Giải Nhì vẽ tranh cấp huyện' }]);
    expect(r.students.find((s) => s.studentId === kids.nga.id)?.award).toBe('Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện (Môn Toán nổi trội; tiến bộ rõ về năng lực giao tiếp và hợp tác)');
    expect(r.students.find((s) => s.studentId === kids.mai.id)?.award).toBe('Học sinh Xuất sắc');
    const xlsx = await (await ctx.as('homeroomA1')).get(`${school}/classes/${cls}/results/summary.xlsx?year=2025`);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const text = wb.worksheets.flatMap((ws) => ws.getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map((v) => xlsxCellText(v as ExcelJS.CellValue)) : []))).join('\n');
    expect(text).toContain('Khen thưởng đột xuất: Giải Nhì vẽ tranh cấp huyện');
    expect(text).toContain('Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện (Môn Toán nổi trội');
  });

  it('the học bạ prints the comments in their places and the awards under Khen thưởng', async () => {
    const res = await (await ctx.as('homeroomA1')).get(`${school}/students/${kids.nga.id}/hoc-ba.pdf`);
    expect(res.statusCode).toBe(200);
    const text = (await pdfPageTexts(Buffer.from(res.rawPayload))).join('\n').replace(/\s+/g, ' ');
    for (const want of [
      'Nhận xét phẩm chất chủ yếu: Em chăm chỉ, trung thực, biết giúp đỡ bạn.',
      'Nhận xét năng lực chung: Tự học tốt, mạnh dạn phát biểu.',
      'Nhận xét năng lực đặc thù: Tính toán nhanh, đọc diễn cảm.',
      'NHẬN XÉT CỦA GIÁO VIÊN CHỦ NHIỆM Một năm học tiến bộ rõ về Toán.',
      'Khen thưởng: Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện (Môn Toán nổi trội;',
    ])
      expect(text, want).toContain(want);
    const oanh = (await pdfPageTexts(Buffer.from((await (await ctx.as('principalA1')).get(`${school}/students/${kids.oanh.id}/hoc-ba.pdf`)).rawPayload))).join('\n').replace(/\s+/g, ' ');
    expect(oanh).toContain('Khen thưởng đột xuất: Giải Nhì vẽ tranh cấp huyện');
    expect(oanh).toContain('Em cần cố gắng hơn về trách nhiệm.');
    expect(oanh).not.toContain('Tính toán nhanh');
  });

  it('the family reads the comments and awards only once the year\'s results are published', async () => {
    await db.insertInto('guardian').values({ school_id: F.schoolA1, id: randomUUID(), student_id: kids.nga.id, relation: 'mother', full_name: 'Mẹ em Nga', phone: null, email: null, occupation: null, birth_year: 1988, user_id: F.users.parentA }).execute();
    const family = `${school}/students/${kids.nga.id}/results?year=2025`;
    const before = (await (await ctx.as('parentA')).get(family)).json<TFamilyResults>();
    expect(JSON.stringify(before)).not.toContain('Tính toán nhanh');
    expect(JSON.stringify(before)).not.toContain('Tiêu biểu');
    expect((await (await ctx.as('parentC')).get(family)).statusCode).toBe(404);
    expect((await (await ctx.as('homeroomA1')).put(`${school}/classes/${cls}/results/publication`, { year: 2025, period: 'cn', published: true })).statusCode).toBe(200);
    const after = (await (await ctx.as('parentA')).get(family)).json<TFamilyResults>();
    expect(after.results).toEqual([
      expect.objectContaining({
        periodLabel: 'Cả năm',
        outcome: 'Hoàn thành tốt',
        award: 'Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện (Môn Toán nổi trội; tiến bộ rõ về năng lực giao tiếp và hợp tác)',
        comments: [
          { label: 'Phẩm chất chủ yếu', text: 'Em chăm chỉ, trung thực, biết giúp đỡ bạn.' },
          { label: 'Năng lực chung', text: 'Tự học tốt, mạnh dạn phát biểu.' },
          { label: 'Năng lực đặc thù', text: 'Tính toán nhanh, đọc diễn cảm.' },
          { label: 'Nhận xét chung cả năm', text: 'Một năm học tiến bộ rõ về Toán.' },
        ],
      }),
    ]);
  });

  it("a pupil whose closed years span both levels: the latest level's book by default, the other one with ?level=", async () => {
    // Nga goes on to grade 6 in 2026-2027 (a THCS class of the same school) and that year is closed.
    const thcs = randomUUID();
    await db.insertInto('class').values({ school_id: F.schoolA1, id: thcs, year: 2026, name: '6Y1', grade: 6, homeroom_teacher_id: null, session: 'morning', age_group: null, site_id: null }).execute();
    await db
      .insertInto('student_result')
      .values({ school_id: F.schoolA1, student_id: kids.nga.id, year: 2026, period: 'cn', class_id: thcs, learning: 'kha', learning_adjusted_from: null, learning_adjusted_because: null, training: 'tot', promotion: 'promoted', promotion_detail: null, award: null, missing: '[]', computed_by: null })
      .execute();
    const book = async (query: string) => {
      const res = await (await ctx.as('principalA1')).get(`${school}/students/${kids.nga.id}/hoc-ba.pdf${query}`);
      return { status: res.statusCode, text: res.statusCode === 200 ? (await pdfPageTexts(Buffer.from(res.rawPayload))).join('\n') : res.body };
    };
    const latest = await book('');
    expect(latest.text).toContain('TRUNG HỌC CƠ SỞ');
    expect(latest.text).toContain('2026-2027');
    expect(latest.text).not.toContain('Tính toán nhanh');
    expect((await book('?level=secondary')).text).toContain('2026-2027');
    const primary = await book('?level=primary');
    expect(primary.status).toBe(200);
    expect(primary.text).toContain('TIỂU HỌC');
    expect(primary.text).toContain('Tính toán nhanh, đọc diễn cảm.');
    expect(primary.text).not.toContain('2026-2027');
    const bad = await book('?level=mam_non');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Cấp học của học bạ');
    const none = await (await ctx.as('principalA1')).get(`${school}/students/${kids.oanh.id}/hoc-ba.pdf?level=secondary`);
    expect(none.statusCode).toBe(422);
    expect(none.json()).toMatchObject({ code: 'hoc_ba_no_year_closed', detail: expect.stringContaining('Học bạ trung học') });
  });
});
