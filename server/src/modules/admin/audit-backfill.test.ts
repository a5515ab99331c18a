import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { F } from '../../../test/fixture-ids.js';
import { setupTestApp } from '../../../test/harness.js';
import { newId } from '../../platform/ids.js';
import { projectPath } from '../../platform/project-root.js';

// Migration 0009 names the rows written before it (target_label was not stored then): from their
// own snapshots where those hold the name, else from today's tables; null when neither can.
// The migration ran on an empty log here, so its updates (all "where target_label is null") are
// run again over rows shaped as the old writers wrote them.
const ctx = await setupTestApp();
const { db, pool } = ctx.handle;

const backfill = readFileSync(projectPath('server', 'src', 'db', 'migrations', '0009_audit_target_label.sql'), 'utf8').replace(
  /alter table audit_log add column target_label text;/,
  '',
);

async function oldRow(entity: string, entityId: string | null, before: unknown, after: unknown): Promise<string> {
  const id = newId();
  await db
    .insertInto('audit_log')
    .values({
      id,
      action: 'x.old',
      entity,
      entity_id: entityId,
      org_unit_id: F.schoolA1,
      user_id: null,
      username: null,
      before: before === null ? null : JSON.stringify(before),
      after: after === null ? null : JSON.stringify(after),
      ip: null,
      target_label: null,
    })
    .execute();
  return id;
}

describe('migration 0009 backfills audit_log.target_label', () => {
  it('names old rows from their snapshots, else from the tables, and leaves null what cannot be named', async () => {
    const rows = {
      studentSnap: await oldRow('student', F.studentAn, { family_name: 'Nguyễn', middle_name: 'Văn', given_name: 'Anh', date_of_birth: '2014-03-02' }, { family_name: 'Nguyễn', middle_name: 'Văn', given_name: 'An' }),
      studentPartial: await oldRow('student', F.studentBinh, { address: 'cũ' }, { address: 'mới', importJobId: newId(), row: 3 }),
      studentGone: await oldRow('student', newId(), { address: 'cũ' }, { address: 'mới' }),
      classSnap: await oldRow('class', F.class6A1, null, { name: '6A9', year: 2024, grade: 6 }),
      classPartial: await oldRow('class', F.class6A2, { session: 'morning' }, { session: 'full_day' }),
      schoolYear: await oldRow('school_year', `${F.schoolA1}:2025`, null, { year: 2025 }),
      subject: await oldRow('school_subject', `${F.schoolA1}:2025:6:toan`, null, { year: 2025, grade: 6, subject_code: 'toan' }),
      assignment: await oldRow('teaching_assignment', newId(), null, { year: 2025, term: 2, class_id: F.class6A1, subject_code: 'ngu_van' }),
      unit: await oldRow('org_unit', F.schoolA1, null, { name: 'Trường THCS Lê Lợi (tên cũ)' }),
      job: await oldRow('import_job', newId(), null, { fileName: 'hoc-sinh.xlsx' }),
      account: await oldRow('app_user', F.users.principalA1, null, { username: 'ht.a1' }),
      grant: await oldRow('role_grant', newId(), null, { userId: F.users.homeroomA1, role: 'homeroom_teacher' }),
    };
    await pool.query(backfill);
    const labels = new Map((await db.selectFrom('audit_log').select(['id', 'target_label']).execute()).map((r) => [r.id, r.target_label]));
    expect(labels.get(rows.studentSnap)).toBe('Nguyễn Văn An');
    expect(labels.get(rows.studentPartial)).toBe('Đặng Thị Bình');
    expect(labels.get(rows.studentGone)).toBeNull();
    expect(labels.get(rows.classSnap)).toBe('6A9 (2024-2025)');
    expect(labels.get(rows.classPartial)).toBe('6A2 (2025-2026)');
    expect(labels.get(rows.schoolYear)).toBe('2025-2026');
    expect(labels.get(rows.subject)).toBe('Toán khối 6 (2025-2026)');
    expect(labels.get(rows.assignment)).toBe('Ngữ văn, lớp 6A1, học kì II 2025-2026');
    expect(labels.get(rows.unit)).toBe('Trường THCS Lê Lợi (tên cũ)');
    expect(labels.get(rows.job)).toBe('hoc-sinh.xlsx');
    expect(labels.get(rows.account)).toBe('Trần Văn Hùng (ht.a1)');
    expect(labels.get(rows.grant)).toBe('Lê Thị Hoa (gvcn.a1)');

    // The viewer: a row that could not be named says so, never an id.
    const page = (await (await ctx.as('principalA1')).get(`/api/v1/audit?unitId=${F.schoolA1}&entity=student&pageSize=50`)).json() as {
      items: { id: string; view: { target: string } }[];
    };
    expect(page.items.find((i) => i.id === rows.studentGone)?.view.target).toBe('Học sinh (không rõ tên)');
    expect(page.items.find((i) => i.id === rows.studentSnap)?.view.target).toBe('Học sinh Nguyễn Văn An');
  });
});
