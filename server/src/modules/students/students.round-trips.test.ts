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

  it('a create is three statements without a transaction: the session, the class with the temporary code, and the admission with its audit line; it answers what a read gives', async () => {
    const classes = (await principal.get(`/api/v1/schools/${F.schoolA1}/classes`)).json() as { id: string; grade: number }[];
    const cls = classes.find((c) => c.grade === 6)!;
    // The school's first temporary code also reads its code and starts its counter: not measured.
    const first = { fullName: 'Lò Thị Một', dateOfBirth: '2014-01-02', sex: 'female', classId: cls.id };
    expect((await principal.post(`/api/v1/schools/${F.schoolA1}/students`, first)).statusCode).toBe(200);
    let res: Awaited<ReturnType<Session['post']>> | undefined;
    let sql = await statementsOf(ctx.handle.pool, async () => {
      res = await principal.post(`/api/v1/schools/${F.schoolA1}/students`, {
        fullName: 'Lò Văn Tuấn',
        dateOfBirth: '2014-03-02',
        sex: 'male',
        ethnicityCode: '01',
        classId: cls.id,
        address: 'Bản Pá Khoang',
        guardians: [
          { relation: 'mother', fullName: 'Lò Thị Xuân', birthYear: 1988 },
          { relation: 'father', fullName: 'Lò Văn Sáu', phone: '0912345678' },
        ],
      });
    });
    expect(res!.statusCode, res!.body).toBe(200);
    const created = res!.json() as { id: string; fullName: string; guardians: { fullName: string }[]; tempCode: string | null; history: { kind: string }[] };
    expect(created).toMatchObject({ fullName: 'Lò Văn Tuấn' });
    expect(created.guardians.map((g) => g.fullName).sort()).toEqual(['Lò Thị Xuân', 'Lò Văn Sáu']);
    expect(created.tempCode).toBeTruthy();
    expect(created.history.map((h) => h.kind)).toEqual(['admitted']);
    // The answer is built from the rows written; a read of the record gives the same profile.
    const read = await principal.get(`/api/v1/schools/${F.schoolA1}/students/${created.id}`);
    expect(read.json()).toEqual(created);

    // The school's version moved at the commit; the notice of it is passed on to the other
    // processes afterwards, in a statement of its own (db/connection.ts), not on this path.
    const passedOn = sql.filter((s) => s.includes('pg_notify'));
    expect(passedOn.every((s) => s.includes("set_config('synchronous_commit', 'off', true)"))).toBe(true);
    sql = sql.filter((s) => !passedOn.includes(s));
    expect(sql).toHaveLength(3);
    expect(sql[0]).toMatch(/from user_session/);
    // The class with its school's years and the next temporary code, in one statement whose
    // commit does not wait for the disk: the school's counter row is never held while another
    // admission of the school waits.
    expect(sql[1]).toMatch(/prepared: class_and_temp_seq/);
    expect(sql[1]).toMatch(/update temp_code_counter/);
    expect(sql[1]).toMatch(/set_config\('synchronous_commit', 'off', true\)/);
    expect(sql[2]).toMatch(/prepared: student_admission/);
    for (const table of ['student', 'enrolment', 'student_event', 'guardian', 'audit_log']) expect(sql[2]).toContain(`insert into ${table} `);
    expect(sql.some((s) => /^\s*(begin|commit)/i.test(s))).toBe(false);
    expect(sql.some((s) => s.includes('pg_advisory_xact_lock'))).toBe(false);
  });
});
