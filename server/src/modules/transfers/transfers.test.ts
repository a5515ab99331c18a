import { describe, expect, it } from 'vitest';
import { nameSortKey, searchFold } from '../../../../domain/index.js';
import { buildApp } from '../../app.js';
import { F, KITS, USERNAMES } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { statementsOf } from '../../../test/statements.js';
import { LOOKUP_ACTION } from './transfers.service.js';

// Two-sided school transfer: ask / issue, approve / accept / decline / cancel, the level rule,
// identical answers for every non-match, the lookup limit, closed sending schools, who sees what.
// Tests run in order and build on each other's changes (as students.writes.test.ts does).
const ctx = await setupTestApp();
const db = ctx.handle.db;

const A1 = F.schoolA1;
const A3 = F.schoolA3;
const A4 = F.schoolA4;
const url = (school: string, rest = '') => `/api/v1/schools/${school}/transfers${rest}`;

const class7A1 = '00000000-0000-7000-8000-00000000c701'; // A1, grade 7
const class10Z = '00000000-0000-7000-8000-00000000ca10'; // A1, grade 10: a data error a THCS may hold
// Extra learners, each used by one story below.
const LUC = { id: '00000000-0000-7000-8000-00000000e201', learnerId: '0100000201', dob: '2014-02-02', name: ['Phan', 'Văn', 'Lực'] as const, school: A3, classId: KITS.A3.classId };
const MO = { id: '00000000-0000-7000-8000-00000000e202', learnerId: '0100000202', dob: '2014-06-06', name: ['Vũ', 'Thị', 'Mơ'] as const, school: A3, classId: KITS.A3.classId };
const CU = { id: '00000000-0000-7000-8000-00000000e203', learnerId: '0100000203', dob: '2014-03-03', name: ['Đỗ', 'Văn', 'Cũ'] as const, school: A3, classId: KITS.A3.classId };
const NANG = { id: '00000000-0000-7000-8000-00000000e204', learnerId: '0100000204', dob: '2013-04-04', name: ['Hà', 'Thị', 'Nắng'] as const, school: A4, classId: KITS.A4.classId };
const KHOA = { id: KITS.A3.studentId, learnerId: KITS.A3.student.learnerId, dob: KITS.A3.student.dob };
const MEN = { id: KITS.A4.studentId, learnerId: KITS.A4.student.learnerId, dob: KITS.A4.student.dob };

await db
  .insertInto('class')
  .values([
    { school_id: A1, id: class7A1, year: 2025, name: '7A1', grade: 7, age_group: null, site_id: null, homeroom_teacher_id: null },
    { school_id: A1, id: class10Z, year: 2025, name: '10Z', grade: 10, age_group: null, site_id: null, homeroom_teacher_id: null },
  ])
  .execute();
for (const [s, current] of [
  [LUC, true],
  [MO, true],
  [CU, false],
  [NANG, true],
] as const) {
  const [family, middle, given] = s.name;
  await db
    .insertInto('student')
    .values({
      school_id: s.school,
      id: s.id,
      person_id: s.id,
      learner_id: s.learnerId,
      temp_code: null,
      citizen_id: null,
      family_name: family,
      middle_name: middle,
      given_name: given,
      name_sort_key: nameSortKey({ familyName: family, middleName: middle, givenName: given }),
      search_text: searchFold(`${family} ${middle} ${given}`),
      date_of_birth: s.dob,
      sex: 'male',
      ethnicity_code: '01',
      religion_code: null,
      birthplace: null,
      address: null,
      status_code: current ? '01' : '05',
      status_date: current ? '2025-09-05' : '2025-12-01',
      is_current: current,
      current_class_id: s.classId,
    })
    .execute();
  await db
    .insertInto('enrolment')
    .values({ school_id: s.school, id: s.id.replace('e2', 'f2'), student_id: s.id, class_id: s.classId, year: 2025, start_date: '2025-09-05', end_date: current ? null : '2025-12-01' })
    .execute();
}

const ask = (over: Record<string, unknown> = {}) => ({ learnerId: KHOA.learnerId, dateOfBirth: KHOA.dob, toClassId: F.class6A2, effectiveDate: '2026-02-10', note: 'Gia đình chuyển nơi ở', ...over });

const auditCount = async (action: string, userId?: string) => {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
  if (userId) q = q.where('user_id', '=', userId);
  return Number((await q.executeTakeFirstOrThrow()).n);
};
const transferRows = (id: string) => db.selectFrom('school_transfer').selectAll().where('id', '=', id).orderBy('school_id').execute();
/** Everything a transfer could touch for one learner: their records, enrolments, events and guardians in every school. */
async function learnerState(personId: string) {
  const students = await db.selectFrom('student').selectAll().where('person_id', '=', personId).orderBy('school_id').execute();
  const ids = students.map((s) => s.id);
  const [enrolments, events, guardians] = await Promise.all([
    db.selectFrom('enrolment').selectAll().where('student_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('student_event').selectAll().where('person_id', '=', personId).orderBy('id').execute(),
    db.selectFrom('guardian').selectAll().where('student_id', 'in', ids).orderBy('id').execute(),
  ]);
  return { students, enrolments, events, guardians };
}

describe('asking for a learner: the request is checked before anyone is looked up', () => {
  it('a class of another school, or of a level the school does not teach, is refused without a lookup', async () => {
    const s = await ctx.as('principalA1');
    const lookups = await auditCount(LOOKUP_ACTION);
    const foreign = await s.post(url(A1, '/requests'), ask({ toClassId: F.class10B1 }));
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().code).toBe('class_not_in_school');
    // A learner who does not exist, and a THCS class of grade 10: the class answers first.
    const level = await s.post(url(A1, '/requests'), ask({ learnerId: '0999999999', toClassId: class10Z }));
    expect(level.statusCode).toBe(400);
    expect(level.json()).toMatchObject({
      code: 'transfer_level_not_taught',
      detail: 'Trường THCS Lê Lợi không dạy cấp trung học phổ thông của lớp 10 (trường dạy cấp trung học cơ sở), nên không thể tiếp nhận học sinh lớp 10.',
    });
    const badId = await s.post(url(A1, '/requests'), ask({ learnerId: '01000001' }));
    expect(badId.statusCode).toBe(400);
    expect(badId.json().detail).toContain('10 chữ số');
    expect(await auditCount(LOOKUP_ACTION)).toBe(lookups);
  });

  it('unknown id, wrong date of birth, a record that is not current, a learner already here: one identical answer, each lookup audited', async () => {
    const s = await ctx.as('principalA1');
    const before = await auditCount(LOOKUP_ACTION, F.users.principalA1);
    const answers = [
      await s.post(url(A1, '/requests'), ask({ learnerId: '0199999999' })),
      await s.post(url(A1, '/requests'), ask({ dateOfBirth: '2014-05-12' })),
      await s.post(url(A1, '/requests'), ask({ learnerId: CU.learnerId, dateOfBirth: CU.dob })),
      await s.post(url(A1, '/requests'), ask({ learnerId: '0100000001', dateOfBirth: '2014-03-02' })),
    ];
    for (const r of answers) {
      expect(r.statusCode).toBe(404);
      expect(r.headers['content-type']).toBe(answers[0]!.headers['content-type']);
      expect(r.body).toBe(answers[0]!.body);
    }
    expect(answers[0]!.json()).toMatchObject({
      code: 'not_found',
      detail: 'Không tìm thấy học sinh đang học ở trường khác có mã định danh và ngày sinh này. Hãy kiểm tra lại hai thông tin trên hồ sơ chuyển trường của học sinh.',
    });
    // Nothing was written but the four audited lookups, none of which names the date typed.
    expect(await auditCount(LOOKUP_ACTION, F.users.principalA1)).toBe(before + 4);
    const rows = await db.selectFrom('audit_log').select(['after', 'org_unit_id']).where('action', '=', LOOKUP_ACTION).where('user_id', '=', F.users.principalA1).orderBy('at').execute();
    expect(rows.slice(-4).map((r) => r.after)).toEqual([
      { learnerId: '0199999999', matched: false },
      { learnerId: KHOA.learnerId, matched: false },
      { learnerId: CU.learnerId, matched: false },
      { learnerId: '0100000001', matched: false },
    ]);
    expect(new Set(rows.map((r) => r.org_unit_id))).toEqual(new Set([A1]));
    expect(await db.selectFrom('school_transfer').select('id').execute()).toEqual([]);
  });

  it('the four kinds of non-match send the same statements (their timing, alone on the machine: transfers-lookup.timing.test.ts)', async () => {
    const s = await ctx.as('staffA1');
    const kinds = {
      unknown: ask({ learnerId: '0199999998' }),
      wrongDob: ask({ dateOfBirth: '2014-05-13' }),
      notCurrent: ask({ learnerId: CU.learnerId, dateOfBirth: CU.dob }),
      alreadyHere: ask({ learnerId: '0100000002', dateOfBirth: '2014-07-19' }),
    };
    const sent: Record<string, string[]> = {};
    for (const [kind, body] of Object.entries(kinds)) {
      let status = 0;
      sent[kind] = await statementsOf(ctx.handle.pool, async () => {
        status = (await s.post(url(A1, '/requests'), body)).statusCode;
      });
      expect(status, kind).toBe(404);
    }
    expect(sent.unknown!.length).toBeGreaterThan(0);
    for (const kind of Object.keys(kinds)) expect(sent[kind], kind).toEqual(sent.unknown);
  });
});

describe('lookups per account: 20 an hour, stored in the database', () => {
  it('the 21st lookup in an hour answers 429 saying when to retry; other accounts and other processes see the same count', async () => {
    const s = await ctx.as('principalA3');
    const body = { learnerId: '0199999997', dateOfBirth: '2014-01-01', toClassId: KITS.A3.classId, effectiveDate: '2026-02-10' };
    for (let i = 1; i <= 20; i++) {
      const r = await s.post(url(A3, '/requests'), body);
      expect(r.statusCode, `lookup ${i}`).toBe(404);
    }
    const limited = await s.post(url(A3, '/requests'), body);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('transfer_lookup_limited');
    expect(limited.json().detail).toMatch(/^Tài khoản này đã tra cứu học sinh để đề nghị tiếp nhận 20 lần trong 60 phút qua, mức tối đa để bảo vệ thông tin học sinh\. Hãy thử lại sau \d\d:\d\d \(khoảng \d+ phút nữa\)\.$/);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The refused attempt is no lookup: 20 audited, not 21.
    expect(await auditCount(LOOKUP_ACTION, F.users.principalA3)).toBe(20);
    // Even a right learner id and date of birth is not looked up any more.
    const right = await s.post(url(A3, '/requests'), { ...body, learnerId: '0100000001', dateOfBirth: '2014-03-02' });
    expect(right.statusCode).toBe(429);

    // A second server process on the same database: the count is in the database, not in memory.
    const other = await buildApp(ctx.handle, { loginRatePerMinute: 10_000 });
    await other.ready();
    try {
      const login = await other.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERNAMES.principalA3, password: F.password } });
      const cookie = String([login.headers['set-cookie']].flat()[0]).split(';')[0]!;
      const r = await other.inject({ method: 'POST', url: url(A3, '/requests'), headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: body });
      expect(r.statusCode).toBe(429);
    } finally {
      await other.close();
    }
    // Another account is not limited by this one's lookups.
    expect((await (await ctx.as('principalA1')).post(url(A1, '/requests'), ask({ learnerId: '0199999996' }))).statusCode).toBe(404);
  });
});

describe('request → approve: the record moves only on approval, in one transaction', () => {
  let transferId = '';

  it('a level or grade that does not fit is refused with the reason, and nothing is written', async () => {
    const s = await ctx.as('principalA1');
    const r = await s.post(url(A1, '/requests'), { learnerId: '0200000001', dateOfBirth: '2010-01-05', toClassId: F.class6A1, effectiveDate: '2026-02-10' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: 'transfer_grade_mismatch',
      detail: 'Học sinh đang học lớp 10; chuyển trường trong năm học thì phải vào một lớp 10, không vào lớp 6A1 (lớp 6). Hãy chọn một lớp 10.',
    });
    expect(await db.selectFrom('school_transfer').select('id').execute()).toEqual([]);
  });

  it('A1 asks for Khoa of A3 (THCS, other office): a pending request on both sides, records untouched', async () => {
    const before = await learnerState(KHOA.id);
    const s = await ctx.as('principalA1');
    const r = await s.post(url(A1, '/requests'), ask());
    expect(r.statusCode, r.body).toBe(200);
    const item = r.json();
    transferId = item.id;
    expect(item).toMatchObject({
      kind: 'request',
      status: 'pending',
      direction: 'incoming',
      fromSchoolId: A3,
      fromSchoolName: 'Trường THCS Trần Phú',
      toSchoolName: 'Trường THCS Lê Lợi',
      fullName: 'Trịnh Văn Khoa',
      learnerId: KHOA.learnerId,
      dateOfBirth: KHOA.dob,
      fromClassName: '6B1',
      fromGrade: 6,
      toClassName: '6A2',
      toGrade: 6,
      effectiveDate: '2026-02-10',
      note: 'Gia đình chuyển nơi ở',
      createdByName: 'Trần Văn Hùng',
      actions: { approve: false, accept: false, decline: false, cancel: true },
    });
    const rows = await transferRows(transferId);
    expect(rows.map((x) => [x.school_id, x.status])).toEqual([
      [A1, 'pending'],
      [A3, 'pending'],
    ]);
    expect(await learnerState(KHOA.id)).toEqual(before);
    expect(await db.selectFrom('audit_log').select(['action', 'org_unit_id']).where('entity_id', '=', transferId).execute()).toEqual([
      { action: 'school_transfer.request', org_unit_id: A1 },
    ]);
    // A second request for the same learner waits for this one.
    const again = await s.post(url(A1, '/requests'), ask({ toClassId: F.class6A1 }));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('transfer_already_pending');
  });

  it('both schools and the offices above each see it; the sending school may approve or decline', async () => {
    const a3 = await (await ctx.as('principalA3')).get(url(A3, '?direction=outgoing&status=pending'));
    expect(a3.statusCode).toBe(200);
    expect(a3.json()).toMatchObject({ total: 1, pending: { incoming: 0, outgoing: 1 } });
    expect(a3.json().items[0]).toMatchObject({ id: transferId, direction: 'outgoing', fullName: 'Trịnh Văn Khoa', actions: { approve: true, decline: true, accept: false, cancel: false } });
    const a1 = await (await ctx.as('principalA1')).get(url(A1, '?direction=incoming'));
    expect(a1.json().pending).toEqual({ incoming: 1, outgoing: 0 });
    expect(a1.json().items.map((i: { id: string }) => i.id)).toEqual([transferId]);
    expect((await (await ctx.as('principalA1')).get(url(A1, '?direction=outgoing'))).json().items).toEqual([]);
    for (const [who, unit] of [
      ['communeA', F.communeA1],
      ['communeA2', F.communeA2],
      ['soA', F.provinceA],
    ] as const) {
      const r = await (await ctx.as(who)).get(`/api/v1/org-units/${unit}/transfers`);
      expect(r.statusCode, who).toBe(200);
      // Listed once although both schools are below the province; offices only watch an open school's transfers.
      expect(r.json().items.map((i: { id: string; direction: null }) => [i.id, i.direction]), who).toEqual([[transferId, null]]);
      expect(r.json().items[0].actions, who).toEqual({ approve: false, accept: false, decline: false, cancel: false });
    }
    expect((await (await ctx.as('soB')).get(`/api/v1/org-units/${F.provinceA}/transfers`)).statusCode).toBe(404);
    expect((await (await ctx.as('soB')).get(`/api/v1/org-units/${F.provinceB}/transfers`)).json().items).toEqual([]);
    // The profile at the sending school shows the open transfer to its managers.
    const profile = (await (await ctx.as('principalA3')).get(`/api/v1/schools/${A3}/students/${KHOA.id}`)).json();
    expect(profile.pendingTransfer).toMatchObject({ id: transferId, kind: 'request', toSchoolName: 'Trường THCS Lê Lợi', effectiveDate: '2026-02-10' });
  });

  it('teachers, parents, other principals, the receiving school itself and the office of an open school cannot approve', async () => {
    const refused: [keyof typeof F.users, string, number][] = [
      ['homeroomA1', A1, 404],
      ['mathA1', A1, 404],
      ['parentA', A1, 404],
      ['studentAn', A1, 404],
      ['principalA1', A3, 404],
      ['principalB1', A3, 404],
      ['soB', A3, 404],
      ['admin', A3, 404],
      ['principalA1', A1, 409],
      ['communeA2', A3, 403],
      ['soA', A3, 403],
    ];
    const before = await learnerState(KHOA.id);
    for (const [who, school, status] of refused) {
      const r = await (await ctx.as(who)).post(url(school, `/${transferId}/approve`));
      expect(r.statusCode, `${who} on ${school}`).toBe(status);
      expect(r.body, who).not.toContain('Khoa');
    }
    const office = await (await ctx.as('communeA2')).post(url(A3, `/${transferId}/approve`));
    expect(office.json().detail).toBe('Trường đang hoạt động nên hiệu trưởng hoặc cán bộ quản lý của trường tự quyết định đồng ý hay từ chối; cơ quan quản lý chỉ theo dõi.');
    expect((await (await ctx.as('principalA1')).post(url(A1, `/${transferId}/approve`))).json().code).toBe('transfer_wrong_side');
    expect(await learnerState(KHOA.id)).toEqual(before);
    expect((await transferRows(transferId)).map((x) => x.status)).toEqual(['pending', 'pending']);
  });

  it('the principal of A3 approves: Khoa is in 6A2 of A1 with history; the old record is closed; every step audited', async () => {
    const r = await (await ctx.as('principalA3')).post(url(A3, `/${transferId}/approve`));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'completed', decidedByName: 'Mai Văn Sơn', toClassName: '6A2', actions: { approve: false, decline: false, cancel: false, accept: false } });
    const toStudentId = r.json().toStudentId as string;

    const p = (await (await ctx.as('principalA1')).get(`/api/v1/schools/${A1}/students/${toStudentId}`)).json();
    expect(p).toMatchObject({
      schoolId: A1,
      personId: KHOA.id,
      learnerId: KHOA.learnerId,
      fullName: 'Trịnh Văn Khoa',
      className: '6A2',
      grade: 6,
      statusCode: '06',
      statusDate: '2026-02-10',
      isCurrent: true,
      pendingTransfer: null,
    });
    expect(p.enrolments).toEqual([
      { year: 2025, className: '6B1', startDate: '2025-09-05', endDate: '2026-02-10', schoolName: 'Trường THCS Trần Phú' },
      { year: 2025, className: '6A2', startDate: '2026-02-10', endDate: null, schoolName: 'Trường THCS Lê Lợi' },
    ]);
    expect(p.history).toEqual([
      expect.objectContaining({ kind: 'transfer_out', schoolName: 'Trường THCS Trần Phú', otherSchoolName: 'Trường THCS Lê Lợi', statusCode: '08', fromClassName: '6B1', note: null }),
      expect.objectContaining({ kind: 'transfer_in', schoolName: 'Trường THCS Lê Lợi', otherSchoolName: 'Trường THCS Trần Phú', statusCode: '06', toClassName: '6A2', note: 'Gia đình chuyển nơi ở' }),
    ]);
    expect(p.guardians.map((g: { fullName: string; phone: string }) => [g.fullName, g.phone])).toEqual([['Mẹ em Khoa', KITS.A3.guardianPhone]]);
    const old = await db.selectFrom('student').select(['is_current', 'status_code']).where('school_id', '=', A3).where('id', '=', KHOA.id).executeTakeFirstOrThrow();
    expect(old).toEqual({ is_current: false, status_code: '08' });
    expect(await db.selectFrom('enrolment').select('end_date').where('school_id', '=', A3).where('student_id', '=', KHOA.id).execute()).toEqual([{ end_date: '2026-02-10' }]);

    const rows = await transferRows(transferId);
    expect(rows.map((x) => [x.school_id, x.status, x.to_student_id, x.decided_by])).toEqual([
      [A1, 'completed', toStudentId, F.users.principalA3],
      [A3, 'completed', toStudentId, F.users.principalA3],
    ]);
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'org_unit_id', 'user_id'])
      .where((eb) => eb.or([eb('entity_id', '=', transferId), eb('entity_id', 'in', [KHOA.id, toStudentId])]))
      .orderBy('at')
      .orderBy('id')
      .execute();
    expect(audits).toEqual([
      { action: 'school_transfer.request', org_unit_id: A1, user_id: F.users.principalA1 },
      { action: 'student.transfer_out', org_unit_id: A3, user_id: F.users.principalA3 },
      { action: 'student.transfer_in', org_unit_id: A1, user_id: F.users.principalA3 },
      { action: 'school_transfer.approve', org_unit_id: A3, user_id: F.users.principalA3 },
    ]);
    const again = await (await ctx.as('principalA3')).post(url(A3, `/${transferId}/approve`));
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('transfer_not_pending');
  });
});

describe('decline and cancel leave both records untouched', () => {
  it('the sending school declines with a required reason; both schools see why', async () => {
    const before = await learnerState(LUC.id);
    const a1Before = await db.selectFrom('enrolment').selectAll().where('school_id', '=', A1).orderBy('id').execute();
    const s1 = await ctx.as('principalA1');
    const req = await s1.post(url(A1, '/requests'), ask({ learnerId: LUC.learnerId, dateOfBirth: LUC.dob, toClassId: F.class6A1 }));
    expect(req.statusCode, req.body).toBe(200);
    const id = req.json().id as string;
    const s3 = await ctx.as('principalA3');
    const short = await s3.post(url(A3, `/${id}/decline`), { reason: 'Ko' });
    expect(short.statusCode).toBe(400);
    expect(short.json().detail).toContain('ít nhất 5 ký tự');
    const reason = 'Gia đình chưa nộp đơn xin chuyển trường tại trường.';
    const d = await s3.post(url(A3, `/${id}/decline`), { reason });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'declined', decisionReason: reason, decidedByName: 'Mai Văn Sơn' });
    const seen = (await s1.get(url(A1, '?status=declined'))).json().items;
    expect(seen.map((i: { id: string; decisionReason: string; fullName: string }) => [i.id, i.fullName, i.decisionReason])).toEqual([[id, 'Phan Văn Lực', reason]]);
    expect(await learnerState(LUC.id)).toEqual(before);
    expect(await db.selectFrom('enrolment').selectAll().where('school_id', '=', A1).orderBy('id').execute()).toEqual(a1Before);
    expect((await transferRows(id)).map((x) => [x.status, x.decision_reason])).toEqual([
      ['declined', reason],
      ['declined', reason],
    ]);
    expect(await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('at').execute()).toEqual([
      { action: 'school_transfer.request' },
      { action: 'school_transfer.decline' },
    ]);
    // Declined is final: it can be neither approved nor cancelled.
    expect((await s3.post(url(A3, `/${id}/approve`))).json().code).toBe('transfer_not_pending');
    expect((await s1.post(url(A1, `/${id}/cancel`))).json().code).toBe('transfer_not_pending');
  });

  it('the requester cancels while pending; the sending school cannot cancel it, nor approve it afterwards', async () => {
    const before = await learnerState(LUC.id);
    const s1 = await ctx.as('principalA1');
    const id = (await s1.post(url(A1, '/requests'), ask({ learnerId: LUC.learnerId, dateOfBirth: LUC.dob, toClassId: F.class6A1 }))).json().id as string;
    const s3 = await ctx.as('principalA3');
    expect((await s3.post(url(A3, `/${id}/cancel`))).json().code).toBe('transfer_wrong_side');
    // Teachers do not cancel for the school.
    expect((await (await ctx.as('homeroomA1')).post(url(A1, `/${id}/cancel`))).statusCode).toBe(404);
    const c = await (await ctx.as('staffA1')).post(url(A1, `/${id}/cancel`), { reason: 'Gia đình đổi ý' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'cancelled', decisionReason: 'Gia đình đổi ý', decidedByName: 'Nhân viên văn thư' });
    expect((await s3.post(url(A3, `/${id}/approve`))).json().code).toBe('transfer_not_pending');
    expect(await learnerState(LUC.id)).toEqual(before);
    expect(await db.selectFrom('audit_log').select(['action', 'user_id']).where('entity_id', '=', id).orderBy('at').execute()).toEqual([
      { action: 'school_transfer.request', user_id: F.users.principalA1 },
      { action: 'school_transfer.cancel', user_id: F.users.staffA1 },
    ]);
  });
});

describe('issue → accept: the sending school gives a transfer letter, the receiving school places the learner', () => {
  it('refuses a receiving school that does not teach the learner’s level, and a school that is not open', async () => {
    const s3 = await ctx.as('principalA3');
    const primary = await s3.post(url(A3, '/issues'), { studentId: MO.id, toSchoolId: F.schoolA2, effectiveDate: '2026-02-10' });
    expect(primary.statusCode).toBe(409);
    expect(primary.json()).toMatchObject({
      code: 'transfer_level_not_taught',
      detail: 'Trường Tiểu học Đồng Tâm không dạy cấp trung học cơ sở của lớp 6 (trường dạy cấp tiểu học), nên không thể tiếp nhận học sinh lớp 6.',
    });
    expect((await s3.post(url(A3, '/issues'), { studentId: MO.id, toSchoolId: F.schoolB1, effectiveDate: '2026-02-10' })).json().code).toBe('transfer_level_not_taught');
    const closed = await s3.post(url(A3, '/issues'), { studentId: MO.id, toSchoolId: A4, effectiveDate: '2026-02-10' });
    expect(closed.statusCode).toBe(400);
    expect(closed.json().code).toBe('transfer_school_not_found');
    // Only one's own learners: An is A1's.
    expect((await s3.post(url(A3, '/issues'), { studentId: F.studentAn, toSchoolId: A1, effectiveDate: '2026-02-10' })).statusCode).toBe(404);
    expect(await db.selectFrom('school_transfer').select('id').where('from_student_id', '=', MO.id).execute()).toEqual([]);
  });

  it('the destination search finds open schools by name without accents, not the school itself', async () => {
    const s3 = await ctx.as('principalA3');
    const r = await s3.get(url(A3, '/destinations?q=le loi'));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([{ id: A1, name: 'Trường THCS Lê Lợi', levels: ['lower_secondary'], parentName: 'UBND xã Một' }]);
    expect((await s3.get(url(A3, '/destinations?q=tran phu'))).json()).toEqual([]);
    expect((await s3.get(url(A3, '/destinations?q=hoa binh'))).json()).toEqual([]);
    expect((await s3.get(url(A3, `/destinations?q=${encodeURIComponent('%_')}`))).json()).toEqual([]);
    // Words match at their start (issue 8): "oi" is inside "Lợi", "loi le" is both words in any order.
    expect((await s3.get(url(A3, '/destinations?q=oi'))).json()).toEqual([]);
    expect((await s3.get(url(A3, `/destinations?q=${encodeURIComponent('LỢI lê')}`))).json()).toMatchObject([{ id: A1 }]);
  });

  it('A3 issues for Mơ to A1; A1 must choose a class of her grade; then she moves', async () => {
    const s3 = await ctx.as('principalA3');
    const before = await learnerState(MO.id);
    const r = await s3.post(url(A3, '/issues'), { studentId: MO.id, toSchoolId: A1, effectiveDate: '2026-02-11', note: 'Theo giấy giới thiệu số 12' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'issue', status: 'pending', direction: 'outgoing', toClassName: null, actions: { cancel: true, approve: false, decline: false, accept: false } });
    const id = r.json().id as string;
    expect(await learnerState(MO.id)).toEqual(before);
    const s1 = await ctx.as('principalA1');
    const incoming = (await s1.get(url(A1, '?direction=incoming&status=pending'))).json().items;
    expect(incoming.map((i: { id: string; actions: unknown }) => [i.id, i.actions])).toEqual([[id, { approve: false, accept: true, decline: true, cancel: false }]]);
    // The sending school cannot accept its own letter; the receiving school cannot "approve" it.
    expect((await s3.post(url(A3, `/${id}/accept`), { toClassId: KITS.A3.classId })).json().code).toBe('transfer_wrong_side');
    expect((await s1.post(url(A1, `/${id}/approve`))).json().code).toBe('transfer_wrong_side');
    const wrongGrade = await s1.post(url(A1, `/${id}/accept`), { toClassId: class7A1 });
    expect(wrongGrade.statusCode).toBe(409);
    expect(wrongGrade.json().code).toBe('transfer_grade_mismatch');
    expect(await learnerState(MO.id)).toEqual(before);
    const ok = await s1.post(url(A1, `/${id}/accept`), { toClassId: F.class6A1 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'completed', toClassName: '6A1', decidedByName: 'Trần Văn Hùng' });
    const moved = await db.selectFrom('student').select(['school_id', 'current_class_id', 'status_code']).where('person_id', '=', MO.id).where('is_current', '=', true).execute();
    expect(moved).toEqual([{ school_id: A1, current_class_id: F.class6A1, status_code: '06' }]);
    expect(await db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('at').execute()).toEqual([
      { action: 'school_transfer.issue' },
      { action: 'school_transfer.accept' },
    ]);
  });

  it('the receiving school declines a letter with a reason: nothing moves', async () => {
    const s3 = await ctx.as('principalA3');
    const before = await learnerState(LUC.id);
    const id = (await s3.post(url(A3, '/issues'), { studentId: LUC.id, toSchoolId: A1, effectiveDate: '2026-02-12' })).json().id as string;
    const d = await (await ctx.as('principalA1')).post(url(A1, `/${id}/decline`), { reason: 'Lớp 6 của trường đã đủ sĩ số.' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'declined', direction: 'incoming' });
    expect(await learnerState(LUC.id)).toEqual(before);
  });

  it('a pending transfer shows on the profile to managers only, not to teachers, parents or the learner', async () => {
    const s1 = await ctx.as('principalA1');
    const id = (await s1.post(url(A1, '/issues'), { studentId: F.studentAn, toSchoolId: A3, effectiveDate: '2026-02-12' })).json().id as string;
    const path = `/api/v1/schools/${A1}/students/${F.studentAn}`;
    expect((await s1.get(path)).json().pendingTransfer).toMatchObject({ id, kind: 'issue', toSchoolName: 'Trường THCS Trần Phú' });
    expect((await (await ctx.as('staffA1')).get(path)).json().pendingTransfer).toMatchObject({ id });
    for (const who of ['homeroomA1', 'parentA', 'studentAn'] as const) {
      const r = await (await ctx.as(who)).get(path);
      expect(r.statusCode, who).toBe(200);
      expect(r.json().pendingTransfer, who).toBeNull();
    }
    expect((await (await ctx.as('homeroomA1')).get(url(A1))).statusCode).toBe(404);
    expect((await s1.post(url(A1, `/${id}/cancel`))).statusCode).toBe(200);
    expect((await s1.get(path)).json().pendingTransfer).toBeNull();
  });
});

describe('a closed sending school: the offices above it on its last day decide in its place', () => {
  let menId = '';
  let nangId = '';

  it('A1 asks for two learners of the closed A4 (grade 7 → 7A1)', async () => {
    const s1 = await ctx.as('principalA1');
    const men = await s1.post(url(A1, '/requests'), ask({ learnerId: MEN.learnerId, dateOfBirth: MEN.dob, toClassId: class7A1, effectiveDate: '2026-01-20' }));
    expect(men.statusCode, men.body).toBe(200);
    menId = men.json().id;
    const nang = await s1.post(url(A1, '/requests'), ask({ learnerId: NANG.learnerId, dateOfBirth: NANG.dob, toClassId: class7A1, effectiveDate: '2026-01-20' }));
    expect(nang.statusCode, nang.body).toBe(200);
    nangId = nang.json().id;
    // The office above the closed school lists them with the actions it may take.
    const list = (await (await ctx.as('communeA')).get(`/api/v1/org-units/${F.communeA1}/transfers?status=pending`)).json();
    expect(list.items.map((i: { id: string; actions: unknown }) => [i.id, i.actions]).sort()).toEqual(
      [
        [menId, { approve: true, accept: false, decline: true, cancel: false }],
        [nangId, { approve: true, accept: false, decline: true, cancel: false }],
      ].sort(),
    );
  });

  it('the principal of the closed school, other offices and other schools cannot decide', async () => {
    const before = await learnerState(MEN.id);
    for (const [who, status] of [
      ['principalA4', 404],
      ['communeA2', 404],
      ['soB', 404],
      ['principalA1', 404],
      ['admin', 404],
      ['districtA1', 404],
    ] as const) {
      const r = await (await ctx.as(who)).post(url(A4, `/${menId}/approve`));
      expect(r.statusCode, who).toBe(status);
    }
    expect(await learnerState(MEN.id)).toEqual(before);
    // Routes not made for closed units stay closed: no new transfer letter from A4.
    const issue = await (await ctx.as('admin')).post(url(A4, '/issues'), { studentId: MEN.id, toSchoolId: A1, effectiveDate: '2026-01-20' });
    expect(issue.statusCode).toBe(409);
    expect(issue.json().code).toBe('unit_closed');
  });

  it('the commune office approves: Mến is in 7A1 of A1; the province office declines Nắng with a reason', async () => {
    const r = await (await ctx.as('communeA')).post(url(A4, `/${menId}/approve`));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'completed', decidedByName: 'Cán bộ xã A', toClassName: '7A1' });
    const current = await db.selectFrom('student').select(['school_id', 'current_class_id', 'status_code']).where('person_id', '=', MEN.id).where('is_current', '=', true).execute();
    expect(current).toEqual([{ school_id: A1, current_class_id: class7A1, status_code: '06' }]);
    expect((await db.selectFrom('audit_log').select(['action', 'user_id', 'org_unit_id']).where('entity_id', '=', menId).where('action', '=', 'school_transfer.approve').execute())).toEqual([
      { action: 'school_transfer.approve', user_id: F.users.communeA, org_unit_id: A4 },
    ]);

    const before = await learnerState(NANG.id);
    const d = await (await ctx.as('soA')).post(url(A4, `/${nangId}/decline`), { reason: 'Hồ sơ học bạ chưa đầy đủ.' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'declined', decidedByName: 'Chuyên viên Sở A' });
    expect(await learnerState(NANG.id)).toEqual(before);
  });
});
