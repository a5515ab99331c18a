import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id at one of the five settings the OWASP Password Storage Cheat Sheet gives as equally
 * strong (46 MiB × 1 pass, 19 × 2, 12 × 3, 9 × 4, 7 × 5; one lane): 7 MiB and 5 passes, the one
 * that checks most passwords a second on a server's cores (1.5× 19 MiB × 2 on the 2-core bench
 * machine: a report-card evening's sign-ins are this check) and holds least memory per check
 * (8 checks at once: 56 MiB). Decision 0021. A hash made with another setting still verifies (a
 * check reads the setting from the hash) and is made again at the account's next sign-in.
 * algorithm 2 = Argon2id (the package's Algorithm is a const enum, which isolatedModules cannot read).
 */
export const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 7168, timeCost: 5, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

const CURRENT_SETTING = `$argon2id$v=19$m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}$`;

/**
 * A hash made with another setting (before decision 0021, or imported): it still verifies, but
 * takes another time to check than the dummy an unknown name is checked against, which would tell
 * a patient prober that the name exists. Sign-in makes it again with the password it just checked.
 */
export const hashNeedsUpgrade = (stored: string): boolean => !stored.startsWith(CURRENT_SETTING);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spend the same time on an unknown username as on a known one, so timing reveals nothing. */
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}

export const MIN_PASSWORD_LENGTH = 8;

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Mật khẩu phải có ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (password.length > 128) return 'Mật khẩu không được dài quá 128 ký tự.';
  if (!/[A-Za-zÀ-ỹ]/.test(password) || !/\d/.test(password)) return 'Mật khẩu phải có cả chữ và số.';
  return null;
}
