import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../../test/api-client.js';
import { F, USERNAMES } from '../../test/fixture-ids.js';
import type { paths } from '../../test/generated/api-types.js';
import { type TestContext, setupTestApp } from '../../test/harness.js';

// What a program built on the API sees, typed from the OpenAPI document alone.
type StudentList = paths['/api/v1/schools/{schoolId}/students']['get']['responses']['200']['content']['application/json'];
type Me = paths['/api/v1/auth/login']['post']['responses']['200']['content']['application/json'];

let ctx: TestContext;
beforeAll(async () => {
  ctx = await setupTestApp();
});

async function signIn(username: string) {
  const answer = await apiClient(ctx.app)('post', '/api/v1/auth/login', { body: { username, password: F.password } });
  if (!answer.ok) throw new Error(`login ${username}: ${answer.status} ${answer.problem.code}`);
  const me: Me = answer.body;
  const setCookie = [answer.headers['set-cookie']].flat().map(String);
  const cookie = setCookie.find((c) => c.startsWith('ts_sid='))?.split(';')[0] ?? '';
  return { me, call: apiClient(ctx.app, { cookie, csrf: me.csrfToken }) };
}

describe('a client typed from the OpenAPI document', () => {
  it('signs in and reads a page of the student list', async () => {
    const { me, call } = await signIn(USERNAMES.principalA1);
    expect(me.username).toBe(USERNAMES.principalA1);
    expect(me.csrfToken).toMatch(/\S{16,}/);

    const answer = await call('get', '/api/v1/schools/{schoolId}/students', {
      path: { schoolId: F.schoolA1 },
      query: { classId: F.class6A1, pageSize: 50 },
    });
    if (!answer.ok) throw new Error(`${answer.status} ${answer.problem.code}`);
    const list: StudentList = answer.body;
    expect(list.page).toBe(1);
    expect(list.pageSize).toBe(50);
    expect(list.items.map((s) => s.fullName)).toEqual(expect.arrayContaining(['Nguyễn Văn An', 'Đặng Thị Bình']));
    for (const student of list.items) {
      expect(student.schoolId).toBe(F.schoolA1);
      expect(student.classId).toBe(F.class6A1);
    }
  });

  it('reads a refusal as the ProblemDetails the document declares', async () => {
    const { call } = await signIn(USERNAMES.principalA1);
    const bad = await call('get', '/api/v1/schools/{schoolId}/students', { path: { schoolId: F.schoolA1 }, query: { pageSize: 0 } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.status).toBe(400);
    expect(bad.contentType).toMatch(/^application\/problem\+json/);
    expect(bad.problem).toMatchObject({ type: 'about:blank', status: 400, code: 'validation_failed' });
    expect(bad.problem.errors?.map((e) => e.path)).toEqual(['pageSize']);

    const anonymous = await apiClient(ctx.app)('get', '/api/v1/schools/{schoolId}/students', { path: { schoolId: F.schoolA1 } });
    expect(anonymous.ok).toBe(false);
    if (anonymous.ok) return;
    expect(anonymous.status).toBe(401);
    expect(anonymous.problem.code).toBe('unauthenticated');
    expect(Object.keys(anonymous.problem).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
  });

  it('sends the CSRF header on a write, as the document asks', async () => {
    const { call } = await signIn(USERNAMES.principalA1);
    const out = await call('post', '/api/v1/auth/logout', {});
    expect(out.status).toBe(200);
  });
});
