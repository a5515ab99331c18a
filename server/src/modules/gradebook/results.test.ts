import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { verifyPdfSignature } from '../../platform/pdf-sign.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { identity, pkcs12 } from '../../../test/test-certificates.js';
import { multipartWith } from '../../../test/signing-upload.js';
import type { TAttendance } from '../../../../contracts/attendance.js';
import type { TClassResults, TCloseSummary } from '../../../../contracts/results.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { fillTerm as fillTermOf } from './gradebook.test-helpers.js';

// Fixture: homeroomA1 is 6A1's homeroom teacher (An, Bình); principalA1 is the principal and 6A2's
// homeroom teacher (Cường); mathA1 teaches Toán in 6A2.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const school = `/api/v1/schools/${F.schoolA1}`;
const cls = (id: string) => `${school}/classes/${id}`;
const fillTerm = (studentId: string, classId: string, term: number, tenths: number, art: 'dat' | 'chua_dat' = 'dat') => fillTermOf(db, studentId, classId, term, tenths, { art });

describe('attendance by session (TT22/2021 Điều 12: every absence counts, excused or not)', () => {
  it('the homeroom teacher records absences; the year totals count both kinds', async () => {
    const s = await ctx.as('homeroomA1');
    const res = await s.put(`${cls(F.class6A1)}/attendance`, {
      entries: [
        { studentId: F.studentAn, date: '2025-10-06', session: 'morning', status: 'excused', reason: 'Ốm' },
        { studentId: F.studentAn, date: '2025-10-07', session: 'morning', status: 'unexcused' },
        { studentId: F.studentBinh, date: '2025-10-07', session: 'morning', status: 'excused' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<TAttendance>();
    const an = body.students.find((x) => x.studentId === F.studentAn);
    expect(an).toMatchObject({ fullName: 'Nguyễn Văn An', yearExcused: 1, yearUnexcused: 1 });
    expect(an?.absences).toEqual([
      { date: '2025-10-06', session: 'morning', excused: true, reason: 'Ốm' },
      { date: '2025-10-07', session: 'morning', excused: false, reason: null },
    ]);
    // Marked present again: the absence goes.
    const again = await s.put(`${cls(F.class6A1)}/attendance`, { entries: [{ studentId: F.studentBinh, date: '2025-10-07', session: 'morning', status: 'present' }] });
    expect(again.json<TAttendance>().students.find((x) => x.studentId === F.studentBinh)).toMatchObject({ yearExcused: 0, yearUnexcused: 0 });
  });
  it('refuses what cannot be: an afternoon the class does not meet, a day not yet come, a student of another class', async () => {
    const s = await ctx.as('homeroomA1');
    const put = (e: object) => s.put(`${cls(F.class6A1)}/attendance`, { entries: [{ studentId: F.studentAn, date: '2025-10-08', session: 'morning', status: 'excused', ...e }] });
    expect((await put({ session: 'afternoon' })).json()).toMatchObject({ code: 'session_not_taught', detail: 'Dòng 1 — Buổi: lớp 6A1 không học buổi chiều.' });
    expect((await put({ date: '2099-01-05' })).json()).toMatchObject({ code: 'date_outside_year' });
    expect((await put({ studentId: F.studentCuong })).json()).toMatchObject({ code: 'student_not_in_class' });
  });
  it('a subject teacher reads the class they teach but does not record; another class is not found', async () => {
    const s = await ctx.as('mathA1');
    expect((await s.get(`${cls(F.class6A2)}/attendance?from=2025-10-01&to=2025-10-31`)).json<TAttendance>().canEdit).toBe(false);
    const put = await s.put(`${cls(F.class6A2)}/attendance`, { entries: [{ studentId: F.studentCuong, date: '2025-10-06', session: 'morning', status: 'excused' }] });
    expect(put.json()).toMatchObject({ code: 'attendance_not_homeroom' });
    expect((await s.get(`${cls(F.class6A1)}/attendance?from=2025-10-01&to=2025-10-31`)).statusCode).toBe(404);
  });
});

describe('training ratings, the close, the class results and lists', () => {
  it('only the homeroom teacher (or the principal) rates training', async () => {
    const put = (who: 'homeroomA1' | 'mathA1', classId: string, studentId: string) =>
      ctx.as(who).then((s) => s.put(`${cls(classId)}/training`, { term: 1, ratings: [{ studentId, level: 'tot' }] }));
    expect((await put('mathA1', F.class6A2, F.studentCuong)).json()).toMatchObject({ code: 'training_not_homeroom' });
    expect((await put('homeroomA1', F.class6A2, F.studentCuong)).statusCode).toBe(404);
    const ok = await put('homeroomA1', F.class6A1, F.studentAn);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<TClassResults>().students.find((x) => x.studentId === F.studentAn)?.trainingTerm1).toBe('tot');
  });

  it('the year close computes every result from the gradebook: an excellent student, one comment subject Chưa đạt, a missing rating, over 45 sessions', async () => {
    await fillTerm(F.studentAn, F.class6A1, 1, 92);
    await fillTerm(F.studentAn, F.class6A1, 2, 94);
    await fillTerm(F.studentBinh, F.class6A1, 1, 70, 'chua_dat');
    await fillTerm(F.studentBinh, F.class6A1, 2, 70, 'chua_dat');
    await fillTerm(F.studentCuong, F.class6A2, 1, 60);
    await fillTerm(F.studentCuong, F.class6A2, 2, 65);
    const hr = await ctx.as('homeroomA1');
    for (const term of [1, 2]) {
      await hr.put(`${cls(F.class6A1)}/training`, { term, ratings: [{ studentId: F.studentAn, level: 'tot' }, { studentId: F.studentBinh, level: 'kha' }] });
    }
    // Cường: rated for term I only; and 46 sessions absent.
    const principal = await ctx.as('principalA1');
    await principal.put(`${cls(F.class6A2)}/training`, { term: 1, ratings: [{ studentId: F.studentCuong, level: 'dat' }] });
    const days = Array.from({ length: 46 }, (_, i) => new Date(Date.UTC(2025, 9, 1) + i * 86_400_000).toISOString().slice(0, 10));
    await principal.put(`${cls(F.class6A2)}/attendance`, { entries: days.map((date) => ({ studentId: F.studentCuong, date, session: 'morning', status: 'excused' })) });

    expect((await hr.post(`${school}/results/close`, { year: 2025, period: 'cn' })).statusCode).toBe(404); // the principal's act
    const close = await principal.post(`${school}/results/close`, { year: 2025, period: 'cn' });
    expect(close.statusCode).toBe(200);
    const summary = close.json<TCloseSummary>();
    expect(summary).toMatchObject({ classes: 2, students: 3, awards: { xuat_sac: 1 } });
    expect(summary.promotion).toEqual({ promoted: 2, retained: 1 });

    const a1 = (await hr.get(`${cls(F.class6A1)}/results?period=cn`)).json<TClassResults>();
    const an = a1.students.find((s) => s.studentId === F.studentAn);
    // Every scored subject ĐTBmcn = (9,2 + 2·9,4)/3 = 9,33… → 9,3
    expect(an).toMatchObject({ learning: 'Tốt', training: 'Tốt', promotion: 'Được lên lớp', award: 'Học sinh Xuất sắc', sessionsAbsent: 2, missing: [] });
    expect(an?.marks.toan).toBe('9,3');
    expect(an?.marks.am_nhac).toBe('Đạt');
    // Bình: every scored subject 7,0 and one comment subject Chưa đạt: Khá needs every comment subject Đạt,
    // Đạt allows one Chưa đạt (Điều 9 khoản 2 điểm c) — one level down, so no adjustment (khoản 3 needs two).
    const binh = a1.students.find((s) => s.studentId === F.studentBinh);
    expect(binh).toMatchObject({ learning: 'Đạt', training: 'Khá', promotion: 'Được lên lớp', award: null });
    expect(a1.lists.excellent.map((s) => s.fullName)).toEqual(['Nguyễn Văn An']);
    expect(a1.lists.promoted.map((s) => s.fullName).sort()).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình'].sort());

    const a2 = (await principal.get(`${cls(F.class6A2)}/results?period=cn`)).json<TClassResults>();
    const cuong = a2.students.find((s) => s.studentId === F.studentCuong);
    expect(cuong).toMatchObject({ promotion: 'Ở lại lớp', promotionDetail: 'Nghỉ 46 buổi trong năm học, quá 45 buổi', sessionsAbsent: 46, training: null });
    expect(a2.lists.retained).toEqual([{ studentId: F.studentCuong, fullName: 'Hoàng Quốc Cường', reason: 'Nghỉ 46 buổi trong năm học, quá 45 buổi' }]);
  });

  it('a term close with a missing mark says "Chưa đủ điều kiện xếp loại" and why', async () => {
    await db.deleteFrom('gradebook_cell').where('student_id', '=', F.studentAn).where('subject_code', '=', 'toan').where('term', '=', 1).where('column_key', '=', 'ck').execute();
    const principal = await ctx.as('principalA1');
    const summary = (await principal.post(`${school}/results/close`, { year: 2025, period: 'hk1' })).json<TCloseSummary>();
    expect(summary.incomplete).toContainEqual({ className: '6A1', fullName: 'Nguyễn Văn An', reasons: ['Toán: thiếu điểm cuối kì'] });
    const an = (await principal.get(`${cls(F.class6A1)}/results?period=hk1`)).json<TClassResults>().students.find((s) => s.studentId === F.studentAn);
    expect(an).toMatchObject({ learning: 'Chưa đủ điều kiện xếp loại', missing: ['Toán: thiếu điểm cuối kì'] });
    expect(an?.marks.toan).toBe('');
  });

  it('a preview computes the summary and stores nothing: the grids not locked, the students who would be incomplete, in class order', async () => {
    const principal = await ctx.as('principalA1');
    const stored = () => db.selectFrom('student_result').select(['student_id', 'learning', 'computed_at']).where('period', '=', 'hk1').orderBy('student_id').execute();
    const before = await stored();
    const audits = async () => (await db.selectFrom('audit_log').select('id').where('action', '=', 'results.close').execute()).length;
    const auditsBefore = await audits();
    const preview = (await principal.post(`${school}/results/close`, { year: 2025, period: 'hk1', preview: true })).json<TCloseSummary>();
    expect(preview.stored).toBe(false);
    expect(await stored()).toEqual(before);
    expect(await audits()).toBe(auditsBefore);
    expect(preview.incomplete).toContainEqual({ className: '6A1', fullName: 'Nguyễn Văn An', reasons: ['Toán: thiếu điểm cuối kì'] });
    const classes = preview.incomplete.map((x) => x.className);
    expect(classes).toEqual([...classes].sort((a, b) => a.localeCompare(b, 'vi', { numeric: true })));
    // No grid of 2025's term I is locked in this file: every class × taught subject of the period counts.
    const taught = await db.selectFrom('gradebook_state').select('state').where('school_id', '=', F.schoolA1).where('term', '=', 1).where('state', '=', 'locked').execute();
    expect(taught).toEqual([]);
    expect(preview.unlockedGrids).toBeGreaterThan(0);
    // Locking one grid takes one off the count.
    await db.insertInto('gradebook_state').values({ school_id: F.schoolA1, class_id: F.class6A1, subject_code: 'toan', term: 1, state: 'locked' }).execute();
    const after = (await principal.post(`${school}/results/close`, { year: 2025, period: 'hk1', preview: true })).json<TCloseSummary>();
    expect(after.unlockedGrids).toBe(preview.unlockedGrids - 1);
    await db.deleteFrom('gradebook_state').where('class_id', '=', F.class6A1).where('subject_code', '=', 'toan').where('term', '=', 1).execute();
    // The real close stores and says so.
    expect((await principal.post(`${school}/results/close`, { year: 2025, period: 'hk1' })).json<TCloseSummary>().stored).toBe(true);
  });
});

/** The contact book's notices of publications an account got (kind results_published), oldest first. */
const noticesOf = (userId: string) =>
  db.selectFrom('notification').select(['title', 'body', 'student_id', 'link']).where('user_id', '=', userId).where('kind', '=', 'results_published').orderBy('created_at').execute();

describe('what families see: only what the school published (for the contact book)', () => {
  it('a parent sees no mark until the teacher publishes the column, then only that column', async () => {
    const parent = await ctx.as('parentC');
    const url = `${school}/students/${F.studentCuong}/results`;
    const before = (await parent.get(url)).json<{ subjects: unknown[]; results: unknown[]; attendance: { excused: number } }>();
    expect(before.subjects).toEqual([]);
    expect(before.results).toEqual([]);
    expect(before.attendance.excused).toBe(46);

    const teacher = await ctx.as('mathA1');
    const publish = await teacher.put(`${cls(F.class6A2)}/gradebook/toan/publication`, { term: 1, columns: ['tx1', 'gk'], published: true });
    expect(publish.statusCode).toBe(200);
    const grid = (await teacher.get(`${cls(F.class6A2)}/gradebook/toan?term=1`)).json<{ published: string[] }>();
    expect(grid.published).toEqual(['tx1', 'gk']);
    const after = (await parent.get(url)).json<{ subjects: Array<{ subjectName: string; terms: Array<{ term: number; marks: Array<{ label: string; value: string }> }> }> }>();
    expect(after.subjects).toEqual([{ subjectName: 'Toán', terms: [{ term: 1, marks: [{ label: 'TX1', value: '6' }, { label: 'Giữa kì', value: '6' }], comment: null }] }]);
    // The family is told, in the inbox (and by its channels): what was published and the class, never the mark.
    expect(await noticesOf(F.users.parentC)).toEqual([{ title: 'Điểm môn Toán đã được công bố', body: 'Lớp 6A2, học kì I', student_id: F.studentCuong, link: `/con-cua-toi/${F.schoolA1}/${F.studentCuong}` }]);
    expect(await noticesOf(F.users.parentA)).toEqual([]);
    // Another subject's teacher cannot publish Toán; the homeroom teacher of another class finds nothing.
    expect((await (await ctx.as('homeroomA1')).put(`${cls(F.class6A2)}/gradebook/toan/publication`, { term: 1, columns: ['ck'], published: true })).statusCode).toBe(404);
  });

  it('results appear once the class results are published; another family never sees them', async () => {
    const principal = await ctx.as('principalA1');
    await principal.post(`${school}/results/close`, { year: 2025, period: 'cn' });
    expect((await principal.put(`${cls(F.class6A1)}/results/publication`, { year: 2025, period: 'hk2', published: true })).json()).toMatchObject({ code: 'results_not_closed' });
    expect((await principal.put(`${cls(F.class6A2)}/results/publication`, { year: 2025, period: 'cn', published: true })).statusCode).toBe(200);
    const mine = (await (await ctx.as('parentC')).get(`${school}/students/${F.studentCuong}/results`)).json<{ results: Array<{ periodLabel: string; promotion: string | null }> }>();
    expect(mine.results).toMatchObject([{ periodLabel: 'Cả năm', promotion: 'Ở lại lớp' }]);
    expect((await noticesOf(F.users.parentC)).map((n) => [n.title, n.body])).toContainEqual(['Kết quả cả năm đã được công bố', 'Lớp 6A2']);
    // 6A2's families only: An's family (6A1) heard nothing.
    expect(await noticesOf(F.users.parentA)).toEqual([]);
    // parentA is An's parent, not Cường's: 404 with nothing of Cường's in it.
    const other = await (await ctx.as('parentA')).get(`${school}/students/${F.studentCuong}/results`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Cường');
    // The student reads their own; An's class results are not published.
    const an = (await (await ctx.as('studentAn')).get(`${school}/students/${F.studentAn}/results`)).json<{ results: unknown[] }>();
    expect(an.results).toEqual([]);
  });

  it('training published to families does not change under them; taken back, the change is audited with before and after', async () => {
    const principal = await ctx.as('principalA1');
    // 6A2's year is published (above): its term II training stands under what the family reads.
    const refused = await principal.put(`${cls(F.class6A2)}/training`, { term: 2, ratings: [{ studentId: F.studentCuong, level: 'tot' }] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'training_published', detail: expect.stringContaining('thôi công bố kết quả đó') });
    expect(await db.selectFrom('training_rating').select('level').where('student_id', '=', F.studentCuong).where('term', '=', 2).executeTakeFirst()).toBeUndefined();
    expect((await principal.put(`${cls(F.class6A2)}/results/publication`, { year: 2025, period: 'cn', published: false })).statusCode).toBe(200);
    expect((await principal.put(`${cls(F.class6A2)}/training`, { term: 2, ratings: [{ studentId: F.studentCuong, level: 'tot' }] })).statusCode).toBe(200);
    // The same rating again changes nothing and writes no line.
    expect((await principal.put(`${cls(F.class6A2)}/training`, { term: 2, ratings: [{ studentId: F.studentCuong, level: 'tot' }] })).statusCode).toBe(200);
    const audits = await db.selectFrom('audit_log').select(['action', 'after', 'target_label']).where('action', 'in', ['training.rate', 'results.publish', 'results.unpublish']).where('entity_id', '=', F.class6A2).orderBy('at').execute();
    expect(audits).toEqual([
      // The year-close test rated Cường's term I.
      { action: 'training.rate', after: { training_changes: 'Hoàng Quốc Cường: chưa xếp loại → Đạt' }, target_label: 'Lớp 6A2 (2025-2026), học kì I' },
      { action: 'results.publish', after: { resultPeriod: 'Cả năm' }, target_label: 'Lớp 6A2 (2025-2026)' },
      { action: 'results.unpublish', after: { resultPeriod: 'Cả năm' }, target_label: 'Lớp 6A2 (2025-2026)' },
      { action: 'training.rate', after: { training_changes: 'Hoàng Quốc Cường: chưa xếp loại → Tốt' }, target_label: 'Lớp 6A2 (2025-2026), học kì II' },
    ]);
  });
});

describe('the học bạ from the closed year (TT22 annex), and its signature', () => {
  it('prints the year: subjects with term and year averages, results, decision, award — text intact', async () => {
    // The mark the term-close test took away comes back, and the year is closed again.
    await db
      .insertInto('gradebook_cell')
      .values({ school_id: F.schoolA1, class_id: F.class6A1, subject_code: 'toan', term: 1, student_id: F.studentAn, column_key: 'ck', score_tenths: 92 })
      .execute();
    expect((await (await ctx.as('principalA1')).post(`${school}/results/close`, { year: 2025, period: 'cn' })).statusCode).toBe(200);
    await db.updateTable('student').set({ register_number: '125/THCS' }).where('id', '=', F.studentAn).execute();
    const res = await (await ctx.as('homeroomA1')).get(`${school}/students/${F.studentAn}/hoc-ba.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = (await pdfPageTexts(res.rawPayload)).join('\n');
    for (const want of ['Nguyễn Văn An', '2025-2026', '6A1', 'Toán', '9,3', 'Học sinh Xuất sắc', 'Được lên lớp', 'Tốt', 'Số đăng bộ: 125/THCS']) expect(text, want).toContain(want);
    // A subject teacher does not print học bạ; another family never reaches it.
    expect((await (await ctx.as('mathA1')).get(`${school}/students/${F.studentCuong}/hoc-ba.pdf`)).statusCode).toBe(404);
    expect((await (await ctx.as('parentA')).get(`${school}/students/${F.studentAn}/hoc-ba.pdf`)).statusCode).toBe(404);
  });

  it('the principal signs it with the school certificate (not kept); the signature verifies and a changed byte fails it', async () => {
    const cert = identity('Trường THCS Lê Lợi', { serial: '01', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 365 * 86_400_000) });
    const upload = (who: 'principalA1' | 'homeroomA1') =>
      ctx.as(who).then((s) => {
        const m = multipartWith(pkcs12(cert, [], 'mật khẩu thử'), 'mật khẩu thử');
        return ctx.app.inject({ method: 'POST', url: `${school}/students/${F.studentAn}/hoc-ba/signed.pdf`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
      });
    expect((await upload('homeroomA1')).statusCode).toBe(404);
    const res = await upload('principalA1');
    expect(res.statusCode).toBe(200);
    const check = verifyPdfSignature(res.rawPayload);
    expect(check).toMatchObject({ valid: true, coversWholeFile: true, signer: 'Trường THCS Lê Lợi' });
    const tampered = Buffer.from(res.rawPayload);
    const at = tampered.indexOf('Toán');
    tampered[at > 0 ? at : 200] ^= 1;
    expect(verifyPdfSignature(tampered).valid).toBe(false);
    expect((await pdfPageTexts(res.rawPayload)).join('\n')).toContain('Nguyễn Văn An');
  });

  it('the principal signs the whole class in one go: one signed book per student in a .zip, each verifying; a wrong password signs nothing', async () => {
    const cert = identity('Trường THCS Lê Lợi', { serial: '02', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 365 * 86_400_000) });
    const upload = (who: 'principalA1' | 'homeroomA1', classId: string, passphrase = 'mật khẩu thử') =>
      ctx.as(who).then((s) => {
        const m = multipartWith(pkcs12(cert, [], 'mật khẩu thử'), passphrase);
        return ctx.app.inject({ method: 'POST', url: `${cls(classId)}/hoc-ba/signed.zip`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': m.contentType }, payload: m.payload });
      });
    expect((await upload('homeroomA1', F.class6A1)).statusCode).toBe(404);
    const wrong = await upload('principalA1', F.class6A1, 'sai');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'p12_unreadable' });

    const res = await upload('principalA1', F.class6A1);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files).sort()).toEqual(['6A1/Nguyễn Văn An.pdf', '6A1/Đặng Thị Bình.pdf']);
    for (const [name, body] of Object.entries(files)) {
      const pdf = Buffer.from(body);
      expect(verifyPdfSignature(pdf), name).toMatchObject({ valid: true, coversWholeFile: true, signer: 'Trường THCS Lê Lợi' });
      const student = name.slice('6A1/'.length, -'.pdf'.length);
      expect((await pdfPageTexts(pdf)).join('\n'), name).toContain(student);
    }
  });
});
