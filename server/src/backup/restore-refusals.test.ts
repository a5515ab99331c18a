import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import type { DbHandle } from '../db/connection.js';
import { migrate } from '../db/migrator.js';
import { loadReferenceData, REFERENCE_TABLES } from '../db/reference-data.js';
import { createBackup } from './backup.js';
import { BackupError, type BackupHeader } from './backup-file.js';
import { emptyDb, rewriteBackup, tempDir } from './backup.test-helpers.js';
import { appliedMigrations, summarizeDatabase } from './catalog.js';
import { restoreBackup } from './restore.js';

const dir = tempDir();
const good = path.join(dir, 'good.tsbak');
let source: DbHandle;
/** Never migrated: refusals of a bad file must leave it that way (one database, several tests). */
let untouched: DbHandle;
const open: DbHandle[] = [];
const track = (h: DbHandle): DbHandle => (open.push(h), h);

beforeAll(async () => {
  source = track(await freshDb());
  untouched = track(await emptyDb());
  await createBackup(source, good);
});
afterAll(async () => {
  for (const h of open) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

async function migrationsOf(handle: DbHandle): Promise<string[]> {
  const client = await handle.pool.connect();
  try {
    return await appliedMigrations(client);
  } finally {
    client.release();
  }
}

/** Rows outside the reference tables: 0 means nothing of the backup was written. */
async function dataRows(handle: DbHandle): Promise<number> {
  const all = await summarizeDatabase(handle.pool);
  return Object.entries(all)
    .filter(([name]) => !REFERENCE_TABLES.includes(name))
    .reduce((n, [, t]) => n + t.rows, 0);
}

async function expectRefused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackupError);
  expect((err as Error).message).toMatch(message);
}

describe('restore refuses', () => {
  it('a database that already has data, changing nothing; --replace swaps it for the backup in one go', async () => {
    const target = track(await freshDb());
    await sql`delete from guardian`.execute(target.db);
    await sql`update student set address = 'đã sửa' where id = ${F.studentAn}`.execute(target.db);
    const before = await summarizeDatabase(target.pool);
    await expectRefused(restoreBackup(target, good), /CSDL đích đã có dữ liệu \(bảng .*student.*\).*--replace/);
    expect(await summarizeDatabase(target.pool)).toEqual(before);

    await restoreBackup(target, good, { replace: true });
    expect(await summarizeDatabase(target.pool)).toEqual(await summarizeDatabase(source.pool));
  });

  it('a truncated file, before creating anything in the database', async () => {
    const bytes = readFileSync(good);
    const cut = path.join(dir, 'cut.tsbak');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const target = untouched;
    await expectRefused(restoreBackup(target, cut), /Tệp sao lưu bị hỏng hoặc không đầy đủ/);
    expect(await migrationsOf(target)).toEqual([]);
  });

  it('a file whose content was changed (SHA-256 mismatch) or whose compressed bytes were damaged', async () => {
    const text = gunzipSync(readFileSync(good)).toString('utf8');
    const changed = path.join(dir, 'changed.tsbak');
    writeFileSync(changed, gzipSync(text.replace('Nguyễn', 'Nguyen')));
    const target = untouched;
    await expectRefused(restoreBackup(target, changed), /mã kiểm tra SHA-256 không khớp/);

    const damaged = Buffer.from(readFileSync(good));
    damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
    const broken = path.join(dir, 'broken.tsbak');
    writeFileSync(broken, damaged);
    await expectRefused(restoreBackup(target, broken), /Tệp sao lưu bị hỏng hoặc không đầy đủ/);
    expect(await migrationsOf(target)).toEqual([]);
  });

  it('rows that do not match the header checksums: everything rolls back, reference data included', async () => {
    // A consistent file (valid SHA-256) whose student rows differ from what the header promises.
    const forged = path.join(dir, 'forged.tsbak');
    rewriteBackup(good, forged, (lines) => lines.map((l) => (l.startsWith('[') ? l.replace('Nguyễn', 'Nguyên') : l)));
    const target = track(await emptyDb());
    await migrate(target.pool);
    await loadReferenceData(target.db);
    const before = await summarizeDatabase(target.pool);
    await expectRefused(restoreBackup(target, forged), /Kiểm tra sau khôi phục thất bại ở bảng \w+ .*mã kiểm tra không khớp.*CSDL không thay đổi/);
    expect(await summarizeDatabase(target.pool)).toEqual(before);
    expect(await dataRows(target)).toBe(0);
  });

  it('a file made by a newer version (unknown migration), with a message saying to update', async () => {
    const newer = path.join(dir, 'newer.tsbak');
    rewriteBackup(good, newer, ([head, ...rest]) => {
      const h = JSON.parse(head!) as BackupHeader;
      h.migrations.push('9999_future.sql');
      return [JSON.stringify(h), ...rest];
    });
    const target = untouched;
    await expectRefused(restoreBackup(target, newer), /phiên bản Trường Số mới hơn \(cấu trúc CSDL 9999_future\.sql.*Hãy cập nhật Trường Số/);
    expect(await migrationsOf(target)).toEqual([]);
  });

  it('an older backup into a database already migrated further, pointing to a new database instead', async () => {
    const older = path.join(dir, 'older.tsbak');
    rewriteBackup(good, older, ([head, ...rest]) => {
      const h = JSON.parse(head!) as BackupHeader;
      h.migrations.pop();
      return [JSON.stringify(h), ...rest];
    });
    const target = track(await emptyDb());
    await migrate(target.pool);
    await expectRefused(restoreBackup(target, older), /CSDL đích có cấu trúc .*khôi phục vào một CSDL mới chưa có bảng/);
    expect(await dataRows(target)).toBe(0);
  });

  it("a database holding another application's tables, without creating ours", async () => {
    const target = track(await emptyDb());
    await sql`create table hoa_don (id int primary key)`.execute(target.db);
    await expectRefused(restoreBackup(target, good), /CSDL đích có bảng không thuộc Trường Số \(hoa_don\)/);
    expect(await migrationsOf(target)).toEqual([]);
    expect(Object.keys(await summarizeDatabase(target.pool))).toEqual(['hoa_don']);
  });

  it('a file that is not a Trường Số backup, and a missing file', async () => {
    const other = path.join(dir, 'other.gz');
    writeFileSync(other, gzipSync('{"hello":"world"}\n'));
    const target = untouched;
    await expectRefused(restoreBackup(target, other), /không phải tệp sao lưu Trường Số/);
    await expectRefused(restoreBackup(target, path.join(dir, 'nope.tsbak')), /Không tìm thấy tệp sao lưu/);
    expect(await migrationsOf(target)).toEqual([]);
  });
});
