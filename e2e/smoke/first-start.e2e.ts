import { describe, expect, inject, it } from 'vitest';

const baseUrl = inject('baseUrl');

describe('the README start command', () => {
  it('serves the web app, health and the API docs', async () => {
    const page = await fetch(baseUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const health = await (await fetch(`${baseUrl}/api/health`)).json();
    expect(health.status).toBe('ok');
    expect(['pglite', 'postgres']).toContain(health.db);
    const openapi = await (await fetch(`${baseUrl}/api/openapi.json`)).json();
    expect(Object.keys(openapi.paths).length).toBeGreaterThan(40);
    expect((await fetch(`${baseUrl}/api/docs`)).status).toBe(200);
  });

  it('has the demo accounts with the documented roles', async () => {
    const roles: Record<string, string> = {
      admin: 'system_admin',
      'so.demo': 'province_officer',
      'phong.demo': 'district_officer',
      'hieutruong.demo': 'principal',
      'gvcn.demo': 'homeroom_teacher',
      'gv.demo': 'subject_teacher',
      'gvmn.demo': 'homeroom_teacher',
      'phuhuynh.demo': 'parent',
      'hocsinh.demo': 'student',
    };
    for (const [username, role] of Object.entries(roles)) {
      const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025' }),
      });
      expect(res.status, username).toBe(200);
      const me = await res.json();
      expect(me.grants.map((g: { role: string }) => g.role), username).toContain(role);
    }
  });

  it('loaded a demo province of about 20,000 students in about 30 schools', async () => {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'so.demo', password: process.env.TRUONGSO_DEMO_PASSWORD ?? 'TruongSo@2025' }),
    });
    const me = await login.json();
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const province = me.grants[0].orgUnitId as string;
    const res = await (await fetch(`${baseUrl}/api/v1/org-units/${province}/schools`, { headers: { cookie } })).json();
    expect(res.totals.schools).toBeGreaterThanOrEqual(25);
    expect(res.totals.students).toBeGreaterThanOrEqual(19_000);
  });
});
