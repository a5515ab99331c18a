import { z } from 'zod';
import { ZId, ZIsoDate } from './common.js';

// Attendance by session (buổi): absences only, excused (có phép) or not. TT22/2021 Điều 12 counts
// every absence, excused or not, against the 45-session limit.

export const ZSession = z.enum(['morning', 'afternoon']);
export const ZAttendanceStatus = z.enum(['present', 'excused', 'unexcused']);

export const ZAttendanceQuery = z.object({ from: ZIsoDate, to: ZIsoDate });

export const ZAttendance = z.object({
  classId: z.string(),
  className: z.string(),
  from: z.string(),
  to: z.string(),
  /** The class meets mornings, afternoons or both: the sessions the sheet asks about. */
  sessions: z.array(ZSession),
  canEdit: z.boolean(),
  students: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      absences: z.array(z.object({ date: z.string(), session: ZSession, excused: z.boolean(), reason: z.string().nullable() })),
      /** Over the whole school year so far: what the 45-session rule counts. */
      yearExcused: z.number(),
      yearUnexcused: z.number(),
    }),
  ),
  /** The homeroom view's warning: students at or past the limit. */
  limit: z.number(),
});

export const ZSaveAttendance = z.object({
  entries: z
    .array(
      z.object({
        studentId: ZId,
        date: ZIsoDate,
        session: ZSession,
        status: ZAttendanceStatus,
        reason: z.string().trim().max(500).optional(),
      }),
    )
    .min(1)
    .max(2000),
});

export type TAttendance = z.infer<typeof ZAttendance>;
export type TSaveAttendance = z.infer<typeof ZSaveAttendance>;
