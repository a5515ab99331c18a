import { z } from 'zod';
import { ZId } from './common.js';
import { ZResultPeriod } from './results.js';

// Background jobs (platform/jobs.ts) as a person follows them: what is being done, how far, the
// outcome in a sentence, the files to download.

export const ZJobState = z.enum(['queued', 'running', 'done', 'failed']);

export const ZJob = z.object({
  id: z.string(),
  kindLabel: z.string(),
  state: ZJobState,
  stateLabel: z.string(),
  progressDone: z.number(),
  progressTotal: z.number(),
  progressText: z.string().nullable(),
  /** The outcome in a sentence when done, and its details (e.g. who was left out and why). */
  resultText: z.string().nullable(),
  details: z.array(z.string()),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Done with files: GET …/files.zip downloads them. */
  hasFiles: z.boolean(),
});

export const ZHocBaBatch = z.object({
  /** One class; omitted: every class of the school (the school's managers only). */
  classId: ZId.optional(),
});

export const ZUnitClose = z.object({
  year: z.number().int().min(2000).max(2100),
  period: ZResultPeriod,
});

export type TJob = z.infer<typeof ZJob>;
