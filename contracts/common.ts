import { z } from 'zod';
import { checkDateOfBirth, cleanNameText, isoToday, parseVnDate, personNameProblem } from '../domain/index.js';
import { ROLES } from './roles.js';
import './zod-vi.js';

/**
 * A calendar date, sent as yyyy-mm-dd. One message per problem: a date that does not exist says
 * so ("Ngày 31/02/2015 không có thật — kiểm tra lại ngày và tháng"), also when a client sent it
 * as dd/mm/yyyy; a real date in another spelling is told the spelling.
 */
export const ZIsoDate = z
  .string()
  .superRefine((s, ctx) => {
    // Only text shaped like a date is read back to the sender: anything else is not echoed.
    const parsed = /^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\s*$/.test(s) ? parseVnDate(s) : null;
    if (!parsed) ctx.addIssue({ code: 'custom', message: 'Không đọc được ngày — hãy gửi theo dạng năm-tháng-ngày, ví dụ 2015-02-03.' });
    else if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `${parsed.reason}.` });
    else if (parsed.value !== s) ctx.addIssue({ code: 'custom', message: `Ngày cần gửi theo dạng năm-tháng-ngày: ${parsed.value}.` });
  })
  // What clients (and the OpenAPI document) see; the check above is the one that decides.
  .meta({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** A date of birth: a real date, not after today (Vietnam time). The age for the class is checked where the class is known. */
export const ZBirthDate = ZIsoDate.superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !parseVnDate(s).ok) return; // ZIsoDate has said it
  const verdict = checkDateOfBirth(s, { today: isoToday() });
  if (!verdict.ok) ctx.addIssue({ code: 'custom', message: verdict.message });
});
/**
 * The one id type. Ids are UUIDs (v7, made in the app) and are accepted only in the canonical form
 * the database prints: lower-case hex, hyphenated, 36 characters. Anything else (upper case,
 * braces, no hyphens, a 'g') is not an id of ours: PostgreSQL would either refuse it (a 500) or
 * accept a second spelling of the same row, which keys caches and comparisons twice.
 */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ZId = z.string().regex(ID_PATTERN, 'Không có mục này — hãy chọn lại trong danh sách.');
/** Same as ZId; the name body and query fields have always used. */
export const ZUuid = ZId;

/**
 * Path parameters that are ids, all of type ZId: `idParams('schoolId', 'studentId')`. A path
 * whose id is not canonical answers 404 (security-plugin.ts), like an id that does not exist.
 */
export function idParams<K extends string>(...names: K[]): z.ZodObject<{ [P in K]: typeof ZId }> {
  return z.object(Object.fromEntries(names.map((n) => [n, ZId])) as { [P in K]: typeof ZId });
}
export const ZOk = z.object({ ok: z.boolean() });

/** Which page of a list, and how long a page is (the student and transfer lists). */
export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const ZSchoolLevel = z.enum(['preschool', 'primary', 'lower_secondary', 'upper_secondary']);
export const ZOwnership = z.enum(['public', 'private', 'community']);
export const ZOrgUnitKind = z.enum(['ministry', 'province_office', 'district_office', 'commune_office', 'school', 'school_site']);
export const ZRole = z.enum(ROLES);
export const ZSex = z.enum(['male', 'female']);

/**
 * A person's full name (student, guardian, staff): letters, spaces, apostrophes, hyphens. One
 * message, the right one (personNameProblem: missing, forbidden characters, digits, too short).
 */
export const ZPersonName = () =>
  z
    .string()
    .trim()
    .max(120, { error: 'Họ tên quá dài — tối đa 120 ký tự.', abort: true })
    .superRefine((v, ctx) => {
      const problem = personNameProblem(cleanNameText(v));
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
