import { z } from 'zod';
import { ZIsoDate, ZPageQuery, ZSchoolLevel, ZUuid } from './common.js';

/**
 * Two-sided school transfer (chuyển trường). Kinds:
 * - request: the receiving school asks for a learner (đề nghị tiếp nhận); the sending school decides;
 * - issue:   the sending school issues a transfer letter (giấy giới thiệu chuyển trường) to a named
 *            school; the receiving school accepts (choosing the class) or declines.
 */
const ZTransferKind = z.enum(['request', 'issue']);
const ZTransferStatus = z.enum(['pending', 'completed', 'declined', 'cancelled']);
/** Seen from one school: the learner comes here (incoming) or leaves (outgoing). */
const ZTransferDirection = z.enum(['incoming', 'outgoing']);

const note = z.string().trim().max(300, 'Ghi chú tối đa 300 ký tự.').optional();

/**
 * The receiving school asks: learner id AND date of birth (both on the paper dossier), the class
 * it offers, the date. The class is checked before the learner is looked up.
 */
export const ZRequestTransfer = z.object({
  learnerId: z.string().trim().regex(/^\d{10}$/, 'Mã định danh Bộ GD&ĐT phải gồm đúng 10 chữ số.'),
  dateOfBirth: ZIsoDate,
  toClassId: ZUuid,
  effectiveDate: ZIsoDate,
  note,
});
export type TRequestTransfer = z.infer<typeof ZRequestTransfer>;

/** The sending school issues a transfer letter for one of its learners to a named school. */
export const ZIssueTransfer = z.object({
  studentId: ZUuid,
  toSchoolId: ZUuid,
  effectiveDate: ZIsoDate,
  note,
});
export type TIssueTransfer = z.infer<typeof ZIssueTransfer>;

/** The receiving school accepts an issued transfer into one of its classes. */
export const ZAcceptTransfer = z.object({ toClassId: ZUuid });
export type TAcceptTransfer = z.infer<typeof ZAcceptTransfer>;

export const ZDeclineTransfer = z.object({
  reason: z.string().trim().min(5, 'Hãy ghi rõ lý do từ chối (ít nhất 5 ký tự).').max(500, 'Lý do tối đa 500 ký tự.'),
});
export type TDeclineTransfer = z.infer<typeof ZDeclineTransfer>;

export const ZCancelTransfer = z.object({ reason: z.string().trim().max(500, 'Lý do tối đa 500 ký tự.').optional() });
export type TCancelTransfer = z.infer<typeof ZCancelTransfer>;

export const ZTransferListQuery = ZPageQuery.extend({
  direction: ZTransferDirection.optional(),
  status: ZTransferStatus.optional(),
});

export const ZTransferItem = z.object({
  id: z.string(),
  kind: ZTransferKind,
  status: ZTransferStatus,
  /** Relative to the school whose list this is; null in an office's list. */
  direction: ZTransferDirection.nullable(),
  fromSchoolId: z.string(),
  fromSchoolName: z.string(),
  toSchoolId: z.string(),
  toSchoolName: z.string(),
  /** The learner's record at the sending school (open it with fromSchoolId). */
  fromStudentId: z.string(),
  /** The new record at the receiving school, once completed. */
  toStudentId: z.string().nullable(),
  learnerId: z.string().nullable(),
  fullName: z.string(),
  dateOfBirth: z.string(),
  fromClassName: z.string().nullable(),
  fromGrade: z.number().nullable(),
  toClassName: z.string().nullable(),
  toGrade: z.number().nullable(),
  effectiveDate: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decisionReason: z.string().nullable(),
  /** What the caller may do now (the server checks again). */
  actions: z.object({ approve: z.boolean(), accept: z.boolean(), decline: z.boolean(), cancel: z.boolean() }),
});
export type TTransferItem = z.infer<typeof ZTransferItem>;

export const ZTransferList = z.object({
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  /** Pending transfers per direction (for the tabs); office lists count all pending in `incoming`. */
  pending: z.object({ incoming: z.number(), outgoing: z.number() }),
  items: z.array(ZTransferItem),
});
export type TTransferList = z.infer<typeof ZTransferList>;

export const ZDestinationQuery = z.object({ q: z.string().trim().min(2, 'Hãy gõ ít nhất 2 ký tự của tên trường.').max(100) });
export const ZDestination = z.object({
  id: z.string(),
  name: z.string(),
  levels: z.array(ZSchoolLevel),
  /** The office the school belongs to today (to tell apart schools with the same name). */
  parentName: z.string().nullable(),
});
export const ZDestinationList = z.array(ZDestination);

/** Shown on a student's profile while a transfer of this record is open. */
export const ZPendingTransfer = z.object({
  id: z.string(),
  kind: ZTransferKind,
  toSchoolName: z.string(),
  effectiveDate: z.string(),
  createdAt: z.string(),
});
