import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { hashNeedsUpgrade, hashPassword, passwordProblem, verifyPassword } from './passwords.js';

// OWASP Password Storage Cheat Sheet, "Argon2id": five settings of equal strength; decision 0021
// takes 7 MiB, 5 passes, 1 lane.
describe('password hashes', () => {
  it('are argon2id at 7 MiB, 5 passes, 1 lane, salted: the same password hashes differently each time', async () => {
    const a = await hashPassword('MatKhau2025');
    const b = await hashPassword('MatKhau2025');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(b).not.toBe(a);
    expect(await verifyPassword(a, 'MatKhau2025')).toBe(true);
    expect(await verifyPassword(a, 'MatKhau2026')).toBe(false);
  });

  it('made with the former setting (19 MiB, 2 passes) still sign in: the check reads the setting from the hash', async () => {
    const former = await hash('MatKhau2025', { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    expect(former).toContain('m=19456,t=2,p=1');
    expect(await verifyPassword(former, 'MatKhau2025')).toBe(true);
    expect(await verifyPassword(former, 'matkhau2025')).toBe(false);
    // …and are the ones sign-in makes again (auth.service login, hash-upgrade.test.ts).
    expect(hashNeedsUpgrade(former)).toBe(true);
    expect(hashNeedsUpgrade(await hashPassword('MatKhau2025'))).toBe(false);
    expect(hashNeedsUpgrade(former.replace('argon2id', 'argon2i'))).toBe(true);
  });

  it('a stored value that is not a hash is a wrong password, not a crash', async () => {
    expect(await verifyPassword('', 'MatKhau2025')).toBe(false);
    expect(await verifyPassword('$argon2id$v=19$m=7168,t=5,p=1$broken', 'MatKhau2025')).toBe(false);
  });

  it('new passwords: at least 8 characters, at most 128, letters and digits both', () => {
    expect(passwordProblem('abc1234')).toBe('Mật khẩu phải có ít nhất 8 ký tự.');
    expect(passwordProblem('abcd1234')).toBeNull();
    expect(passwordProblem('Đàođàođào1')).toBeNull();
    expect(passwordProblem(`a1${'x'.repeat(126)}`)).toBeNull();
    expect(passwordProblem(`a1${'x'.repeat(127)}`)).toBe('Mật khẩu không được dài quá 128 ký tự.');
    expect(passwordProblem('abcdefgh')).toBe('Mật khẩu phải có cả chữ và số.');
    expect(passwordProblem('12345678')).toBe('Mật khẩu phải có cả chữ và số.');
  });
});
