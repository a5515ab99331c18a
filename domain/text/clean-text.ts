/**
 * Text hygiene for everything a user types or pastes (forms, Excel cells, search boxes).
 *
 * Invisible characters sneak in from copy-paste out of Word, Zalo, PDFs and web forms: they make
 * two visually identical values compare unequal and can reorder what a reader sees. The set is
 * the zero-width characters U+200B–U+200D and U+FEFF, the bidi controls U+200E, U+200F,
 * U+202A–U+202E, U+2066–U+2069 (an RTL override can make "gpj.exe" read "exe.jpg"), plus the
 * soft hyphen U+00AD and word joiner U+2060 (OWASP ASVS 5.0 V1.1, canonical form before checks).
 */
export const INVISIBLE_RE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;

// C0/C1 control characters other than tab, line feed and carriage return. NUL in particular
// cannot be stored in a PostgreSQL text column at all.
const CONTROL_RE = /(?![\t\n\r])\p{Cc}/gu;

// A UTF-16 surrogate without its partner is not a character at all: it cannot be encoded as
// UTF-8, and the database refuses it. It becomes U+FFFD, the replacement character.
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Canonical form of one input string: invisible and control characters removed, lone surrogates replaced, then Unicode
 * NFC, so "Nguyễn" typed on a Mac (decomposed, NFD) equals "Nguyễn" typed on Windows (NFC).
 * Removal comes first: a zero-width space between a letter and its tone mark blocks composition.
 * Whitespace and case are left alone (a note keeps its line breaks).
 */
export const canonicalText = (s: string): string =>
  ALREADY_CANONICAL_RE.test(s) ? s : s.replace(INVISIBLE_RE, '').replace(CONTROL_RE, '').replace(LONE_SURROGATE_RE, '\uFFFD').normalize('NFC');

// Printable ASCII, tabs and line breaks are their own canonical form: most values of a request
// (ids, dates, codes, page numbers) are, and skip the four passes every request made over them.
const ALREADY_CANONICAL_RE = /^[\x20-\x7e\t\n\r]*$/;

/** {@link canonicalText}, then whitespace runs collapsed to one space and trimmed: for one-line values. */
export const cleanText = (s: string): string => canonicalText(s).replace(/\s+/g, ' ').trim();
