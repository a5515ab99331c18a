import { z } from 'zod';

export const ZImportKind = z.enum(['students', 'staff', 'classes']);
export const ZImportMode = z.enum(['all_or_nothing', 'valid_only']);

export const ZImportRowError = z.object({
  row: z.number(), // row number as Excel shows it (1-based, header included)
  column: z.string(), // column header as in the file, e.g. "Ngày sinh"
  value: z.string().nullable(),
  message: z.string(), // Vietnamese reason and what to fix
});

export const ZImportJob = z.object({
  id: z.string(),
  schoolId: z.string(),
  kind: ZImportKind,
  mode: ZImportMode,
  status: z.enum(['queued', 'validating', 'writing', 'done', 'failed', 'rejected']),
  fileName: z.string(),
  totalRows: z.number(),
  processedRows: z.number(),
  createdRows: z.number(),
  updatedRows: z.number(),
  errorCount: z.number(),
  errors: z.array(ZImportRowError),
  message: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TImportJob = z.infer<typeof ZImportJob>;
