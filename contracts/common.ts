import { z } from 'zod';
import { cleanNameText, personNameProblem } from '../domain/index.js';

export const ZIsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-mm-dd.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ngày không tồn tại.');
/**
 * The one id type. Ids are UUIDs (v7, made in the app) and are accepted only in the canonical form
 * the database prints: lower-case hex, hyphenated, 36 characters. Anything else (upper case,
 * braces, no hyphens, a 'g') is not an id of ours: PostgreSQL would either refuse it (a 500) or
 * accept a second spelling of the same row, which keys caches and comparisons twice.
 */
export const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ZId = z.string().regex(ID_PATTERN, 'Mã không hợp lệ.');
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

export const ZPageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const ZSchoolLevel = z.enum(['preschool', 'primary', 'lower_secondary', 'upper_secondary']);
export const ZOwnership = z.enum(['public', 'private', 'community']);
export const ZOrgUnitKind = z.enum(['ministry', 'province_office', 'district_office', 'commune_office', 'school', 'school_site']);
export const ZRole = z.enum([
  'system_admin',
  'province_officer',
  'district_officer',
  'principal',
  'homeroom_teacher',
  'subject_teacher',
  'school_staff',
  'parent',
  'student',
]);
export const ZSex = z.enum(['male', 'female']);

/** A person's full name (student, guardian, staff): letters, spaces, apostrophes, hyphens. */
export const ZPersonName = (tooShort: string) =>
  z
    .string()
    .trim()
    .min(2, tooShort)
    .max(120)
    .superRefine((v, ctx) => {
      const problem = personNameProblem(cleanNameText(v));
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });
