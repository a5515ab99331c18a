import { z } from 'zod';
import { ZBirthDate, ZIsoDate, ZPageQuery, ZPersonName, ZSex, ZUuid } from './common.js';
import { ZPendingTransfer } from './transfers.js';

export const ZGuardian = z.object({
  id: z.string().optional(),
  relation: z.enum(['father', 'mother', 'guardian']),
  fullName: ZPersonName(),
  phone: z
    .string()
    .trim()
    .regex(/^(\+84|0)\d{9,10}$/, 'Số điện thoại phải có dạng 09xxxxxxxx.')
    .nullable()
    .optional(),
  email: z.string().trim().email('Email không hợp lệ.').max(200).nullable().optional(),
  occupation: z.string().trim().max(120).nullable().optional(),
  birthYear: z.number().int().min(1930, 'Năm sinh từ 1930 trở đi.').max(2020, 'Năm sinh không sau 2020.').nullable().optional(),
});
export type TGuardian = z.infer<typeof ZGuardian>;

/** One row of the student list. */
export const ZStudentListItem = z.object({
  id: z.string(),
  schoolId: z.string(),
  learnerId: z.string().nullable(),
  tempCode: z.string().nullable(),
  familyName: z.string(),
  middleName: z.string(),
  givenName: z.string(),
  fullName: z.string(),
  dateOfBirth: z.string(),
  sex: ZSex,
  ethnicityCode: z.string(),
  ethnicityName: z.string().nullable(),
  statusCode: z.string(),
  statusName: z.string().nullable(),
  classId: z.string().nullable(),
  className: z.string().nullable(),
  grade: z.number().nullable(),
});
export type TStudentListItem = z.infer<typeof ZStudentListItem>;

export const ZStudentListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  grade: z.coerce.number().int().min(0).max(12).optional(),
  classId: ZUuid.optional(),
  sex: ZSex.optional(),
  ethnicityCode: z.string().max(3).optional(),
  statusCode: z.string().max(3).optional(),
  /** Include students who left (transferred out, dropped out). Default: current only. */
  // Not z.coerce.boolean(): that turns the query string "false" into true.
  includeLeft: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
    .transform((v) => v === true || v === 'true' || v === '1')
    .optional(),
  ...ZPageQuery.shape,
});

export const ZStudentList = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  items: z.array(ZStudentListItem),
});

export const ZStudentEvent = z.object({
  id: z.string(),
  schoolId: z.string(),
  schoolName: z.string().nullable(),
  kind: z.string(),
  eventDate: z.string(),
  statusCode: z.string().nullable(),
  fromClassName: z.string().nullable(),
  toClassName: z.string().nullable(),
  otherSchoolName: z.string().nullable(),
  note: z.string().nullable(),
});

export const ZStudentProfile = ZStudentListItem.extend({
  personId: z.string(),
  citizenId: z.string().nullable(),
  /** Số đăng bộ: the school's register number of the learner, printed on the học bạ. */
  registerNumber: z.string().nullable(),
  religionCode: z.string().nullable(),
  birthplace: z.string().nullable(),
  address: z.string().nullable(),
  statusDate: z.string(),
  isCurrent: z.boolean(),
  schoolName: z.string(),
  guardians: z.array(ZGuardian.extend({ id: z.string() })),
  enrolments: z.array(
    z.object({ year: z.number(), className: z.string(), startDate: z.string(), endDate: z.string().nullable(), schoolName: z.string() }),
  ),
  history: z.array(ZStudentEvent),
  /** An open school transfer of this record (shown to the school's managers and offices; null for others). */
  pendingTransfer: ZPendingTransfer.nullable(),
});
export type TStudentProfile = z.infer<typeof ZStudentProfile>;

const learnerIdField = z
  .string()
  .trim()
  .regex(/^\d{10}$/, 'Mã định danh Bộ GD&ĐT phải gồm đúng 10 chữ số.')
  .nullable()
  .optional();
const citizenIdField = z
  .string()
  .trim()
  .regex(/^\d{12}$/, 'Số định danh cá nhân phải gồm đúng 12 chữ số.')
  .nullable()
  .optional();
/** Số đăng bộ as the school writes it ("125/THCS", "58"): unique within the school (the server checks). */
const registerNumberField = z
  .string()
  .trim()
  .min(1, 'Số đăng bộ không được để trống; bỏ trống cả ô nếu chưa có.')
  .max(30, 'Số đăng bộ dài tối đa 30 kí tự.')
  .nullable()
  .optional();

export const ZCreateStudent = z.object({
  fullName: ZPersonName(),
  dateOfBirth: ZBirthDate,
  sex: ZSex,
  ethnicityCode: z.string().trim().max(3).default('01'),
  religionCode: z.string().trim().max(3).nullable().optional(),
  learnerId: learnerIdField,
  citizenId: citizenIdField,
  registerNumber: registerNumberField,
  birthplace: z.string().trim().max(200).nullable().optional(),
  address: z.string().trim().max(300).nullable().optional(),
  classId: ZUuid,
  admissionDate: ZIsoDate.optional(),
  guardians: z.array(ZGuardian).max(4).default([]),
});
export type TCreateStudent = z.infer<typeof ZCreateStudent>;

// Built without the create defaults: a PATCH that omits ethnicityCode or guardians must leave
// them alone, not reset them to '01' / [] (ZCreateStudent.partial() would keep the defaults).
export const ZUpdateStudent = ZCreateStudent.omit({ classId: true, admissionDate: true, ethnicityCode: true, guardians: true })
  .partial()
  .extend({
    ethnicityCode: z.string().trim().max(3).optional(),
    /** When given, replaces the set: guardians passed with their id are kept (their account link survives). */
    guardians: z.array(ZGuardian).max(4).optional(),
  });
export type TUpdateStudent = z.infer<typeof ZUpdateStudent>;

export const ZTransferClass = z.object({
  toClassId: ZUuid,
  effectiveDate: ZIsoDate,
  note: z.string().trim().max(300).optional(),
});

export const ZChangeStatus = z.object({
  statusCode: z.string().regex(/^\d{2}$/, 'Hãy chọn một trạng thái trong danh sách.'),
  effectiveDate: ZIsoDate,
  note: z.string().trim().max(300).optional(),
});
