import { z } from 'zod';
import { CONSENT_PURPOSE_CODES } from '../domain/privacy/consent.js';
import { ZIsoDate, ZUuid } from './common.js';

const ZConsentPurposeCode = z.enum(CONSENT_PURPOSE_CODES, { error: 'Mục đích xử lý dữ liệu không có trong danh sách.' });
const ZConsentState = z.enum(['given', 'withdrawn', 'none']);

const ZConsentRecord = z.object({
  id: z.string(),
  purpose: z.string(),
  action: z.enum(['give', 'withdraw']),
  giver: z.enum(['guardian', 'student']),
  guardianId: z.string().nullable(),
  giverName: z.string(),
  giverRelation: z.string().nullable(),
  method: z.enum(['paper', 'online']),
  effectiveDate: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
});

const ZConsentStatus = z.object({
  purpose: z.string(),
  label: z.string(),
  description: z.string(),
  basis: z.enum(['legal_obligation', 'consent']),
  allowed: z.boolean(),
  reason: z.enum(['legal_obligation', 'ok', 'guardian_missing', 'student_missing', 'withdrawn']),
  ageOnDate: z.number(),
  needsGuardian: z.boolean(),
  needsStudent: z.boolean(),
  guardian: ZConsentState,
  student: ZConsentState,
});

export const ZConsentOverview = z.object({
  date: z.string(),
  items: z.array(ZConsentStatus),
  records: z.array(ZConsentRecord),
  /** What the caller may record: paper forms (school staff), online as a guardian or as the student; null = read only. */
  mode: z.enum(['paper', 'guardian', 'student']).nullable(),
  /** After anonymisation only counts remain. */
  anonymised: z.object({ at: z.string(), consentCounts: z.record(z.string(), z.record(z.string(), z.number())) }).nullable(),
});

export const ZRecordConsent = z.object({
  purpose: ZConsentPurposeCode,
  action: z.enum(['give', 'withdraw'], { error: 'Hãy chọn "Đồng ý" hoặc "Rút lại sự đồng ý".' }),
  /** Paper forms only: whose consent is on the form. Online, it is the account's own. */
  giver: z.enum(['guardian', 'student']).optional(),
  guardianId: ZUuid.optional(),
  /** Paper forms only: the date signed; online it is today. */
  effectiveDate: ZIsoDate.optional(),
  note: z.string().trim().max(500, 'Ghi chú tối đa 500 ký tự.').optional(),
});

export const ZAccessLog = z.object({
  items: z.array(
    z.object({ at: z.string(), username: z.string().nullable(), displayName: z.string().nullable(), action: z.string(), ip: z.string().nullable() }),
  ),
});

const ZAnonymisationCandidate = z.object({
  id: z.string(),
  fullName: z.string(),
  learnerId: z.string().nullable(),
  dateOfBirth: z.string(),
  statusCode: z.string(),
  statusName: z.string().nullable(),
  leftOn: z.string(),
  enrolments: z.number(),
});

export const ZAnonymisationList = z.object({
  retentionYears: z.number(),
  cutoff: z.string(),
  items: z.array(ZAnonymisationCandidate),
});

export const ZAnonymise = z.object({
  studentIds: z.array(ZUuid).min(1, 'Hãy chọn ít nhất một học sinh.').max(2000, 'Mỗi lần ẩn danh tối đa 2.000 học sinh.'),
});
export const ZAnonymiseResult = z.object({ anonymised: z.number() });

export type TConsentOverview = z.infer<typeof ZConsentOverview>;
export type TRecordConsent = z.infer<typeof ZRecordConsent>;
export type TAnonymisationList = z.infer<typeof ZAnonymisationList>;
