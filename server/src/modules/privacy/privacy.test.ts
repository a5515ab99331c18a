import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { isoToday } from '../../../../domain/index.js';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { pdfPageTexts } from '../../../test/pdf-text.js';
import { retentionCutoff } from './privacy.service.js';

// Personal-data duties: consents, export on request, who viewed a record, anonymisation.
// Tests run in order and build on each other's changes.
const ctx = await setupTestApp();
const db = ctx.handle.db;
const A1 = `/api/v1/schools/${F.schoolA1}`;
const consents = (id: string, base = A1) => `${base}/students/${id}/consents`;
const motherOfAn = '00000000-0000-7000-8000-000000007001';

type Item = { purpose: string; allowed: boolean; reason: string; guardian: string; student: string; needsStudent: boolean };
const item = (body: { items: Item[] }, purpose: string) => body.items.find((i) => i.purpose === purpose)!;
const countRows = async (table: 'access_log' | 'audit_log' | 'consent_record') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('consents (ND 13/2023 Art. 11, 12, 20)', () => {
  it('shows every purpose; school records rest on the law, optional purposes start without consent', async () => {
    const res = await (await ctx.as('parentA')).get(consents(F.studentAn));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.mode).toBe('guardian');
    expect(item(body, 'school_records')).toMatchObject({ allowed: true, reason: 'legal_obligation' });
    expect(item(body, 'photo_publish')).toMatchObject({ allowed: false, reason: 'guardian_missing', needsStudent: true });
  });

  it('a parent gives consent online; An is ≥ 7 so his own consent is still missing', async () => {
    const res = await (await ctx.as('parentA')).post(consents(F.studentAn), { purpose: 'photo_publish', action: 'give' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(item(body, 'photo_publish')).toMatchObject({ allowed: false, reason: 'student_missing', guardian: 'given' });
    expect(body.records).toHaveLength(1);
    expect(body.records[0]).toMatchObject({ giver: 'guardian', giverName: 'Trần Thị Mai', giverRelation: 'mother', method: 'online', effectiveDate: isoToday() });
    const audit = await db.selectFrom('audit_log').select(['action', 'entity_id', 'user_id']).where('action', '=', 'consent.give').execute();
    expect(audit).toEqual([{ action: 'consent.give', entity_id: F.studentAn, user_id: F.users.parentA }]);
  });

  it('the child gives their own consent with the student account: now allowed', async () => {
    const res = await (await ctx.as('studentAn')).post(consents(F.studentAn), { purpose: 'photo_publish', action: 'give' });
    expect(res.statusCode, res.body).toBe(200);
    expect(item(res.json(), 'photo_publish')).toMatchObject({ allowed: true, reason: 'ok', student: 'given' });
  });

  it('a parent cannot consent for another child, nor for the child themself', async () => {
    const before = await countRows('consent_record');
    const parentA = await ctx.as('parentA');
    const other = await parentA.post(consents(F.studentCuong), { purpose: 'photo_publish', action: 'give' });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Cường');
    expect((await (await ctx.as('parentC')).post(consents(F.studentAn), { purpose: 'contact_book', action: 'give' })).statusCode).toBe(404);
    expect((await (await ctx.as('parentC')).get(consents(F.studentAn))).statusCode).toBe(404);
    const asChild = await parentA.post(consents(F.studentAn), { purpose: 'contact_book', action: 'give', giver: 'student' });
    expect(asChild.statusCode).toBe(400);
    expect(asChild.json().detail).toContain('con tự thể hiện');
    expect(await countRows('consent_record')).toBe(before);
  });

  it('teachers read the status but cannot record; another school cannot even read', async () => {
    const t = await ctx.as('homeroomA1');
    const read = await t.get(consents(F.studentBinh));
    expect(read.statusCode).toBe(200);
    expect(read.json().mode).toBeNull();
    expect([403, 404]).toContain((await t.post(consents(F.studentBinh), { purpose: 'photo_publish', action: 'give', giver: 'student' })).statusCode);
    expect((await (await ctx.as('principalB1')).get(consents(F.studentAn))).statusCode).toBe(404);
    expect((await (await ctx.as('principalB1')).post(consents(F.studentAn), { purpose: 'photo_publish', action: 'withdraw', giver: 'student' })).statusCode).toBe(404);
  });

  it('the principal records a paper withdrawal by the mother: processing stops', async () => {
    const p = await ctx.as('principalA1');
    const missing = await p.post(consents(F.studentAn), { purpose: 'photo_publish', action: 'withdraw', giver: 'guardian' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toBe('Hãy chọn cha mẹ hoặc người giám hộ đã ký phiếu.');
    const res = await p.post(consents(F.studentAn), { purpose: 'photo_publish', action: 'withdraw', giver: 'guardian', guardianId: motherOfAn, effectiveDate: isoToday(), note: 'Phiếu số 12' });
    expect(res.statusCode, res.body).toBe(200);
    expect(item(res.json(), 'photo_publish')).toMatchObject({ allowed: false, reason: 'withdrawn', guardian: 'withdrawn', student: 'given' });
    expect(res.json().records.at(-1)).toMatchObject({ method: 'paper', action: 'withdraw', recordedBy: 'ht.a1', note: 'Phiếu số 12' });
  });

  it('refuses bad input in Vietnamese and writes nothing', async () => {
    const before = await countRows('consent_record');
    const p = await ctx.as('principalA1');
    const cases: [unknown, string][] = [
      [{ purpose: 'school_records', action: 'give', giver: 'student' }, 'theo quy định của pháp luật'],
      [{ purpose: 'contact_book', action: 'withdraw', giver: 'student' }, 'Chưa có sự đồng ý nào'],
      [{ purpose: 'contact_book', action: 'give', giver: 'student', effectiveDate: '2099-01-01' }, 'không được sau ngày hôm nay'],
      [{ purpose: 'contact_book', action: 'give', giver: 'student', effectiveDate: '2010-01-01' }, 'trước ngày sinh'],
      [{ purpose: 'contact_book', action: 'give', giver: 'guardian', guardianId: '00000000-0000-7000-8000-000000007002' }, 'không có trong hồ sơ'],
      [{ purpose: 'marketing', action: 'give' }, 'Mục đích xử lý dữ liệu không có trong danh sách'],
    ];
    for (const [body, text] of cases) {
      const res = await p.post(consents(F.studentAn), body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toContain(text);
    }
    expect(await countRows('consent_record')).toBe(before);
  });

  it('history is append-only in the database itself', async () => {
    await expect(sql`update consent_record set action = 'give'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from consent_record`.execute(db)).rejects.toThrow(/append-only/);
    expect(await countRows('consent_record')).toBe(3);
  });
});

describe('who viewed the record', () => {
  it('a profile view writes one access row; the student list writes none', async () => {
    const before = await countRows('access_log');
    const t = await ctx.as('homeroomA1');
    expect((await t.get(`${A1}/students`)).statusCode).toBe(200);
    expect(await countRows('access_log')).toBe(before);
    expect((await t.get(`${A1}/students/${F.studentBinh}`)).statusCode).toBe(200);
    const rows = await db.selectFrom('access_log').selectAll().where('student_id', '=', F.studentBinh).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ school_id: F.schoolA1, user_id: F.users.homeroomA1, username: 'gvcn.a1', action: 'profile_view' });
    // A refused view is not a view.
    expect((await (await ctx.as('parentC')).get(`${A1}/students/${F.studentBinh}`)).statusCode).toBe(404);
    expect(await countRows('access_log')).toBe(before + 1);
  });

  it('an Excel list export logs one row per exported student, in one statement', async () => {
    const res = await (await ctx.as('mathA1')).get(`${A1}/students/export.xlsx`);
    expect(res.statusCode).toBe(200);
    const rows = await db.selectFrom('access_log').select(['student_id', 'user_id', 'school_id']).where('action', '=', 'list_export').execute();
    // The subject teacher's export holds only Cường (their class 6A2).
    expect(rows).toEqual([{ student_id: F.studentCuong, user_id: F.users.mathA1, school_id: F.schoolA1 }]);
    const all = await (await ctx.as('principalA1')).get(`${A1}/students/export.xlsx`);
    expect(all.statusCode).toBe(200);
    const byPrincipal = await db.selectFrom('access_log').select('student_id').where('action', '=', 'list_export').where('user_id', '=', F.users.principalA1).execute();
    expect(byPrincipal.map((r) => r.student_id).sort()).toEqual([F.studentAn, F.studentBinh, F.studentCuong].sort());
  });

  it('the principal sees who viewed it; a teacher and another school cannot', async () => {
    const res = await (await ctx.as('principalA1')).get(`${A1}/students/${F.studentBinh}/access-log`);
    expect(res.statusCode).toBe(200);
    // Newest first: the principal's list export, then the homeroom teacher's profile view.
    expect(res.json().items).toEqual([
      expect.objectContaining({ username: 'ht.a1', action: 'list_export' }),
      expect.objectContaining({ username: 'gvcn.a1', action: 'profile_view', displayName: expect.any(String) }),
    ]);
    expect([403, 404]).toContain((await (await ctx.as('homeroomA1')).get(`${A1}/students/${F.studentBinh}/access-log`)).statusCode);
    expect((await (await ctx.as('principalB1')).get(`${A1}/students/${F.studentBinh}/access-log`)).statusCode).toBe(404);
  });
});

describe('export of one person\'s data on request', () => {
  const url = (id: string) => `${A1}/students/${id}/personal-data`;

  it('the principal downloads everything held about An as a JSON file, and the export is audited', async () => {
    await (await ctx.as('parentA')).get(`${A1}/students/${F.studentAn}`); // a view to find in the export
    const res = await (await ctx.as('principalA1')).get(url(F.studentAn));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="du-lieu-ca-nhan-0100000001.json"');
    const data = res.json();
    expect(data.student).toMatchObject({ id: F.studentAn, learner_id: '0100000001', given_name: 'An' });
    expect(data.guardians).toEqual([expect.objectContaining({ full_name: 'Trần Thị Mai', phone: '0912345678' })]);
    expect(data.profile.enrolments).toHaveLength(1);
    expect(data.consents.records).toHaveLength(3);
    expect(data.consents.status.find((s: Item) => s.purpose === 'photo_publish').allowed).toBe(false);
    expect(data.auditLog.map((a: { action: string }) => a.action)).toEqual(['consent.give', 'consent.give', 'consent.withdraw']);
    expect(data.accessLog).toEqual([
      expect.objectContaining({ username: 'ph.an', action: 'profile_view' }),
      expect.objectContaining({ username: 'ht.a1', action: 'list_export' }),
    ]);
    expect(data.accounts).toEqual([expect.objectContaining({ username: 'hs.an' })]);
    // Staff IP addresses are the staff's data, not the student's.
    expect(data.auditLog[0]).not.toHaveProperty('ip');
    expect(data.accessLog[0]).not.toHaveProperty('ip');
    const audit = await db.selectFrom('audit_log').select(['user_id', 'entity_id']).where('action', '=', 'student.personal_data_export').execute();
    expect(audit).toEqual([{ user_id: F.users.principalA1, entity_id: F.studentAn }]);
    const logged = await db.selectFrom('access_log').select('user_id').where('action', '=', 'personal_data_export').execute();
    expect(logged).toEqual([{ user_id: F.users.principalA1 }]);
  });

  it('a parent exports their own child only; teachers and other schools are refused', async () => {
    const own = await (await ctx.as('parentA')).get(url(F.studentAn));
    expect(own.statusCode).toBe(200);
    expect(own.json().student.id).toBe(F.studentAn);
    const auditBefore = await countRows('audit_log');
    for (const [who, id] of [['parentA', F.studentCuong], ['parentC', F.studentAn], ['principalB1', F.studentAn]] as const) {
      const res = await (await ctx.as(who)).get(url(id));
      expect(res.statusCode, `${who} ${id}`).toBe(404);
      expect(res.body).not.toMatch(/Nguyễn Văn An|Cường|0912345678/);
    }
    for (const who of ['homeroomA1', 'staffA1', 'studentAn'] as const) {
      expect([403, 404], who).toContain((await (await ctx.as(who)).get(url(F.studentAn))).statusCode);
    }
    expect(await countRows('audit_log')).toBe(auditBefore);
  });
});

describe('the readable form of the export (issue 8: "JSON" means nothing to a parent)', () => {
  it('a parent prints their child\'s data as a PDF in Vietnamese: labels, names for codes, dd/mm/yyyy dates, no raw codes, ids or JSON', async () => {
    const parent = await ctx.as('parentA');
    const res = await parent.get(`${A1}/students/${F.studentAn}/personal-data.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="du-lieu-ca-nhan-0100000001\.pdf"/);
    const text = (await pdfPageTexts(res.rawPayload)).join('\n').replace(/\s+/g, ' ');
    for (const expected of [
      'DỮ LIỆU CÁ NHÂN CỦA HỌC SINH NGUYỄN VĂN AN',
      'Hồ sơ học sinh',
      'Họ và tên Nguyễn Văn An',
      'Ngày sinh 02/03/2014',
      'Giới tính Nam',
      'Dân tộc Kinh',
      'Mã định danh (Bộ GD&ĐT) 0100000001',
      'Cha mẹ, người giám hộ',
      'Mẹ Trần Thị Mai; sinh năm 1985; điện thoại 0912345678',
      'Quá trình học',
      'Đồng ý xử lý dữ liệu cá nhân',
      'Lịch sử đồng ý / rút lại',
      'Ghi nhận đồng ý xử lý dữ liệu',
      'Rút lại sự đồng ý',
      'Ai đã xem hồ sơ',
      'Xem hồ sơ',
      'Xuất hoặc in danh sách',
      'hs.an',
    ]) {
      expect(text, expected).toContain(expected);
    }
    // Times as dd/mm/yyyy HH:mm.
    expect(text).toMatch(/xuất lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
    // What a person must never read: codes, column names, ISO dates, ids, JSON.
    for (const raw of ['profile_view', 'list_export', 'consent.give', 'photo_publish', 'given_name', 'mother', 'male', '2014-03-02', F.studentAn, '{', '"']) {
      expect(text, raw).not.toContain(raw);
    }
    // Printing is an export like the JSON one: audited and logged.
    const audit = await db.selectFrom('audit_log').select(['after']).where('action', '=', 'student.personal_data_export').where('user_id', '=', F.users.parentA).execute();
    expect(audit.map((a) => a.after)).toContainEqual({ format: 'pdf' });
  });

  it('others are refused as for the JSON export', async () => {
    for (const [who, id] of [['parentA', F.studentCuong], ['parentC', F.studentAn], ['principalB1', F.studentAn]] as const) {
      expect((await (await ctx.as(who)).get(`${A1}/students/${id}/personal-data.pdf`)).statusCode, `${who}`).toBe(404);
    }
  });
});

describe('anonymisation after the retention period', () => {
  const OLD = {
    fullName: 'Phan Thị Xuân Hương',
    learnerId: '0100000777',
    citizenId: '001314000777',
    address: 'Số 9 ngõ Hạnh Phúc',
    birthplace: 'Bệnh viện Từ Dũ',
    guardianName: 'Phan Văn Khải',
    phone: '0977000777',
    email: 'khai.phan@example.vn',
  };
  let hId = '';
  const anonUrl = `${A1}/privacy/anonymisation`;

  it('retention cutoff: N years before today, 29 February → 28 February', () => {
    expect(retentionCutoff('2026-11-23', 5)).toBe('2021-11-23');
    expect(retentionCutoff('2028-02-29', 5)).toBe('2023-02-28');
    expect(() => retentionCutoff('2026-01-01', 0)).toThrow(/≥ 1/);
  });

  it('sets up a learner who left long ago, with guardians, consents, an account and audit rows', async () => {
    const p = await ctx.as('principalA1');
    const created = await p.post(`${A1}/students`, {
      fullName: OLD.fullName,
      dateOfBirth: '2012-04-20',
      sex: 'female',
      classId: F.class6A1,
      learnerId: OLD.learnerId,
      citizenId: OLD.citizenId,
      registerNumber: '77/THCS',
      address: OLD.address,
      birthplace: OLD.birthplace,
      admissionDate: '2025-09-05',
      guardians: [{ relation: 'father', fullName: OLD.guardianName, phone: OLD.phone, email: OLD.email }],
    });
    expect(created.statusCode, created.body).toBe(200);
    hId = created.json().id;
    const gId = created.json().guardians[0].id;
    const c = await p.post(consents(hId), { purpose: 'contact_book', action: 'give', giver: 'guardian', guardianId: gId, effectiveDate: '2025-09-05' });
    expect(c.statusCode, c.body).toBe(200);
    expect((await p.post(consents(hId), { purpose: 'contact_book', action: 'give', giver: 'student', effectiveDate: '2025-09-05' })).statusCode).toBe(200);
    await db
      .insertInto('app_user')
      .values({ id: '00000000-0000-7000-8000-00000000e777', username: OLD.learnerId, password_hash: 'x', display_name: OLD.fullName, student_school_id: F.schoolA1, student_id: hId })
      .execute();
    // She left ten years ago (backdated directly: the API only records changes as of today).
    await db.updateTable('student').set({ is_current: false, status_code: '04', status_date: '2016-06-01' }).where('id', '=', hId).execute();
    await db.updateTable('enrolment').set({ end_date: '2016-06-01' }).where('student_id', '=', hId).execute();
    await sql`update student_event set note = ${`Phụ huynh ${OLD.guardianName} xin chuyển`} where student_id = ${hId}`.execute(db);
    // Cường left only today: within the retention period.
    await db.updateTable('student').set({ is_current: false, status_code: '05', status_date: isoToday() }).where('id', '=', F.studentCuong).execute();
  });

  it('lists only learners past the retention period who are on no school\'s roll', async () => {
    // While the same learner is on another school's roll, nothing of theirs may go.
    const her = await db.selectFrom('student').selectAll().where('id', '=', hId).executeTakeFirstOrThrow();
    const elsewhere = '00000000-0000-7000-8000-00000000e778';
    await db
      .insertInto('student')
      .values({ ...her, school_id: F.schoolA2, id: elsewhere, learner_id: null, citizen_id: null, temp_code: 'TMP-X-000001', is_current: true, current_class_id: null })
      .execute();
    const whileElsewhere = await (await ctx.as('principalA1')).get(anonUrl);
    expect(whileElsewhere.json().items).toEqual([]);
    await db.deleteFrom('student').where('id', '=', elsewhere).execute();
    const res = await (await ctx.as('principalA1')).get(anonUrl);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.retentionYears).toBe(5);
    expect(body.items).toEqual([expect.objectContaining({ id: hId, fullName: OLD.fullName, leftOn: '2016-06-01', enrolments: 1 })]);
  });

  it('is refused below the principal of that school', async () => {
    for (const who of ['staffA1', 'homeroomA1', 'parentA', 'soA', 'communeA'] as const) {
      const s = await ctx.as(who);
      expect([403, 404], who).toContain((await s.get(anonUrl)).statusCode);
      expect([403, 404], who).toContain((await s.post(anonUrl, { studentIds: [hId] })).statusCode);
    }
    expect((await (await ctx.as('principalB1')).post(anonUrl, { studentIds: [hId] })).statusCode).toBe(404);
    const row = await db.selectFrom('student').select('given_name').where('id', '=', hId).executeTakeFirstOrThrow();
    expect(row.given_name).toBe('Hương');
  });

  it('refuses the whole batch when one student is not eligible', async () => {
    const res = await (await ctx.as('principalA1')).post(anonUrl, { studentIds: [hId, F.studentCuong] });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toContain('1 học sinh đã chọn chưa đủ điều kiện ẩn danh');
    const row = await db.selectFrom('student').select(['given_name', 'learner_id']).where('id', '=', hId).executeTakeFirstOrThrow();
    expect(row).toEqual({ given_name: 'Hương', learner_id: OLD.learnerId });
    expect(await db.selectFrom('student_anonymisation').selectAll().execute()).toEqual([]);
  });

  it('anonymises in one transaction: no personal data left anywhere, enrolments and counts kept', async () => {
    const enrolmentsBefore = await db.selectFrom('enrolment').select('id').where('student_id', '=', hId).execute();
    const res = await (await ctx.as('principalA1')).post(anonUrl, { studentIds: [hId] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ anonymised: 1 });

    // Search the text of every row of every table that holds people for what identified her.
    const needles = [OLD.fullName, 'Hương', OLD.learnerId, OLD.citizenId, OLD.address, OLD.birthplace, OLD.guardianName, OLD.phone, OLD.email, '2012-04-20'];
    for (const table of ['student', 'guardian', 'consent_record', 'student_event', 'enrolment', 'audit_log', 'app_user', 'student_anonymisation', 'access_log']) {
      const rows = await sql<{ t: string }>`select x::text as t from ${sql.table(table)} x`.execute(db);
      for (const r of rows.rows) for (const n of needles) expect(r.t.includes(n), `${table} still holds "${n}": ${r.t.slice(0, 200)}`).toBe(false);
    }
    const s = await db.selectFrom('student').selectAll().where('id', '=', hId).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ given_name: 'Học sinh đã ẩn danh', date_of_birth: '2012-01-01', sex: 'female', learner_id: null, citizen_id: null, register_number: null, address: null, status_code: '04' });
    expect(await db.selectFrom('enrolment').select('id').where('student_id', '=', hId).execute()).toEqual(enrolmentsBefore);
    const anon = await db.selectFrom('student_anonymisation').selectAll().where('student_id', '=', hId).executeTakeFirstOrThrow();
    expect(anon.consent_counts).toEqual({ contact_book: { give: 2 } });
    expect(anon).toMatchObject({ anonymised_by: F.users.principalA1, retention_years: 5, left_on: '2016-06-01' });
    const account = await db.selectFrom('app_user').select(['is_active', 'display_name']).where('id', '=', '00000000-0000-7000-8000-00000000e777').executeTakeFirstOrThrow();
    expect(account).toEqual({ is_active: false, display_name: 'Học sinh đã ẩn danh' });
    const audit = await db.selectFrom('audit_log').select(['action', 'after']).where('entity_id', '=', hId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['student.create', 'consent.give', 'student.anonymise']));
    expect(audit.find((a) => a.action === 'student.create')!.after).toEqual({ anonymised: true });
  });

  it('afterwards: off the eligible list, no new consents, and the export holds only the anonymised record', async () => {
    const p = await ctx.as('principalA1');
    expect((await p.get(anonUrl)).json().items).toEqual([]);
    expect((await p.post(anonUrl, { studentIds: [hId] })).statusCode).toBe(400);
    const c = await p.post(consents(hId), { purpose: 'photo_publish', action: 'give', giver: 'student' });
    expect(c.statusCode).toBe(400);
    expect(c.json().code).toBe('student_anonymised');
    const overview = (await p.get(consents(hId))).json();
    expect(overview).toMatchObject({ records: [], mode: null, anonymised: { consentCounts: { contact_book: { give: 2 } } } });
    const exp = await p.get(`${A1}/students/${hId}/personal-data`);
    expect(exp.statusCode).toBe(200);
    expect(exp.body).not.toContain('Hương');
    expect(exp.body).not.toContain(OLD.phone);
  });
});
