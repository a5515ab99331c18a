import { z } from 'zod';
import { ZId } from './common.js';

// Term and year results (TT22/2021 Điều 8, 9, 12–15): the homeroom teacher's training ratings, the
// principal's close that computes every result, and the class view with its lists.

export const ZLevel = z.enum(['tot', 'kha', 'dat', 'chua_dat']);
export const ZResultPeriod = z.enum(['hk1', 'hk2', 'cn']);

export const ZTrainingRatings = z.object({
  term: z.number().int().min(1).max(2),
  ratings: z.array(z.object({ studentId: ZId, level: ZLevel.nullable() })).min(1).max(500),
});

export const ZCloseResults = z.object({
  year: z.number().int().min(2000).max(2100),
  period: ZResultPeriod,
  /** Compute and answer the summary without storing anything: what the principal reads before confirming. */
  preview: z.boolean().optional(),
});

export const ZCloseSummary = z.object({
  year: z.number(),
  period: ZResultPeriod,
  periodLabel: z.string(),
  classes: z.number(),
  students: z.number(),
  complete: z.number(),
  /** Students whose result is "Chưa đủ điều kiện xếp loại" (the first 200, by class and list order), each with every reason (the screen shortens them). */
  incomplete: z.array(z.object({ className: z.string(), fullName: z.string(), reasons: z.array(z.string()) })),
  learning: z.record(z.string(), z.number()),
  promotion: z.record(z.string(), z.number()),
  awards: z.record(z.string(), z.number()),
  /** Primary classes (TT27 Điều 9), year close only: hoan_thanh_xuat_sac / hoan_thanh_tot / hoan_thanh / chua_hoan_thanh → students. */
  outcomes: z.record(z.string(), z.number()),
  /** Classes of grades this close does not compute (preschool, years before the new circulars reached the grade). */
  skippedClasses: z.array(z.string()),
  /** Class × subject × term grids of the period not locked by the principal yet. */
  unlockedGrids: z.number(),
  /** False for a preview: nothing was stored. */
  stored: z.boolean(),
  millis: z.number(),
});

export const ZClassResultsQuery = z.object({ period: ZResultPeriod });

/** The class summary workbook (sổ theo dõi và đánh giá học sinh) of a school year: the class's own year. */
export const ZClassSummaryQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

const ZNamed = z.object({ studentId: z.string(), fullName: z.string() });

export const ZClassResults = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  period: ZResultPeriod,
  periodLabel: z.string(),
  /** When the principal last closed this period; null before the first close. */
  computedAt: z.string().nullable(),
  canRateTraining: z.boolean(),
  canClose: z.boolean(),
  /** Whether the học bạ (PDF) can be printed from here: the school's managers and the homeroom teacher, not the offices. */
  canPrintHocBa: z.boolean(),
  /** Parents and students of the class see this period's results; who may publish them. */
  published: z.boolean(),
  canPublish: z.boolean(),
  /** tt22_2021: learning and training results; tt27_2020 (primary): subject levels, qualities and competencies, the year's outcome. */
  ruleSet: z.enum(['tt22_2021', 'tt27_2020', 'other']),
  subjects: z.array(z.object({ code: z.string(), name: z.string() })),
  /** Primary: the qualities and competencies rated (columns of `students[].qualities`); empty otherwise. */
  qualities: z.array(z.object({ code: z.string(), name: z.string(), groupLabel: z.string() })),
  students: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      /** The homeroom teacher's ratings as they are now (may be newer than the close). */
      trainingTerm1: ZLevel.nullable(),
      trainingTerm2: ZLevel.nullable(),
      learning: z.string().nullable(),
      learningNote: z.string().nullable(),
      training: z.string().nullable(),
      /** Sessions absent as the last close counted them; null before the period is closed. */
      sessionsAbsent: z.number().nullable(),
      sessionsAbsentExcused: z.number().nullable(),
      promotion: z.string().nullable(),
      promotionDetail: z.string().nullable(),
      award: z.string().nullable(),
      missing: z.array(z.string()),
      /** Whether the student has a closed year at the school, so that a học bạ prints. */
      hocBaReady: z.boolean(),
      /** Subject code → "8,3", "Đạt", "Miễn" or "" when missing; primary: the level and the periodic test, "T (9)", "H", "C (4)". */
      marks: z.record(z.string(), z.string()),
      /**
       * Primary (TT27 Điều 9), year close: "Hoàn thành xuất sắc", "Hoàn thành tốt", "Hoàn thành",
       * "Chưa hoàn thành", or "Chưa đủ điều kiện xếp loại" (then `missing` says why); term closes
       * and secondary classes: null.
       */
      outcome: z.string().nullable(),
      /** Primary, year close: "Hoàn thành chương trình lớp học" (grade 5: "… tiểu học") or what follows Chưa hoàn thành (Điều 11). */
      completion: z.string().nullable(),
      /** Primary: quality code → "Tốt" / "Đạt" / "Cần cố gắng" at the checkpoint closed. */
      qualities: z.record(z.string(), z.string()),
      /** Year only: what came of the re-test or summer training once the principal classified again ("Được lên lớp sau kiểm tra lại"). */
      afterSummer: z.string().nullable(),
    }),
  ),
  lists: z.object({
    promoted: z.array(ZNamed),
    retest: z.array(ZNamed.extend({ subjects: z.array(z.string()), afterSummer: z.string().nullable() })),
    summerTraining: z.array(ZNamed.extend({ afterSummer: z.string().nullable() })),
    retained: z.array(ZNamed.extend({ reason: z.string() })),
    excellent: z.array(ZNamed),
    good: z.array(ZNamed),
    /** Primary (TT27 Điều 13): Học sinh Tiêu biểu and ad-hoc awards the principal recorded, each with its achievement. */
    tieuBieu: z.array(ZNamed.extend({ achievement: z.string() })),
    adHoc: z.array(ZNamed.extend({ achievement: z.string() })),
    incomplete: z.array(ZNamed),
  }),
});

export type TClassResults = z.infer<typeof ZClassResults>;

// Khen thưởng of a primary class beyond the computed Học sinh Xuất sắc (TT27/2020 Điều 13):
// Học sinh Tiêu biểu (Hoàn thành tốt only) and ad-hoc awards, proposed by the homeroom teacher and
// recorded by the principal.

export const ZPrimaryAwardKind = z.enum(['tieu_bieu', 'dot_xuat']);
export const ZPrimaryAwards = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  /** Whether the year has been closed (an outcome to judge Học sinh Tiêu biểu by). */
  closed: z.boolean(),
  awards: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      kind: ZPrimaryAwardKind,
      kindLabel: z.string(),
      achievement: z.string(),
      status: z.enum(['proposed', 'recorded']),
      statusLabel: z.string(),
      version: z.number(),
    }),
  ),
  /** The class's students with their year outcome in words ("Hoàn thành tốt"; null before the close) and whether Học sinh Tiêu biểu may be proposed. */
  students: z.array(z.object({ studentId: z.string(), fullName: z.string(), outcome: z.string().nullable(), tieuBieu: z.boolean() })),
  /** propose: the homeroom teacher (a proposal); record: the principal (recorded, or a proposal recorded). */
  actions: z.object({ propose: z.boolean(), record: z.boolean() }),
});
export const ZSavePrimaryAward = z.object({
  studentId: ZId,
  kind: ZPrimaryAwardKind,
  achievement: z.string().trim().min(3, 'Hãy ghi thành tích (môn học nổi trội, phẩm chất hay năng lực tiến bộ rõ; ít nhất 3 kí tự).').max(500),
  /** The version read (0 = a new award). */
  version: z.number().int().min(0),
});
export const ZRemovePrimaryAwardQuery = z.object({ studentId: ZId, kind: ZPrimaryAwardKind, version: z.coerce.number().int().min(1) });
export type TPrimaryAwards = z.infer<typeof ZPrimaryAwards>;
export type TSavePrimaryAward = z.infer<typeof ZSavePrimaryAward>;
export type TRemovePrimaryAwardQuery = z.infer<typeof ZRemovePrimaryAwardQuery>;
export type TCloseSummary = z.infer<typeof ZCloseSummary>;
export type TTrainingRatings = z.infer<typeof ZTrainingRatings>;

export const ZPublishResults = z.object({ year: z.number().int().min(2000).max(2100), period: ZResultPeriod, published: z.boolean() });

export const ZFamilyResultsQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

/** What a parent or the student reads: only what the school published, plus attendance. */
export const ZFamilyResults = z.object({
  studentId: z.string(),
  fullName: z.string(),
  className: z.string().nullable(),
  year: z.number().nullable(),
  subjects: z.array(
    z.object({
      subjectName: z.string(),
      terms: z.array(z.object({ term: z.number(), marks: z.array(z.object({ label: z.string(), value: z.string() })), comment: z.string().nullable() })),
    }),
  ),
  results: z.array(
    z.object({
      periodLabel: z.string(),
      learning: z.string().nullable(),
      training: z.string().nullable(),
      /** Primary (TT27 Điều 9), year: "Hoàn thành xuất sắc" … "Chưa hoàn thành"; null otherwise or while incomplete. */
      outcome: z.string().nullable(),
      sessionsAbsent: z.number(),
      promotion: z.string().nullable(),
      /** The year's result after the re-test or summer training, when classified again. */
      afterSummer: z.string().nullable(),
      award: z.string().nullable(),
      /** Primary, year: the homeroom teacher's comments of the year ("Phẩm chất chủ yếu: …"), once published with the year's results. */
      comments: z.array(z.object({ label: z.string(), text: z.string() })),
      publishedAt: z.string(),
    }),
  ),
  attendance: z.object({ excused: z.number(), unexcused: z.number(), recent: z.array(z.object({ date: z.string(), session: z.enum(['morning', 'afternoon']), excused: z.boolean() })) }),
});
export type TFamilyResults = z.infer<typeof ZFamilyResults>;

// Exemptions (miễn học, TT22/2021 Điều 11) and the summer after the year close (Điều 13–14).

/** Term I, term II or the whole year (the result periods' codes). */
export const ZExemptionScope = ZResultPeriod;

/** Record (scope set) or lift (scope null) a student's exemption from a subject for the class's year. */
export const ZSetExemption = z
  .object({
    studentId: ZId,
    subjectCode: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Không có môn học này.'),
    scope: ZExemptionScope.nullable(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((v) => v.scope === null || (v.reason ?? '').length >= 3, { path: ['reason'], message: 'Hãy ghi lý do miễn học (ít nhất 3 kí tự), ví dụ "Sức khỏe không đảm bảo theo giấy của bệnh viện".' });

export const ZExemptions = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  canEdit: z.boolean(),
  items: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      subjectCode: z.string(),
      subjectName: z.string(),
      scope: ZExemptionScope,
      /** "Học kì I", "Học kì II", "Cả năm" */
      scopeLabel: z.string(),
      reason: z.string(),
      recordedAt: z.string(),
    }),
  ),
  /** Who and what an exemption can name: the class's students of the year and its subjects. */
  students: z.array(z.object({ studentId: z.string(), fullName: z.string() })),
  subjects: z.array(z.object({ code: z.string(), name: z.string() })),
});
export type TExemptions = z.infer<typeof ZExemptions>;
export type TSetExemption = z.infer<typeof ZSetExemption>;

/** Re-test marks: "5", "5,0", "Đ", "Chưa đạt"; null clears. */
export const ZSummerRetests = z.object({
  retests: z
    .array(z.object({ studentId: ZId, subjectCode: z.string().regex(/^[a-z0-9_]{1,40}$/, 'Không có môn học này.'), value: z.string().max(20).nullable() }))
    .min(1)
    .max(500),
});
export const ZSummerTraining = z.object({ ratings: z.array(z.object({ studentId: ZId, level: ZLevel.nullable() })).min(1).max(500) });

export const ZSummer = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  /** The year was closed: the lists below come from that close. */
  yearClosed: z.boolean(),
  locked: z.boolean(),
  unlockReason: z.string().nullable(),
  canEnterTraining: z.boolean(),
  canLock: z.boolean(),
  canReclassify: z.boolean(),
  students: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      /** "Kiểm tra lại" or "Rèn luyện trong kì nghỉ hè" (then maybe re-test too). */
      decision: z.string(),
      /** Summer training (Điều 14): the year's training and the re-rating; null when not in training. */
      training: z.object({ yearLevel: z.string().nullable(), level: ZLevel.nullable() }).nullable(),
      retests: z.array(
        z.object({
          subjectCode: z.string(),
          subjectName: z.string(),
          assessment: z.enum(['score', 'comment']),
          /** ĐTBmcn or Đạt / Chưa đạt of the year close. */
          yearResult: z.string(),
          /** The re-test mark as written ("5,0", "Đ"); null before it is entered. */
          value: z.string().nullable(),
          canEdit: z.boolean(),
        }),
      ),
      /** After the principal classified again: the result, or what is still missing. */
      result: z.string().nullable(),
      missing: z.string().nullable(),
    }),
  ),
});
export type TSummer = z.infer<typeof ZSummer>;

export const ZSummerStateChange = z.object({
  year: z.number().int().min(2000).max(2100),
  action: z.enum(['lock', 'unlock']),
  reason: z.string().trim().max(500).optional(),
});

export const ZReclassify = z.object({ year: z.number().int().min(2000).max(2100) });
export const ZReclassifySummary = z.object({
  year: z.number(),
  students: z.number(),
  promoted: z.number(),
  retained: z.number(),
  /** Students still waiting for an entry, with what is missing. */
  missing: z.array(z.object({ className: z.string(), fullName: z.string(), reason: z.string() })),
});
export type TReclassifySummary = z.infer<typeof ZReclassifySummary>;

/** A student's học bạ: `level` picks the primary (TT27) or the secondary (TT22) book of a pupil who has both; none, the latest closed year's. */
export const ZHocBaQuery = z.object({ level: z.enum(['primary', 'secondary'], 'Chỉ chọn được học bạ tiểu học hoặc học bạ trung học.').optional() });
