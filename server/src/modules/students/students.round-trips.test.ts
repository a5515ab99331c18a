import { beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { type Session, type TestContext, setupTestApp } from '../../../test/harness.js';
import { statementsOf } from '../../../test/statements.js';

// The speed of the hottest requests is set by their round trips to the database, not by
// JavaScript (docs/profiles/README.md): these tests count the statements each one sends, so a
// change that adds a query to the student list, the profile or a create shows up here first.

let ctx: TestContext;
let principal: Session;
beforeAll(async () => {
  ctx = await setupTestApp();
  principal = await ctx.as('principalA1');
});

describe('round trips of the hottest requests', () => {
  it('a student list page already in the cache costs one statement: the session, which also reads the school data version', async () => {
    const url = `/api/v1/schools/${F.schoolA1}/students?page=1&pageSize=50`;
    const first = await principal.get(url);
    expect(first.statusCode).toBe(200);
    let second: Awaited<ReturnType<Session['get']>> | undefined;
    const sql = await statementsOf(ctx.handle.pool, async () => {
      second = await principal.get(url);
    });
    expect(second!.statusCode).toBe(200);
    expect(second!.json()).toEqual(first.json());
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/from user_session/);
    expect(sql[0]).toMatch(/data_version/);
  });

  it('a change to the school shows in the next list (the version read with the session is the current one)', async () => {
    const url = `/api/v1/schools/${F.schoolA1}/students?page=1&pageSize=50&q=binh`;
    const before = (await principal.get(url)).json() as { items: { id: string; fullName: string }[] };
    expect(before.items.map((s) => s.id)).toContain(F.studentBinh);
    expect((await principal.patch(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`, { fullName: 'Đặng Thị Bình An' })).statusCode).toBe(200);
    const after = (await principal.get(url)).json() as { items: { id: string; fullName: string }[] };
    expect(after.items.find((s) => s.id === F.studentBinh)?.fullName).toBe('Đặng Thị Bình An');
  });

  it('a profile read costs three statements: the session, the profile with its history, the access-log line', async () => {
    let res: Awaited<ReturnType<Session['get']>> | undefined;
    const sql = await statementsOf(ctx.handle.pool, async () => {
      res = await principal.get(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`);
    });
    expect(res!.statusCode).toBe(200);
    const profile = res!.json() as { fullName: string; schoolName: string; enrolments: { schoolName: string }[]; history: unknown[] };
    expect(profile.schoolName).toBe('Trường THCS Lê Lợi');
    expect(profile.enrolments.length).toBeGreaterThan(0);
    expect(profile.enrolments.every((e) => e.schoolName !== '')).toBe(true);
    expect(sql).toHaveLength(3);
    expect(sql[2]).toMatch(/insert into access_log/);
  });

  it('a create takes its temporary code first, then sends the student, enrolment, event and guardians as one statement, and returns the profile', async () => {
    const classes = (await principal.get(`/api/v1/schools/${F.schoolA1}/classes`)).json() as { id: string; grade: number }[];
    const cls = classes.find((c) => c.grade === 6)!;
    // The school's first temporary code also reads its code and starts its counter: not measured.
    const first = { fullName: 'Lò Thị Một', dateOfBirth: '2014-01-02', sex: 'female', classId: cls.id };
    expect((await principal.post(`/api/v1/schools/${F.schoolA1}/students`, first)).statusCode).toBe(200);
    let res: Awaited<ReturnType<Session['post']>> | undefined;
    const sql = await statementsOf(ctx.handle.pool, async () => {
      res = await principal.post(`/api/v1/schools/${F.schoolA1}/students`, {
        fullName: 'Lò Văn Tuấn',
        dateOfBirth: '2014-03-02',
        sex: 'male',
        ethnicityCode: '01',
        classId: cls.id,
        guardians: [{ relation: 'father', fullName: 'Lò Văn Sáu', phone: '0912345678' }],
      });
    });
    expect(res!.statusCode, res!.body).toBe(200);
    const created = res!.json() as { fullName: string; guardians: { fullName: string }[]; tempCode: string | null; history: { kind: string }[] };
    expect(created).toMatchObject({ fullName: 'Lò Văn Tuấn', guardians: [{ fullName: 'Lò Văn Sáu' }] });
    expect(created.tempCode).toBeTruthy();
    expect(created.history.map((h) => h.kind)).toEqual(['admitted']);
    const inserts = sql.filter((s) => /^\s*with "s" as \(insert into "student"/.test(s));
    expect(inserts).toHaveLength(1);
    expect(inserts[0]).toMatch(/insert into "enrolment"/);
    expect(inserts[0]).toMatch(/insert into "guardian"/);
    // The temporary code is taken in a statement of its own before the transaction (the counter
    // row is not held while the admission is written), and no school-wide lock is taken.
    expect(sql.some((s) => s.includes('pg_advisory_xact_lock'))).toBe(false);
    const counter = sql.findIndex((s) => /^update "temp_code_counter"/.test(s));
    const begin = sql.findIndex((s) => /^begin/i.test(s));
    const commit = sql.findIndex((s) => /^commit/i.test(s));
    expect(counter).toBeGreaterThan(-1);
    expect(counter).toBeLessThan(begin);
    // Inside: the class with its school's years, the admission, the audit line. The school's data
    // version moves at the commit (migration 0011), so nothing in here waits on another admission.
    expect(commit - begin - 1).toBe(3);
    // Before: the counter alone (code lists and the school's code are known without a query).
    // Before it: the session, then the counter (code lists and the school's code are known
    // without a query); after the commit, the profile it answers with.
    expect(counter).toBe(1);
    expect(sql[0]).toMatch(/from user_session/);
    expect(begin).toBe(2);
    expect(sql.slice(commit + 1)).toHaveLength(1);
    expect(sql[commit + 1]).toMatch(/prepared: student_profile/);
  });
});
