/**
 * Class list import for one school year: Tên lớp, Khối, Buổi, Lớp ghép, GVCN. Columns and row
 * validation (pure), and the import's spec for the pipeline (pipeline.ts). The homeroom teacher
 * is found by full name among the school's active staff and must be unique ("Tên (Mã cán bộ)"
 * disambiguates). Classes are matched by (year, name) in class-plan.ts (pure);
 * class-import.repo.ts reads the staff and classes and writes the plan.
 */
import { normalizeNameText, searchFold } from '../../../../domain/index.js';
import type { ClassSession } from '../../db/schema.js';
import { loadClassesOfYear, loadStaffRefs, writeClassPlan } from './class-import.repo.js';
import { type ClassContext, type ClassPlan, planClassImport } from './class-plan.js';
import type { ImportSpec } from './pipeline.js';
import {
  type FieldSpec,
  type ImportIssue,
  type ParsedSheet,
  type SheetSpec,
  classKey,
  foldKey,
  parseGrade,
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

/** What class rows are checked against: the school's staff (homeroom teachers). */
export type ClassRefData = { staff: StaffRef[] };

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
  ref: ClassRefData,
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

// ------------------------------------------------------------------ the import's spec

export const CLASS_IMPORT: ImportSpec<ClassField, ClassRefData, ClassCandidate, ClassContext, ClassPlan> = {
  sheet: CLASS_SHEET,
  nothingToWrite: 'Không có dòng hợp lệ nào để ghi.',
  loadReference: async (db, job) => ({ ok: true, value: { staff: await loadStaffRefs(db, job.schoolId) } }),
  validate: (sheet, ref) => {
    const { candidates, issues } = validateClassRows(sheet, ref);
    return { rows: candidates, issues };
  },
  loadContext: async (db, { job }) => ({ existing: await loadClassesOfYear(db, job.schoolId, job.year) }),
  plan: planClassImport,
  write: writeClassPlan,
};
