import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { type ZodTypeProvider, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, describe, expect, it } from 'vitest';
import { ZodError, z } from 'zod';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { defaultAppConfig } from '../app.js';
import { AppError } from './errors.js';
import type { Permission } from './permissions.js';
import { registerSecurity } from './security-plugin.js';
import { SESSION_COOKIE, createSession } from './sessions.js';

// The platform hooks on a small app of their own (no feature module in between): which caller
// reaches which kind of route, with which scope; the CSRF check on each unsafe method; the
// problem+json answer for each kind of error; the fallback for unknown addresses; the route
// table the access matrix is generated from. Part of the mutation run (`npm run mutation`).

const handle = await freshDb();
const db = handle.db;
const webDir = mkdtempSync(path.join(tmpdir(), 'ts-web-'));
writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Trường Số</title>');
afterAll(async () => {
  await handle.close();
  rmSync(webDir, { recursive: true, force: true });
});

const PUBLIC: Permission = { access: 'public' };
const SIGNED_IN: Permission = { access: 'signed_in' };

/** What the handler sees: the caller and the scope the hook decided. */
const echo = async (req: FastifyRequest) => ({ userId: req.actor?.userId ?? null, unitId: req.scope.unitId, roles: [...req.scope.roles].sort() });

const ERRORS: Record<string, () => unknown> = {
  app: () => new AppError(409, 'duplicate', 'Mã định danh đã có.', { field: 'learnerId' }),
  untitled: () => new AppError(418, 'teapot', 'Ấm trà.'),
  zod: () =>
    new ZodError([
      { code: 'custom', path: ['guardians', 0, 'fullName'], message: 'Hãy nhập họ tên người giám hộ.', input: '' },
      { code: 'custom', path: ['address'], message: 'Địa chỉ quá dài.', input: '' },
    ]),
  'zod-root': () => new ZodError([{ code: 'custom', path: [], message: 'Hãy gửi một đối tượng.', input: '' }]),
  'zod-empty': () => new ZodError([]),
  'validation-bare': () => Object.assign(new Error('x'), { statusCode: 400, validation: [{}] }),
  'status-413': () => Object.assign(new Error('big'), { statusCode: 413 }),
  'file-too-large': () => Object.assign(new Error('big'), { code: 'FST_REQ_FILE_TOO_LARGE' }),
  'body-too-large': () => Object.assign(new Error('big'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE' }),
  'status-415': () => Object.assign(new Error('type'), { statusCode: 415 }),
  throttled: () => ({ statusCode: 429, throttled: true }),
  'status-429': () => Object.assign(new Error('limit'), { statusCode: 429 }),
  'status-400': () => Object.assign(new Error('bad'), { statusCode: 400 }),
  'status-499': () => Object.assign(new Error('bad'), { statusCode: 499 }),
  'status-500': () => Object.assign(new Error('relation "student" does not exist'), { statusCode: 500 }),
  crash: () => new Error('connection to server lost: relation "student"'),
};

/** The routes every kind of permission is tried on. */
function addRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/plain', echo);
  r.get('/api/outside', { config: { permission: PUBLIC } }, echo);
  r.get('/api/v1/t/public', { config: { permission: PUBLIC } }, echo);
  r.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/api/v1/t/me', config: { permission: SIGNED_IN }, handler: echo });
  r.get('/api/v1/t/global', { config: { permission: { access: 'global', roles: ['province_officer', 'district_officer'] } } }, echo);
  r.get('/api/v1/t/units/:unitId', { config: { permission: { access: 'unit', roles: ['principal', 'province_officer'], param: 'unitId' } } }, echo);
  r.post('/api/v1/t/units/:unitId', { config: { permission: { access: 'unit', roles: ['principal', 'province_officer'], param: 'unitId' } } }, echo);
  r.get('/api/v1/t/misnamed/:unitId', { config: { permission: { access: 'unit', roles: ['principal'], param: 'schoolId' } } }, echo);
  r.get(
    '/api/v1/t/resolve',
    {
      config: { permission: { access: 'resolve', roles: ['principal'], resolveUnit: async (req) => (req.query as { unit?: string }).unit ?? null } },
      schema: { querystring: z.object({ unit: z.string().optional() }) },
    },
    echo,
  );
  r.post(
    '/api/v1/t/validate',
    {
      config: { permission: SIGNED_IN },
      schema: { body: z.object({ fullName: z.string().min(1, 'Hãy nhập họ và tên.'), address: z.object({ commune: z.string().min(1, 'Hãy nhập xã.') }) }) },
    },
    echo,
  );
  r.get('/api/v1/t/fail/:kind', { config: { permission: PUBLIC } }, async (req) => {
    throw ERRORS[(req.params as { kind: string }).kind]!();
  });
}

async function testApp(opts: { web?: boolean; log?: string[] } = {}): Promise<FastifyInstance> {
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      opts.log?.push(chunk.toString());
      done();
    },
  });
  const app = Fastify({ logger: opts.log ? { level: 'error', stream } : false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('db', db);
  app.decorate('appConfig', { ...defaultAppConfig, sessionCache: false, webDir: opts.web ? webDir : undefined });
  await app.register(cookie);
  registerSecurity(app);
  addRoutes(app);
  if (opts.web) await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  await app.ready();
  return app;
}

const app = await testApp();
afterAll(() => app.close());

async function signIn(who: keyof typeof F.users) {
  const { token, csrfToken } = await createSession(db, F.users[who], {});
  return { cookie: `${SESSION_COOKIE}=${token}`, csrf: csrfToken };
}

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, who?: { cookie: string; csrf: string } | null, opts: { csrf?: string | null; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (who) headers.cookie = who.cookie;
  const csrf = opts.csrf === undefined ? who?.csrf : opts.csrf;
  if (csrf) headers['x-csrf-token'] = csrf;
  const res = await app.inject({ method, url, headers, ...(opts.body !== undefined ? { payload: opts.body as object } : {}) });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body, json: () => res.json() as Record<string, unknown> };
}

describe('who reaches which route, with which scope', () => {
  it('public routes: anyone; a signed-in caller is still known, with an empty scope', async () => {
    expect((await call('GET', '/api/v1/t/public')).json()).toEqual({ userId: null, unitId: null, roles: [] });
    expect((await call('GET', '/api/v1/t/public', await signIn('parentA'))).json()).toEqual({ userId: F.users.parentA, unitId: null, roles: [] });
    // A cookie that is no session is nobody.
    expect((await call('GET', '/api/v1/t/public', { cookie: `${SESSION_COOKIE}=nope`, csrf: '' })).json()).toEqual({ userId: null, unitId: null, roles: [] });
  });

  it('routes without a declaration outside /api (static files, docs) are left alone', async () => {
    expect((await call('GET', '/plain')).json()).toEqual({ userId: null, unitId: null, roles: [] });
    expect((await call('GET', '/plain', await signIn('soA'))).json()).toEqual({ userId: F.users.soA, unitId: null, roles: [] });
  });

  it('signed-in routes: 401 in Vietnamese without a session, the caller with an empty scope with one', async () => {
    for (const who of [null, { cookie: `${SESSION_COOKIE}=${'x'.repeat(43)}`, csrf: 'x' }]) {
      const res = await call('GET', '/api/v1/t/me', who);
      expect(res.status).toBe(401);
      expect(res.type).toContain('application/problem+json');
      expect(res.json()).toEqual({ type: 'about:blank', title: 'Chưa đăng nhập', status: 401, code: 'unauthenticated', detail: 'Bạn cần đăng nhập để tiếp tục.' });
    }
    expect((await call('GET', '/api/v1/t/me', await signIn('principalA1'))).json()).toEqual({ userId: F.users.principalA1, unitId: null, roles: [] });
  });

  it('global routes: any grant with one of the roles, anywhere; the scope holds every role of the caller', async () => {
    const so = await call('GET', '/api/v1/t/global', await signIn('soB'));
    expect(so.json()).toEqual({ userId: F.users.soB, unitId: null, roles: ['province_officer'] });
    expect((await call('GET', '/api/v1/t/global', await signIn('communeA'))).json()).toEqual({ userId: F.users.communeA, unitId: null, roles: ['district_officer'] });
    await db.insertInto('role_grant').values({ id: '00000000-0000-7000-8000-0000000096a1', user_id: F.users.soA, role: 'parent', org_unit_id: F.schoolA1 }).execute();
    expect((await call('GET', '/api/v1/t/global', await signIn('soA'))).json()).toEqual({ userId: F.users.soA, unitId: null, roles: ['parent', 'province_officer'] });
    const principal = await call('GET', '/api/v1/t/global', await signIn('principalA1'));
    expect(principal.status).toBe(403);
    expect(principal.json()).toEqual({ type: 'about:blank', title: 'Không có quyền', status: 403, code: 'forbidden', detail: 'Bạn không có quyền thực hiện thao tác này.' });
  });

  it('unit routes: one of the roles over the unit in the path (or above it); the scope is that unit and the roles held there', async () => {
    expect((await call('GET', `/api/v1/t/units/${F.schoolA1}`, await signIn('principalA1'))).json()).toEqual({ userId: F.users.principalA1, unitId: F.schoolA1, roles: ['principal'] });
    expect((await call('GET', `/api/v1/t/units/${F.siteA1}`, await signIn('soA'))).json()).toEqual({ userId: F.users.soA, unitId: F.siteA1, roles: ['parent', 'province_officer'] });
    const notFound = { type: 'about:blank', title: 'Không tìm thấy', status: 404, code: 'not_found', detail: 'Không tìm thấy dữ liệu yêu cầu.' };
    // Another school, a unit above, a role the route does not take: 404, the same as a unit that does not exist.
    for (const [who, unit] of [
      ['principalA1', F.schoolB1],
      ['principalA1', F.communeA1],
      ['homeroomA1', F.schoolA1],
      ['soB', F.schoolA1],
      ['soA', '00000000-0000-7000-8000-00000000beef'],
    ] as const) {
      const res = await call('GET', `/api/v1/t/units/${unit}`, await signIn(who));
      expect(res.status, `${who} on ${unit}`).toBe(404);
      expect(res.json()).toEqual(notFound);
    }
    expect((await call('GET', `/api/v1/t/units/${F.schoolA1}`)).status).toBe(401);
  });

  it('unit routes: an id that is not 36 hex digits and dashes is 404 before any lookup', async () => {
    const so = await signIn('soA');
    for (const id of [`a${F.schoolA1}`, `${F.schoolA1}a`, F.schoolA1.slice(1), 'g'.repeat(36), `${F.schoolA1.slice(0, 35)}'`, 'x']) {
      const res = await call('GET', `/api/v1/t/units/${encodeURIComponent(id)}`, so);
      expect(res.status, id).toBe(404);
      expect(res.json()).toEqual({ type: 'about:blank', title: 'Không tìm thấy', status: 404, code: 'not_found', detail: 'Không tìm thấy dữ liệu yêu cầu.' });
    }
  });

  it('unit routes: the permission names the path parameter; a route naming another one reaches nobody', async () => {
    const res = await call('GET', `/api/v1/t/misnamed/${F.schoolA1}`, await signIn('principalA1'));
    expect(res.status).toBe(404);
  });

  it('resolve routes: the unit the route finds for its target decides; none found is 404', async () => {
    const principal = await signIn('principalA1');
    expect((await call('GET', `/api/v1/t/resolve?unit=${F.schoolA1}`, principal)).json()).toEqual({ userId: F.users.principalA1, unitId: F.schoolA1, roles: ['principal'] });
    expect((await call('GET', `/api/v1/t/resolve?unit=${F.schoolB1}`, principal)).status).toBe(404);
    expect((await call('GET', '/api/v1/t/resolve', principal)).status).toBe(404);
  });
});

describe('CSRF: every state-changing method needs the session token in the header', () => {
  it('POST, PUT, PATCH and DELETE without it or with a wrong one: 403 csrf_failed; with it: through. GET needs none', async () => {
    const s = await signIn('staffA1');
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      for (const csrf of [null, 'wrong', s.csrf.slice(0, -1)]) {
        const res = await call(method, '/api/v1/t/me', s, { csrf, body: method === 'DELETE' ? undefined : {} });
        expect(res.status, `${method} ${csrf}`).toBe(403);
        expect(res.json().code).toBe('csrf_failed');
        expect(res.json().detail).toBe('Phiên làm việc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang và thử lại.');
      }
      expect((await call(method, '/api/v1/t/me', s, { body: method === 'DELETE' ? undefined : {} })).json().userId, method).toBe(F.users.staffA1);
    }
    expect((await call('GET', '/api/v1/t/me', s, { csrf: null })).status).toBe(200);
  });

  it('the CSRF check comes before the unit check: a forged write to a unit one manages is refused', async () => {
    const res = await call('POST', `/api/v1/t/units/${F.schoolA1}`, await signIn('principalA1'), { csrf: null, body: {} });
    expect(res.status).toBe(403);
    expect(res.json().code).toBe('csrf_failed');
  });
});

describe('errors are problem+json with a stable code and a Vietnamese detail', () => {
  const fail = async (kind: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1/t/fail/${kind}` });
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    return { status: res.statusCode, body: res.json() as Record<string, unknown> };
  };

  it('an AppError keeps its status, code, detail and extra fields; an unknown status gets the plain title', async () => {
    expect(await fail('app')).toEqual({
      status: 409,
      body: { type: 'about:blank', title: 'Xung đột dữ liệu', status: 409, code: 'duplicate', detail: 'Mã định danh đã có.', field: 'learnerId' },
    });
    expect((await fail('untitled')).body).toEqual({ type: 'about:blank', title: 'Lỗi', status: 418, code: 'teapot', detail: 'Ấm trà.' });
  });

  it('a zod error thrown by a service names the first field by its Vietnamese label and lists every issue', async () => {
    expect(await fail('zod')).toEqual({
      status: 400,
      body: {
        type: 'about:blank',
        title: 'Dữ liệu không hợp lệ',
        status: 400,
        code: 'validation_failed',
        detail: 'Họ tên người giám hộ thứ 1: hãy nhập họ tên người giám hộ.',
        errors: [
          { path: 'guardians.0.fullName', label: 'Họ tên người giám hộ thứ 1', message: 'Hãy nhập họ tên người giám hộ.' },
          { path: 'address', label: 'Địa chỉ', message: 'Địa chỉ quá dài.' },
        ],
      },
    });
    expect((await fail('zod-root')).body.detail).toBe('Dữ liệu gửi lên: hãy gửi một đối tượng.');
    expect((await fail('zod-empty')).body).toMatchObject({ status: 400, code: 'validation_failed', detail: 'Dữ liệu gửi lên không hợp lệ.', errors: [] });
  });

  it('request validation names the field by its Vietnamese label, the whole body as "Dữ liệu gửi lên"', async () => {
    const s = await signIn('parentA');
    const nested = await call('POST', '/api/v1/t/validate', s, { body: { fullName: 'Nguyễn Văn An', address: { commune: '' } } });
    expect(nested.status).toBe(400);
    expect(nested.json()).toEqual({
      type: 'about:blank',
      title: 'Dữ liệu không hợp lệ',
      status: 400,
      code: 'validation_failed',
      // A field the label map does not know (this test route's own) is never shown by its name.
      detail: 'Dữ liệu gửi lên: hãy nhập xã.',
      errors: [{ path: 'address.commune', label: 'Dữ liệu gửi lên', message: 'Hãy nhập xã.' }],
    });
    expect((await call('POST', '/api/v1/t/validate', s, { body: { fullName: '', address: { commune: 'Xã Một' } } })).json().detail).toBe('Họ và tên: hãy nhập họ và tên.');
    const whole = (await call('POST', '/api/v1/t/validate', s, { body: [] })).json();
    expect(whole.code).toBe('validation_failed');
    expect(String(whole.detail)).toMatch(/^Dữ liệu gửi lên: \S/);
    // A validation entry with nothing in it still gets a sentence.
    expect((await fail('validation-bare')).body).toEqual({
      type: 'about:blank',
      title: 'Dữ liệu không hợp lệ',
      status: 400,
      code: 'validation_failed',
      detail: 'Dữ liệu gửi lên: giá trị không hợp lệ — hãy kiểm tra lại.',
      errors: [{ path: '', label: 'Dữ liệu gửi lên', message: 'Giá trị không hợp lệ — hãy kiểm tra lại.' }],
    });
  });

  it('too large (by status or by Fastify code), unsupported type, rate limited, other 4xx', async () => {
    for (const kind of ['status-413', 'file-too-large', 'body-too-large']) {
      expect(await fail(kind), kind).toEqual({
        status: 413,
        body: { type: 'about:blank', title: 'Tệp quá lớn', status: 413, code: 'payload_too_large', detail: 'Dữ liệu hoặc tệp gửi lên quá lớn.' },
      });
    }
    expect(await fail('status-415')).toEqual({
      status: 415,
      body: { type: 'about:blank', title: 'Định dạng không được hỗ trợ', status: 415, code: 'unsupported_media_type', detail: 'Định dạng dữ liệu gửi lên không được hỗ trợ.' },
    });
    const limited = { type: 'about:blank', title: 'Quá nhiều yêu cầu', status: 429, code: 'rate_limited', detail: 'Bạn thao tác quá nhanh. Vui lòng đợi một chút rồi thử lại.' };
    expect(await fail('status-429')).toEqual({ status: 429, body: limited });
    for (const kind of ['status-400', 'status-499']) {
      expect(await fail(kind), kind).toEqual({
        status: Number(kind.slice(-3)),
        body: { type: 'about:blank', title: kind === 'status-400' ? 'Dữ liệu không hợp lệ' : 'Lỗi', status: Number(kind.slice(-3)), code: 'bad_request', detail: 'Yêu cầu không hợp lệ. Hãy kiểm tra dữ liệu gửi lên.' },
      });
    }
    expect((await fail('throttled')).body).toEqual(limited);
  });

  it('a throttled request waits about a second for its 429; any other 429 is answered at once', async () => {
    let t0 = performance.now();
    await fail('throttled');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    t0 = performance.now();
    await fail('status-429');
    expect(performance.now() - t0).toBeLessThan(900);
  });

  it('anything else is a 500 that says nothing about the cause, and is logged', async () => {
    const log: string[] = [];
    const logged = await testApp({ log });
    for (const kind of ['crash', 'status-500']) {
      const res = await logged.inject({ method: 'GET', url: `/api/v1/t/fail/${kind}` });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ type: 'about:blank', title: 'Lỗi hệ thống', status: 500, code: 'internal_error', detail: 'Đã có lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên.' });
      expect(res.body).not.toContain('relation');
    }
    expect(log.join('')).toContain('connection to server lost');
    expect(log.join('')).toContain('relation \\"student\\" does not exist');
    await logged.close();
  });
});

describe('unknown addresses', () => {
  it('under /api: problem+json 404; elsewhere, without a web app: a plain 404', async () => {
    for (const url of ['/api/v1/khong-co', '/api/khong-co']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ type: 'about:blank', title: 'Không tìm thấy', status: 404, code: 'not_found', detail: 'Không tìm thấy địa chỉ yêu cầu.' });
    }
    const page = await app.inject({ method: 'GET', url: '/hoc-sinh/123' });
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(page.body).toBe('Không tìm thấy');
  });

  it('with the web app: a page address loads the single-page app; a missing file, or another method, stays 404', async () => {
    const web = await testApp({ web: true });
    for (const url of ['/hoc-sinh/123', '/hoc-sinh/a?x=1.css', '/v1.2/lop', '/']) {
      const res = await web.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toContain('<title>Trường Số</title>');
    }
    for (const [method, url] of [
      ['GET', '/assets/app.js'],
      ['GET', '/logo.PNG'],
      ['POST', '/hoc-sinh/123'],
    ] as const) {
      const res = await web.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body, `${method} ${url}`).toBe('Không tìm thấy');
    }
    expect((await web.inject({ method: 'GET', url: '/api/v1/khong-co' })).json().code).toBe('not_found');
    await web.close();
  });
});

describe('the route table the access matrix is generated from', () => {
  it('lists every /api/v1 route once per method (no HEAD), with its permission and input schemas; nothing outside /api/v1', async () => {
    const fresh = await testApp();
    const listed = fresh.declaredRoutes.map((r) => `${r.method} ${r.url}`).sort();
    expect(listed).toEqual(
      [
        'DELETE /api/v1/t/me',
        'GET /api/v1/t/fail/:kind',
        'GET /api/v1/t/global',
        'GET /api/v1/t/me',
        'GET /api/v1/t/misnamed/:unitId',
        'GET /api/v1/t/public',
        'GET /api/v1/t/resolve',
        'GET /api/v1/t/units/:unitId',
        'PATCH /api/v1/t/me',
        'POST /api/v1/t/me',
        'POST /api/v1/t/units/:unitId',
        'POST /api/v1/t/validate',
        'PUT /api/v1/t/me',
      ].sort(),
    );
    const validate = fresh.declaredRoutes.find((r) => r.url === '/api/v1/t/validate')!;
    expect(validate.permission).toEqual(SIGNED_IN);
    expect(validate.body).toBeDefined();
    expect(validate.querystring).toBeUndefined();
    const resolve = fresh.declaredRoutes.find((r) => r.url === '/api/v1/t/resolve')!;
    expect(resolve.permission.access).toBe('resolve');
    expect(resolve.querystring).toBeDefined();
    expect(resolve.body).toBeUndefined();
    await fresh.close();
  });

  it('an /api/v1 route without a permission declaration stops the app from starting', async () => {
    const bare = Fastify();
    bare.decorate('db', db);
    bare.decorate('appConfig', { ...defaultAppConfig, sessionCache: false });
    registerSecurity(bare);
    expect(() => bare.get('/api/v1/t/undeclared', async () => 'x')).toThrow('Route GET /api/v1/t/undeclared has no permission declaration');
    expect(() => bare.get('/elsewhere', async () => 'x')).not.toThrow();
    expect(bare.declaredRoutes).toEqual([]);
    await bare.close();
  });
});
