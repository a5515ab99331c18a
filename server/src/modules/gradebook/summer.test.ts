import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { TGradebook, TGradebookImportIssue, TSaveGradebookResult } from '../../../../contracts/gradebook.js';
import type { TClassResults, TExemptions, TFamilyResults, TReclassifySummary, TSummer } from '../../../../contracts/results.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { xlsxCellText } from '../../../test/xlsx-text.js';
import { multipart } from '../imports/imports.test-helpers.js';
import { fillTerm } from './gradebook.test-helpers.js';

// Exemptions (miễn học, TT22/2021 Điều 11) and the summer re-test and training (Điều 13–14), end
// to end through the API. Fixture: homeroomA1 is 6A1's homeroom teacher (An, Bình) and teaches
// its Ngữ văn; principalA1 is the principal and 6A2's homeroom teacher (Cường); mathA1 teaches
// Toán in 6A2 (term I). The tests run in order on one database: the exemptions first, then the
// year close that reads them, then the summer of the students it sent there.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const cls = (id: string) => `${school}/classes/${id}`;
const toan6A2 = `${cls(F.class6A2)}/gradebook/toan`;

describe('exemptions (miễn học, Điều 11): recorded by the principal, refused in the grid', () => {
  it('only the principal records one; a homeroom teacher reads their class, another class or school finds nothing', async () => {
    const body = { studentId: F.studentCuong, subjectCode: 'toan', scope: 'hk1', reason: 'Điều trị dài ngày, giấy của bệnh viện' };
    expect((await (await ctx.as('homeroomA1')).put(`${cls(F.class6A1)}/exemptions`, { ...body, studentId: F.studentAn })).json()).toMatchObject({ code: 'exemption_not_principal' });
    expect((await (await ctx.as('homeroomA1')).put(`${cls(F.class6A2)}/exemptions`, body)).statusCode).toBe(404);
    expect((await (await ctx.as('mathA1')).get(`${cls(F.class6A2)}/exemptions`)).statusCode).toBe(404);
    const other = await (await ctx.as('principalB1')).get(`${cls(F.class6A2)}/exemptions`);
    expect([403, 404]).toContain(other.statusCode);
    expect(other.body).not.toContain('Cường');
    // No reason: refused in Vietnamese, naming the field.
    const noReason = await (await ctx.as('principalA1')).put(`${cls(F.class6A2)}/exemptions`, { ...body, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<{ detail: string }>().detail).toContain('Lý do');

    const res = await (await ctx.as('principalA1')).put(`${cls(F.class6A2)}/exemptions`, body);
    expect(res.statusCode).toBe(200);
    expect(res.json<TExemptions>().items).toEqual([
      expect.objectContaining({ studentId: F.studentCuong, fullName: 'Hoàng Quốc Cường', subjectName: 'Toán', scope: 'hk1', scopeLabel: 'Học kì I', reason: 'Điều trị dài ngày, giấy của bệnh viện' }),
    ]);
    const audit = await db.selectFrom('audit_log').select(['after', 'target_label']).where('action', '=', 'exemption.set').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ target_label: 'Hoàng Quốc Cường', after: { subject_code: 'toan', exemption_scope: 'hk1' } });
  });

  it('the grid shows the exempt student as "Miễn" and refuses a mark for them, in Vietnamese; clearing stays possible; term II takes marks', async () => {
    const s = await ctx.as('mathA1');
    const grid = (await s.get(`${toan6A2}?term=1`)).json<TGradebook>();
    expect(grid.rows.find((r) => r.studentId === F.studentCuong)?.exempt).toBe('Miễn học trong học kì I — Điều trị dài ngày, giấy của bệnh viện');
    const saved = (await s.put(`${toan6A2}/cells`, { term: 1, cells: [{ studentId: F.studentCuong, column: 'tx1', value: '8', version: 0 }] })).json<TSaveGradebookResult>();
    expect(saved.saved).toEqual([]);
    expect(saved.rejected).toEqual([
      {
        studentId: F.studentCuong,
        column: 'tx1',
        message: 'Học sinh được miễn học môn Toán trong học kì I (lý do: Điều trị dài ngày, giấy của bệnh viện), nên không nhập điểm. Nếu quyết định miễn học đã thay đổi, nhờ hiệu trưởng bỏ miễn học trước.',
      },
    ]);
    expect(await db.selectFrom('gradebook_cell').select('student_id').where('student_id', '=', F.studentCuong).where('subject_code', '=', 'toan').execute()).toEqual([]);
    const cleared = (await s.put(`${toan6A2}/cells`, { term: 1, cells: [{ studentId: F.studentCuong, column: 'tx1', value: null, version: 0 }] })).json<TSaveGradebookResult>();
    expect(cleared.rejected).toEqual([]);
    // Underneath the API: the trigger refuses a direct write of a mark or a comment in the exempt term.
    const row = { school_id: F.schoolA1, class_id: F.class6A2, subject_code: 'toan', student_id: F.studentCuong };
    await expect(db.insertInto('gradebook_cell').values({ ...row, term: 1, column_key: 'tx1', score_tenths: 80 }).execute()).rejects.toThrow(/subject_exempt/);
    await expect(db.insertInto('gradebook_cell').values({ ...row, term: 1, column_key: 'nx', comment: 'Tốt' }).execute()).rejects.toThrow(/subject_exempt/);
    // Term II is not covered by a term I exemption.
    expect((await s.get(`${toan6A2}?term=2`)).json<TGradebook>().rows.find((r) => r.studentId === F.studentCuong)?.exempt ?? null).toBeNull();
  });

  it('the .xlsx import refuses the whole file for a mark of an exempt student, naming row and column', async () => {
    const s = await ctx.as('mathA1');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Toán');
    ws.addRow(['STT', 'Họ và tên', 'Mã học sinh', 'CK']);
    ws.addRow([1, 'Hoàng Quốc Cường', '', '7']);
    const m = multipart('so-diem.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const res = await ctx.app.inject({ method: 'POST', url: `${toan6A2}/import?term=1`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; issues: TGradebookImportIssue[] }>();
    expect(body.code).toBe('gradebook_import_invalid');
    expect(body.issues).toEqual([{ row: 2, column: 'CK', message: expect.stringContaining('Học sinh được miễn học môn Toán trong học kì I') }]);
    expect(await db.selectFrom('gradebook_cell').select('student_id').where('student_id', '=', F.studentCuong).where('subject_code', '=', 'toan').where('score_tenths', 'is not', null).execute()).toEqual([]);
  });
});

describe('the close reads the exemptions', () => {
  it('year results with exempt subjects equal the hand-computed ones; exempt one term → the year is the other term', async () => {
    const principal = await ctx.as('principalA1');
    // An: every scored subject 7,0, Âm nhạc Chưa đạt — without the exemption Đạt (one comment subject
    // Chưa đạt, Điều 9 khoản 2 điểm c); exempt from Âm nhạc for the whole year, every remaining comment
    // subject is Đạt and every score ≥ 6,5 with eight ≥ 6,5 → Khá (điểm b). Training Chưa đạt → summer training.
    await fillTerm(db, F.studentAn, F.class6A1, 1, 70, { art: 'chua_dat' });
    await fillTerm(db, F.studentAn, F.class6A1, 2, 70, { art: 'chua_dat' });
    expect((await principal.put(`${cls(F.class6A1)}/exemptions`, { studentId: F.studentAn, subjectCode: 'am_nhac', scope: 'cn', reason: 'Khiếm thính, hồ sơ y tế' })).statusCode).toBe(200);
    // Bình: every scored subject 6,0, Toán 2,0 → learning Chưa đạt (a subject below 3,5; khoản 3 cannot
    // raise it: Khá would need six subjects ≥ 6,5). Training Khá → re-test in Toán.
    await fillTerm(db, F.studentBinh, F.class6A1, 1, 60, { toan: 20 });
    await fillTerm(db, F.studentBinh, F.class6A1, 2, 60, { toan: 20 });
    // Cường: Toán exempt in term I (above) with term I Toán cells 2,0 entered before the exemption was
    // recorded (the trigger refuses them after it, so the exemption is lifted and put back around them):
    // they are not read. Term II Toán 8,0 → ĐTBmcn Toán 8,0 (not (2,0 + 2·8,0)/3 = 6,0); the others
    // (6,0 + 2·6,5)/3 = 6,33… → 6,3. (The helper writes every cell afresh.)
    const exemption = await db.selectFrom('subject_exemption').selectAll().where('student_id', '=', F.studentCuong).executeTakeFirstOrThrow();
    await db.deleteFrom('subject_exemption').where('student_id', '=', F.studentCuong).execute();
    await db.deleteFrom('gradebook_cell').where('student_id', '=', F.studentCuong).execute();
    await fillTerm(db, F.studentCuong, F.class6A2, 1, 60, { toan: 20 });
    await fillTerm(db, F.studentCuong, F.class6A2, 2, 65, { toan: 80 });
    await db.insertInto('subject_exemption').values(exemption).execute();
    const hr = await ctx.as('homeroomA1');
    for (const term of [1, 2]) {
      await hr.put(`${cls(F.class6A1)}/training`, { term, ratings: [{ studentId: F.studentAn, level: 'chua_dat' }, { studentId: F.studentBinh, level: 'kha' }] });
      await principal.put(`${cls(F.class6A2)}/training`, { term, ratings: [{ studentId: F.studentCuong, level: 'dat' }] });
    }
    expect((await principal.post(`${school}/results/close`, { year: 2025, period: 'hk1' })).statusCode).toBe(200);
    expect((await principal.post(`${school}/results/close`, { year: 2025, period: 'cn' })).statusCode).toBe(200);

    const hk1 = (await principal.get(`${cls(F.class6A2)}/results?period=hk1`)).json<TClassResults>().students.find((s) => s.studentId === F.studentCuong);
    expect(hk1?.marks.toan).toBe('Miễn');
    // Term I without Toán: seven scored subjects at 6,0, comment subjects Đạt → Đạt.
    expect(hk1?.learning).toBe('Đạt');

    const a2 = (await principal.get(`${cls(F.class6A2)}/results?period=cn`)).json<TClassResults>();
    const cuong = a2.students.find((s) => s.studentId === F.studentCuong);
    expect(cuong?.marks.toan).toBe('8,0');
    expect(cuong?.marks.ngu_van).toBe('6,3');
    expect(cuong).toMatchObject({ learning: 'Đạt', training: 'Đạt', promotion: 'Được lên lớp' });

    const a1 = (await hr.get(`${cls(F.class6A1)}/results?period=cn`)).json<TClassResults>();
    const an = a1.students.find((s) => s.studentId === F.studentAn);
    expect(an?.marks.am_nhac).toBe('Miễn');
    expect(an).toMatchObject({ learning: 'Khá', training: 'Chưa đạt', promotion: 'Rèn luyện trong kì nghỉ hè', afterSummer: null });
    const binh = a1.students.find((s) => s.studentId === F.studentBinh);
    expect(binh?.marks.toan).toBe('2,0');
    expect(binh).toMatchObject({ learning: 'Chưa đạt', training: 'Khá', promotion: 'Kiểm tra lại' });
    expect(a1.lists.retest).toEqual([{ studentId: F.studentBinh, fullName: 'Đặng Thị Bình', subjects: ['Toán'], afterSummer: null }]);
    expect(a1.lists.summerTraining).toEqual([{ studentId: F.studentAn, fullName: 'Nguyễn Văn An', afterSummer: null }]);
  });
});

describe('the summer (Điều 13–14): re-test marks, summer training, the lock, the re-classification', () => {
  it('lists the students with their re-test subjects and training; a teacher of another class finds nothing', async () => {
    const summer = (await (await ctx.as('homeroomA1')).get(`${cls(F.class6A1)}/summer`)).json<TSummer>();
    expect(summer).toMatchObject({ className: '6A1', year: 2025, yearClosed: true, locked: false, canEnterTraining: true, canLock: false, canReclassify: false });
    expect(summer.students).toEqual([
      expect.objectContaining({ studentId: F.studentAn, decision: 'Rèn luyện trong kì nghỉ hè', training: { yearLevel: 'Chưa đạt', level: null }, retests: [] }),
      expect.objectContaining({
        studentId: F.studentBinh,
        decision: 'Kiểm tra lại',
        training: null,
        retests: [{ subjectCode: 'toan', subjectName: 'Toán', assessment: 'score', yearResult: '2,0', value: null, canEdit: false }],
      }),
    ]);
    // mathA1 teaches Toán in 6A2 only: 6A1's summer is not theirs (404, nothing of it in the answer).
    const other = await (await ctx.as('mathA1')).get(`${cls(F.class6A1)}/summer`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Bình');
    expect((await (await ctx.as('principalB1')).get(`${cls(F.class6A1)}/summer`)).statusCode).toBeGreaterThanOrEqual(403);
  });

  it('the re-test mark: the subject teacher of the class (or the principal), exact tenths; others refused', async () => {
    const hr = await ctx.as('homeroomA1');
    const put = (s: Awaited<ReturnType<typeof ctx.as>>, value: string | null, studentId: string = F.studentBinh) =>
      s.put(`${cls(F.class6A1)}/summer/retests`, { retests: [{ studentId, subjectCode: 'toan', value }] });
    // The homeroom teacher teaches Ngữ văn, not Toán.
    expect((await put(hr, '5')).json()).toMatchObject({ code: 'retest_not_teacher' });
    // mathA1 is given Toán in 6A1 for term II: now the subject teacher of that class × subject.
    await db
      .insertInto('teaching_assignment')
      .values({ school_id: F.schoolA1, id: '00000000-0000-7000-8000-0000000050b2', year: F.year, term: 2, class_id: F.class6A1, subject_code: 'toan', staff_id: F.teacherMath })
      .execute();
    const math = await ctx.as('mathA1');
    expect((await put(math, '8,25')).json()).toMatchObject({ code: 'retest_value_invalid', detail: 'Dòng 1 — Toán của em Đặng Thị Bình: Điểm chỉ lấy một chữ số thập phân ("8,25"); ví dụ 8,5.' });
    expect((await put(math, '7', F.studentAn)).json()).toMatchObject({ code: 'not_on_retest_list' });
    const ok = await put(math, '3,4');
    expect(ok.statusCode).toBe(200);
    expect(ok.json<TSummer>().students.find((s) => s.studentId === F.studentBinh)?.retests[0]).toMatchObject({ value: '3,4', canEdit: true });
    expect(await db.selectFrom('summer_retest').select(['score_tenths', 'pass_fail']).where('student_id', '=', F.studentBinh).execute()).toEqual([{ score_tenths: 34, pass_fail: null }]);
    // Training is the homeroom teacher's (or the principal's), not a subject teacher's.
    expect((await math.put(`${cls(F.class6A1)}/summer/training`, { ratings: [{ studentId: F.studentAn, level: 'dat' }] })).json()).toMatchObject({ code: 'summer_training_not_homeroom' });
    expect((await hr.put(`${cls(F.class6A1)}/summer/training`, { ratings: [{ studentId: F.studentBinh, level: 'dat' }] })).json()).toMatchObject({ code: 'not_in_summer_training' });
  });

  it('re-test 3,4 → retained; 5,0 → promoted; summer training Đạt → promoted — stored and shown with the year result', async () => {
    const principal = await ctx.as('principalA1');
    expect((await (await ctx.as('homeroomA1')).post(`${school}/results/after-summer`, { year: 2025 })).statusCode).toBe(404);
    // Nothing for An yet: named as missing, no decision stored.
    const first = (await principal.post(`${school}/results/after-summer`, { year: 2025 })).json<TReclassifySummary>();
    expect(first).toEqual({
      year: 2025,
      students: 2,
      promoted: 0,
      retained: 1,
      missing: [{ className: '6A1', fullName: 'Nguyễn Văn An', reason: 'chưa có kết quả rèn luyện trong hè' }],
    });
    let a1 = (await principal.get(`${cls(F.class6A1)}/results?period=cn`)).json<TClassResults>();
    expect(a1.students.find((s) => s.studentId === F.studentBinh)?.afterSummer).toBe('Ở lại lớp: Kết quả học tập sau kiểm tra lại vẫn Chưa đạt');

    await (await ctx.as('mathA1')).put(`${cls(F.class6A1)}/summer/retests`, { retests: [{ studentId: F.studentBinh, subjectCode: 'toan', value: '5' }] });
    await (await ctx.as('homeroomA1')).put(`${cls(F.class6A1)}/summer/training`, { ratings: [{ studentId: F.studentAn, level: 'dat' }] });
    const second = (await principal.post(`${school}/results/after-summer`, { year: 2025 })).json<TReclassifySummary>();
    expect(second).toEqual({ year: 2025, students: 2, promoted: 2, retained: 0, missing: [] });
    expect(await db.selectFrom('summer_result').select(['student_id', 'promotion', 'learning', 'training']).orderBy('student_id').execute()).toEqual(
      [
        { student_id: F.studentAn, promotion: 'promoted', learning: 'kha', training: 'dat' },
        // Toán 5,0, the others 6,0: every subject ≥ 5,0, at least six ≥ 5,0 → Đạt (Điều 9 khoản 2 điểm c).
        { student_id: F.studentBinh, promotion: 'promoted', learning: 'dat', training: 'kha' },
      ].sort((a, b) => a.student_id.localeCompare(b.student_id)),
    );
    a1 = (await principal.get(`${cls(F.class6A1)}/results?period=cn`)).json<TClassResults>();
    expect(a1.lists.retest).toEqual([{ studentId: F.studentBinh, fullName: 'Đặng Thị Bình', subjects: ['Toán'], afterSummer: 'Được lên lớp sau kiểm tra lại' }]);
    expect(a1.lists.summerTraining).toEqual([{ studentId: F.studentAn, fullName: 'Nguyễn Văn An', afterSummer: 'Được lên lớp sau rèn luyện trong kì nghỉ hè' }]);

    // The class's sổ theo dõi và đánh giá (.xlsx): a note beside the year.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await principal.get(`${cls(F.class6A1)}/results/summary.xlsx?year=2025`)).rawPayload as unknown as ArrayBuffer);
    const texts: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((c) => void texts.push(xlsxCellText(c.value)))));
    expect(texts.join('\n')).toContain('Sau kì nghỉ hè: Được lên lớp sau kiểm tra lại');

    // The học bạ: the re-test mark beside Toán and the result after the summer.
    const pdf = await (await ctx.as('homeroomA1')).get(`${school}/students/${F.studentBinh}/hoc-ba.pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = (await pdfPageTexts(pdf.rawPayload)).join('\n');
    expect(text).toContain('Kết quả kiểm tra lại / rèn luyện trong kì nghỉ hè');
    expect(text).toContain('Được lên lớp sau kiểm tra lại');
    expect(text).toContain('5,0');
    const anPdf = (await pdfPageTexts((await principal.get(`${school}/students/${F.studentAn}/hoc-ba.pdf`)).rawPayload)).join('\n');
    expect(anPdf).toContain('Miễn');
    expect(anPdf).toContain('Được lên lớp sau rèn luyện trong kì nghỉ hè');

    // The family: only once the year is published, then with the result after the summer.
    const parent = await ctx.as('parentA');
    expect((await parent.get(`${school}/students/${F.studentAn}/results`)).json<TFamilyResults>().results).toEqual([]);
    expect((await principal.put(`${cls(F.class6A1)}/results/publication`, { year: 2025, period: 'cn', published: true })).statusCode).toBe(200);
    expect((await parent.get(`${school}/students/${F.studentAn}/results`)).json<TFamilyResults>().results).toEqual([
      expect.objectContaining({ periodLabel: 'Cả năm', promotion: 'Rèn luyện trong kì nghỉ hè', afterSummer: 'Được lên lớp sau rèn luyện trong kì nghỉ hè' }),
    ]);
    // Bình's parent is not parentA: nothing of Bình.
    const notMine = await parent.get(`${school}/students/${F.studentBinh}/results`);
    expect(notMine.statusCode).toBe(404);
  });

  it('after the principal locks the summer no route changes an entry, nor does a direct write; unlocking needs a reason', async () => {
    const principal = await ctx.as('principalA1');
    expect((await (await ctx.as('homeroomA1')).post(`${school}/summer/state`, { year: 2025, action: 'lock' })).statusCode).toBe(404);
    expect((await principal.post(`${school}/summer/state`, { year: 2025, action: 'lock' })).statusCode).toBe(200);
    expect((await principal.post(`${school}/summer/state`, { year: 2025, action: 'lock' })).json()).toMatchObject({ code: 'summer_transition_refused' });
    const before = await db.selectFrom('summer_retest').selectAll().execute();
    const r1 = await (await ctx.as('mathA1')).put(`${cls(F.class6A1)}/summer/retests`, { retests: [{ studentId: F.studentBinh, subjectCode: 'toan', value: '9' }] });
    expect(r1.statusCode).toBe(409);
    expect(r1.json()).toMatchObject({ code: 'summer_locked' });
    expect((await principal.put(`${cls(F.class6A1)}/summer/retests`, { retests: [{ studentId: F.studentBinh, subjectCode: 'toan', value: null }] })).json()).toMatchObject({ code: 'summer_locked' });
    expect((await principal.put(`${cls(F.class6A1)}/summer/training`, { ratings: [{ studentId: F.studentAn, level: 'chua_dat' }] })).json()).toMatchObject({ code: 'summer_locked' });
    expect((await principal.get(`${cls(F.class6A1)}/summer`)).json<TSummer>()).toMatchObject({ locked: true, canEnterTraining: false });
    // Underneath the API: the trigger.
    await expect(db.updateTable('summer_retest').set({ score_tenths: 90 }).where('student_id', '=', F.studentBinh).execute()).rejects.toThrow(/summer_locked/);
    await expect(db.deleteFrom('summer_training').where('student_id', '=', F.studentAn).execute()).rejects.toThrow(/summer_locked/);
    expect(await db.selectFrom('summer_retest').selectAll().execute()).toEqual(before);
    expect(await db.selectFrom('summer_training').select('level').where('student_id', '=', F.studentAn).executeTakeFirst()).toEqual({ level: 'dat' });

    expect((await principal.post(`${school}/summer/state`, { year: 2025, action: 'unlock' })).json()).toMatchObject({ code: 'unlock_reason_required' });
    expect((await principal.post(`${school}/summer/state`, { year: 2025, action: 'unlock', reason: 'Nhập nhầm điểm môn Toán' })).statusCode).toBe(200);
    expect((await (await ctx.as('mathA1')).put(`${cls(F.class6A1)}/summer/retests`, { retests: [{ studentId: F.studentBinh, subjectCode: 'toan', value: '5,5' }] })).statusCode).toBe(200);
    const audits = await db.selectFrom('audit_log').select(['action', 'after']).where('action', 'in', ['summer.lock', 'summer.unlock', 'results.after_summer']).orderBy('at').execute();
    expect(audits.map((a) => a.action)).toEqual(['results.after_summer', 'results.after_summer', 'summer.lock', 'summer.unlock']);
  });
});
