/**
 * Times a large student import phase by phase, against a raw ExcelJS streaming parse of the
 * same file as the baseline. Used by the benchmark; also runnable on its own:
 *
 *   npx tsx server/src/modules/imports/measure-import.ts [rows=20000]            # PGlite
 *   DATABASE_URL=postgres://… npx tsx server/src/modules/imports/measure-import.ts  # PostgreSQL
 *
 * On PostgreSQL it creates and drops a scratch database next to the one in DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { makeStudentWorkbook } from '../../../../bench/fixtures/make-student-xlsx.js';
import { isoToday } from '../../../../domain/index.js';
import { type DbHandle, openDb } from '../../db/connection.js';
import { migrate } from '../../db/migrator.js';
import { loadReferenceData } from '../../db/reference-data.js';
import { newId } from '../../platform/ids.js';
import { loadClasses, loadCodeList } from './imports.repo.js';
import { ImportQueue, acceptUpload, getJob } from './imports.service.js';
import { loadStudentSnapshot } from './student-import.repo.js';
import { parseStudentWorkbook, planStudentImport, validateStudentRows } from './student-import.js';
import { checkXlsxArchive } from './zip-guard.js';

export type ImportTimings = {
  engine: string;
  rows: number;
  fileBytes: number;
  rawExcelJsMs: number;
  zipCheckMs: number;
  parseMs: number;
  validateMs: number;
  planMs: number;
  endToEndCreateMs: number;
  endToEndUpdateMs: number;
};

const ms = (t0: number) => Math.round(performance.now() - t0);

async function rawParse(buf: Buffer): Promise<number> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  let n = 0;
  for await (const sheet of reader as unknown as AsyncIterable<AsyncIterable<{ values: unknown }>>) {
    for await (const row of sheet) {
      if (row.values) n++;
    }
  }
  return n;
}

/** A school with 40 classes (grades 6–9, 10 each) for year 2025. */
async function seedSchool(handle: DbHandle): Promise<{ schoolId: string; classNames: string[] }> {
  const db = handle.db;
  const schoolId = newId();
  await db.insertInto('org_unit').values({ id: schoolId, kind: 'school', code: `B${randomBytes(3).toString('hex')}` }).execute();
  await db
    .insertInto('org_unit_version')
    .values({ unit_id: schoolId, valid_from: '2020-01-01', valid_to: null, parent_id: null, name: 'Trường đo thời gian', school_levels: ['lower_secondary'], ownership: 'public', area: null, province_code: null, address: null, change_reason: null })
    .execute();
  await db.insertInto('school_year').values({ school_id: schoolId, year: 2025, term1_start: '2025-09-05', term1_end: '2026-01-15', term2_start: '2026-01-19', term2_end: '2026-05-31' }).execute();
  const classNames: string[] = [];
  for (const grade of [6, 7, 8, 9]) for (let i = 1; i <= 10; i++) classNames.push(`${grade}A${i}`);
  await db
    .insertInto('class')
    .values(classNames.map((name) => ({ school_id: schoolId, id: newId(), year: 2025, name, grade: Number(name[0]), age_group: null, site_id: null, homeroom_teacher_id: null })))
    .execute();
  return { schoolId, classNames };
}

export async function measureStudentImport(options: { rows?: number; databaseUrl?: string } = {}): Promise<ImportTimings> {
  const rows = options.rows ?? 20_000;
  let handle: DbHandle;
  let cleanup = async () => undefined as void;
  if (options.databaseUrl) {
    const name = `ts_bench_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(options.databaseUrl);
    u.pathname = `/${name}`;
    handle = await openDb({ databaseUrl: u.toString(), poolSize: 5 });
    cleanup = async () => {
      const c = new pg.Client({ connectionString: options.databaseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else {
    handle = await openDb();
  }
  try {
    await migrate(handle.pool);
    await loadReferenceData(handle.db);
    const { schoolId, classNames } = await seedSchool(handle);
    const file = await makeStudentWorkbook({ rows, classNames, layout: 'sector', firstLearnerId: 300000001, seed: 42 });

    let t = performance.now();
    await rawParse(file);
    const rawExcelJsMs = ms(t);

    t = performance.now();
    const zip = await checkXlsxArchive(file);
    const zipCheckMs = ms(t);
    if (!zip.ok) throw new Error(zip.detail);

    t = performance.now();
    const sheet = await parseStudentWorkbook(file);
    const parseMs = ms(t);
    if (!sheet.ok) throw new Error(sheet.message);

    const classes = (await loadClasses(handle.db, schoolId)).filter((c) => c.year === 2025);
    const ethnicities = await loadCodeList(handle.db, 'DM_DAN_TOC');
    const statuses = await loadCodeList(handle.db, 'DM_TRANG_THAI_HOC_SINH');
    t = performance.now();
    const { candidates, issues } = validateStudentRows(sheet, { year: 2025, today: isoToday(), classes, ethnicities, statuses });
    const validateMs = ms(t);
    if (issues.some((i) => i.severity === 'error')) throw new Error(JSON.stringify(issues.slice(0, 3)));

    t = performance.now();
    const snap = await loadStudentSnapshot(handle.db, schoolId, candidates);
    planStudentImport(candidates, snap, { statusDate: '2025-09-05', headers: { learnerId: 'Mã định danh', citizenId: 'CCCD', name: 'Họ tên' } });
    const planMs = ms(t);

    // End to end as the upload route runs it: archive checks, job row, queue, parse, validate, write.
    const queue = new ImportQueue({ db: handle.db, engine: handle.engine });
    const run = async () => {
      const t0 = performance.now();
      const job = await acceptUpload(handle.db, queue, { schoolId, kind: 'students', mode: 'all_or_nothing', year: 2025, fileName: 'bench.xlsx', file, actor: null, ip: null });
      for (;;) {
        const j = await getJob(handle.db, schoolId, job.id);
        if (j.status === 'done' || j.status === 'failed' || j.status === 'rejected') {
          if (j.status !== 'done') throw new Error(`${j.status}: ${j.message} ${JSON.stringify(j.errors.slice(0, 3))}`);
          return { ms: ms(t0), job: j };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const created = await run();
    if (created.job.createdRows !== rows) throw new Error(`created ${created.job.createdRows}`);
    const updated = await run();
    if (updated.job.updatedRows !== rows) throw new Error(`updated ${updated.job.updatedRows}`);
    await queue.close();
    return {
      engine: handle.engine,
      rows,
      fileBytes: file.length,
      rawExcelJsMs,
      zipCheckMs,
      parseMs,
      validateMs,
      planMs,
      endToEndCreateMs: created.ms,
      endToEndUpdateMs: updated.ms,
    };
  } finally {
    await handle.close();
    await cleanup();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = Number(process.argv[2] ?? 20_000);
  measureStudentImport({ rows, databaseUrl: process.env.DATABASE_URL || undefined })
    .then((t) => {
      console.log(JSON.stringify(t, null, 2));
      console.log(`parse vs raw ExcelJS: ${(t.parseMs / t.rawExcelJsMs).toFixed(2)}×`);
    })
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
