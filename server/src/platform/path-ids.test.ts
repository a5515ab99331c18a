import { describe, expect, it } from 'vitest';
import { ZId } from '../../../contracts/common.js';
import { nameSortKey, searchFold } from '../../../domain/index.js';
import { F } from '../../test/fixture-ids.js';
import { setupTestApp } from '../../test/harness.js';

/**
 * One id type for every path parameter (issue 7): only the canonical UUID form the database prints
 * is an id. Generated from the route table, like the access matrix: every declared route × every
 * path parameter × each wrong spelling answers 404 problem+json — never 500, never another
 * spelling of the same row (which the student list cached under the raw id and served stale).
 */
const ctx = await setupTestApp({ jobs: false });
const db = ctx.handle.db;

// The fixture ids are all digits, so their upper-case spelling is the same string. A school of
// this file's own, with ids that have hex letters (as every real UUIDv7 does), makes "upper case"
// a second spelling of rows that exist.
const X = {
  schoolId: 'abcdef00-0000-7000-8000-00000000000a',
  classId: 'abcdef00-0000-7000-8000-00000000000c',
  staffId: 'abcdef00-0000-7000-8000-00000000000d',
  studentId: 'abcdef00-0000-7000-8000-00000000000e',
  assignmentId: 'abcdef00-0000-7000-8000-00000000000f',
  jobId: 'abcdef00-0000-7000-8000-0000000000ab',
  userId: 'abcdef00-0000-7000-8000-0000000000ac',
  grantId: 'abcdef00-0000-7000-8000-0000000000ad',
  // Only the spelling matters to these routes' refusals: no transfer needs to exist.
  transferId: 'abcdef00-0000-7000-8000-0000000000af',
  // Likewise an announcement and its attachment.
  announcementId: 'abcdef00-0000-7000-8000-0000000000b1',
  attachmentId: 'abcdef00-0000-7000-8000-0000000000b2',
  // The contact book's message threads, messages and leave requests: the spelling only, as transfers.
  threadId: 'abcdef00-0000-7000-8000-0000000000b3',
  messageId: 'abcdef00-0000-7000-8000-0000000000b4',
  requestId: 'abcdef00-0000-7000-8000-0000000000b5',
};
const TARGET: Record<string, string> = { ...X, unitId: X.schoolId, kind: 'students', list: 'DM_DAN_TOC', subjectCode: 'toan' };
const person = (family: string, middle: string, given: string) => ({
  family_name: family,
  middle_name: middle,
  given_name: given,
  name_sort_key: nameSortKey({ familyName: family, middleName: middle, givenName: given }),
  search_text: searchFold(`${family} ${middle} ${given}`),
});
await db.transaction().execute(async (trx) => {
  await trx.insertInto('org_unit').values({ id: X.schoolId, kind: 'school', code: '01001099' }).execute();
  await trx
    .insertInto('org_unit_version')
    .values({ unit_id: X.schoolId, valid_from: '2020-01-01', valid_to: null, parent_id: F.communeA1, name: 'Trường THCS Chữ Cái', school_levels: ['lower_secondary'], ownership: 'public', area: null, province_code: null, address: null, change_reason: null })
    .execute();
  await trx.insertInto('school_year').values({ school_id: X.schoolId, year: F.year, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' }).execute();
  await trx.insertInto('staff').values({ school_id: X.schoolId, id: X.staffId, ...person('Lý', 'Văn', 'Chữ'), position: 'teacher', sex: 'male', subject_codes: ['toan'] }).execute();
  await trx.insertInto('class').values({ school_id: X.schoolId, id: X.classId, year: F.year, name: '6X', grade: 6, homeroom_teacher_id: X.staffId, session: 'morning', age_group: null, site_id: null }).execute();
  await trx
    .insertInto('teaching_assignment')
    .values({ school_id: X.schoolId, id: X.assignmentId, year: F.year, term: 1, class_id: X.classId, subject_code: 'toan', staff_id: X.staffId })
    .execute();
  await trx
    .insertInto('student')
    .values({
      school_id: X.schoolId, id: X.studentId, person_id: X.studentId, learner_id: '0100000999', temp_code: null, citizen_id: null,
      ...person('Mai', 'Thị', 'Chữ'), date_of_birth: '2014-02-02', sex: 'female', ethnicity_code: '01', religion_code: null,
      birthplace: null, address: null, status_code: '01', status_date: '2025-09-05', current_class_id: X.classId,
    })
    .execute();
  await trx
    .insertInto('enrolment')
    .values({ school_id: X.schoolId, id: 'abcdef00-0000-7000-8000-0000000000ae', student_id: X.studentId, class_id: X.classId, year: F.year, start_date: '2025-09-05', end_date: null })
    .execute();
  await trx
    .insertInto('app_user')
    .values({ id: X.userId, username: 'gv.chucai', password_hash: 'x', display_name: 'Lý Văn Chữ', staff_school_id: X.schoolId, staff_id: X.staffId, student_school_id: null, student_id: null, locked_until: null, last_login_at: null })
    .execute();
  await trx.insertInto('role_grant').values({ id: X.grantId, user_id: X.userId, role: 'subject_teacher', org_unit_id: X.schoolId }).execute();
  await trx
    .insertInto('import_job')
    .values({ id: X.jobId, school_id: X.schoolId, kind: 'students', mode: 'all_or_nothing', status: 'done', file_name: 'hs.xlsx', created_by: F.users.admin })
    .execute();
  // The same id as a finished background job of the unit (the jobs routes' :unitId/:jobId): an
  // office's close, which the operator follows (a học bạ batch is the school's managers' alone).
  await trx
    .insertInto('background_job')
    .values({ id: X.jobId, kind: 'results_close_unit', org_unit_id: X.schoolId, params: '{}', state: 'done', progress_done: 1, progress_total: 1, result: JSON.stringify({ text: 'Xong', details: [] }), created_by: F.users.admin })
    .execute();
  await trx.insertInto('background_job_file').values({ job_id: X.jobId, seq: 0, name: 'a.pdf', body: Buffer.from('%PDF') }).execute();
  // An announcement of the school sent to its staff, the operator among them (what a staff member received, /me/announcements/:id).
  await trx
    .insertInto('announcement')
    .values({ id: X.announcementId, org_unit_id: X.schoolId, created_by: F.users.admin, title: 'Họp', body: 'Nội dung', audience: JSON.stringify({ families: false, students: false, staff: true, classIds: [], schoolIds: [] }), status: 'sent', sent_at: new Date() })
    .execute();
  await trx.insertInto('announcement_attachment').values({ id: X.attachmentId, announcement_id: X.announcementId, file_name: 'a.pdf', content_type: 'application/pdf', size_bytes: 4, body: Buffer.from('%PDF') }).execute();
  await trx.insertInto('announcement_staff').values({ announcement_id: X.announcementId, user_id: F.users.admin, school_id: X.schoolId }).execute();
});
const fillPath = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => TARGET[name] ?? name);

/** Path parameters that are not ids: closed lists, checked by their own schema. */
const NOT_IDS = new Set(['kind', 'list', 'subjectCode']);

const wrongSpellings = (id: string): Record<string, string> => ({
  'upper case': id.toUpperCase(),
  'malformed 36 characters': 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  "36 characters ending in 'g'": `${id.slice(0, 35)}g`,
  '36 hyphens': '-'.repeat(36),
  'too short': id.slice(0, 8),
  braces: `{${id}}`,
  'no hyphens': id.replaceAll('-', ''),
});

const paramsOf = (url: string) => [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);

describe('path parameters are ids of one type', () => {
  it('every id path parameter of every route is declared with the shared ZId schema', () => {
    const problems: string[] = [];
    const routes = ctx.app.declaredRoutes.filter((r) => r.url.includes(':'));
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) {
      const shape = (route.params as { shape?: Record<string, unknown> } | undefined)?.shape ?? {};
      for (const name of paramsOf(route.url)) {
        if (NOT_IDS.has(name)) continue;
        if (shape[name] !== ZId) problems.push(`${route.method} ${route.url} :${name} is not ZId`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every route × every id parameter × every wrong spelling answers 404 problem+json, and writes nothing', async () => {
    const admin = await ctx.as('admin');
    const auditBefore = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const failures: string[] = [];
    let requests = 0;
    for (const route of ctx.app.declaredRoutes.filter((r) => r.url.includes(':'))) {
      for (const name of paramsOf(route.url).filter((n) => !NOT_IDS.has(n))) {
        const valid = TARGET[name];
        if (!valid) {
          failures.push(`${route.method} ${route.url}: no value for :${name} in this file's TARGET`);
          continue;
        }
        for (const [label, bad] of Object.entries(wrongSpellings(valid))) {
          const url = fillPath(route.url).replace(valid, encodeURIComponent(bad));
          const res = await ctx.app.inject({
            method: route.method as 'GET',
            url,
            headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
            payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
          });
          requests++;
          const where = `${route.method} ${route.url} :${name} ${label}`;
          if (res.statusCode !== 404) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 120)}`);
          else if (!String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${where}: not problem+json`);
          else if (res.json().code !== 'not_found') failures.push(`${where}: code ${res.json().code}`);
        }
      }
    }
    console.log(`path ids: ${requests} requests with a wrong id spelling`);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(200);
    const auditAfter = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(auditAfter.n)).toBe(Number(auditBefore.n));
  });

  it('the same GET routes with the canonical ids answer 200 (the 404s above come from the spelling)', async () => {
    const admin = await ctx.as('admin');
    const failures: string[] = [];
    // The operator's reach: the gradebook, results and học bạ are the school's (the access matrix
    // checks their allowed answers as the school's people).
    const adminMay = (r: (typeof ctx.app.declaredRoutes)[number]) => !('roles' in r.permission) || r.permission.roles.includes('system_admin');
    for (const route of ctx.app.declaredRoutes.filter((r) => r.method === 'GET' && r.url.includes(':') && adminMay(r))) {
      // year: the subject list needs one; q: the transfer destinations; other routes ignore them.
      const res = await admin.get(`${fillPath(route.url)}?year=${F.year}&q=L%E1%BB%A3i`);
      if (res.statusCode !== 200) failures.push(`${route.url}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('no stale list under another spelling of the school id', () => {
  it('the upper-case school id answers 404 before and after a write; the canonical one shows the write', async () => {
    const s = await ctx.as('admin');
    const lower = `/api/v1/schools/${X.schoolId}/students`;
    const upper = `/api/v1/schools/${X.schoolId.toUpperCase()}/students`;
    const names = async () => ((await s.get(lower)).json().items as { fullName: string }[]).map((i) => i.fullName);

    expect((await s.get(upper)).statusCode).toBe(404);
    const before = await names();
    expect(before).not.toContain('Trần Thị Mới');
    const created = await s.post(lower, {
      fullName: 'Trần Thị Mới',
      dateOfBirth: '2013-04-05',
      sex: 'female',
      classId: X.classId,
      admissionDate: '2025-09-05',
    });
    expect(created.statusCode, created.body).toBe(200);
    expect(await names()).toContain('Trần Thị Mới');
    const again = await s.get(upper);
    expect(again.statusCode).toBe(404);
    expect(again.body).not.toContain('Chữ');
  });

  it('an upper-case class id in the body of a class transfer is refused, not stored as a second spelling', async () => {
    const s = await ctx.as('admin');
    const other = 'abcdef00-0000-7000-8000-0000000000c2';
    await db.insertInto('class').values({ school_id: X.schoolId, id: other, year: F.year, name: '6Y', grade: 6, homeroom_teacher_id: null, session: 'morning', age_group: null, site_id: null }).execute();
    const res = await s.post(`/api/v1/schools/${X.schoolId}/students/${X.studentId}/transfer-class`, {
      toClassId: other.toUpperCase(),
      effectiveDate: '2025-10-01',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation_failed');
  });
});
