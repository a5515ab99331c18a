import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS, createSession, destroySession, destroyUserSessions, loadActor } from './sessions.js';
import { dataVersion } from './data-version.repo.js';

// Sessions called directly: what is stored (only the token's hash), what a token loads (the
// user, their grants and links, exactly), and when it stops loading (idle and absolute expiry,
// a deactivated account, a malformed token). Part of the mutation run (`npm run mutation`).

const handle = await freshDb();
const db = handle.db;
afterAll(() => handle.close());

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const MINUTE = 60_000;

async function row(token: string) {
  return db.selectFrom('user_session').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
}
/** Moves a session's clock: created, last seen and expiry relative to now. */
async function age(token: string, t: { createdAgo?: number; seenAgo?: number; expiresIn?: number }) {
  const now = Date.now();
  await db
    .updateTable('user_session')
    .set({
      ...(t.createdAgo !== undefined ? { created_at: new Date(now - t.createdAgo) } : {}),
      ...(t.seenAgo !== undefined ? { last_seen_at: new Date(now - t.seenAgo) } : {}),
      ...(t.expiresIn !== undefined ? { expires_at: new Date(now + t.expiresIn) } : {}),
    })
    .where('token_hash', '=', sha256(token))
    .execute();
}

describe('createSession', () => {
  it('stores the hash of a random token, never the token, with the CSRF token, the address and an 8-hour expiry', async () => {
    const before = Date.now();
    const { token, csrfToken } = await createSession(db, F.users.principalA1, { ip: '10.0.0.7', userAgent: `Mozilla/5.0 ${'x'.repeat(400)}` });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes
    expect(await db.selectFrom('user_session').select('token_hash').where('token_hash', '=', token).executeTakeFirst()).toBeUndefined();
    const r = (await row(token))!;
    expect(r.user_id).toBe(F.users.principalA1);
    expect(r.csrf_token).toBe(csrfToken);
    expect(r.ip).toBe('10.0.0.7');
    expect(r.user_agent).toBe(`Mozilla/5.0 ${'x'.repeat(400)}`.slice(0, 300));
    const expires = new Date(r.expires_at).getTime();
    expect(expires).toBeGreaterThanOrEqual(before + SESSION_IDLE_MS - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + SESSION_IDLE_MS + 1000);
    const other = await createSession(db, F.users.principalA1, {});
    expect(other.token).not.toBe(token);
    expect(other.csrfToken).not.toBe(csrfToken);
    const o = (await row(other.token))!;
    expect(o.ip).toBeNull();
    expect(o.user_agent).toBeNull();
  });

  it('the expiry constants: 8 hours idle, 7 days at most', () => {
    expect(SESSION_IDLE_MS).toBe(8 * 3600 * 1000);
    expect(SESSION_ABSOLUTE_MS).toBe(7 * 24 * 3600 * 1000);
  });
});

describe('loadActor', () => {
  it('loads exactly the user, their grants in the order given, links and CSRF token', async () => {
    // A second grant, older than the fixture's: grants come oldest first.
    await db
      .insertInto('role_grant')
      .values({ id: '00000000-0000-7000-8000-0000000095f1', user_id: F.users.principalA1, role: 'homeroom_teacher', org_unit_id: F.schoolA2, created_at: new Date('2020-01-01') })
      .execute();
    const { token, csrfToken } = await createSession(db, F.users.principalA1, {});
    const version = await dataVersion(db, 'org_tree');
    expect(await loadActor(db, token)).toEqual({
      userId: F.users.principalA1,
      username: 'ht.a1',
      displayName: 'Trần Văn Hùng',
      grants: [
        { role: 'homeroom_teacher', orgUnitId: F.schoolA2 },
        { role: 'principal', orgUnitId: F.schoolA1 },
      ],
      treeVersion: version,
      staff: { schoolId: F.schoolA1, staffId: F.principalA1 },
      student: null,
      csrfToken,
      mustChangePassword: false,
    });
  });

  it('a student account carries its student link; an account without links carries none', async () => {
    const an = await loadActor(db, (await createSession(db, F.users.studentAn, {})).token);
    expect(an?.student).toEqual({ schoolId: F.schoolA1, studentId: F.studentAn });
    expect(an?.staff).toBeNull();
    const so = await loadActor(db, (await createSession(db, F.users.soA, {})).token);
    expect(so?.staff).toBeNull();
    expect(so?.student).toBeNull();
    expect(so?.grants).toEqual([{ role: 'province_officer', orgUnitId: F.provinceA }]);
  });

  it('a link needs both halves: a school without a staff or student id is no link', async () => {
    await db.updateTable('app_user').set({ staff_school_id: F.schoolA1, staff_id: null, student_school_id: F.schoolA1, student_id: null }).where('id', '=', F.users.staffA1).execute();
    const a = await loadActor(db, (await createSession(db, F.users.staffA1, {})).token);
    expect(a?.staff).toBeNull();
    expect(a?.student).toBeNull();
    await db.updateTable('app_user').set({ staff_school_id: null, staff_id: F.principalA1, student_school_id: null, student_id: F.studentAn }).where('id', '=', F.users.staffA1).execute();
    const b = await loadActor(db, (await createSession(db, F.users.staffA1, {})).token);
    expect(b?.staff).toBeNull();
    expect(b?.student).toBeNull();
  });

  it('a password that must be changed is carried along', async () => {
    await db.updateTable('app_user').set({ must_change_password: true }).where('id', '=', F.users.mathA1).execute();
    expect((await loadActor(db, (await createSession(db, F.users.mathA1, {})).token))?.mustChangePassword).toBe(true);
  });

  it('no token, an unknown token, or one longer than 100 characters loads nobody', async () => {
    expect(await loadActor(db, '')).toBeNull();
    expect(await loadActor(db, 'x'.repeat(43))).toBeNull();
    // A session row whose token is 100 characters loads; one of 101 is refused before the lookup.
    for (const [len, loads] of [
      [100, true],
      [101, false],
    ] as const) {
      const token = 'a'.repeat(len);
      await db.insertInto('user_session').values({ token_hash: sha256(token), user_id: F.users.parentA, csrf_token: 'c', expires_at: new Date(Date.now() + MINUTE * 10) }).execute();
      expect((await loadActor(db, token))?.userId ?? null, `${len} characters`).toBe(loads ? F.users.parentA : null);
    }
  });

  it('past its idle expiry the session is gone, and its row deleted', async () => {
    const { token } = await createSession(db, F.users.parentC, {});
    await age(token, { expiresIn: -MINUTE, seenAgo: 9 * 3600_000 });
    expect(await loadActor(db, token)).toBeNull();
    expect(await row(token)).toBeUndefined();
  });

  it('7 days after login the session ends whatever its idle expiry says; a day before, it lives', async () => {
    const young = await createSession(db, F.users.parentC, {});
    await age(young.token, { createdAgo: SESSION_ABSOLUTE_MS - 24 * 3600_000, expiresIn: MINUTE });
    expect((await loadActor(db, young.token))?.userId).toBe(F.users.parentC);
    const old = await createSession(db, F.users.parentC, {});
    await age(old.token, { createdAgo: SESSION_ABSOLUTE_MS + MINUTE, expiresIn: 10 * MINUTE });
    expect(await loadActor(db, old.token)).toBeNull();
    expect(await row(old.token)).toBeUndefined();
    expect(await row(young.token)).toBeDefined();
  });

  it('a deactivated account loads nobody, and its session is deleted', async () => {
    const { token } = await createSession(db, F.users.soB, {});
    await db.updateTable('app_user').set({ is_active: false }).where('id', '=', F.users.soB).execute();
    expect(await loadActor(db, token)).toBeNull();
    expect(await row(token)).toBeUndefined();
  });

  it('slides the idle expiry, at most once a minute', async () => {
    const { token } = await createSession(db, F.users.communeA, {});
    // Seen 2 minutes ago, expiring in 5: moved to now + 8 hours.
    await age(token, { seenAgo: 2 * MINUTE, expiresIn: 5 * MINUTE });
    const t0 = Date.now();
    expect((await loadActor(db, token))?.userId).toBe(F.users.communeA);
    const slid = (await row(token))!;
    expect(new Date(slid.expires_at).getTime()).toBeGreaterThanOrEqual(t0 + SESSION_IDLE_MS - 1000);
    expect(new Date(slid.last_seen_at).getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    // Seen 30 seconds ago: nothing written.
    await age(token, { seenAgo: 30_000, expiresIn: 5 * MINUTE });
    const before = (await row(token))!;
    expect((await loadActor(db, token))?.userId).toBe(F.users.communeA);
    const after = (await row(token))!;
    expect(new Date(after.expires_at).getTime()).toBe(new Date(before.expires_at).getTime());
    expect(new Date(after.last_seen_at).getTime()).toBe(new Date(before.last_seen_at).getTime());
  });
});

describe('destroySession and destroyUserSessions', () => {
  it('logout ends one session; a password change ends every session of that user and no one else', async () => {
    const a1 = await createSession(db, F.users.homeroomA1, {});
    const a2 = await createSession(db, F.users.homeroomA1, {});
    const other = await createSession(db, F.users.principalB1, {});
    await destroySession(db, a1.token);
    expect(await row(a1.token)).toBeUndefined();
    expect(await row(a2.token)).toBeDefined();
    await createSession(db, F.users.homeroomA1, {});
    await destroyUserSessions(db, F.users.homeroomA1);
    expect(await db.selectFrom('user_session').select('token_hash').where('user_id', '=', F.users.homeroomA1).execute()).toEqual([]);
    expect((await loadActor(db, other.token))?.userId).toBe(F.users.principalB1);
  });
});
