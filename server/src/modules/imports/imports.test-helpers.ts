/** Helpers shared by the import tests: multipart uploads and polling a job to its end. */
import { randomBytes } from 'node:crypto';
import type { TImportJob } from '../../../../contracts/imports.js';
import type { Session, TestContext } from '../../../test/harness.js';

export function multipart(fileName: string, content: Buffer, field = 'file'): { payload: Buffer; contentType: string } {
  const boundary = `----truongso${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
      'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n',
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { payload: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

export type UploadQuery = { kind: 'students' | 'staff' | 'classes'; mode?: 'all_or_nothing' | 'valid_only'; year?: number };

/** Upload options beyond the kind/mode/year of the job. */
export type UploadOptions = { allowIdentityChanges?: boolean };

export function upload(ctx: TestContext, s: Session, schoolId: string, q: UploadQuery, fileName: string, file: Buffer, options: UploadOptions = {}) {
  const { payload, contentType } = multipart(fileName, file);
  const qs = new URLSearchParams({
    kind: q.kind,
    mode: q.mode ?? 'all_or_nothing',
    ...(q.year ? { year: String(q.year) } : {}),
    ...(options.allowIdentityChanges !== undefined ? { allowIdentityChanges: String(options.allowIdentityChanges) } : {}),
  });
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${schoolId}/imports?${qs}`,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': contentType },
    payload,
  });
}

const FINAL = new Set(['done', 'failed', 'rejected']);

export async function waitForJob(s: Session, schoolId: string, jobId: string, timeoutMs = 90_000): Promise<TImportJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await s.get(`/api/v1/schools/${schoolId}/imports/${jobId}`);
    if (res.statusCode !== 200) throw new Error(`poll ${res.statusCode} ${res.body}`);
    const job = res.json() as TImportJob;
    if (FINAL.has(job.status)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Upload and wait: returns the final job (asserting the upload was accepted with 202). */
export async function importFile(
  ctx: TestContext,
  s: Session,
  schoolId: string,
  q: UploadQuery,
  file: Buffer,
  fileName = 'danh-sach.xlsx',
  options: UploadOptions = {},
): Promise<TImportJob> {
  const res = await upload(ctx, s, schoolId, q, fileName, file, options);
  if (res.statusCode !== 202) throw new Error(`upload ${res.statusCode} ${res.body}`);
  return waitForJob(s, schoolId, (res.json() as TImportJob).id);
}
