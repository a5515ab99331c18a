/**
 * Class list import for one school year: Tên lớp, Khối, Buổi, Lớp ghép, GVCN. Classes are
 * matched by (year, name) for updates; the homeroom teacher is found by full name among the
 * school's active staff and must be unique ("Tên (Mã cán bộ)" disambiguates).
 */
import { normalizeNameText, schoolYearLabel, searchFold } from '../../../../domain/index.js';
import type { ClassSession } from '../../db/schema.js';
import type { AuditAction } from '../../platform/audit-actions.js';
import { classLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, bulkInsert } from './imports.repo.js';
import {
  type FieldSpec,
  type ImportIssue,
  type ParseFailure,
  type ParsedSheet,
  type SheetSpec,
  classKey,
  foldKey,
  parseGrade,
  parseSheet,
  parseYesNo,
  rowReaders,
} from './sheet-columns.js';

export type ClassField = 'stt' | 'name' | 'grade' | 'session' | 'multiGrade' | 'homeroom';

export const CLASS_FIELDS: FieldSpec<ClassField>[] = [
  { field: 'stt', label: 'STT', aliases: ['stt', 'tt'] },
  { field: 'name', label: 'Tên lớp', identity: true, aliases: ['ten lop', 'lop', 'lop hoc', 'ma lop'] },
  { field: 'grade', label: 'Khối', aliases: ['khoi', 'khoi lop', 'khoi hoc'] },
  { field: 'session', label: 'Buổi', aliases: ['buoi', 'buoi hoc', 'ca hoc', 'so buoi'] },
  { field: 'multiGrade', label: 'Lớp ghép', aliases: ['lop ghep', 'la lop ghep'] },
  { field: 'homeroom', label: 'GVCN', aliases: ['gvcn', 'giao vien chu nhiem', 'chu nhiem', 'ho ten gvcn', 'gv chu nhiem'] },
];

export const CLASS_SHEET: SheetSpec<ClassField> = {
  noun: 'lớp',
  fields: CLASS_FIELDS,
  required: [
    { label: 'Tên lớp', satisfied: (p) => p.has('name') },
    { label: 'Khối', satisfied: (p) => p.has('grade') },
  ],
  isHeader: (p) => p.has('name') && p.has('grade'),
  keyFields: ['name'],
  maxRows: 1_000,
};

export function parseClassWorkbook(buffer: Buffer, onProgress?: (n: number) => void): Promise<ParsedSheet<ClassField> | ParseFailure> {
  return parseSheet(buffer, CLASS_SHEET, onProgress);
}

export const SESSION_LABELS: Record<ClassSession, string> = { morning: 'Sáng', afternoon: 'Chiều', full_day: 'Cả ngày' };

export function parseSession(v: string | number): ClassSession | null {
  // Sector-database BuoiHoc codes: 1 sáng, 2 chiều, 4 sáng + chiều.
  if (typeof v === 'number') return v === 1 ? 'morning' : v === 2 ? 'afternoon' : v === 4 ? 'full_day' : null;
  const k = foldKey(v);
  if (k === 'sang' || k === '1') return 'morning';
  if (k === 'chieu' || k === '2') return 'afternoon';
  if (['cangay', 'sangchieu', 'sangvachieu', '2buoi', 'haibuoi', '2buoingay', 'hocbantru', '4'].includes(k)) return 'full_day';
  return null;
}

export type StaffRef = { id: string; fullName: string; staffCode: string | null; status: 'active' | 'left' };

export type ClassCandidate = {
  row: number;
  name: string;
  grade: number;
  session: ClassSession | null;
  isMultiGrade: boolean | null;
  homeroomTeacherId: string | null | undefined; // undefined = column blank → keep
};

export function validateClassRows(
  sheet: ParsedSheet<ClassField>,
  ref: { staff: StaffRef[]; schoolLevelsMaxGrade?: number },
): { candidates: ClassCandidate[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const active = ref.staff.filter((s) => s.status === 'active');
  const exact = new Map<string, StaffRef[]>();
  const folded = new Map<string, StaffRef[]>();
  for (const s of active) {
    const e = normalizeNameText(s.fullName);
    exact.set(e, [...(exact.get(e) ?? []), s]);
    const f = searchFold(s.fullName);
    folded.set(f, [...(folded.get(f) ?? []), s]);
  }
  const byCode = new Map(active.filter((s) => s.staffCode).map((s) => [foldKey(s.staffCode as string), s]));
  const candidates: ClassCandidate[] = [];
  const homeroomOf = new Map<string, number>();
  for (const r of rowReaders(sheet, CLASS_SHEET, issues)) {
    const start = issues.length;
    const name = r.text('name', 30);
    if (name === null) r.report('name', 'Chưa nhập tên lớp');
    const gv = r.raw('grade');
    let grade: number | null = null;
    if (gv === null) r.report('grade', 'Chưa nhập khối');
    else if (gv !== undefined) {
      grade = typeof gv === 'boolean' || gv instanceof Date ? null : parseGrade(gv);
      if (grade === null) r.report('grade', 'Khối phải là số từ 1 đến 12 (0 cho mầm non)');
    }
    let session: ClassSession | null = null;
    const sv = r.raw('session');
    if (sv !== null && sv !== undefined) {
      session = typeof sv === 'string' || typeof sv === 'number' ? parseSession(sv) : null;
      if (!session) r.report('session', 'Buổi học phải là Sáng, Chiều hoặc Cả ngày');
    }
    let multi: boolean | null = null;
    const mv = r.raw('multiGrade');
    if (mv !== null && mv !== undefined) {
      multi = mv instanceof Date ? null : parseYesNo(mv);
      if (multi === null) r.report('multiGrade', 'Lớp ghép phải là Có hoặc Không');
    }
    let homeroom: string | null | undefined;
    const hv = r.text('homeroom', 150);
    if (hv) {
      const codeMatch = /\(([^)]+)\)\s*$/.exec(hv);
      let found: StaffRef[];
      if (codeMatch) {
        const s = byCode.get(foldKey(codeMatch[1] ?? ''));
        found = s ? [s] : [];
      } else {
        found = exact.get(normalizeNameText(hv)) ?? [];
        if (found.length === 0) found = folded.get(searchFold(hv)) ?? [];
      }
      if (found.length === 0) r.report('homeroom', `Không tìm thấy cán bộ "${hv}" trong trường; hãy nhập danh sách cán bộ trước hoặc sửa họ tên`);
      else if (found.length > 1) r.report('homeroom', `Có ${found.length} cán bộ tên "${hv}"; hãy ghi thêm mã cán bộ trong ngoặc, ví dụ "${hv} (GV001)"`);
      else {
        homeroom = found[0].id;
        const prev = homeroomOf.get(homeroom);
        if (prev !== undefined) r.report('homeroom', `Giáo viên này đã là GVCN của lớp ở dòng ${prev}`, 'warning');
        else homeroomOf.set(homeroom, r.rowNumber);
      }
    }
    if (issues.slice(start).some((i) => i.severity === 'error') || !name || grade === null) continue;
    candidates.push({ row: r.rowNumber, name, grade, session, isMultiGrade: multi, homeroomTeacherId: homeroom });
  }
  const seen = new Map<string, number>();
  const bad = new Set<number>();
  const header = sheet.columns.get('name')?.header ?? 'Tên lớp';
  for (const c of candidates) {
    const k = classKey(c.name);
    const prev = seen.get(k);
    if (prev === undefined) seen.set(k, c.row);
    else {
      issues.push({ row: c.row, column: header, value: c.name, message: `Trùng tên lớp với dòng ${prev}`, severity: 'error' });
      bad.add(c.row);
    }
  }
  issues.sort((a, b) => a.row - b.row);
  return { candidates: candidates.filter((c) => !bad.has(c.row)), issues };
}

export async function writeClasses(
  trx: Db,
  candidates: ClassCandidate[],
  ctx: { schoolId: string; year: number; actor: { userId: string; username: string } | null; ip: string | null; jobId: string },
): Promise<{ created: number; updated: number; unchanged: number }> {
  const existing = await trx
    .selectFrom('class')
    .select(['id', 'name', 'grade', 'session', 'is_multi_grade', 'homeroom_teacher_id'])
    .where('school_id', '=', ctx.schoolId)
    .where('year', '=', ctx.year)
    .execute();
  const byKey = new Map(existing.map((c) => [classKey(c.name), c]));
  const inserts: Record<string, unknown>[] = [];
  const audits: AuditInsert[] = [];
  let updated = 0;
  let unchanged = 0;
  const audit = (action: AuditAction, id: string, before: unknown, after: unknown, targetLabel: string) =>
    audits.push({
      id: newId(), user_id: ctx.actor?.userId ?? null, username: ctx.actor?.username ?? null, action, entity: 'class', entity_id: id,
      org_unit_id: ctx.schoolId, before, after, ip: ctx.ip, target_label: targetLabel,
    });
  for (const c of candidates) {
    const m = byKey.get(classKey(c.name));
    if (!m) {
      const row = {
        school_id: ctx.schoolId, id: newId(), year: ctx.year, name: c.name, grade: c.grade, age_group: null, site_id: null,
        homeroom_teacher_id: c.homeroomTeacherId ?? null, session: c.session ?? 'full_day', is_multi_grade: c.isMultiGrade ?? false,
      };
      inserts.push(row);
      audit('class.import_create', row.id, null, { year: ctx.year, name: c.name, grade: row.grade, session: row.session, is_multi_grade: row.is_multi_grade, homeroom_teacher_id: row.homeroom_teacher_id, importJobId: ctx.jobId, row: c.row }, classLabel(c.name, ctx.year));
      continue;
    }
    updated += 1;
    const next = {
      grade: c.grade,
      session: c.session ?? m.session,
      is_multi_grade: c.isMultiGrade ?? m.is_multi_grade,
      homeroom_teacher_id: c.homeroomTeacherId === undefined ? m.homeroom_teacher_id : c.homeroomTeacherId,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== m[k]);
    if (changed.length === 0) {
      unchanged += 1;
      continue;
    }
    await trx.updateTable('class').set(next).where('school_id', '=', ctx.schoolId).where('id', '=', m.id).execute();
    audit('class.import_update', m.id, Object.fromEntries(changed.map((k) => [k, m[k]])), { ...Object.fromEntries(changed.map((k) => [k, next[k]])), importJobId: ctx.jobId, row: c.row }, classLabel(m.name, ctx.year));
  }
  if (inserts.length) await trx.insertInto('class').values(inserts as never).execute();
  await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
  return { created: inserts.length, updated, unchanged };
}

export const yearLabel = schoolYearLabel;
