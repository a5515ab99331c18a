import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { newId } from '../../platform/ids.js';
import { hashPassword, verifyPassword } from '../../platform/passwords.js';
import { setOwnPassword, upgradePasswordHash } from './auth.repo.js';

// Decision 0021: a hash of an older setting (19 MiB × 2, the setting before) still signs in, and the
// sign-in makes it again at today's setting, so checking that account's password takes the time
// every other check (and the dummy check of an unknown name) takes.
const ctx = await setupTestApp();
const PASSWORD = 'PhuHuynh@2026';
const FORMER = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

async function accountWithFormerHash(username: string): Promise<{ id: string; former: string }> {
  const id = newId();
  const former = await hash(PASSWORD, FORMER);
  await ctx.handle.db.insertInto('app_user').values({ id, username, password_hash: former, display_name: 'Phụ huynh thử' }).execute();
  return { id, former };
}
const storedHash = async (id: string) => (await ctx.handle.db.selectFrom('app_user').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;
const login = (username: string, password: string) => ctx.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: '10.9.8.7' });

describe('a password hash of an older setting', () => {
  it('signs in, and is stored again at 7 MiB × 5 passes for the same password; a second sign-in leaves it', async () => {
    const { id, former } = await accountWithFormerHash('cu.mat.khau');
    expect((await login('cu.mat.khau', PASSWORD)).statusCode).toBe(200);
    const upgraded = await storedHash(id);
    expect(upgraded).not.toBe(former);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect(await verifyPassword(upgraded, PASSWORD)).toBe(true);
    expect((await login('cu.mat.khau', PASSWORD)).statusCode).toBe(200);
    expect(await storedHash(id)).toBe(upgraded);
  });

  it('is left as it was by a wrong password', async () => {
    const { id, former } = await accountWithFormerHash('cu.mat.khau.2');
    expect((await login('cu.mat.khau.2', 'SaiMatKhau1')).statusCode).toBe(401);
    expect(await storedHash(id)).toBe(former);
  });

  it('is not made again over a password changed meanwhile: the update takes only while the hash is the one checked', async () => {
    const { id, former } = await accountWithFormerHash('cu.mat.khau.3');
    const changed = await hashPassword('MatKhauMoi2026');
    await ctx.handle.db.transaction().execute((trx) => setOwnPassword(trx, id, changed));
    await upgradePasswordHash(ctx.handle.db, id, former, await hashPassword(PASSWORD));
    expect(await storedHash(id)).toBe(changed);
  });

  it("is made again without telling every process to forget its sessions (migration 0037); a password change still tells them", async () => {
    const heard: string[] = [];
    const stop = await ctx.handle.listen('ts_cache', { message: (p) => heard.push(p), state: () => undefined });
    try {
      const stored = await storedHash(F.users.principalA1);
      await upgradePasswordHash(ctx.handle.db, F.users.principalA1, stored, await hashPassword(F.password));
      expect(await storedHash(F.users.principalA1)).not.toBe(stored);
      // Notices on this connection are heard in band, before the statement returns (migration 0013).
      expect(heard).not.toContain('s');
      await ctx.handle.db.transaction().execute((trx) => setOwnPassword(trx, F.users.principalA1, stored));
      expect(heard).toContain('s');
    } finally {
      await stop();
    }
  });
});
