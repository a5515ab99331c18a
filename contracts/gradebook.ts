import { z } from 'zod';
import { ZId } from './common.js';
import { ZQueryBoolean } from './school.js';

// The gradebook (sổ điểm điện tử) of a class × subject × term: what the grid shows and saves.

export const ZTerm = z.coerce.number().int().min(1).max(2);
export const ZGradebookState = z.enum(['open', 'submitted', 'reviewed', 'locked']);

export const ZGradebookQuery = z.object({ term: ZTerm });

/** The TT27 checkpoints (primary): giữa học kì I, cuối học kì I, giữa học kì II, cuối năm học. */
export const ZCheckpoint = z.enum(['mid_term1', 'end_term1', 'mid_term2', 'end_year']);

export const ZGradebookColumn = z.object({
  key: z.string(),
  label: z.string(),
  title: z.string(),
  /** subject_level (T / H / C) and test_score (whole 1–10) are the primary grid's (TT27). */
  kind: z.enum(['score', 'pass_fail', 'comment', 'subject_level', 'test_score']),
  /** Primary grids: the checkpoint the column belongs to (term I holds mid_term1 and end_term1, term II mid_term2 and end_year). */
  checkpoint: ZCheckpoint.optional(),
});

/** Every column key of a grid: TT22 (tx1…tx9, gk, ck, nx) and primary (gk_/ck_ + muc, kt, nx). */
export const GRADEBOOK_COLUMN_KEY = /^(tx[1-9]|gk|ck|nx|(gk|ck)_(muc|kt|nx))$/;

export const ZGradebookCell = z.object({
  /** As the grid writes it: "8,5", "Đ", "CĐ", a comment; null = empty. */
  value: z.string().nullable(),
  /** What the writer must send back to change the cell (0 = never written). */
  version: z.number().int(),
  /** Changed after the grid was locked: the value the locked grid showed. */
  correctedFrom: z.string().nullable(),
});

export const ZGradebookRow = z.object({
  studentId: z.string(),
  fullName: z.string(),
  /** Not in the class for the whole term (joined late or left): shown, and still editable. */
  membership: z.enum(['whole_term', 'joined', 'left']),
  cells: z.record(z.string(), ZGradebookCell),
  /** ĐTBmhk ("8,3") or Đạt / Chưa đạt; "Chưa đủ điều kiện xếp loại" while something is missing. */
  summary: z.string(),
  summaryMissing: z.array(z.string()),
  /** Miễn học (TT22 Điều 11) in this term: "Miễn học kì I — lý do"; the row takes no marks. */
  exempt: z.string().nullable(),
});

export const ZGradebookActions = z.object({
  edit: z.boolean(),
  submit: z.boolean(),
  reopen: z.boolean(),
  review: z.boolean(),
  return: z.boolean(),
  lock: z.boolean(),
  unlock: z.boolean(),
  publish: z.boolean(),
});

export const ZGradebook = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  grade: z.number(),
  term: z.number(),
  subjectCode: z.string(),
  subjectName: z.string(),
  ruleSetLabel: z.string(),
  /** Which grid this is: TT22/2021 (secondary) or TT27/2020 (primary, columns by checkpoint). */
  ruleSet: z.enum(['tt22_2021', 'tt27_2020']),
  /** TT22: scored or by comment. Primary grids say 'comment' (levels and comments; tests are their own columns). */
  assessment: z.enum(['score', 'comment']),
  /** TT22's regular assessments; 0 in a primary grid. */
  requiredRegular: z.number(),
  teacherName: z.string().nullable(),
  state: ZGradebookState,
  stateLabel: z.string(),
  unlockReason: z.string().nullable(),
  columns: z.array(ZGradebookColumn),
  /** Columns parents and the student can see (the contact book reads only these). */
  published: z.array(z.string()),
  rows: z.array(ZGradebookRow),
  actions: ZGradebookActions,
  /** Why the grid is read-only for this caller, in words; null when they may edit. */
  readOnlyReason: z.string().nullable(),
});

export const ZGradebookCellWrite = z.object({
  studentId: ZId,
  column: z.string().regex(GRADEBOOK_COLUMN_KEY, 'Không có cột này trong sổ điểm.'),
  value: z.string().max(2000).nullable(),
  version: z.number().int().min(0),
});

export const ZSaveGradebookCells = z.object({
  term: z.number().int().min(1).max(2),
  cells: z.array(ZGradebookCellWrite).min(1).max(2000),
});

export const ZSaveGradebookResult = z.object({
  saved: z.array(z.object({ studentId: z.string(), column: z.string(), value: z.string().nullable(), version: z.number() })),
  /** Changed by someone else since the writer read it: their value is kept, the writer's is not. */
  conflicts: z.array(z.object({ studentId: z.string(), column: z.string(), value: z.string().nullable(), version: z.number(), updatedBy: z.string().nullable() })),
  /** Not a valid value for the column, with what to type instead. */
  rejected: z.array(z.object({ studentId: z.string(), column: z.string(), message: z.string() })),
  summaries: z.array(z.object({ studentId: z.string(), summary: z.string(), summaryMissing: z.array(z.string()) })),
});

export const ZGradebookAction = z.enum(['submit', 'reopen', 'review', 'return', 'lock', 'unlock']);
export const ZGradebookTransition = z.object({
  term: z.number().int().min(1).max(2),
  action: ZGradebookAction,
  reason: z.string().trim().min(5, 'Hãy ghi rõ lý do mở khóa (ít nhất 5 kí tự).').max(500).optional(),
});

export const ZClassGradebooks = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  grade: z.number(),
  ruleSetLabel: z.string(),
  /** False for grades whose rule set has no grid (preschool, years before TT22/TT27 reached the grade): the page says so. */
  supported: z.boolean(),
  subjects: z.array(
    z.object({
      subjectCode: z.string(),
      subjectName: z.string(),
      assessment: z.enum(['score', 'comment']),
      terms: z.array(z.object({ term: z.number(), state: ZGradebookState, stateLabel: z.string(), teacherName: z.string().nullable(), canEdit: z.boolean() })),
    }),
  ),
});

export type TGradebook = z.infer<typeof ZGradebook>;
export type TClassGradebooks = z.infer<typeof ZClassGradebooks>;
export type TSaveGradebookCells = z.infer<typeof ZSaveGradebookCells>;
export type TSaveGradebookResult = z.infer<typeof ZSaveGradebookResult>;
export type TGradebookAction = z.infer<typeof ZGradebookAction>;

export const ZPublishColumns = z.object({
  term: z.number().int().min(1).max(2),
  columns: z.array(z.string().regex(GRADEBOOK_COLUMN_KEY, 'Không có cột này trong sổ điểm.')).min(1).max(12),
  published: z.boolean(),
});
export type TPublishColumns = z.infer<typeof ZPublishColumns>;

/**
 * Importing a grid from the .xlsx its export writes (multipart, field `file`): the term, and
 * whether marks someone else changed after the file was exported may be written over.
 */
export const ZGradebookImportQuery = z.object({
  term: ZTerm,
  /** Write the file's value even where the stored mark changed after the export (listed as conflicts otherwise). */
  overwrite: ZQueryBoolean.optional(),
});

export const ZGradebookImportResult = z.object({
  fileName: z.string(),
  /** Student rows of the file matched to the class. */
  students: z.number(),
  /** Cells whose stored value changed to the file's value (filled, changed, or written over with `overwrite`); clears not counted. */
  changed: z.number(),
  /** Marks cleared: the export showed them, the file has the cell emptied, and they were unchanged since (or `overwrite`). */
  cleared: z.number(),
  /** Of the changed and cleared, cells written over although someone changed them after the export. */
  overwritten: z.number(),
  /** Cells the file holds with the value already stored. */
  unchanged: z.number(),
  /** Cells empty in the file that keep their stored mark (empty at the export too, or a file without versions). */
  keptEmpty: z.number(),
  gradebook: ZGradebook,
});

/** One problem of a refused import: the file's row and column as Excel shows them, and what to fix. */
export const ZGradebookImportIssue = z.object({ row: z.number(), column: z.string(), message: z.string() });

export type TGradebookImportResult = z.infer<typeof ZGradebookImportResult>;
export type TGradebookImportIssue = z.infer<typeof ZGradebookImportIssue>;

// Phẩm chất và năng lực (TT27/2020 Điều 7, primary): the homeroom teacher rates each student's
// qualities and competencies at each checkpoint, Tốt / Đạt / Cần cố gắng; the principal locks.

export const ZQualityLevel = z.enum(['tot', 'dat', 'can_co_gang']);
export const ZQualitiesQuery = z.object({ checkpoint: ZCheckpoint });

export const ZQualityRatings = z.object({
  classId: z.string(),
  className: z.string(),
  year: z.number(),
  grade: z.number(),
  checkpoint: ZCheckpoint,
  checkpointLabel: z.string(),
  state: z.enum(['open', 'locked']),
  stateLabel: z.string(),
  unlockReason: z.string().nullable(),
  /** The columns: each quality or competency with its group ("Phẩm chất chủ yếu", "Năng lực chung", "Năng lực đặc thù"). */
  qualities: z.array(z.object({ code: z.string(), name: z.string(), groupLabel: z.string() })),
  rows: z.array(
    z.object({
      studentId: z.string(),
      fullName: z.string(),
      /** Quality code → the rating as written ("Tốt", "Đạt", "Cần cố gắng"; null = not rated) and its version. */
      ratings: z.record(z.string(), z.object({ value: z.string().nullable(), version: z.number().int() })),
      /** What is not yet rated ("Phẩm chất yêu nước"), so the teacher sees the row is incomplete. */
      missing: z.array(z.string()),
      /** End of the year only: topic code → the homeroom teacher's comment (null = none yet) and its version. */
      comments: z.record(z.string(), z.object({ value: z.string().nullable(), version: z.number().int() })),
    }),
  ),
  /**
   * End of the year only (the học bạ's year): what the homeroom teacher comments on, in the
   * book's order — "Phẩm chất chủ yếu", "Năng lực chung", "Năng lực đặc thù", "Nhận xét chung cả
   * năm". Empty at the other checkpoints. Locked with the ratings.
   */
  commentTopics: z.array(z.object({ code: z.string(), label: z.string() })),
  actions: z.object({ edit: z.boolean(), lock: z.boolean(), unlock: z.boolean() }),
  readOnlyReason: z.string().nullable(),
});

export const ZSaveQualityRatings = z.object({
  checkpoint: ZCheckpoint,
  ratings: z
    .array(
      z.object({
        studentId: ZId,
        quality: z.string().regex(/^(pc|nlc|nldt)_[a-z_]{2,40}$/, 'Không có phẩm chất, năng lực này.'),
        /** "T" / "Tốt", "Đ" / "Đạt", "C" / "Cần cố gắng"; null or "" clears it. */
        value: z.string().max(20).nullable(),
        version: z.number().int().min(0),
      }),
    )
    .min(1)
    .max(2000),
});

export const ZSaveQualityRatingsResult = z.object({
  saved: z.array(z.object({ studentId: z.string(), quality: z.string(), value: z.string().nullable(), version: z.number() })),
  conflicts: z.array(z.object({ studentId: z.string(), quality: z.string(), value: z.string().nullable(), version: z.number() })),
  rejected: z.array(z.object({ studentId: z.string(), quality: z.string(), message: z.string() })),
});

export const ZQualityTransition = z.object({
  checkpoint: ZCheckpoint,
  action: z.enum(['lock', 'unlock']),
  reason: z.string().trim().min(5, 'Hãy ghi rõ lý do mở khóa (ít nhất 5 kí tự).').max(500).optional(),
});

/** The homeroom teacher's year comments (TT27 học bạ): each with the version read, "" or null clears it. */
export const ZYearCommentTopic = z.enum(['pham_chat', 'nang_luc_chung', 'nang_luc_dac_thu', 'overall']);
export const ZSaveYearComments = z.object({
  comments: z
    .array(
      z.object({
        studentId: ZId,
        topic: ZYearCommentTopic,
        value: z.string().max(1000, 'Nhận xét dài quá 1000 kí tự; hãy viết gọn lại.').nullable(),
        version: z.number().int().min(0),
      }),
    )
    .min(1)
    .max(2000),
});
const ZCommentCell = z.object({ studentId: z.string(), topic: z.string(), value: z.string().nullable(), version: z.number() });
export const ZSaveYearCommentsResult = z.object({
  saved: z.array(ZCommentCell),
  /** Changed by someone else since read: the value that won, and its version. */
  conflicts: z.array(ZCommentCell),
  rejected: z.array(z.object({ studentId: z.string(), topic: z.string(), message: z.string() })),
});

export type TQualityRatings = z.infer<typeof ZQualityRatings>;
export type TSaveYearComments = z.infer<typeof ZSaveYearComments>;
export type TSaveYearCommentsResult = z.infer<typeof ZSaveYearCommentsResult>;
export type TSaveQualityRatings = z.infer<typeof ZSaveQualityRatings>;
export type TSaveQualityRatingsResult = z.infer<typeof ZSaveQualityRatingsResult>;
export type TQualityTransition = z.infer<typeof ZQualityTransition>;
