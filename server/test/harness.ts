import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Response as InjectResponse } from 'light-my-request';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type AppConfig, buildApp } from '../src/app.js';
import { type DbHandle, openDb } from '../src/db/connection.js';
import { F, USERNAMES } from './fixture-ids.js';
import { TEMPLATE_DB, TEMPLATE_FILE, withDatabase } from './global-setup.js';

/** A fresh database cloned from the fixture template: PGlite by default, PostgreSQL with DATABASE_URL. */
export async function freshDb(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const blob = new Blob([readFileSync(TEMPLATE_FILE)]);
    return openDb({ loadDataDir: blob });
  }
  const name = `ts_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  const handle = await openDb({ databaseUrl: withDatabase(url, name), poolSize: 5 });
  const close = handle.close;
  handle.close = async () => {
    await close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  return handle;
}

export type Session = {
  username: string;
  cookie: string;
  csrf: string;
  get: (url: string) => Promise<InjectResponse>;
  del: (url: string) => Promise<InjectResponse>;
  post: (url: string, body?: unknown) => Promise<InjectResponse>;
  put: (url: string, body?: unknown) => Promise<InjectResponse>;
  patch: (url: string, body?: unknown) => Promise<InjectResponse>;
};

export type TestContext = {
  app: FastifyInstance;
  handle: DbHandle;
  /** Signs in as a fixture account (key of F.users) and returns a request helper carrying the cookie and CSRF token. */
  as: (who: keyof typeof F.users) => Promise<Session>;
  anonymous: Omit<Session, 'username' | 'cookie' | 'csrf'>;
};

/** Builds the app on a fresh fixture database; closes both after the file's tests. */
export async function setupTestApp(config: Partial<AppConfig> = {}): Promise<TestContext> {
  const handle = await freshDb();
  const app = await buildApp(handle, { loginRatePerMinute: 10_000, loginFailuresPerAddress: 100_000, sessionCache: false, ...config });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await handle.close();
  });
  const cache = new Map<string, Session>();
  const requester = (cookie: string, csrf: string) => ({
    get: (url: string) => app.inject({ method: 'GET', url, headers: { cookie } }),
    del: (url: string) => app.inject({ method: 'DELETE', url, headers: { cookie, 'x-csrf-token': csrf } }),
    post: (url: string, body?: unknown) =>
      app.inject({ method: 'POST', url, headers: { cookie, 'x-csrf-token': csrf }, payload: (body ?? {}) as object }),
    put: (url: string, body?: unknown) =>
      app.inject({ method: 'PUT', url, headers: { cookie, 'x-csrf-token': csrf }, payload: (body ?? {}) as object }),
    patch: (url: string, body?: unknown) =>
      app.inject({ method: 'PATCH', url, headers: { cookie, 'x-csrf-token': csrf }, payload: (body ?? {}) as object }),
  });
  const as = async (who: keyof typeof F.users): Promise<Session> => {
    const hit = cache.get(who);
    if (hit) return hit;
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: USERNAMES[who], password: F.password } });
    if (res.statusCode !== 200) throw new Error(`login ${who} failed: ${res.statusCode} ${res.body}`);
    const setCookie = res.headers['set-cookie'];
    const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
    const cookie = String(raw).split(';')[0]!;
    const csrf = (res.json() as { csrfToken: string }).csrfToken;
    const session = { username: USERNAMES[who], cookie, csrf, ...requester(cookie, csrf) };
    cache.set(who, session);
    return session;
  };
  return { app, handle, as, anonymous: requester('', '') };
}
