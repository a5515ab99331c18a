import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DbHandle } from '../db/connection.js';
import { BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupError, type BackupHeader } from './backup-file.js';
import { appliedMigrations, listTables, pinRenderingSettings, quoteIdent, summarizeTable } from './catalog.js';

/** Rows fetched from the cursor at a time: memory stays bounded whatever the table size. */
const FETCH_ROWS = 2000;

export type BackupSummary = { file: string; bytes: number; tables: number; rows: number; ms: number };

/**
 * Writes a logical backup of the whole database to `file` (see backup-file.ts for the format).
 * Everything is read in one REPEATABLE READ, READ ONLY transaction, so counts, checksums and rows
 * come from the same snapshot while the app keeps running (PostgreSQL). The file appears under
 * its name only when complete: it is written beside it and renamed at the end.
 */
export async function createBackup(handle: DbHandle, file: string): Promise<BackupSummary> {
  const started = Date.now();
  const partial = `${file}.partial`;
  const gzip = createGzip({ level: 6 });
  // Personal data of children and password hashes: readable by the owner only.
  const written = pipeline(gzip, createWriteStream(partial, { mode: 0o600 }));
  const hash = createHash('sha256');
  const writeLine = async (line: string, hashed = true) => {
    const text = `${line}\n`;
    if (hashed) hash.update(text);
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  const client = await handle.pool.connect();
  let totalRows = 0;
  let tableCount = 0;
  try {
    await client.query('begin isolation level repeatable read read only');
    await pinRenderingSettings(client);
    const migrations = await appliedMigrations(client);
    if (migrations.length === 0) throw new BackupError('CSDL chưa được tạo bảng (chưa chạy migrate): không có gì để sao lưu.');
    const tables = await listTables(client);
    const header: BackupHeader = {
      format: BACKUP_FORMAT,
      formatVersion: BACKUP_FORMAT_VERSION,
      migrations,
      createdAt: new Date().toISOString(),
      sourceEngine: handle.engine,
      tables: [],
    };
    for (const t of tables) header.tables.push({ name: t.name, columns: t.columns, ...(await summarizeTable(client, t.name, t.columns)) });
    await writeLine(JSON.stringify(header));
    for (const t of tables) {
      await writeLine(JSON.stringify({ table: t.name }));
      const texts = t.columns.map((c) => `${quoteIdent(c)}::text`).join(', ');
      await client.query(`declare backup_rows no scroll cursor for select to_json(array[${texts}])::text as j from ${quoteIdent(t.name)}`);
      for (;;) {
        const batch = await client.query<{ j: string }>(`fetch ${FETCH_ROWS} from backup_rows`);
        for (const r of batch.rows) await writeLine(r.j);
        totalRows += batch.rows.length;
        if (batch.rows.length < FETCH_ROWS) break;
      }
      await client.query('close backup_rows');
      tableCount++;
    }
    await client.query('commit');
    const trailer = { sha256: hash.digest('hex'), rows: totalRows };
    await writeLine(JSON.stringify({ end: trailer }), false); // the hash covers every line before this one
    gzip.end();
    await written;
    await rename(partial, file);
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    gzip.destroy();
    await written.catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  } finally {
    client.release();
  }
  return { file, bytes: (await stat(file)).size, tables: tableCount, rows: totalRows, ms: Date.now() - started };
}
