import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { F } from '../../test/fixture-ids.js';
import { freshDb } from '../../test/harness.js';
import type { DbHandle } from '../db/connection.js';
import { migrate, migrationFiles } from '../db/migrator.js';
import { loadReferenceData } from '../db/reference-data.js';
import { createBackup } from './backup.js';
import type { BackupHeader } from './backup-file.js';
import { emptyDb, emptyPostgres, expectAppWorks, fixturePglite, pgUrl, tempDir } from './backup.test-helpers.js';
import { MIGRATION_TABLE, summarizeDatabase } from './catalog.js';
import { restoreBackup } from './restore.js';
import { dataVersion } from '../platform/data-version.repo.js';

const dir = tempDir();
const open: DbHandle[] = [];
const track = <T extends DbHandle>(h: T): T => (open.push(h), h);
afterAll(async () => {
  for (const h of open) await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every table the catalog lists on both sides, with equal row counts and checksums. */
async function expectSameData(source: DbHandle, target: DbHandle): Promise<void> {
  const a = await summarizeDatabase(source.pool);
  const b = await summarizeDatabase(target.pool);
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  expect(b).toEqual(a);
}

const engine = pgUrl ? 'PostgreSQL' : 'PGlite';

describe(`backup and restore on ${engine}`, () => {
  it('round-trips the fixture province into a never-migrated database: same rows and checksums in every table, the app works', async () => {
    const source = track(await freshDb());
    // Something in the trigger-maintained counters and in jsonb, so both are compared.
    await sql`update student set address = 'Số 1, ngõ "Hoà Bình"\n(tầng 2)' where id = ${F.studentAn}`.execute(source.db);
    await sql`insert into audit_log (id, user_id, action, entity, before, after)
              values ('00000000-0000-7000-8000-00000000a001', ${F.users.admin}, 'test.edit', 'student', '{"a": [1, 2.50, null]}', '{"b": "Ơ ư \\"x\\""}')`.execute(
      source.db,
    );
    const file = path.join(dir, 'fixture.tsbak');
    const summary = await createBackup(source, file);
    const sourceData = await summarizeDatabase(source.pool);
    const totalRows = Object.values(sourceData).reduce((n, t) => n + t.rows, 0);
    expect(summary.rows).toBe(totalRows);
    expect(sourceData.data_version!.rows).toBeGreaterThan(0);

    const header = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8').split('\n')[0]!) as BackupHeader;
    expect(header.migrations).toEqual(migrationFiles());
    expect(header.sourceEngine).toBe(source.engine);
    expect(header.tables.map((t) => t.name)).not.toContain(MIGRATION_TABLE);
    // Parents come before children, so rows insert in file order.
    const order = header.tables.map((t) => t.name);
    expect(order.indexOf('org_unit')).toBeLessThan(order.indexOf('student'));
    expect(order.indexOf('student')).toBeLessThan(order.indexOf('guardian'));

    const target = track(await emptyDb());
    const restored = await restoreBackup(target, file);
    expect(restored.rows).toBe(totalRows);
    await expectSameData(source, target);
    await expectAppWorks(target);
  });

  it('restores identity columns, unusual types and tables added after this code was written; sequences and triggers work afterwards', async () => {
    // A table no migration knows, on both sides: backup and restore find tables in the catalog.
    const probe = sql`create table backup_probe (
      id bigint generated always as identity primary key,
      note text, tags text[], doc jsonb, amount numeric, ratio double precision, raw bytea,
      at timestamptz, span interval, day date, twice bigint generated always as (id * 2) stored)`;
    const source = track(await freshDb());
    await probe.execute(source.db);
    await sql`insert into backup_probe (note, tags, doc, amount, ratio, raw, at, span, day) values
      ('Nguyễn Thị Ánh\ttab', '{"a,b","c\\"d",NULL}', '{"k": {"n": 1e3}}', 123456789012345678901234.5678, 0.1, '\\x00ff10', '2025-09-05 07:30:00.123456+07', '1 year 2 days 03:04:05', '2025-01-31'),
      (null, '{}', 'null', 'NaN', '-Infinity', '', '1970-01-01 00:00:00+00', '-1 hour', null),
      ('x', null, '[]', 0, 1e-300, null, null, null, '0001-01-01')`.execute(source.db);
    await sql`delete from backup_probe where note = 'x'`.execute(source.db); // a gap: max(id) = 2, sequence at 3
    const file = path.join(dir, 'probe.tsbak');
    await createBackup(source, file);

    const target = track(await emptyDb());
    await migrate(target.pool);
    await loadReferenceData(target.db);
    await probe.execute(target.db);
    await restoreBackup(target, file);
    await expectSameData(source, target);

    const next = await sql<{ id: number; twice: number }>`insert into backup_probe (note) values ('mới') returning id, twice`.execute(target.db);
    expect(next.rows[0]).toEqual({ id: 3, twice: 6 });
    // Triggers are back on: a new student bumps its school's data_version.
    const version = () => dataVersion(target.db, `school:${F.schoolA1}`);
    const before = await version();
    await sql`update student set address = 'mới' where id = ${F.studentBinh}`.execute(target.db);
    expect(await version()).toBe(before + 1);
  });
});

// Only in the PostgreSQL run (npm test runs once per engine); the PGlite run covers PGlite → PGlite above.
if (pgUrl) describe('moving a school from the laptop: PGlite → PostgreSQL', () => {
  it('restores a PGlite backup into an empty PostgreSQL database: same rows and checksums, the app works', async () => {
    const source = track(await fixturePglite());
    const file = path.join(dir, 'laptop.tsbak');
    await createBackup(source, file);
    const target = track(await emptyPostgres(pgUrl!));
    await restoreBackup(target, file);
    await expectSameData(source, target);
    await expectAppWorks(target);
  });
});
