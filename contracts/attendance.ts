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
      /** Lessons missed in the range, where subject teachers take attendance per lesson: what the homeroom teacher reads to record the sessions. */
      lessonAbsences: z.array(z.object({ date: z.string(), lesson: z.number(), label: z.string(), subjectName: z.string(), excused: z.boolean(), reason: z.string().nullable() })),
      /** Over the whole school year so far: what the 45-session rule counts. */
      yearExcused: z.number(),
      yearUnexcused: z.number(),
    }),
  ),
  /** The homeroom view's warning: students at or past the limit (TT22 Điều 12); null where the class's rules have none (primary). */
  limit: z.number().nullable(),
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

// Attendance per lesson (tiết): the subject teacher calls the roll of the lesson they teach, where
// the school has turned it on for the year. Lessons are numbered 1–5 in the morning and 6–10 in
// the afternoon (domain/attendance/lessons.ts).

export const ZLessonAttendanceQuery = z.object({ date: ZIsoDate });

const ZLessonAbsence = z.object({ studentId: z.string(), excused: z.boolean(), reason: z.string().nullable() });

export const ZLessonAttendance = z.object({
  classId: z.string(),
  className: z.string(),
  date: z.string(),
  /** The school takes attendance per lesson in this class's school year. */
  enabled: z.boolean(),
  /** The principal may turn it on or off for the year. */
  canSwitch: z.boolean(),
  /** The lesson numbers the class has on a day, with their timetable names. */
  lessons: z.array(z.object({ lesson: z.number(), label: z.string() })),
  /** The subjects the caller may call the roll of (their own in this class and term; every subject for the school's managers). */
  subjects: z.array(z.object({ code: z.string(), name: z.string() })),
  /** The rolls called that day. */
  rolls: z.array(
    z.object({
      lesson: z.number(),
      label: z.string(),
      subjectCode: z.string(),
      subjectName: z.string(),
      recordedBy: z.string().nullable(),
      /** The caller may change or remove this roll. */
      canEdit: z.boolean(),
      absences: z.array(ZLessonAbsence),
    }),
  ),
  students: z.array(z.object({ studentId: z.string(), fullName: z.string() })),
});

export const ZSaveLessonRoll = z.object({
  date: ZIsoDate,
  lesson: z.number().int().min(1).max(10),
  subjectCode: z.string().trim().min(1).max(40),
  /** The students missing from the lesson; everyone else was there. */
  absences: z
    .array(z.object({ studentId: ZId, excused: z.boolean(), reason: z.string().trim().max(500).optional() }))
    .max(200),
});

export const ZRemoveLessonRollQuery = z.object({ date: ZIsoDate, lesson: z.coerce.number().int().min(1).max(10) });

export const ZLessonAttendanceSwitch = z.object({ year: z.number().int().min(2000).max(2100), enabled: z.boolean() });
export const ZLessonAttendanceSetting = z.object({ year: z.number(), enabled: z.boolean() });

export type TLessonAttendance = z.infer<typeof ZLessonAttendance>;
export type TSaveLessonRoll = z.infer<typeof ZSaveLessonRoll>;
