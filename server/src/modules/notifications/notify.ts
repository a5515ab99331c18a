import type { Transaction } from 'kysely';
import type { Database, NotificationKind } from '../../db/schema.js';
import { defineJob, enqueueJob } from '../../platform/jobs.js';
import { deliverBatch } from './delivery.js';
import { insertNotices } from './notifications.repo.js';

/**
 * What every part of the contact book calls to tell people something (issue 11): the notices go
 * into the in-app inboxes inside the caller's transaction — so an acknowledged announcement is in
 * every inbox exactly once, or nowhere if the transaction rolls back — and one background job is
 * queued on the database's own queue (platform/jobs.ts, both engines) to carry them to the other
 * channels (Web Push, e-mail, a webhook) by each person's preferences.
 *
 * A notice carries no more than a lock screen may show: a title and a short body naming the sender
 * and the subject, never a mark, a reason for absence or a phone number; its link opens the app,
 * which checks access again.
 */
export type Notice = {
  userId: string;
  kind: NotificationKind;
  /** What the notice is about (an announcement, a thread, a leave request …). */
  sourceId: string;
  /** The school the thing belongs to, and the child it is about when it is about one. */
  schoolId: string | null;
  studentId: string | null;
  title: string;
  body?: string;
  /** A path inside the app, e.g. `/con-cua-toi/<schoolId>/<studentId>/thong-bao`. */
  link: string;
};

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The job that delivers one batch of notices by the channels other than the inbox (delivery.ts). */
export const deliverNotices = defineJob<{ batchId: string }>('deliver_notices', async (ctx) => deliverBatch({ ...ctx, createdBy: ctx.actor?.userId ?? null }));

/**
 * Puts the notices in the inboxes in `trx` and queues their delivery as one job owned by
 * `orgUnitId` (the sender's school or office). Returns the batch id the job carries, or null when
 * there was nobody to tell.
 */
export async function notify(trx: Transaction<Database>, notices: Notice[], queue: { orgUnitId: string; createdBy: string | null }): Promise<string | null> {
  if (notices.length === 0) return null;
  const batchId = crypto.randomUUID();
  await insertNotices(
    trx,
    notices.map((n) => ({
      id: crypto.randomUUID(),
      user_id: n.userId,
      school_id: n.schoolId,
      student_id: n.studentId,
      kind: n.kind,
      source_id: n.sourceId,
      batch_id: batchId,
      title: clip(n.title, 200),
      body: clip(n.body ?? '', 500),
      link: n.link,
      sent_by: queue.createdBy,
    })),
  );
  await enqueueJob(trx, { kind: deliverNotices, orgUnitId: queue.orgUnitId, params: { batchId }, createdBy: queue.createdBy, maxAttempts: 5 });
  return batchId;
}
