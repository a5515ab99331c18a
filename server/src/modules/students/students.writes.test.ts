import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { F, KITS } from '../../../test/fixture-ids.js';
import { type Session, setupTestApp } from '../../../test/harness.js';

// Write side: create, update, class transfer, status change, transfer between schools.
// Tests in this file run in order and build on each other's changes.
const ctx = await setupTestApp();
const db = ctx.handle.db;

const A1 = `/api/v1/schools/${F.schoolA1}`;

const class7A1 = '00000000-0000-7000-8000-00000000c701';
const class6A9old = '00000000-0000-7000-8000-00000000c609'; // school year 2024
const classA2 = '00000000-0000-7000-8000-00000000c201';

await db
  .insertInto('class')
  .values([
    { school_id: F.schoolA1, id: class7A1, year: 2025, name: '7A1', grade: 7, age_group: null, site_id: null, homeroom_teacher_id: null },
    { school_id: F.schoolA1, id: class6A9old, year: 2024, name: '6A9', grade: 6, age_group: null, site_id: null, homeroom_teacher_id: null },
    { school_id: F.schoolA2, id: classA2, year: 2025, name: '5A', grade: 5, age_group: null, site_id: null, homeroom_teacher_id: null },
  ])
  .execute();

const auditRows = (entityId: string) =>
  db.selectFrom('audit_log').select(['action', 'org_unit_id', 'before', 'after', 'user_id']).where('entity_id', '=', entityId).orderBy('at').orderBy('id').execute();

async function listNames(s: Session, query = '', base = A1): Promise<string[]> {
  const res = await s.get(`${base}/students${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { fullName: string }[]).map((i) => i.fullName);
}

const newStudent = (over: Record<string, unknown> = {}) => ({
  fullName: 'trần  thị   hồng',
  dateOfBirth: '2013-05-06',
  sex: 'female',
  classId: class7A1,
  admissionDate: '2025-09-05',
  ...over,
});

describe('POST /schools/:schoolId/students', () => {
  let hongId = '';

  it('creates a student with enrolment, admission event, guardians and an audit row', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(
      `${A1}/students`,
      newStudent({
        learnerId: '0100000099',
        citizenId: '001313000099',
        ethnicityCode: '02',
        guardians: [
          { relation: 'mother', fullName: 'nguyễn thị lan', phone: '0911111111' },
          { relation: 'father', fullName: 'Trần Văn Bình', birthYear: 1980 },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    hongId = p.id;
    expect(p).toMatchObject({
      fullName: 'Trần Thị Hồng',
      familyName: 'Trần',
      middleName: 'Thị',
      givenName: 'Hồng',
      learnerId: '0100000099',
      tempCode: null,
      citizenId: '001313000099',
      ethnicityName: 'Tày',
      statusCode: '01',
      statusDate: '2025-09-05',
      className: '7A1',
      grade: 7,
      isCurrent: true,
    });
    expect(p.personId).not.toBe(p.id);
    expect(p.guardians.map((g: { fullName: string }) => g.fullName).sort()).toEqual(['Nguyễn Thị Lan', 'Trần Văn Bình']);
    expect(p.enrolments).toEqual([{ year: 2025, className: '7A1', startDate: '2025-09-05', endDate: null, schoolName: 'Trường THCS Lê Lợi' }]);
    expect(p.history).toEqual([expect.objectContaining({ kind: 'admitted', eventDate: '2025-09-05', toClassName: '7A1', schoolName: 'Trường THCS Lê Lợi' })]);

    const audit = await auditRows(hongId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'student.create', org_unit_id: F.schoolA1, user_id: F.users.principalA1 });
    expect((audit[0]!.after as { learner_id: string; guardians: unknown[] }).learner_id).toBe('0100000099');
    expect((audit[0]!.after as { guardians: unknown[] }).guardians).toHaveLength(2);
  });

  it('search finds the new student without accents', async () => {
    expect(await listNames(await ctx.as('principalA1'), '?q=tran%20thi%20hong')).toEqual(['Trần Thị Hồng']);
  });

  it('issues a temporary code from the school code when there is no Ministry id', async () => {
    const s = await ctx.as('principalA1');
    const a = (await s.post(`${A1}/students`, newStudent({ fullName: 'Bùi Văn An' }))).json();
    const b = (await s.post(`${A1}/students`, newStudent({ fullName: 'Phạm Đức', sex: 'male' }))).json();
    expect(a.tempCode).toBe('TMP-01001001-000001');
    expect(b.tempCode).toBe('TMP-01001001-000002');
    expect(a.learnerId).toBeNull();
    expect(await listNames(s, '?q=TMP-01001001-000002')).toEqual(['Phạm Đức']);
    expect(await listNames(s, '?q=tmp-01001001-000002')).toEqual(['Phạm Đức']);
  });

  it('sorts a class in Vietnamese order by given name: An < Anh < Ánh < Duy < Đức < Hồng', async () => {
    const s = await ctx.as('principalA1');
    for (const fullName of ['Nguyễn Văn Ánh', 'Nguyễn Văn Anh', 'Trần Duy']) {
      expect((await s.post(`${A1}/students`, newStudent({ fullName }))).statusCode).toBe(200);
    }
    expect(await listNames(s, `?classId=${class7A1}`)).toEqual(['Bùi Văn An', 'Nguyễn Văn Anh', 'Nguyễn Văn Ánh', 'Trần Duy', 'Phạm Đức', 'Trần Thị Hồng']);
    // Whole school: grade 6 classes first, then 7A1.
    const all = await listNames(s);
    expect(all.slice(0, 3)).toEqual(['Nguyễn Văn An', 'Đặng Thị Bình', 'Hoàng Quốc Cường']);
    expect(all).toHaveLength(9);
    // The given name is compared whole, tone included, before the middle name (domain-vn §10, as
    // schools sort in Excel by Tên then Họ đệm; issue 8): Anh < Ánh, then Thị < Văn among the Ánh.
    expect((await s.post(`${A1}/students`, newStudent({ fullName: 'Lê Thị Ánh' }))).statusCode).toBe(200);
    expect((await listNames(s, `?classId=${class7A1}`)).slice(1, 4)).toEqual(['Nguyễn Văn Anh', 'Lê Thị Ánh', 'Nguyễn Văn Ánh']);
  });

  it('refuses a learner id already used by a current student, without saying where (409)', async () => {
    const s = await ctx.as('principalA1');
    const same = await s.post(`${A1}/students`, newStudent({ learnerId: '0100000001' }));
    expect(same.statusCode).toBe(409);
    expect(same.json().code).toBe('learner_id_taken');
    expect(same.json().detail).toContain('0100000001');
    // The learner sits in school B1: the message must not reveal that school.
    const other = await s.post(`${A1}/students`, newStudent({ learnerId: '0200000001' }));
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).not.toMatch(/Quang Trung|B1/);
    expect(other.json().detail).toContain('0200000001');
    const citizen = await s.post(`${A1}/students`, newStudent({ citizenId: '001313000099' }));
    expect(citizen.statusCode).toBe(409);
    expect(citizen.json().code).toBe('citizen_id_taken');
  });

  it('requires a class of this school and of the current school year', async () => {
    const s = await ctx.as('principalA1');
    const foreign = await s.post(`${A1}/students`, newStudent({ classId: F.class10B1 }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('class_not_in_school');
    const old = await s.post(`${A1}/students`, newStudent({ classId: class6A9old }));
    expect(old.statusCode).toBe(400);
    expect(old.json()).toMatchObject({ code: 'class_wrong_year' });
    expect(old.json().detail).toMatch(/^Lớp 6A9 không thuộc năm học 2025-2026 của trường\./);
  });

  it('validates codes, names, ids and guardians', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.post(`${A1}/students`, newStudent({ ethnicityCode: '99' }))).json().code).toBe('unknown_ethnicity');
    expect((await s.post(`${A1}/students`, newStudent({ learnerId: '12345' }))).statusCode).toBe(400);
    expect((await s.post(`${A1}/students`, newStudent({ dateOfBirth: '2013-02-30' }))).statusCode).toBe(400);
    const twoMothers = await s.post(
      `${A1}/students`,
      newStudent({ guardians: [{ relation: 'mother', fullName: 'Lê Thị A' }, { relation: 'mother', fullName: 'Lê Thị B' }] }),
    );
    expect(twoMothers.statusCode).toBe(400);
    expect(twoMothers.json().code).toBe('duplicate_guardian');
    const badPhone = await s.post(`${A1}/students`, newStudent({ guardians: [{ relation: 'mother', fullName: 'Lê Thị A', phone: '12' }] }));
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().detail).toBe('Điện thoại người giám hộ thứ 1: số điện thoại phải có dạng 09xxxxxxxx.');
  });

  it('rolls back the student, its enrolment, event and audit row when a write fails mid-transaction', async () => {
    // A trigger makes the guardian insert fail after the student row is already written.
    await sql`create function fail_guardian() returns trigger language plpgsql as $$
      begin
        if new.full_name = 'Lỗi Cố Ý' then raise exception 'guardian rejected for the test'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger fail_guardian before insert on guardian for each row execute function fail_guardian()`.execute(db);
    const auditBefore = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await (await ctx.as('principalA1')).post(
      `${A1}/students`,
      newStudent({ fullName: 'Võ Văn Rollback', learnerId: '0100000555', guardians: [{ relation: 'father', fullName: 'Lỗi Cố Ý' }] }),
    );
    await sql`drop trigger fail_guardian on guardian`.execute(db);
    await sql`drop function fail_guardian()`.execute(db);
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe('internal_error');
    expect(await db.selectFrom('student').select('id').where('learner_id', '=', '0100000555').execute()).toEqual([]);
    expect(await db.selectFrom('student').select('id').where('search_text', 'like', '%rollback%').execute()).toEqual([]);
    const auditAfter = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
    // And the same learner can be created afterwards: nothing half-written blocks it.
    const again = await (await ctx.as('principalA1')).post(`${A1}/students`, newStudent({ fullName: 'Võ Văn Rollback', learnerId: '0100000555' }));
    expect(again.statusCode).toBe(200);
  });

  it('only school managers may add students', async () => {
    for (const who of ['homeroomA1', 'mathA1', 'parentA', 'studentAn', 'principalB1', 'soB'] as const) {
      const res = await (await ctx.as(who)).post(`${A1}/students`, newStudent({ fullName: 'Không Được Thêm' }));
      expect(res.statusCode, who).toBe(404);
    }
    expect((await (await ctx.as('staffA1')).post(`${A1}/students`, newStudent({ fullName: 'Đỗ Văn Nhân' }))).statusCode).toBe(200);
  });

  it('needs the CSRF token', async () => {
    const s = await ctx.as('principalA1');
    const res = await ctx.app.inject({ method: 'POST', url: `${A1}/students`, headers: { cookie: s.cookie }, payload: newStudent() });
    expect(res.statusCode).toBe(403);
    expect(hongId).not.toBe('');
  });
});

describe('PATCH /schools/:schoolId/students/:studentId', () => {
  it('updates fields and audits before/after; omitted fields stay as they were', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.patch(`${A1}/students/${F.studentBinh}`, { fullName: 'đặng thị bình an', address: 'Thôn 3, xã Một' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ fullName: 'Đặng Thị Bình An', givenName: 'An', middleName: 'Thị Bình', address: 'Thôn 3, xã Một', ethnicityCode: '01', sex: 'female' });
    const audit = await auditRows(F.studentBinh);
    expect(audit.at(-1)).toMatchObject({ action: 'student.update', org_unit_id: F.schoolA1 });
    expect((audit.at(-1)!.before as { given_name: string }).given_name).toBe('Bình');
    expect((audit.at(-1)!.after as { given_name: string }).given_name).toBe('An');
    // The sort key and search text follow the new name.
    expect(await listNames(s, '?q=binh%20an')).toEqual(['Đặng Thị Bình An']);
    await s.patch(`${A1}/students/${F.studentBinh}`, { fullName: 'Đặng Thị Bình', address: null });
  });

  it('replaces guardians, keeping the ones passed by id so the parent account keeps access', async () => {
    const s = await ctx.as('principalA1');
    const guardianId = '00000000-0000-7000-8000-000000007001';
    const res = await s.patch(`${A1}/students/${F.studentAn}`, {
      guardians: [
        { id: guardianId, relation: 'mother', fullName: 'Trần Thị Mai', phone: '0900000001' },
        { relation: 'father', fullName: 'Nguyễn Văn Ba' },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const guardians = await db.selectFrom('guardian').selectAll().where('student_id', '=', F.studentAn).orderBy('relation').execute();
    expect(guardians.map((g) => [g.relation, g.full_name, g.phone])).toEqual([
      ['father', 'Nguyễn Văn Ba', null],
      ['mother', 'Trần Thị Mai', '0900000001'],
    ]);
    expect(guardians.find((g) => g.id === guardianId)?.user_id).toBe(F.users.parentA);
    expect((await (await ctx.as('parentA')).get(`${A1}/students/${F.studentAn}`)).statusCode).toBe(200);
    // A PATCH without guardians leaves them alone.
    await s.patch(`${A1}/students/${F.studentAn}`, { birthplace: 'Bệnh viện huyện Một' });
    expect(await db.selectFrom('guardian').select('id').where('student_id', '=', F.studentAn).execute()).toHaveLength(2);
    const audit = await auditRows(F.studentAn);
    expect(((audit.at(-2)!.before as { guardians: unknown[] }).guardians ?? []).length).toBe(1);
    expect(((audit.at(-2)!.after as { guardians: unknown[] }).guardians ?? []).length).toBe(2);
  });

  it('an empty guardian list removes them all, and the parent loses access', async () => {
    const s = await ctx.as('principalA1');
    expect((await s.patch(`${A1}/students/${F.studentCuong}`, { guardians: [] })).statusCode).toBe(200);
    expect((await (await ctx.as('parentC')).get(`${A1}/students/${F.studentCuong}`)).statusCode).toBe(404);
  });

  it('refuses a guardian id of another student, a taken learner id, and unknown students', async () => {
    const s = await ctx.as('principalA1');
    const foreign = await s.patch(`${A1}/students/${F.studentBinh}`, {
      guardians: [{ id: '00000000-0000-7000-8000-000000007001', relation: 'mother', fullName: 'Trần Thị Mai' }],
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('guardian_not_found');
    const taken = await s.patch(`${A1}/students/${F.studentBinh}`, { learnerId: '0100000001' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('learner_id_taken');
    expect((await s.patch(`${A1}/students/${F.studentB1}`, { address: 'x' })).statusCode).toBe(404);
    expect((await (await ctx.as('homeroomA1')).patch(`${A1}/students/${F.studentAn}`, { address: 'x' })).statusCode).toBe(404);
    // Keeping one's own learner id is not a conflict.
    expect((await s.patch(`${A1}/students/${F.studentBinh}`, { learnerId: '0100000002' })).statusCode).toBe(200);
  });
});

describe('POST /schools/:schoolId/students/:studentId/transfer-class', () => {
  it('closes the enrolment, opens one in the new class, and records the history', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${A1}/students/${F.studentBinh}/transfer-class`, { toClassId: F.class6A2, effectiveDate: '2025-11-03', note: 'Theo nguyện vọng gia đình' });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.className).toBe('6A2');
    expect(p.enrolments).toEqual([
      { year: 2025, className: '6A1', startDate: '2025-09-05', endDate: '2025-11-03', schoolName: 'Trường THCS Lê Lợi' },
      { year: 2025, className: '6A2', startDate: '2025-11-03', endDate: null, schoolName: 'Trường THCS Lê Lợi' },
    ]);
    expect(p.history).toEqual([
      expect.objectContaining({ kind: 'class_transfer', eventDate: '2025-11-03', fromClassName: '6A1', toClassName: '6A2', note: 'Theo nguyện vọng gia đình' }),
    ]);
    expect((await auditRows(F.studentBinh)).at(-1)?.action).toBe('student.transfer_class');
    // Teachers' lists follow the class change.
    expect(await listNames(await ctx.as('homeroomA1'))).toEqual(['Nguyễn Văn An']);
    expect(await listNames(await ctx.as('mathA1'))).toEqual(['Đặng Thị Bình', 'Hoàng Quốc Cường']);
    // On a date before the change, the dashboard still counts her in 6A1.
    const d = (await s.get(`${A1}/dashboard?asOf=2025-10-01`)).json();
    expect(d.byClass.find((c: { className: string }) => c.className === '6A1').students).toBe(2);
    const now = (await s.get(`${A1}/dashboard?asOf=2025-11-03`)).json();
    expect(now.byClass.find((c: { className: string }) => c.className === '6A1').students).toBe(1);
  });

  it('rejects the same class, another year or school, and a date before the current enrolment', async () => {
    const s = await ctx.as('principalA1');
    const url = `${A1}/students/${F.studentBinh}/transfer-class`;
    const same = await s.post(url, { toClassId: F.class6A2, effectiveDate: '2025-12-01' });
    expect(same.statusCode).toBe(400);
    expect(same.json().code).toBe('same_class');
    const oldYear = await s.post(url, { toClassId: class6A9old, effectiveDate: '2025-12-01' });
    expect(oldYear.json()).toMatchObject({ code: 'class_wrong_year' });
    expect(oldYear.json().detail).toContain('Lớp 6A9 không thuộc năm học 2025-2026');
    expect((await s.post(url, { toClassId: F.class10B1, effectiveDate: '2025-12-01' })).json().code).toBe('class_not_in_school');
    const early = await s.post(url, { toClassId: F.class6A1, effectiveDate: '2025-11-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().code).toBe('date_before_enrolment');
    expect(early.json().detail).toContain('03/11/2025');
  });
});

describe('POST /schools/:schoolId/students/:studentId/status', () => {
  it('a dropout leaves the roll: not current, enrolment closed, history and audit written', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '09', effectiveDate: '2026-02-02', note: 'Gia đình chuyển vào Nam' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ statusCode: '09', statusName: 'Thôi học kỳ 2', statusDate: '2026-02-02', isCurrent: false });
    expect(res.json().enrolments[0].endDate).toBe('2026-02-02');
    expect(res.json().history.at(-1)).toMatchObject({ kind: 'status_change', statusCode: '09', fromClassName: '6A2' });
    expect(await listNames(s, `?classId=${F.class6A2}`)).toEqual(['Đặng Thị Bình']);
    expect(await listNames(s, `?classId=${F.class6A2}&includeLeft=true`)).toEqual(['Đặng Thị Bình', 'Hoàng Quốc Cường']);
    expect(await listNames(s, `?statusCode=09&includeLeft=true`)).toEqual(['Hoàng Quốc Cường']);
    expect((await auditRows(F.studentCuong)).at(-1)).toMatchObject({ action: 'student.status_change' });
    const dash = (await s.get(`${A1}/dashboard`)).json();
    expect(dash.byClass.find((c: { className: string }) => c.className === '6A2').students).toBe(1);
  });

  it('a dropout may come back (status 07): current again, in the last class', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '07', effectiveDate: '2026-03-02' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ statusCode: '07', isCurrent: true, className: '6A2' });
    expect(res.json().enrolments.at(-1)).toMatchObject({ className: '6A2', startDate: '2026-03-02', endDate: null });
  });

  it('a status that keeps the student on the roll only changes the status', async () => {
    const s = await ctx.as('principalA1');
    const res = await s.post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '01', effectiveDate: '2026-03-03' });
    expect(res.json()).toMatchObject({ statusCode: '01', isCurrent: true });
    expect(res.json().enrolments.at(-1).endDate).toBeNull();
  });

  it('rejects unknown codes and non-managers', async () => {
    const s = await ctx.as('principalA1');
    const bad = await s.post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '99', effectiveDate: '2026-03-03' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('unknown_status');
    expect(bad.json().detail).toBe('Trạng thái: mã 99 không có trong danh mục trạng thái học sinh — hãy chọn trạng thái trong danh sách.');
    expect((await s.post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '5', effectiveDate: '2026-03-03' })).statusCode).toBe(400);
    expect((await (await ctx.as('mathA1')).post(`${A1}/students/${F.studentCuong}/status`, { statusCode: '05', effectiveDate: '2026-03-03' })).statusCode).toBe(404);
  });
});

describe('transfer between schools (two-sided: asked by the receiving school, approved by the sending school)', () => {
  const A3 = `/api/v1/schools/${F.schoolA3}`;
  const khoa = KITS.A3.student;
  const body: { learnerId: string; dateOfBirth: string; toClassId: string; effectiveDate: string; note: string } = {
    learnerId: khoa.learnerId,
    dateOfBirth: khoa.dob,
    toClassId: F.class6A2,
    effectiveDate: '2026-02-10',
    note: 'Theo cha mẹ chuyển công tác',
  };

  /** Request by the receiving school, approval by the sending school: the profile of the new record. */
  async function transfer(receiver: Session, receiverBase: string, sender: Session, senderBase: string, request: typeof body) {
    const asked = await receiver.post(`${receiverBase}/transfers/requests`, request);
    expect(asked.statusCode, asked.body).toBe(200);
    const approved = await sender.post(`${senderBase}/transfers/${asked.json().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    const res = await receiver.get(`${receiverBase}/students/${approved.json().toStudentId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  it('the one-sided transfer-in route is gone', async () => {
    const res = await (await ctx.as('principalA1')).post(`${A1}/students/transfer-in`, body);
    expect(res.statusCode).toBe(404);
    expect(await db.selectFrom('student').select('school_id').where('learner_id', '=', khoa.learnerId).execute()).toEqual([{ school_id: F.schoolA3 }]);
  });

  it('moves Khoa from A3 to A1: same person, one current row, history across both schools', async () => {
    const s = await ctx.as('principalA1');
    const p = await transfer(s, A1, await ctx.as('principalA3'), A3, body);
    expect(p.id).not.toBe(KITS.A3.studentId);
    expect(p).toMatchObject({
      schoolId: F.schoolA1,
      personId: KITS.A3.studentId,
      learnerId: khoa.learnerId,
      fullName: 'Trịnh Văn Khoa',
      statusCode: '06',
      statusName: 'Chuyển đến kỳ 2',
      statusDate: '2026-02-10',
      isCurrent: true,
      className: '6A2',
      schoolName: 'Trường THCS Lê Lợi',
    });
    expect(p.enrolments).toEqual([
      { year: 2025, className: '6B1', startDate: '2025-09-05', endDate: '2026-02-10', schoolName: 'Trường THCS Trần Phú' },
      { year: 2025, className: '6A2', startDate: '2026-02-10', endDate: null, schoolName: 'Trường THCS Lê Lợi' },
    ]);
    expect(p.history).toEqual([
      expect.objectContaining({ kind: 'transfer_out', schoolName: 'Trường THCS Trần Phú', otherSchoolName: 'Trường THCS Lê Lợi', statusCode: '08', fromClassName: '6B1' }),
      expect.objectContaining({ kind: 'transfer_in', schoolName: 'Trường THCS Lê Lợi', otherSchoolName: 'Trường THCS Trần Phú', statusCode: '06', toClassName: '6A2', note: body.note }),
    ]);
    // The other school's note is not shown to this school.
    expect(p.history[0].note).toBeNull();

    const rows = await db.selectFrom('student').selectAll().where('person_id', '=', KITS.A3.studentId).orderBy('created_at').execute();
    expect(rows).toHaveLength(2);
    const old = rows.find((r) => r.school_id === F.schoolA3)!;
    expect(old).toMatchObject({ is_current: false, status_code: '08', status_date: '2026-02-10' });
    const current = await db.selectFrom('student').select('school_id').where('learner_id', '=', khoa.learnerId).where('is_current', '=', true).execute();
    expect(current).toEqual([{ school_id: F.schoolA1 }]);

    // A3 no longer lists the learner; A1 does.
    const a3 = await ctx.as('principalA3');
    expect(await listNames(a3, '', A3)).not.toContain('Trịnh Văn Khoa');
    expect(await listNames(a3, '?includeLeft=true', A3)).toContain('Trịnh Văn Khoa');
    expect(await listNames(s, '?q=khoa')).toEqual(['Trịnh Văn Khoa']);

    // A3 still reads its closed record, with the history of both schools.
    const oldProfile = (await a3.get(`${A3}/students/${KITS.A3.studentId}`)).json();
    expect(oldProfile).toMatchObject({ isCurrent: false, statusName: 'Chuyển đi kỳ 2' });
    expect(oldProfile.history.map((h: { kind: string }) => h.kind)).toEqual(['transfer_out', 'transfer_in']);
    expect(oldProfile.history[1].note).toBeNull();

    // One audit row per school, by the approver.
    expect((await auditRows(KITS.A3.studentId)).at(-1)).toMatchObject({ action: 'student.transfer_out', org_unit_id: F.schoolA3, user_id: F.users.principalA3 });
    expect((await auditRows(p.id)).at(-1)).toMatchObject({ action: 'student.transfer_in', org_unit_id: F.schoolA1, user_id: F.users.principalA3 });
  });

  it('a learner already here, or already moved, cannot be asked for again', async () => {
    const s = await ctx.as('principalA1');
    const again = await s.post(`${A1}/transfers/requests`, body);
    expect(again.statusCode).toBe(404);
    // The old school cannot ask for them back with a wrong birth date either.
    const back = await (await ctx.as('principalA3')).post(`${A3}/transfers/requests`, { ...body, toClassId: KITS.A3.classId, dateOfBirth: '2014-05-12' });
    expect(back.statusCode).toBe(404);
    expect(back.body).toBe(again.body);
    // The closed row cannot be moved between classes.
    const closed = await (await ctx.as('principalA3')).post(`${A3}/students/${KITS.A3.studentId}/transfer-class`, { toClassId: KITS.A3.classId, effectiveDate: '2026-03-01' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('student_not_current');
  });

  it('a summer transfer uses the summer codes; guardians, parent and student accounts follow the learner', async () => {
    const p = await transfer(await ctx.as('principalA3'), A3, await ctx.as('principalA1'), A1, {
      learnerId: '0100000001',
      dateOfBirth: '2014-03-02',
      toClassId: KITS.A3.classId,
      effectiveDate: '2026-07-01',
      note: 'Chuyển trường trong hè',
    });
    expect(p).toMatchObject({ statusCode: '10', statusName: 'Chuyển đến trong hè', schoolName: 'Trường THCS Trần Phú', personId: F.studentAn, className: '6B1' });
    expect(p.guardians.map((g: { fullName: string }) => g.fullName).sort()).toEqual(['Nguyễn Văn Ba', 'Trần Thị Mai']);
    const old = await db.selectFrom('student').select(['is_current', 'status_code']).where('id', '=', F.studentAn).executeTakeFirstOrThrow();
    expect(old).toEqual({ is_current: false, status_code: '11' });
    // The mother's parent account sees the child at the new school.
    expect((await (await ctx.as('parentA')).get(`${A3}/students/${p.id}`)).statusCode).toBe(200);
    // The student's own account now points at the new row.
    expect((await (await ctx.as('studentAn')).get(`${A3}/students/${p.id}`)).statusCode).toBe(200);
    // A1's lists no longer hold An.
    expect(await listNames(await ctx.as('homeroomA1'))).toEqual([]);
  });
});
