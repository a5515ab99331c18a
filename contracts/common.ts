import { z } from 'zod';
import { cleanNameText, personNameProblem } from '../domain/index.js';

export const ZIsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng yyyy-mm-dd.')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ngày không tồn tại.');
export const ZUuid = z.string().uuid('Mã không hợp lệ.');
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
