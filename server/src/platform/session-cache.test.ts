import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { type Session, type TestContext, freshDb, setupTestApp } from '../../test/harness.js';
import { statementsOf } from '../../test/statements.js';
import { openDb } from '../db/connection.js';
import { SessionCache } from './session-cache.js';
import { createSession, loadSession, newSessionRowCache } from './sessions.js';

// The per-process session cache (platform/session-cache.ts): a request whose answer is cached
// costs no database round trip, and yet a sign-out, a withdrawn grant or a changed record made by
// ANOTHER process (here: a statement on another connection, as a second server would send it)
// takes effect within moments, through the database's change notices (migration 0010), not after
// the cache's 10-second age limit; a change made by this process takes effect at once.

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const list = (q = '') => `/api/v1/schools/${F.schoolA1}/students?page=1&pageSize=50${q}`;

/** Polls `check` until it holds, for at most 2 s (a notice crosses processes in milliseconds). */
async function within2s(check: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > 2000) throw new Error('not within 2 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - start;
}

describe('SessionCache on its own', () => {
  it('keeps nothing while the change notices are not heard', () => {
    const c = new SessionCache<string>();
    c.store(c.mark(), 'h', 'row', { 'school:x': 3 });
    expect(c.session('h')).toBeUndefined();
    c.setListening(true);
    c.store(c.mark(), 'h', 'row', { 'school:x': 3 });
    expect(c.session('h')).toBe('row');
    expect(c.version('school:x')).toBe(3);
    c.setListening(false);
    expect(c.session('h')).toBeUndefined();
    c.setListening(true);
    expect(c.session('h')).toBeUndefined(); // what was kept before the gap is gone
  });

  it('does not keep what may have changed since the read began (the read may predate the change)', () => {
    const c = new SessionCache<string>();
    c.setListening(true);
    const before = c.mark();
    c.notice('v:school:x');
    c.store(before, 'h', 'row', { 'school:x': 1, 'school:y': 4 });
    // A version notice concerns that version only: the session and the other scope are kept.
    expect(c.session('h')).toBe('row');
    expect(c.version('school:x')).toBeUndefined();
    expect(c.version('school:y')).toBe(4);
    const again = c.mark();
    c.store(again, 'h', 'row', { 'school:x': 2 });
    expect(c.version('school:x')).toBe(2);
    // A session notice: nothing read before it is kept.
    c.forgetAll();
    const beforeSignOut = c.mark();
    c.notice('s');
    c.store(beforeSignOut, 'h', 'old', { 'school:x': 2 });
    expect(c.session('h')).toBeUndefined();
  });

  it('a version notice drops that scope only; a session notice (or any other) drops everything', () => {
    const c = new SessionCache<string>();
    c.setListening(true);
    c.store(c.mark(), 'h', 'row', { 'school:x': 1, 'school:y': 5 });
    c.notice('v:school:x');
    expect(c.version('school:x')).toBeUndefined();
    expect(c.version('school:y')).toBe(5);
    expect(c.session('h')).toBe('row');
    c.notice('s');
    expect(c.session('h')).toBeUndefined();
    expect(c.version('school:y')).toBeUndefined();
  });

  it('after a write: the versions announced while it ran are forgotten again; everything if a session changed', () => {
    const c = new SessionCache<string>();
    c.setListening(true);
    c.store(c.mark(), 'h', 'row', { 'school:x': 1, 'school:y': 7, org_tree: 3 });
    const admission = c.mark();
    c.notice('v:school:x'); // heard in band as the admission committed
    c.store(c.mark(), 'h', 'row', { 'school:x': 1, 'school:y': 7, org_tree: 3 }); // another request read before the commit
    c.afterWrite(admission);
    expect(c.version('school:x')).toBeUndefined();
    expect(c.version('school:y')).toBe(7);
    expect(c.version('org_tree')).toBe(3);
    expect(c.session('h')).toBe('row');

    const quiet = c.mark();
    c.afterWrite(quiet); // a write that changed nothing forgets nothing
    expect(c.version('school:y')).toBe(7);

    const signOut = c.mark();
    c.notice('s');
    c.store(c.mark(), 'h', 'stale', { 'school:y': 7 });
    c.afterWrite(signOut);
    expect(c.session('h')).toBeUndefined();
    expect(c.version('school:y')).toBeUndefined();
  });

  it('forgets an entry older than its age limit even without a notice', async () => {
    const c = new SessionCache<string>(30);
    c.setListening(true);
    c.store(c.mark(), 'h', 'row', {});
    expect(c.session('h')).toBe('row');
    await new Promise((r) => setTimeout(r, 40));
    expect(c.session('h')).toBeUndefined();
  });
});

describe('loadSession with a cache', () => {
  it('asks the database again when the kept copy looks expired (another process may have slid it)', async () => {
    const handle = await freshDb();
    try {
      const { token } = await createSession(handle.db, F.users.principalA1, {});
      const cache = newSessionRowCache();
      cache.setListening(true);
      const first = await loadSession(handle.db, token, null, cache);
      expect(first?.actor.userId).toBe(F.users.principalA1);
      const kept = cache.session(sha256(token))!;
      cache.update(sha256(token), { ...kept, expires_at: new Date(Date.now() - 1000) });
      const again = await loadSession(handle.db, token, null, cache);
      expect(again?.actor.userId).toBe(F.users.principalA1);
      expect(await handle.db.selectFrom('user_session').select('token_hash').where('token_hash', '=', sha256(token)).executeTakeFirst()).toBeDefined();
    } finally {
      await handle.close();
    }
  });
});

describe('the app with the cache on', () => {
  let ctx: TestContext;
  let principal: Session;
  beforeAll(async () => {
    ctx = await setupTestApp({ sessionCache: true });
    principal = await ctx.as('principalA1');
  });

  it('a cached list page costs no statement at all, and the answer is the same', async () => {
    const first = await principal.get(list());
    expect(first.statusCode).toBe(200);
    await principal.get(list()); // the session is cached from here on
    let second: Awaited<ReturnType<Session['get']>> | undefined;
    const sent = await statementsOf(ctx.handle.pool, async () => {
      second = await principal.get(list());
    });
    expect(second!.statusCode).toBe(200);
    expect(second!.json()).toEqual(first.json());
    expect(sent).toEqual([]);
  });

  it('a wrong password typed without a session does not empty the cache (a guessing storm would)', async () => {
    await principal.get(list());
    await principal.get(list());
    const wrong = await ctx.anonymous.post('/api/v1/auth/login', { username: 'ht.a1', password: 'sai-mat-khau' });
    expect(wrong.statusCode).toBe(401);
    const sent = await statementsOf(ctx.handle.pool, () => principal.get(list()));
    expect(sent).toEqual([]);
  });

  it("this process's own write shows in its very next request (no waiting for the notice)", async () => {
    await principal.get(list('&q=binh'));
    const res = await principal.patch(`/api/v1/schools/${F.schoolA1}/students/${F.studentBinh}`, { fullName: 'Đặng Thị Bình Minh' });
    expect(res.statusCode).toBe(200);
    const after = (await principal.get(list('&q=binh'))).json() as { items: { id: string; fullName: string }[] };
    expect(after.items.find((s) => s.id === F.studentBinh)?.fullName).toBe('Đặng Thị Bình Minh');
  });

  it('a record changed by another process shows within moments', async () => {
    await principal.get(list('&q=binh'));
    await principal.get(list('&q=binh'));
    await sql`update student set given_name = 'Bích' where school_id = ${F.schoolA1} and id = ${F.studentBinh}`.execute(ctx.handle.db);
    await within2s(async () => {
      const page = (await principal.get(list('&q=binh'))).json() as { items: { id: string; fullName: string }[] };
      return page.items.find((s) => s.id === F.studentBinh)?.fullName.endsWith(' Bích') ?? false;
    });
  });

  it('a grant withdrawn by another process closes the school within moments', async () => {
    const homeroom = await ctx.as('homeroomA1');
    expect((await homeroom.get(list())).statusCode).toBe(200);
    expect((await homeroom.get(list())).statusCode).toBe(200);
    await sql`delete from role_grant where user_id = ${F.users.homeroomA1}`.execute(ctx.handle.db);
    await within2s(async () => (await homeroom.get(list())).statusCode === 404);
  });

  it('a session ended by another process (sign-out everywhere, an administrator) is refused within moments', async () => {
    const math = await ctx.as('mathA1');
    expect((await math.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await math.get('/api/v1/auth/me')).statusCode).toBe(200);
    await sql`delete from user_session where user_id = ${F.users.mathA1}`.execute(ctx.handle.db);
    await within2s(async () => (await math.get('/api/v1/auth/me')).statusCode === 401);
  });

  it('an account deactivated by another process is refused within moments', async () => {
    const staff = await ctx.as('staffA1');
    expect((await staff.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await staff.get('/api/v1/auth/me')).statusCode).toBe(200);
    await sql`update app_user set is_active = false where id = ${F.users.staffA1}`.execute(ctx.handle.db);
    await within2s(async () => (await staff.get('/api/v1/auth/me')).statusCode === 401);
  });

  it('the connection that changes sessions, accounts or grants hears it in band, before its statement returns (migration 0013)', async () => {
    const heard: string[] = [];
    const stop = await ctx.handle.listen('ts_cache', { message: (p) => heard.push(p), state: () => undefined });
    try {
      await ctx.handle.db.transaction().execute(async (trx) => {
        await sql`delete from user_session where false`.execute(trx);
        // Not committed yet, so no NOTIFY can have been delivered: this came in band.
        expect(heard).toContain('s');
        throw new Error('roll back');
      }).catch((e: Error) => expect(e.message).toBe('roll back'));
    } finally {
      await stop();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('a version moved here is passed on to the other processes after the commit (PostgreSQL: one process is all the embedded engine has)', async () => {
    const url = (ctx.handle.pool as unknown as { options: { connectionString: string } }).options.connectionString;
    const other = await openDb({ databaseUrl: url, poolSize: 1 });
    const heard: string[] = [];
    const stop = await other.listen('ts_cache', { message: (p) => heard.push(p), state: () => undefined });
    try {
      await sql`update student set given_name = given_name where school_id = ${F.schoolA1} and id = ${F.studentBinh}`.execute(ctx.handle.db);
      await within2s(async () => heard.includes(`v:school:${F.schoolA1}`));
    } finally {
      await stop();
      await other.close();
    }
  });

  it('a student admitted here keeps the sessions: the next admission reads no session', async () => {
    const admit = (fullName: string) =>
      principal.post(`/api/v1/schools/${F.schoolA1}/students`, { fullName, dateOfBirth: '2014-03-04', sex: 'female', classId: F.class6A1 });
    expect((await admit('Lò Thị Một')).statusCode).toBe(200);
    let second: Awaited<ReturnType<Session['post']>> | undefined;
    const sent = await statementsOf(ctx.handle.pool, async () => {
      second = await admit('Lò Thị Hai');
    });
    expect(second!.statusCode, second!.body).toBe(200);
    expect(sent.filter((s) => /user_session|data_version/.test(s))).toEqual([]);
    // ...and the list it changed is read afresh: the new learner is on it.
    const page = (await principal.get(list('&q=lo thi hai'))).json() as { items: { fullName: string }[] };
    expect(page.items.map((i) => i.fullName)).toContain('Lò Thị Hai');
  });

  it('signing out here refuses the old cookie at once', async () => {
    const parent = await ctx.as('parentA');
    expect((await parent.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await parent.get('/api/v1/auth/me')).statusCode).toBe(200);
    expect((await parent.post('/api/v1/auth/logout')).statusCode).toBeLessThan(300);
    expect((await parent.get('/api/v1/auth/me')).statusCode).toBe(401);
  });
});
