import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

/** One uploaded file with the text fields sent beside it. */
export type Upload = { file: Buffer; fileName: string | undefined; fields: Record<string, string> };

/**
 * The one reading of a multipart upload for every route that takes a file (the imports, the
 * gradebook import, the signed học bạ's certificate): 415 `multipart_required` when the request is
 * not multipart, the file of `field` read whole (other files drained and dropped), the text fields
 * by name, and `missing` when no file came in `field`.
 *
 * Size: @fastify/multipart enforces `fileSize` (appConfig.maxUploadBytes) only while the stream
 * is read, so toBuffer() throws FST_REQ_FILE_TOO_LARGE, answered 413 by the error handler; a file
 * that ended truncated all the same is refused with 413 here. The app's limits allow one file and
 * ten short fields per request.
 */
export async function readUpload(
  req: FastifyRequest,
  opts: { field: string; notMultipart: string; missing: { code: string; detail: string } },
): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError(415, 'multipart_required', opts.notMultipart);
  let file: Buffer | null = null;
  let fileName: string | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const body = await part.toBuffer();
      if (part.file.truncated) throw new AppError(413, 'payload_too_large', 'Tệp quá lớn.');
      if (part.fieldname === opts.field && file === null) {
        file = body;
        fileName = part.filename;
      }
    } else if (typeof part.value === 'string' || typeof part.value === 'number' || typeof part.value === 'boolean') {
      fields[part.fieldname] = String(part.value);
    }
  }
  if (!file) throw new AppError(400, opts.missing.code, opts.missing.detail);
  return { file, fileName, fields };
}
