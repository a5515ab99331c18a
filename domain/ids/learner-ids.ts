/**
 * Identifiers attached to learners: the Ministry learner id, the citizen id
 * (CCCD) and our own temporary codes for learners who have no Ministry id yet.
 *
 * All checks are format checks only; none of these numbers carries a check
 * digit we could verify offline.
 */

/**
 * Ministry learner id (mã định danh học sinh, Bộ GD&ĐT): exactly 10 ASCII
 * digits. domain-vn §5 records it as "observed as 10 digits; structure
 * UNCERTAIN", so nothing beyond the length and digits is checked.
 * Expects already-normalised input (see {@link normalizeIdInput}).
 */
export const isLearnerId = (s: string): boolean => /^[0-9]{10}$/.test(s);

/**
 * Citizen id (số định danh cá nhân / CCCD): 12 ASCII digits where
 * - digits 1–3 are the province code of registration, 001–096;
 * - digit 4 encodes century and sex (0/1 = 1900s male/female, 2/3 = 2000s,
 *   … any digit 0–9 is structurally possible);
 * - digits 5–6 are the last two digits of the birth year;
 * - the last 6 digits are a serial.
 *
 * Deliberately lenient: only the 001–096 range is checked, not the list of
 * codes actually assigned (the sequence has gaps, and the 2025 province
 * mergers may change how new codes are issued). A stricter check would turn
 * away real ids; a looser one still catches 9-digit old CMND numbers and ids
 * whose leading zeros Excel ate.
 */
export const isCitizenId = (s: string): boolean => {
  if (!/^[0-9]{12}$/.test(s)) return false;
  const province = Number(s.slice(0, 3));
  return province >= 1 && province <= 96;
};

export type CitizenIdHints = {
  provinceCode: string;
  sex: 'male' | 'female';
  birthYear: number;
};

/**
 * Decode the birth year and sex encoded in a citizen id, to WARN (never
 * reject) when they disagree with the learner record. Century digit pairs:
 * 0/1 → 1900s, 2/3 → 2000s, 4/5 → 2100s, 6/7 → 2200s, 8/9 → 2300s; even =
 * male, odd = female (per the Ministry of Public Security circulars on
 * personal id numbers; treat as a hint, the scheme may evolve).
 * Returns null if `s` is not a citizen id.
 */
export const citizenIdHints = (s: string): CitizenIdHints | null => {
  if (!isCitizenId(s)) return null;
  const genderCentury = Number(s[3]);
  const century = 1900 + Math.floor(genderCentury / 2) * 100;
  return {
    provinceCode: s.slice(0, 3),
    sex: genderCentury % 2 === 0 ? 'male' : 'female',
    birthYear: century + Number(s.slice(4, 6)),
  };
};

const TEMP_PREFIX = 'TMP';
const SCHOOL_CODE_RE = /^[A-Za-z0-9]{1,32}$/;
const TEMP_CODE_RE = /^TMP-[A-Za-z0-9]{1,32}-[0-9]{6,}$/;

/**
 * A placeholder code for a learner not yet issued a Ministry id, e.g.
 * "TMP-79000701-000123". It contains letters and dashes, so it can never be
 * mistaken for (or collide with) a 10-digit Ministry id, and the school code
 * keeps codes from different schools apart when data is merged.
 * The sequence is zero-padded to at least 6 digits so codes of one school
 * sort in issue order up to 999 999, and never truncated beyond that.
 */
export const makeTemporaryLearnerCode = (schoolCode: string, seq: number): string => {
  if (!SCHOOL_CODE_RE.test(schoolCode)) {
    throw new RangeError(`School code must be 1–32 ASCII letters/digits: ${JSON.stringify(schoolCode)}`);
  }
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`Sequence must be a positive integer: ${seq}`);
  return `${TEMP_PREFIX}-${schoolCode}-${String(seq).padStart(6, '0')}`;
};

export const isTemporaryLearnerCode = (s: string): boolean => TEMP_CODE_RE.test(s);

export type IdKind = 'learnerId' | 'citizenId';

export type NormalizedId =
  | { ok: true; value: string; /** true if leading zeros were restored from a numeric cell */ padded: boolean }
  | { ok: false; reason: string };

const ID_LENGTH: Readonly<Record<IdKind, number>> = { learnerId: 10, citizenId: 12 };

// Spaces (incl. NBSP), zero-width and bidi characters from copy-paste.
// Dots and dashes ("012.345.678.9") are NOT removed: such grouping is rare in
// these ids, and silently dropping it could hide a wrong paste.
const STRIP_RE = /[\s\u00AD\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// Full-width digits come from some IMEs (incl. Vietnamese ones on CJK-configured phones).
const FULLWIDTH_DIGIT_RE = /[\uFF10-\uFF19]/g;
const SCIENTIFIC_RE = /^[0-9](?:\.[0-9]+)?e\+?[0-9]+$/i;
const NUMBER_WITH_ZERO_FRACTION_RE = /^([0-9]+)\.0+$/;

const padNumeric = (digits: string, kind: IdKind): NormalizedId => {
  const len = ID_LENGTH[kind];
  if (digits.length > len) {
    return { ok: false, reason: `Mã số ${digits} dài hơn ${len} chữ số` };
  }
  const value = digits.padStart(len, '0');
  return { ok: true, value, padded: value !== digits };
};

/**
 * Clean an id from a form or spreadsheet cell before validation.
 *
 * Strings: spaces, zero-width/bidi characters and one leading apostrophe
 * (Excel's "treat as text" marker, which survives some copy-pastes) are
 * removed and full-width digits become ASCII. Nothing is padded: a string
 * keeps exactly the digits the user typed.
 *
 * Numbers: Excel turns an id column into numbers and drops leading zeros
 * ("0123456789" → 123456789). A number is accepted only when restoring them
 * is unambiguous — a non-negative integer with fewer digits than the target
 * length (10 for a learner id, 12 for a citizen id, chosen by `kind`) — and
 * the result says `padded: true` so the import can warn the user.
 * Scientific-notation strings ("1,23457E+11") are rejected: digits are lost.
 *
 * Returns ok with the cleaned string; use {@link isLearnerId} /
 * {@link isCitizenId} afterwards to validate the format.
 */
export const normalizeIdInput = (input: string | number, kind: IdKind = 'learnerId'): NormalizedId => {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) {
      return { ok: false, reason: `Mã số ${input} không hợp lệ; hãy định dạng cột là Văn bản (Text) trong Excel` };
    }
    return padNumeric(String(input), kind);
  }
  const s = input
    .replace(STRIP_RE, '')
    .replace(FULLWIDTH_DIGIT_RE, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30))
    .replace(/^'/, '');
  if (SCIENTIFIC_RE.test(s.replace(',', '.'))) {
    return {
      ok: false,
      reason: `Mã số "${s}" đã bị Excel đổi sang dạng số mũ và mất chữ số; hãy định dạng cột là Văn bản (Text) rồi nhập lại`,
    };
  }
  // "123456789.0" is a numeric cell stringified by a CSV/JSON exporter: treat it as that number.
  const numeric = NUMBER_WITH_ZERO_FRACTION_RE.exec(s);
  if (numeric) return padNumeric(numeric[1] ?? '', kind);
  return { ok: true, value: s, padded: false };
};
