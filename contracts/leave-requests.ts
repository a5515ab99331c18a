import { z } from 'zod';
import { ZIsoDate } from './common.js';

// Đơn xin nghỉ học (issue 11 §5): a parent asks for days and sessions with a reason; the homeroom
// teacher approves (the sessions become excused absences in attendance) or declines with a note.

export const ZLeavePart = z.enum(['morning', 'afternoon', 'full_day']);
export const ZLeaveStatus = z.enum(['pending', 'approved', 'declined', 'cancelled', 'withdrawn']);

export const ZCreateLeaveRequest = z.object({
  from: ZIsoDate,
  to: ZIsoDate,
  part: ZLeavePart,
  reason: z.string().trim().min(2, 'Hãy ghi lý do xin nghỉ (ít nhất 2 ký tự).').max(500, 'Lý do tối đa 500 ký tự.'),
});
export type TCreateLeaveRequest = z.infer<typeof ZCreateLeaveRequest>;

export const ZDecideLeaveRequest = z
  .object({
    decision: z.enum(['approve', 'decline']),
    note: z.string().trim().max(500, 'Ghi chú tối đa 500 ký tự.').optional(),
  })
  .refine((d) => d.decision === 'approve' || (d.note ?? '').length >= 3, { path: ['note'], message: 'Hãy ghi lý do không duyệt (ít nhất 3 ký tự).' });
export type TDecideLeaveRequest = z.infer<typeof ZDecideLeaveRequest>;

export const ZLeaveRequest = z.object({
  id: z.string(),
  studentId: z.string(),
  student: z.string(),
  className: z.string(),
  from: z.string(),
  to: z.string(),
  part: ZLeavePart,
  /** The sessions asked for, in words: "Thứ Hai 09/03/2026 (sáng); …" is left to the screen; here the count. */
  sessions: z.number(),
  reason: z.string(),
  status: ZLeaveStatus,
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  note: z.string().nullable(),
  /** What the reader may do now. */
  canDecide: z.boolean(),
  canCancel: z.boolean(),
});
export type TLeaveRequest = z.infer<typeof ZLeaveRequest>;

export const ZLeaveRequests = z.object({
  items: z.array(ZLeaveRequest),
  /** For the family's form: the parts the child's class has (a half-day class has one session). */
  parts: z.array(ZLeavePart),
  className: z.string().nullable(),
});
export type TLeaveRequests = z.infer<typeof ZLeaveRequests>;

export const ZLeaveListQuery = z.object({ status: z.enum(['pending', 'all']).optional() });
