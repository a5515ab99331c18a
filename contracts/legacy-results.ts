import { z } from 'zod';
import { ZQueryBoolean } from './school.js';

// Results of years assessed under Thông tư 58/2011, imported from old records
// (server/src/modules/gradebook/legacy-results*.ts). Everything shown is in Vietnamese words:
// the học lực, promotion and title are recomputed on read by domain/assessment/tt58.ts.

export const ZLegacyImportQuery = z.object({
  /** Replace a student's year already imported (otherwise each such row is listed as a conflict and nothing is written). */
  replace: ZQueryBoolean.optional(),
});

export const ZLegacyImportResult = z.object({
  fileName: z.string(),
  /** Student-years written (new or replaced). */
  imported: z.number(),
  /** Of those, years that replaced an earlier import. */
  replaced: z.number(),
});

export const ZLegacyYear = z.object({
  /** "2019-2020". */
  schoolYear: z.string(),
  year: z.number(),
  grade: z.number(),
  className: z.string(),
  /** The rule set's name (Thông tư 58/2011/TT-BGDĐT …). */
  ruleSet: z.string(),
  subjects: z.array(z.object({ subject: z.string(), result: z.string() })),
  /** ĐTBcn "8,0"; null when it cannot be computed (the reasons say why). */
  overallAverage: z.string().nullable(),
  /** ĐTB các môn học kì I and II as the old record holds them ("7,9"), null when the file had none; never used to rank. */
  averageTerm1: z.string().nullable(),
  averageTerm2: z.string().nullable(),
  /** Học lực in words ("Giỏi"), or "Chưa đủ điều kiện xếp loại". */
  academic: z.string(),
  /** Why the rank was adjusted (Điều 13 khoản 6), or why it cannot be computed. */
  academicNote: z.string().nullable(),
  conductTerm1: z.string().nullable(),
  conductTerm2: z.string().nullable(),
  conductYear: z.string(),
  /** Set when the year's conduct is the term II suggestion, not a rating the record holds. */
  conductNote: z.string().nullable(),
  sessionsAbsent: z.number(),
  /** "Được lên lớp", "Ở lại lớp: …", "Kiểm tra lại các môn: …", or "Chưa đủ điều kiện xếp loại". */
  promotion: z.string(),
  /** "Học sinh giỏi", "Học sinh tiên tiến", or null. */
  title: z.string().nullable(),
  importedBy: z.string().nullable(),
  importedAt: z.string(),
});

export const ZLegacyResults = z.object({
  studentId: z.string(),
  fullName: z.string(),
  years: z.array(ZLegacyYear),
});

export type TLegacyImportResult = z.infer<typeof ZLegacyImportResult>;
export type TLegacyYear = z.infer<typeof ZLegacyYear>;
export type TLegacyResults = z.infer<typeof ZLegacyResults>;
