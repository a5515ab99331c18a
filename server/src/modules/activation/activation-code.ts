import { createHash, randomInt } from 'node:crypto';

/**
 * The activation code itself: 10 characters from an alphabet without look-alikes (no 0/O, 1/I/L,
 * no U/V pair trouble on a phone's keyboard either way), printed in groups of 3-3-4. 31^10 ≈ 8·10^14
 * codes (≈ 49.6 bits): with the attempt limits of activation-throttle.ts, guessing one of a
 * province's few hundred thousand live codes is out of reach. A code is typed in any case, with or
 * without the dashes and spaces, and only its SHA-256 is stored.
 */
export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 10;

/** A fresh random code, grouped for printing: "ABC-DEF-GHJK". */
export function newActivationCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return groupCode(s);
}

export const groupCode = (s: string) => `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6)}`;

/**
 * What the family typed, as the code it means: upper case, separators gone, and the look-alikes
 * the alphabet leaves out read as the letter or digit they resemble (O→0 is not in it either, so
 * "O" and "0" both stand for nothing valid and the code is simply wrong). Null when it cannot be a code.
 */
export function normalizeCode(typed: string): string | null {
  const s = typed.normalize('NFKC').toUpperCase().replace(/[\s\-_.·]/g, '');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

/** A short code sent to a guardian's contact (6 digits, short-lived, attempts limited per learner). */
export function newContactCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}

export const normalizeContactCode = (typed: string): string | null => {
  const s = typed.replace(/\s/g, '');
  return /^\d{6}$/.test(s) ? s : null;
};

/** The stored form: SHA-256, with a prefix per kind of code so a printed code and a sent one never share a hash. */
export const codeHash = (kind: 'printed' | 'contact', normalized: string) => createHash('sha256').update(`${kind}:${normalized}`).digest('hex');
