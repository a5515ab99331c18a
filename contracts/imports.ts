import { z } from 'zod';
import { ZQueryBoolean } from './school.js';

export const ZImportKind = z.enum(['students', 'staff', 'classes']);
const ZImportMode = z.enum(['all_or_nothing', 'valid_only']);

const ZImportRowError = z.object({
  row: z.number(), // row number as Excel shows it (1-based, header included)
  column: z.string(), // column header as in the file, e.g. "Ngày sinh"
  value: z.string().nullable(),
  message: z.string(), // Vietnamese reason and what to fix
});

/** How many errors/warnings a job response carries; the error sheet (errors.xlsx) has them all. */
export const IMPORT_ERRORS_IN_RESPONSE = 200;

export const ZImportJob = z.object({
  id: z.string(),
  schoolId: z.string(),
  kind: ZImportKind,
  mode: ZImportMode,
  /** The upload allowed matched students' name, date of birth and sex to change ("Cho phép sửa họ tên / ngày sinh / giới tính theo tệp"). */
  allowIdentityChanges: z.boolean(),
  status: z.enum(['queued', 'validating', 'writing', 'done', 'failed', 'rejected']),
  fileName: z.string(),
  /** Data rows found under the header (blank rows not counted). */
  totalRows: z.number(),
  /** Progress within the current phase: rows read/validated while 'validating', rows written while 'writing'. */
  processedRows: z.number(),
  createdRows: z.number(),
  /** Rows that matched an existing record (including those that needed no change). */
  updatedRows: z.number(),
  /** Of updatedRows, how many were already identical (nothing written). */
  unchangedRows: z.number().optional(),
  errorCount: z.number(),
  /** The first IMPORT_ERRORS_IN_RESPONSE errors; errorCount has the total. */
  errors: z.array(ZImportRowError),
  warningCount: z.number().optional(),
  /** Things written anyway but worth a look (ids padded with zeros, age unusual for the grade…). */
  warnings: z.array(ZImportRowError).optional(),
  message: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TImportJob = z.infer<typeof ZImportJob>;

export const ZImportUploadQuery = z.object({
  kind: ZImportKind,
  mode: ZImportMode.default('all_or_nothing'),
  /** School year (start year, 2025 = "2025-2026") for students and classes; default: the current one. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  /**
   * Students only, principals only: a row may change the name, date of birth or sex of the
   * student it matches (audited as student.import_identity_change). Off: such a row is an
   * identity conflict and is refused.
   */
  allowIdentityChanges: ZQueryBoolean.optional(),
});

export const ZImportJobList = z.object({ items: z.array(ZImportJob) });
