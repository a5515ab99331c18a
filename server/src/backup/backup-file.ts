import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { DbEngine } from '../db/connection.js';

/**
 * The backup file: gzip'd UTF-8 text, one JSON value per line.
 *   line 1             header (BackupHeader)
 *   {"table":"name"}   starts a table; its rows follow, one JSON array per line: each column's
 *                      PostgreSQL text form (or null) in the header's column order
 *   {"end":{…}}        last line: SHA-256 of every byte before it, so truncation or corruption
 *                      anywhere is caught before the database is touched.
 * Text forms, not JSON values, because they round-trip every type exactly (a jsonb 'null' stays
 * distinct from SQL NULL, numeric keeps its digits, timestamps their microseconds).
 * Engine-independent: the same file restores into PGlite or PostgreSQL.
 */
export const BACKUP_FORMAT = 'truong-so-backup';
export const BACKUP_FORMAT_VERSION = 1;

export type BackupTable = { name: string; columns: string[]; rows: number; checksum: string };

export type BackupHeader = {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  /** Migrations applied in the source database, in order: the app's schema version. */
  migrations: string[];
  createdAt: string;
  sourceEngine: DbEngine;
  /** In restore order (parents before children), with row counts and checksums from the snapshot. */
  tables: BackupTable[];
};

export type BackupTrailer = { sha256: string; rows: number };

/** A refusal meant for the person at the terminal: the message says what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

export type BackupLine =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; name: string }
  | { kind: 'row'; json: string };

const corrupt = (why: string) =>
  new BackupError(`Tệp sao lưu bị hỏng hoặc không đầy đủ (${why}). Không có dữ liệu nào được ghi; hãy dùng một bản sao lưu khác.`);

/**
 * Reads a backup file line by line with bounded memory, checking its structure as it goes and the
 * SHA-256 in the last line at the end. A caller writing rows must keep them uncommitted until
 * the generator has finished without throwing.
 */
export async function* readBackupFile(file: string): AsyncGenerator<BackupLine, BackupTrailer> {
  const hash = createHash('sha256');
  // pipeline() destroys the gunzip stream with any read or zlib error, so iterating it throws.
  const gunzip = pipeline(createReadStream(file), createGunzip(), () => undefined);
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  let tableIndex = -1;
  let rowsInTable = 0;
  let totalRows = 0;
  const endTable = () => {
    if (!header || tableIndex < 0) return;
    const expected = header.tables[tableIndex];
    if (rowsInTable !== expected.rows) throw corrupt(`bảng ${expected.name} có ${rowsInTable} dòng, phần đầu tệp ghi ${expected.rows}`);
  };
  try {
    for await (const line of splitLines(gunzip)) {
      if (trailer) throw corrupt('có dữ liệu sau dòng kết thúc');
      if (!header) {
        header = parseHeader(line);
        hash.update(`${line}\n`);
        yield { kind: 'header', header };
        continue;
      }
      if (line.startsWith('[')) {
        if (tableIndex < 0) throw corrupt('dòng dữ liệu nằm ngoài bảng');
        hash.update(`${line}\n`);
        rowsInTable++;
        totalRows++;
        yield { kind: 'row', json: line };
        continue;
      }
      const control = parseJson(line) as { table?: unknown; end?: BackupTrailer } | null;
      if (typeof control?.table === 'string') {
        endTable();
        tableIndex++;
        rowsInTable = 0;
        if (header.tables[tableIndex]?.name !== control.table) throw corrupt(`bảng ${control.table} không đúng thứ tự ghi ở phần đầu tệp`);
        hash.update(`${line}\n`);
        yield { kind: 'table', name: control.table };
      } else if (typeof control?.end === 'object' && control.end !== null) {
        endTable();
        if (tableIndex !== header.tables.length - 1) throw corrupt('thiếu bảng');
        trailer = control.end;
        if (trailer.sha256 !== hash.digest('hex')) throw corrupt('mã kiểm tra SHA-256 không khớp');
        if (trailer.rows !== totalRows) throw corrupt('số dòng không khớp');
      } else {
        throw corrupt('dòng không đọc được');
      }
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`Không tìm thấy tệp sao lưu: ${file}`);
    // zlib: "unexpected end of file" (truncated), "incorrect header check" (not a gzip file) …
    throw corrupt((err as Error).message);
  } finally {
    gunzip.destroy();
  }
  if (!header) throw corrupt('tệp rỗng');
  if (!trailer) throw corrupt('thiếu dòng kết thúc, tệp có thể bị cắt ngang');
  return trailer;
}

async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const parts = (rest + decoder.write(chunk)).split('\n');
    // split() returns at least one part: the text after the last newline (maybe '').
    rest = parts.pop() ?? '';
    yield* parts;
  }
  rest += decoder.end();
  // The writer ends every line with \n: anything left over is a cut-off line, reported as such.
  if (rest !== '') yield rest;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw corrupt('dòng không phải JSON');
  }
}

function parseHeader(line: string): BackupHeader {
  const h = parseJson(line) as Partial<BackupHeader> | null;
  if (!h || typeof h !== 'object' || h.format !== BACKUP_FORMAT) {
    throw new BackupError('Đây không phải tệp sao lưu Trường Số (thiếu phần đầu "truong-so-backup").');
  }
  if (typeof h.formatVersion !== 'number' || h.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      `Tệp sao lưu dùng định dạng phiên bản ${String(h.formatVersion)}, mới hơn phần mềm này (${BACKUP_FORMAT_VERSION}). Hãy cập nhật Trường Số rồi khôi phục lại.`,
    );
  }
  if (!Array.isArray(h.migrations) || !Array.isArray(h.tables)) throw corrupt('phần đầu tệp thiếu thông tin');
  return h as BackupHeader;
}
