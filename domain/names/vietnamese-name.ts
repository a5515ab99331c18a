/**
 * Vietnamese personal names: splitting, normalising, class-list ordering and
 * accent-insensitive search folding.
 *
 * Pure and I/O-free: runs unchanged in the server and in the browser. Nothing
 * here depends on Intl collation data being present, because browsers and
 * small Node builds may ship without the `vi` tailoring; the sort key below
 * re-implements the relevant part of it (domain-vn §10) so the server,
 * the browser and PostgreSQL (`COLLATE "C"`) all agree byte for byte.
 */

import { INVISIBLE_RE } from '../text/clean-text.js';

export type NameParts = {
  /** Họ — first word of the full name. */
  familyName: string;
  /** Tên đệm / tên lót — every word between the first and the last; may be empty. */
  middleName: string;
  /** Tên — last word; this is what Vietnamese class lists sort by first. */
  givenName: string;
};

// Invisible characters (zero-width, bidi controls, soft hyphen): see text/clean-text.ts.

// `\s` in JS already covers NBSP (U+00A0), ideographic space and friends,
// which Excel and Word exports like to produce.
const WHITESPACE_RE = /\s+/g;

// Đ (U+0110) and the Icelandic eth Ð (U+00D0) are pixel-identical in most
// fonts, and some keyboard layouts / legacy font converters emit the eth.
// No Vietnamese name contains an eth, so treating it as Đ only fixes data.
const ETH_RE = /[\u00D0\u00F0]/g;
const fixEth = (s: string): string =>
  s.replace(ETH_RE, (ch) => (ch === '\u00D0' ? '\u0110' : '\u0111'));

/**
 * Strip invisible characters, NFC-normalise, collapse whitespace and trim.
 * Does NOT change letter case (see {@link normalizeNameText} for that).
 *
 * Invisible characters are removed *before* NFC: a zero-width space between
 * a base letter and its combining tone mark would otherwise block composition.
 */
export const cleanNameText = (s: string): string =>
  fixEth(s.replace(INVISIBLE_RE, ''))
    .normalize('NFC')
    .replace(WHITESPACE_RE, ' ')
    .trim();

// Segments inside a word start after a hyphen or an apostrophe, so that
// ethnic-minority names such as "H'Hen Niê", "Y-Moan", "K'Ho" keep their
// internal capitals instead of becoming "H'hen".
const SEGMENT_START_AFTER = new Set(['-', "'", '\u2019', '\u02BC', '\u2010', '\u2011']);

const properCaseWord = (word: string): string => {
  // Array.from iterates by code point, so astral characters are not split.
  const chars = Array.from(word.toLowerCase());
  let out = '';
  let atSegmentStart = true;
  for (const ch of chars) {
    out += atSegmentStart ? ch.toUpperCase() : ch;
    atSegmentStart = SEGMENT_START_AFTER.has(ch);
  }
  return out;
};

/**
 * Canonical display form of a name or name part: {@link cleanNameText} plus
 * proper case for every word ("nguyễn văn AN" → "Nguyễn Văn An").
 *
 * Case mapping uses the locale-independent `toUpperCase`/`toLowerCase`:
 * Vietnamese has no special casing rules (unlike Turkish), and precomposed
 * NFC letters such as đ/ễ/ự map 1:1 (đ → Đ), so this is correct without
 * relying on locale data being available in the runtime.
 *
 * Every word is capitalised, including particles of foreign names
 * ("van", "de"); Vietnamese class lists write every word capitalised.
 */
export const normalizeNameText = (s: string): string =>
  cleanNameText(s)
    .split(' ')
    .map(properCaseWord)
    .join(' ')
    .normalize('NFC');

// Letters of any script with their marks, spaces, and the apostrophes, hyphens and dots that
// ethnic-minority and foreign names use ("H'Hen Niê", "Y-Moan", "Ksor H. Blơng").

/** Fewest letters a name may have ("Lý A" is a name; "A" alone is a slip of the keyboard). */
export const MIN_NAME_LETTERS = 2;

/**
 * Why a text cannot be a person's name, or null if it can: one message, the one that matters
 * most. Markup (`<img …>`), symbols and emoji are never part of a name, and refusing them at the
 * door keeps class lists, học bạ and exports clean (ASVS 5.0 V2.2.1: input checked against an
 * allow-list of what the field may hold); they are reported before digits, so "<script>1" is
 * told about the markup, the real problem. Digits usually mean a shifted column in a
 * spreadsheet. Run it on the cleaned text.
 */
export function personNameProblem(fullName: string): string | null {
  const name = fullName.trim();
  if (name === '') return 'Chưa nhập họ tên — hãy nhập đủ họ, đệm và tên.';
  const forbidden = [...new Set([...name].filter((c) => !/[\p{L}\p{M}\d' .\-\u2019]/u.test(c)))];
  if (forbidden.length > 0) {
    const shown = forbidden.slice(0, 5).map((c) => (c === ' ' ? 'dấu cách' : c)).join(' ');
    return `Họ tên có ký tự không được dùng (${shown}) — chỉ dùng chữ cái, dấu cách, dấu nháy, dấu gạch nối.`;
  }
  if (/\d/.test(name)) return 'Họ tên có chữ số — hãy xóa chữ số (có thể cột trong Excel bị lệch).';
  if ((name.match(/\p{L}/gu) ?? []).length < MIN_NAME_LETTERS) return `Họ tên quá ngắn — cần ít nhất ${MIN_NAME_LETTERS} chữ cái.`;
  return null;
}

/**
 * Split a full name in Vietnamese order (họ + đệm + tên).
 *
 * - first word → familyName, last word → givenName, the rest → middleName;
 * - a single word is taken as the given name only (common for young children
 *   entered informally, and for some ethnic-minority names);
 * - input is cleaned with {@link cleanNameText}; case is preserved.
 *
 * Compound family names ("Tôn Nữ", "Âu Dương", "Tôn Thất", "Nguyễn Phúc")
 * are deliberately NOT detected: they are rare, and the same words also
 * occur as ordinary middle names, so any guess would be wrong for some
 * learners. The first word is always the family name; a school that needs
 * "Tôn Nữ" as the family name edits the parts explicitly.
 */
export const splitFullName = (full: string): NameParts => {
  const cleaned = cleanNameText(full);
  if (cleaned === '') return { familyName: '', middleName: '', givenName: '' };
  const words = cleaned.split(' ');
  if (words.length === 1) return { familyName: '', middleName: '', givenName: words[0] ?? '' };
  return {
    familyName: words[0] ?? '',
    middleName: words.slice(1, -1).join(' '),
    givenName: words[words.length - 1] ?? '',
  };
};

/** Join parts back into "Họ Đệm Tên", skipping empty parts. */
export const joinFullName = (parts: NameParts): string =>
  [parts.familyName, parts.middleName, parts.givenName]
    .map(cleanNameText)
    .filter((p) => p !== '')
    .join(' ');

// ---------------------------------------------------------------------------
// Sort key
// ---------------------------------------------------------------------------

// Vietnamese alphabet order (domain-vn §10 / CLDR vi), with the foreign
// letters f, j, w, z slotted in where Latin puts them. Each letter gets a
// two-digit code: fixed width keeps the key byte-comparable, and two digits
// leave room for the digits and punctuation codes below letters.
const ALPHABET = [
  'a', 'ă', 'â', 'b', 'c', 'd', 'đ', 'e', 'ê', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm',
  'n', 'o', 'ô', 'ơ', 'p', 'q', 'r', 's', 't', 'u', 'ư', 'v', 'w', 'x', 'y', 'z',
] as const;
const LETTER_CODE: ReadonlyMap<string, string> = new Map(
  ALPHABET.map((letter, i) => [letter, String(20 + i)]),
);

// ICU (non-ignorable) orders whitespace < punctuation < digits < letters, and
// the key follows suit. Hyphen and apostrophe look-alikes are folded together
// on purpose (ICU would separate them): the same name typed on different
// keyboards should sort together.
const HYPHEN_CODE = '01';
const COMMA_CODE = '02';
const PERIOD_CODE = '03';
const APOSTROPHE_CODE = '04';
const OTHER_SYMBOL_CODE = '05';
const digitCode = (d: string): string => `1${d}`;
// Letters from other scripts all collapse to one weight after Latin (where ICU
// puts them too); such names are not expected in school data and ties are
// acceptable there.
const OTHER_LETTER_CODE = '90';

const PUNCT_CODE: ReadonlyMap<string, string> = new Map([
  ['-', HYPHEN_CODE], ['\u2010', HYPHEN_CODE], ['\u2011', HYPHEN_CODE],
  ['\u2012', HYPHEN_CODE], ['\u2013', HYPHEN_CODE], ['\u2014', HYPHEN_CODE],
  [',', COMMA_CODE],
  ['.', PERIOD_CODE],
  ["'", APOSTROPHE_CODE], ['\u2018', APOSTROPHE_CODE], ['\u2019', APOSTROPHE_CODE],
  ['\u02BC', APOSTROPHE_CODE], ['`', APOSTROPHE_CODE],
]);

// Structural separators: all below '0' (0x30), the lowest byte used by any
// letter code, so a shorter word/component always sorts first ("An" < "Anh").
// END_OF_LETTERS < WORD_SEP mirrors ICU's end-of-string < space: "Văn" sorts
// before "Văn Bình". COMPONENT_SEP is only ever compared with itself (see
// nameSortKey), so its value just has to stay outside the letter codes.
const END_OF_LETTERS = '!';
const COMPONENT_SEP = '#';
const WORD_SEP = '$';

// Letter-forming marks: in Vietnamese ă, â, ê, ô, ơ, ư are separate letters
// (a PRIMARY difference), not accented variants.
const LETTER_FORMING: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ['\u0306', new Map([['a', 'ă']])], // breve
  ['\u0302', new Map([['a', 'â'], ['e', 'ê'], ['o', 'ô']])], // circumflex
  ['\u031B', new Map([['o', 'ơ'], ['u', 'ư']])], // horn
]);

// Tone marks are a SECONDARY difference, ordered ngang < huyền < hỏi < ngã <
// sắc < nặng as in the CLDR vi tailoring (&̀<<̉<<̃<<́<<̣). They apply to any
// base letter, so e.g. ñ sorts like "n with ngã", exactly as ICU does.
const TONE_DIGIT: ReadonlyMap<string, string> = new Map([
  ['\u0300', '1'], // huyền (grave)
  ['\u0309', '2'], // hỏi (hook above)
  ['\u0303', '3'], // ngã (tilde)
  ['\u0301', '4'], // sắc (acute)
  ['\u0323', '5'], // nặng (dot below)
]);
// Any other combining mark (diaeresis, cedilla, …) only appears in foreign
// names; ICU ranks those after all Vietnamese tones, so they share one digit
// above nặng. Stacked foreign marks are approximated by the highest digit.
const OTHER_MARK_DIGIT = '6';
const NO_MARK_DIGIT = '0';

const COMBINING_MARK_RE = /\p{M}/u;
const LETTER_RE = /\p{L}/u;

type Element = { primary: string; secondary: string };

/** Turn one cleaned, lower-cased word into collation elements. */
const wordElements = (word: string): Element[] => {
  const chars = Array.from(word.normalize('NFD'));
  const out: Element[] = [];
  let i = 0;
  while (i < chars.length) {
    let base = chars[i] ?? '';
    i += 1;
    // Gather the marks attached to this base. NFD's canonical reordering puts
    // the dot below (ccc 220) before the circumflex (ccc 230) in "ậ", so marks
    // are handled as a set, not positionally.
    const marks: string[] = [];
    while (i < chars.length && COMBINING_MARK_RE.test(chars[i] ?? '')) {
      marks.push(chars[i] ?? '');
      i += 1;
    }
    let secondary = NO_MARK_DIGIT;
    for (const mark of marks) {
      const formed = LETTER_FORMING.get(mark)?.get(base);
      if (formed !== undefined) {
        base = formed;
        continue;
      }
      const digit = TONE_DIGIT.get(mark) ?? OTHER_MARK_DIGIT;
      if (digit > secondary) secondary = digit;
    }
    let primary = LETTER_CODE.get(base) ?? PUNCT_CODE.get(base);
    if (primary === undefined) {
      if (base >= '0' && base <= '9') primary = digitCode(base);
      else if (LETTER_RE.test(base)) primary = OTHER_LETTER_CODE;
      else if (COMBINING_MARK_RE.test(base)) continue; // stray mark with no base
      else primary = OTHER_SYMBOL_CODE;
    }
    out.push({ primary, secondary });
  }
  return out;
};

const componentElements = (component: string): Element[][] => {
  const cleaned = cleanNameText(component).toLowerCase();
  return cleaned === '' ? [] : cleaned.split(' ').map(wordElements);
};

/** One component (tên, đệm or họ) compared whole: its letters, then its tones. */
const componentKey = (component: string): string => {
  let letters = '';
  let tones = '';
  componentElements(component).forEach((elements, wi) => {
    if (wi > 0) letters += WORD_SEP;
    for (const el of elements) {
      letters += el.primary;
      tones += el.secondary;
    }
  });
  return `${letters}${END_OF_LETTERS}${tones}`;
};

/**
 * A printable-ASCII key whose plain binary order (JS `<`, `localeCompare`-free
 * `Array.prototype.sort`, PostgreSQL/PGlite `COLLATE "C"`) is the order schools
 * give class lists: by tên, then đệm, then họ, each compared whole — its
 * Vietnamese-alphabet letters first, then its tones — before the next is
 * looked at. This is what sorting the Tên, then the Họ đệm column in Excel
 * gives (domain-vn §10, [S25]): "Nguyễn Thị Thu Hà" comes before
 * "Nguyễn Thị Hạ" because Hà < Hạ decides before the middle name is read.
 *
 * Layout: `<tên> "#" <đệm> "#" <họ>`, each component `<letters> "!" <tones>`
 * - letters: every letter as a 2-digit code in Vietnamese alphabet order,
 *   words joined by "$". "!" and "$" sort below every letter code, so
 *   "An" < "Anh" and "Văn" < "Văn Bình".
 * - tones: one digit (0 = ngang … 5 = nặng) per letter, in the same order.
 *   They are reached only when the component's letters are equal, and equal
 *   letters mean the same number of digits, so the "#" after them is only
 *   ever compared with another "#": a component is fully decided before the
 *   next one starts.
 *
 * Case-insensitive by construction (everything is lower-cased first).
 * Verified against a field-by-field `Intl.Collator('vi')` comparison in the tests.
 *
 * Known, deliberate limits: tone placement variants ("Hoà"/"Hòa",
 * "Thuỷ"/"Thủy") are distinct strings and sort as ICU sorts them (adjacent,
 * not equal); letters of non-Latin scripts share one weight.
 *
 * Stored keys: changing this layout changes NAME_KEY_VERSION, and every
 * stored key is recomputed at start (server/src/db/name-keys.ts).
 */
export const nameSortKey = (parts: NameParts): string =>
  [parts.givenName, parts.middleName, parts.familyName].map(componentKey).join(COMPONENT_SEP);

/**
 * Version of the stored name columns' format ({@link nameSortKey}, and the
 * folded search text): bump it whenever either changes, so the server
 * recomputes them in every row at its next start.
 * 1 = letters of all parts, then tones (until issue 8); 2 = each part whole.
 */
export const NAME_KEY_VERSION = 2;

/**
 * Compare two names in class-list order; a full-name string is split with
 * {@link splitFullName} first. Defined purely through {@link nameSortKey} so
 * in-memory sorting matches `ORDER BY sort_key COLLATE "C"` exactly,
 * including ties (names differing only in case compare equal).
 */
export const compareVietnameseNames = (a: NameParts | string, b: NameParts | string): -1 | 0 | 1 => {
  const ka = nameSortKey(typeof a === 'string' ? splitFullName(a) : a);
  const kb = nameSortKey(typeof b === 'string' ? splitFullName(b) : b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

// ---------------------------------------------------------------------------
// Search folding
// ---------------------------------------------------------------------------

/**
 * Fold text for accent-insensitive search: lower-case, strip invisible
 * characters, remove all diacritics (tones and letter-forming marks alike),
 * map đ → d, unify apostrophes, collapse whitespace.
 * "Nguyễn Văn Đức" → "nguyen van duc".
 *
 * Both sides must be folded: store/compute `searchFold(name)` and compare it
 * with `searchFold(query)`, so that a teacher typing "nguyen van an", "đuc"
 * or "Duc" (no Vietnamese keyboard, or a half-typed Telex word) finds
 * "Nguyễn Văn An" / "Đức". Name search matches words by their start: see name-search.ts.
 */
export const searchFold = (s: string): string =>
  fixEth(s.replace(INVISIBLE_RE, ''))
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\u0111/g, 'd')
    .replace(/[\u2018\u2019\u02BC`]/g, "'")
    .replace(WHITESPACE_RE, ' ')
    .trim();
