import type pg from 'pg';
import type { DbHandle } from '../db/connection.js';
import { migrate, migrationFiles } from '../db/migrator.js';
import { loadReferenceData, REFERENCE_TABLES } from '../db/reference-data.js';
import { BackupError, type BackupHeader, readBackupFile } from './backup-file.js';
import { appliedMigrations, listTables, pinRenderingSettings, quoteIdent, summarizeTable, type TableInfo } from './catalog.js';

/** Rows per INSERT: one JSON parameter each, so memory stays bounded on big tables. */
const BATCH_ROWS = 1000;
const BATCH_CHARS = 4_000_000;

export type RestoreOptions = {
  /** Wipe the data already in the database (in the same transaction) instead of refusing. */
  replace?: boolean;
};

export type RestoreSummary = { tables: number; rows: number; migrationsAppliedAfter: string[]; ms: number };

/**
 * Restores a backup file into the configured database, all or nothing:
 * 1. reads the whole file once to check its structure and SHA-256 before touching the database;
 * 2. refuses a file made by a newer version of the app (unknown migrations);
 * 3. brings a database that has no tables yet to the backup's schema version;
 * 4. in ONE transaction: locks every table, refuses if there is data (unless `replace`), empties
 *    the tables, inserts the rows with user triggers off (the trigger-maintained counters are in
 *    the backup themselves), moves sequences past the restored values, then checks every table's
 *    row count and checksum against the header and rolls back on any difference;
 * 5. applies the migrations added since the backup was made.
 */
export async function restoreBackup(handle: DbHandle, file: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const started = Date.now();
  const header = await verifyFile(file);

  const known = migrationFiles();
  const unknown = header.migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    throw new BackupError(
      `Tệp sao lưu được tạo bởi phiên bản Trường Số mới hơn (cấu trúc CSDL ${header.migrations.at(-1)}; phần mềm này chỉ biết đến ${known.at(-1)}). Hãy cập nhật Trường Số rồi khôi phục lại.`,
    );
  }
  if (header.migrations.some((m, i) => known[i] !== m)) {
    throw new BackupError('Danh sách cấu trúc CSDL trong tệp sao lưu không khớp với phần mềm này: không khôi phục được.');
  }

  let applied = await withClient(handle.pool, appliedMigrations);
  if (applied.length === 0) {
    const foreign = await withClient(handle.pool, listTables);
    if (foreign.length > 0) {
      throw new BackupError(
        `CSDL đích có bảng không thuộc Trường Số (${foreign.map((t) => t.name).join(', ')}): hãy khôi phục vào một CSDL trống.`,
      );
    }
    await migrate(handle.pool, { upTo: header.migrations.at(-1) });
    applied = await withClient(handle.pool, appliedMigrations);
  }
  if (applied.join() !== header.migrations.join()) {
    throw new BackupError(
      `CSDL đích có cấu trúc ${applied.at(-1)}, tệp sao lưu có cấu trúc ${header.migrations.at(-1)}. ` +
        'Hãy khôi phục vào một CSDL mới chưa có bảng (DATA_DIR mới, hoặc CSDL PostgreSQL trống): cấu trúc sẽ được tạo theo tệp rồi tự nâng cấp.',
    );
  }

  const rows = await withClient(handle.pool, async (client) => {
    await client.query('begin');
    try {
      const n = await loadRows(client, file, header, options);
      await client.query('commit');
      return n;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  });

  const migrationsAppliedAfter = await migrate(handle.pool);
  await loadReferenceData(handle.db);
  return { tables: header.tables.length, rows, migrationsAppliedAfter, ms: Date.now() - started };
}

/** First pass: the whole file must be intact before anything is written. */
async function verifyFile(file: string): Promise<BackupHeader> {
  let header: BackupHeader | undefined;
  const reader = readBackupFile(file);
  for (;;) {
    const next = await reader.next();
    if (next.done) break;
    if (next.value.kind === 'header') header = next.value.header;
  }
  if (!header) throw new BackupError('Tệp sao lưu không có phần đầu: tệp hỏng.');
  return header;
}

async function loadRows(client: pg.PoolClient, file: string, header: BackupHeader, options: RestoreOptions): Promise<number> {
  await pinRenderingSettings(client);
  const tables = await listTables(client);
  checkSameTables(tables, header);
  const names = tables.map((t) => quoteIdent(t.name));
  // Nobody else may read a half-restored database or write into it meanwhile.
  await client.query(`lock table ${names.join(', ')} in access exclusive mode`);

  const withData: string[] = [];
  for (const t of tables) {
    if (REFERENCE_TABLES.includes(t.name)) continue; // loaded by migrate; the backup's copy replaces it
    const res = await client.query(`select 1 from ${quoteIdent(t.name)} limit 1`);
    if (res.rowCount) withData.push(t.name);
  }
  if (withData.length > 0 && !options.replace) {
    throw new BackupError(
      `CSDL đích đã có dữ liệu (bảng ${withData.join(', ')}). Chỉ khôi phục vào CSDL trống (DATA_DIR mới, hoặc CSDL PostgreSQL trống), ` +
        'hoặc thêm --replace để xoá toàn bộ dữ liệu hiện có và thay bằng bản sao lưu.',
    );
  }
  await client.query(`truncate ${names.join(', ')}`);
  // User triggers (data_version counters) would count the restored rows again; the counters'
  // own rows come from the backup. ALTER TABLE needs only table ownership, not superuser.
  for (const n of names) await client.query(`alter table ${n} disable trigger user`);

  const byName = new Map(tables.map((t) => [t.name, t]));
  let insert = '';
  let batch: string[] = [];
  let batchChars = 0;
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await client.query(insert, [`[${batch.join(',')}]`]);
    total += batch.length;
    batch = [];
    batchChars = 0;
  };
  // Second pass: the reader checks the SHA-256 again, so a file changed since the first pass
  // still cannot commit.
  for await (const line of readBackupFile(file)) {
    if (line.kind === 'table') {
      await flush();
      const target = byName.get(line.name);
      const declared = header.tables.find((h) => h.name === line.name);
      // checkSameTables() compared both lists before this pass; a name missing here is a changed file.
      if (!target || !declared) throw new BackupError(`Bảng ${line.name} trong tệp sao lưu không có trong CSDL đích: cấu trúc không khớp.`);
      insert = insertStatement(target, declared.columns);
    } else if (line.kind === 'row') {
      batch.push(line.json);
      batchChars += line.json.length;
      if (batch.length >= BATCH_ROWS || batchChars >= BATCH_CHARS) await flush();
    }
  }
  await flush();

  for (const t of tables) {
    for (const s of t.sequences) {
      await client.query(
        `select setval($1::regclass, coalesce((select max(${quoteIdent(s.column)}) from ${quoteIdent(t.name)}), 0) + 1, false)`,
        [s.sequence],
      );
    }
  }
  for (const n of names) await client.query(`alter table ${n} enable trigger user`);

  for (const expected of header.tables) {
    const got = await summarizeTable(client, expected.name, expected.columns);
    if (got.rows !== expected.rows || got.checksum !== expected.checksum) {
      throw new BackupError(
        `Kiểm tra sau khôi phục thất bại ở bảng ${expected.name} (${got.rows} dòng, tệp ghi ${expected.rows}; mã kiểm tra ${got.checksum === expected.checksum ? 'khớp' : 'không khớp'}). Đã huỷ, CSDL không thay đổi.`,
      );
    }
  }
  return total;
}

/**
 * One INSERT per batch: the batch is a JSON array of rows, each an array of text forms in the
 * file's column order, cast back to the column types of this database.
 */
function insertStatement(table: TableInfo, fileColumns: string[]): string {
  const values = table.columns.map((c, i) => `(r->>${fileColumns.indexOf(c)})::${table.types[i]}`);
  return `insert into ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')})
    ${table.identityAlways ? 'overriding system value' : ''}
    select ${values.join(', ')} from json_array_elements($1::json) r`;
}

function checkSameTables(tables: TableInfo[], header: BackupHeader): void {
  const inDb = new Map(tables.map((t) => [t.name, t]));
  for (const h of header.tables) {
    const t = inDb.get(h.name);
    if (!t) throw new BackupError(`CSDL đích không có bảng ${h.name} như trong tệp sao lưu: cấu trúc không khớp.`);
    if ([...t.columns].sort().join() !== [...h.columns].sort().join()) {
      throw new BackupError(`Bảng ${h.name} trong CSDL đích có các cột khác với tệp sao lưu: cấu trúc không khớp.`);
    }
  }
  const extra = tables.filter((t) => !header.tables.some((h) => h.name === t.name)).map((t) => t.name);
  if (extra.length > 0) throw new BackupError(`CSDL đích có bảng không có trong tệp sao lưu (${extra.join(', ')}): cấu trúc không khớp.`);
}

async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}
