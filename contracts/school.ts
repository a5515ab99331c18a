import { z } from 'zod';
import { ZBirthDate, ZIsoDate, ZPersonName, ZSex, ZUuid } from './common.js';

export const ZSchoolYear = z.object({
  year: z.number().int(),
  label: z.string(),
  term1Start: z.string(),
  term1End: z.string(),
  term2Start: z.string(),
  term2End: z.string(),
});
export const ZUpsertSchoolYear = z.object({
  year: z.number().int().min(2000).max(2100),
  term1Start: ZIsoDate,
  term1End: ZIsoDate,
  term2Start: ZIsoDate,
  term2End: ZIsoDate,
});

export const ZClass = z.object({
  id: z.string(),
  year: z.number(),
  name: z.string(),
  grade: z.number(),
  ageGroup: z.string().nullable(),
  siteId: z.string().nullable(),
  homeroomTeacherId: z.string().nullable(),
  homeroomTeacherName: z.string().nullable(),
  session: z.enum(['morning', 'afternoon', 'full_day']),
  isMultiGrade: z.boolean(),
  /**
   * What the caller may read of the class's students: `full` (managers, offices: the whole
   * school), `homeroom` / `teaching` (a teacher's own class), `none` (a teacher's directory entry
   * for a class they neither lead nor teach: its students and their counts are not theirs to see).
   */
  access: z.enum(['full', 'homeroom', 'teaching', 'none']),
  /** Null when `access` is `none`. */
  studentCount: z.number().nullable(),
  maleCount: z.number().nullable(),
  femaleCount: z.number().nullable(),
});
export type TClass = z.infer<typeof ZClass>;
// Bounded like every year/grade in a query string: an unbounded integer (?year=-9007199254740991)
// reached PostgreSQL as an out-of-range int and answered 500 (hostile-input suite).
export const ZClassListQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional(), grade: z.coerce.number().int().min(0).max(12).optional() });
// Editable class fields without defaults: zod applies a `.default()` even under `.partial()`,
// so a PATCH built from ZCreateClass would silently reset `session` and `isMultiGrade`.
const classFields = {
  name: z.string().trim().min(1, 'Hãy nhập tên lớp.').max(20).regex(/^[\p{L}\p{N} .\-/]+$/u, 'Tên lớp chỉ gồm chữ, số, dấu chấm, gạch.'),
  grade: z.number().int().min(0).max(12),
  ageGroup: z.string().max(3).nullable().optional(),
  siteId: ZUuid.nullable().optional(),
  homeroomTeacherId: ZUuid.nullable().optional(),
  session: z.enum(['morning', 'afternoon', 'full_day']),
  isMultiGrade: z.boolean(),
};
export const ZCreateClass = z.object({
  year: z.number().int().min(2000).max(2100),
  ...classFields,
  session: classFields.session.default('full_day'),
  isMultiGrade: classFields.isMultiGrade.default(false),
});
export const ZUpdateClass = z.object(classFields).partial();

export const ZStaff = z.object({
  id: z.string(),
  staffCode: z.string().nullable(),
  familyName: z.string(),
  middleName: z.string(),
  givenName: z.string(),
  fullName: z.string(),
  dateOfBirth: z.string().nullable(),
  sex: ZSex.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  position: z.enum(['principal', 'vice_principal', 'teacher', 'staff']),
  qualificationCode: z.string().nullable(),
  qualificationName: z.string().nullable(),
  contractTypeCode: z.string().nullable(),
  contractTypeName: z.string().nullable(),
  subjectCodes: z.array(z.string()),
  status: z.enum(['active', 'left']),
  schoolContact: z.string().nullable(),
});
export type TStaff = z.infer<typeof ZStaff>;

/**
 * One colleague as the staff directory shows them to everyone who may read the school
 * (teachers included): who they are at work, and the contact the school chose to publish.
 * Nothing personal (date of birth, phone, e-mail, citizen id, contract, ethnicity, address)
 * is part of this shape; those stay in ZStaff, for managers and offices.
 */
export const ZStaffDirectoryEntry = z.object({
  id: z.string(),
  fullName: z.string(),
  position: z.enum(['principal', 'vice_principal', 'teacher', 'staff']),
  subjects: z.array(z.object({ code: z.string(), name: z.string() })),
  /** "Liên hệ trong trường", as the school wrote it; null when the school published none. */
  schoolContact: z.string().nullable(),
});
export type TStaffDirectoryEntry = z.infer<typeof ZStaffDirectoryEntry>;
export const ZStaffDirectoryQuery = z.object({
  q: z.string().trim().max(100).optional(),
  position: z.enum(['principal', 'vice_principal', 'teacher', 'staff']).optional(),
});
/** A boolean in a query string: true/false/1/0 (a JSON boolean is accepted too). */
export const ZQueryBoolean = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');
export const ZStaffListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  position: z.enum(['principal', 'vice_principal', 'teacher', 'staff']).optional(),
  // Not z.coerce.boolean(): that turns the query string "false" into true.
  includeLeft: ZQueryBoolean.optional(),
});
// Same reason as classFields: no defaults here, so ZUpdateStaff leaves absent fields alone.
const staffFields = {
  fullName: ZPersonName(),
  staffCode: z.string().trim().max(30).nullable().optional(),
  dateOfBirth: ZBirthDate.nullable().optional(),
  sex: ZSex.nullable().optional(),
  ethnicityCode: z.string().max(3).nullable().optional(),
  citizenId: z.string().regex(/^\d{12}$/, 'Số định danh cá nhân phải gồm đúng 12 chữ số.').nullable().optional(),
  phone: z.string().trim().regex(/^(\+84|0)\d{9,10}$/, 'Số điện thoại phải có dạng 09xxxxxxxx.').nullable().optional(),
  email: z.string().trim().email('Email không hợp lệ.').nullable().optional(),
  position: z.enum(['principal', 'vice_principal', 'teacher', 'staff']),
  qualificationCode: z.string().max(3).nullable().optional(),
  contractTypeCode: z.string().max(3).nullable().optional(),
  subjectCodes: z.array(z.string().max(40)).max(10),
  /** Published to every colleague in the staff directory: a room, an extension, an official e-mail. */
  schoolContact: z.string().trim().max(200, 'Liên hệ trong trường tối đa 200 ký tự.').nullable().optional(),
};
export const ZCreateStaff = z.object({
  ...staffFields,
  position: staffFields.position.default('teacher'),
  subjectCodes: staffFields.subjectCodes.default([]),
});
export const ZUpdateStaff = z.object(staffFields).partial().extend({ status: z.enum(['active', 'left']).optional() });

export const ZAssignment = z.object({
  id: z.string(),
  year: z.number(),
  term: z.number(),
  classId: z.string(),
  className: z.string(),
  subjectCode: z.string(),
  subjectName: z.string(),
  staffId: z.string(),
  staffName: z.string(),
});
export const ZAssignmentQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  term: z.coerce.number().int().min(1).max(2).optional(),
  classId: ZUuid.optional(),
  staffId: ZUuid.optional(),
});
export const ZCreateAssignment = z.object({
  year: z.number().int(),
  term: z.number().int().min(1).max(2),
  classId: ZUuid,
  subjectCode: z.string().max(40),
  staffId: ZUuid,
});

export const ZSchoolSubject = z.object({
  grade: z.number(),
  subjectCode: z.string(),
  subjectName: z.string(),
  periodsPerYear: z.number(),
  assessmentKind: z.enum(['score', 'comment', 'mixed']),
  isElective: z.boolean(),
  isTaught: z.boolean(),
  overridden: z.boolean(),
});
export const ZSchoolSubjectQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), grade: z.coerce.number().int().min(1).max(12).optional() });
export const ZUpsertSchoolSubject = z.object({
  year: z.number().int(),
  grade: z.number().int().min(1).max(12),
  subjectCode: z.string().max(40),
  periodsPerYear: z.number().int().min(0).max(1000),
  assessmentKind: z.enum(['score', 'comment', 'mixed']),
  isTaught: z.boolean().default(true),
});

/** A subject of the shared catalog (reference data). */
export const ZSubjectRef = z.object({ code: z.string(), name: z.string() });

export const ZDashboard = z.object({
  schoolId: z.string(),
  schoolName: z.string(),
  year: z.number(),
  asOf: z.string(),
  /** `school`: every class; `own_classes`: a teacher's view, the classes they lead or teach (decision 0003). */
  view: z.enum(['school', 'own_classes']),
  totals: z.object({ students: z.number(), female: z.number(), ethnicMinority: z.number(), classes: z.number(), staff: z.number() }),
  byGrade: z.array(z.object({ grade: z.number(), students: z.number(), female: z.number(), classes: z.number() })),
  byClass: z.array(z.object({ classId: z.string(), className: z.string(), grade: z.number(), students: z.number(), female: z.number() })),
  bySex: z.array(z.object({ sex: ZSex, students: z.number() })),
  byEthnicity: z.array(z.object({ code: z.string(), name: z.string(), students: z.number() })),
});
export const ZDashboardQuery = z.object({ asOf: ZIsoDate.optional() });
