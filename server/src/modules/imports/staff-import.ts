/**
 * Staff list import: columns and row validation (pure), and the import's spec for the pipeline
 * (pipeline.ts). Matching (staff code, else name + date of birth) is staff-plan.ts (pure);
 * staff-import.repo.ts reads the school's staff and writes the plan.
 */
import {
  checkDateOfBirth,
  isCitizenId,
  isoToday,
  normalizeIdInput,
  normalizeNameText,
  parseVnDate,
  personNameProblem,
  searchFold,
  splitFullName,
} from '../../../../domain/index.js';
import type { Sex, StaffPosition } from '../../db/schema.js';
import { loadCodeList, loadSubjects } from './imports.repo.js';
import type { ImportSpec } from './pipeline.js';
import {
  type CodeItem,
  CodeMatcher,
  type FieldSpec,
  type ImportIssue,
  type ParsedSheet,
  type SheetSpec,
  foldKey,
  normalizePhone,
  rowReaders,
} from './sheet-columns.js';
import { loadStaffOfSchool, writeStaffPlan } from './staff-import.repo.js';
import { type StaffContext, type StaffPlan, planStaffImport } from './staff-plan.js';
import { ETHNICITY_ALIASES, SEX_ALIASES } from './student-import.js';

export type StaffField =
  | 'stt'
  | 'staffCode'
  | 'fullName'
  | 'dob'
  | 'sex'
  | 'position'
  | 'qualification'
  | 'contract'
  | 'subjects'
  | 'phone'
  | 'email'
  | 'citizenId'
  | 'ethnicity';

export const STAFF_FIELDS: FieldSpec<StaffField>[] = [
  { field: 'stt', label: 'STT', aliases: ['stt', 'tt', 'so tt'] },
  { field: 'staffCode', label: 'Mã cán bộ', identity: true, aliases: ['ma can bo', 'ma cb', 'ma giao vien', 'ma gv', 'ma nhan vien', 'ma nv', 'ma cbgv', 'ma can bo giao vien', 'ma dinh danh can bo'] },
  { field: 'fullName', label: 'Họ và tên', identity: true, aliases: ['ho va ten', 'ho ten', 'ho ten can bo', 'ho va ten can bo', 'ho ten giao vien', 'ho va ten giao vien'] },
  { field: 'dob', label: 'Ngày sinh', identity: true, date: true, aliases: ['ngay sinh', 'ngay thang nam sinh', 'sinh ngay'] },
  { field: 'sex', label: 'Giới tính', aliases: ['gioi tinh', 'gt', 'phai'] },
  { field: 'position', label: 'Chức vụ', aliases: ['chuc vu', 'chuc danh', 'vi tri viec lam', 'vi tri'] },
  { field: 'qualification', label: 'Trình độ', aliases: ['trinh do', 'trinh do chuyen mon', 'trinh do dao tao', 'trinh do cm'] },
  { field: 'contract', label: 'Hình thức hợp đồng', aliases: ['hinh thuc hop dong', 'loai hop dong', 'hop dong', 'hinh thuc hd'] },
  { field: 'subjects', label: 'Môn dạy', aliases: ['mon day', 'mon giang day', 'mon', 'bo mon', 'mon hoc'] },
  { field: 'phone', label: 'Số điện thoại', aliases: ['so dien thoai', 'sdt', 'dien thoai', 'dt', 'so dt', 'dien thoai di dong'] },
  { field: 'email', label: 'Email', aliases: ['email', 'e mail', 'thu dien tu', 'dia chi email'] },
  { field: 'citizenId', label: 'Số định danh cá nhân', identity: true, aliases: ['so dinh danh ca nhan', 'so cccd', 'cccd', 'can cuoc cong dan', 'so can cuoc', 'cmnd cccd'] },
  { field: 'ethnicity', label: 'Dân tộc', aliases: ['dan toc'] },
];

export const STAFF_SHEET: SheetSpec<StaffField> = {
  noun: 'cán bộ',
  fields: STAFF_FIELDS,
  required: [{ label: 'Họ và tên', satisfied: (p) => p.has('fullName') }],
  isHeader: (p) => p.has('fullName') && (p.has('dob') || p.has('position') || p.has('staffCode')),
  keyFields: ['fullName', 'staffCode', 'dob'],
  maxRows: 5_000,
};

export const POSITION_LABELS: Record<StaffPosition, string> = {
  principal: 'Hiệu trưởng',
  vice_principal: 'Phó hiệu trưởng',
  teacher: 'Giáo viên',
  staff: 'Nhân viên',
};

const STAFF_JOBS = ['nhanvien', 'ketoan', 'vanthu', 'yte', 'thuvien', 'baove', 'thuquy', 'phucvu', 'tapvu', 'thietbi', 'capduong', 'nvvp'];

export function parsePosition(v: string): StaffPosition | null {
  const k = foldKey(v);
  if (k.startsWith('phohieutruong') || k === 'pht') return 'vice_principal';
  if (k.startsWith('hieutruong') || k === 'ht') return 'principal';
  if (k.startsWith('giaovien') || k === 'gv' || k.startsWith('tongphutrach') || k.startsWith('totruong') || k.startsWith('topho')) return 'teacher';
  if (STAFF_JOBS.some((j) => k.startsWith(j))) return 'staff';
  return null;
}

/** Subject names people write: "Văn", "Anh", "Lý"/"Lí", "Mỹ thuật"/"Mĩ thuật", "Thể dục"… */
const SUBJECT_ALIASES: Record<string, string> = {
  van: 'ngu_van',
  nguvan: 'ngu_van',
  toan: 'toan',
  anh: 'ngoai_ngu_1',
  tienganh: 'ngoai_ngu_1',
  ngoaingu: 'ngoai_ngu_1',
  su: 'lich_su',
  dia: 'dia_li',
  li: 'vat_li',
  vatli: 'vat_li',
  hoa: 'hoa_hoc',
  sinh: 'sinh_hoc',
  tin: 'tin_hoc',
  theduc: 'gdtc',
  gdtc: 'gdtc',
  gdcd: 'gdcd',
  khtn: 'khtn',
  lsdl: 'lich_su_dia_li',
  lichsuvadiali: 'lich_su_dia_li',
  amnhac: 'am_nhac',
  nhac: 'am_nhac',
  mithuat: 'mi_thuat',
  hdtn: 'hdtn',
  hdtnhn: 'hdtn_hn',
  gdqpan: 'gdqp_an',
  gdktpl: 'gdktpl',
  congnghe: 'cong_nghe',
};

/** "Vật lý" and "Vật lí", "Mỹ thuật" and "Mĩ thuật" are the same word spelled two ways. */
const subjectKey = (s: string) => foldKey(searchFold(s).replace(/\bly\b/g, 'li').replace(/\bmy\b/g, 'mi'));

export class SubjectMatcher {
  private readonly map = new Map<string, string>();
  constructor(subjects: { code: string; name: string }[]) {
    for (const s of subjects) {
      this.map.set(subjectKey(s.name), s.code);
      this.map.set(foldKey(s.code), s.code);
    }
    const known = new Set(subjects.map((s) => s.code));
    for (const [k, code] of Object.entries(SUBJECT_ALIASES)) if (known.has(code) && !this.map.has(k)) this.map.set(k, code);
  }
  match(name: string): string | null {
    return this.map.get(subjectKey(name)) ?? null;
  }
}

export type StaffCandidate = {
  row: number;
  staffCode: string | null;
  familyName: string;
  middleName: string;
  givenName: string;
  fullName: string;
  dateOfBirth: string | null;
  sex: Sex | null;
  position: StaffPosition | null;
  qualificationCode: string | null;
  contractTypeCode: string | null;
  subjectCodes: string[] | null;
  phone: string | null;
  email: string | null;
  citizenId: string | null;
  ethnicityCode: string | null;
};

export type StaffRefData = {
  today: string;
  qualifications: CodeItem[];
  contracts: CodeItem[];
  ethnicities: CodeItem[];
  subjects: { code: string; name: string }[];
};

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateStaffRows(sheet: ParsedSheet<StaffField>, ref: StaffRefData): { candidates: StaffCandidate[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const qual = new CodeMatcher(ref.qualifications);
  const contract = new CodeMatcher(ref.contracts);
  const eth = new CodeMatcher(ref.ethnicities, ETHNICITY_ALIASES);
  const sexes = new CodeMatcher([{ code: '01', name: 'Nam' }, { code: '02', name: 'Nữ' }], SEX_ALIASES);
  const subjects = new SubjectMatcher(ref.subjects);
  const candidates: StaffCandidate[] = [];
  for (const r of rowReaders(sheet, STAFF_SHEET, issues)) {
    const start = issues.length;
    const nameText = r.text('fullName', 120);
    let parts: ReturnType<typeof splitFullName> | null = null;
    if (nameText === null) r.report('fullName', 'Chưa nhập họ và tên');
    else if (nameText) {
      const problem = personNameProblem(normalizeNameText(nameText));
      if (problem) r.report('fullName', problem);
      else parts = splitFullName(normalizeNameText(nameText));
    }
    let dob: string | null = null;
    const dv = r.raw('dob');
    if (dv !== null && dv !== undefined) {
      const res = parseVnDate(typeof dv === 'number' && sheet.date1904 ? dv + 1462 : typeof dv === 'boolean' ? String(dv) : dv);
      // The same date-of-birth rule as for students (domain/students): a staff member has no grade, so only the future.
      const verdict = res.ok ? checkDateOfBirth(res.value, { today: ref.today }) : null;
      if (!res.ok) r.report('dob', res.reason);
      else if (verdict && !verdict.ok) r.report('dob', verdict.message);
      else if (Number(res.value.slice(0, 4)) < Number(ref.today.slice(0, 4)) - 80) r.report('dob', 'Năm sinh không hợp lý; hãy kiểm tra lại');
      else dob = res.value;
    }
    let sex: Sex | null = null;
    const sv = r.raw('sex');
    if (sv !== null && sv !== undefined) {
      const code = sexes.match(sv);
      if (!code) r.report('sex', 'Giới tính phải là Nam hoặc Nữ');
      else sex = code === '02' ? 'female' : 'male';
    }
    let position: StaffPosition | null = null;
    const pv = r.text('position', 100);
    if (pv) {
      position = parsePosition(pv);
      if (!position) r.report('position', 'Chức vụ phải là Hiệu trưởng, Phó hiệu trưởng, Giáo viên hoặc Nhân viên');
    }
    const code = (field: 'qualification' | 'contract' | 'ethnicity', m: CodeMatcher, what: string) => {
      const v = r.raw(field);
      if (v === null || v === undefined) return null;
      const c = m.match(v);
      if (!c) r.report(field, `Không có ${what} này trong danh mục; xem trang Hướng dẫn của tệp mẫu`);
      return c;
    };
    const qualificationCode = code('qualification', qual, 'trình độ');
    const contractTypeCode = code('contract', contract, 'hình thức hợp đồng');
    const ethnicityCode = code('ethnicity', eth, 'dân tộc');
    let subjectCodes: string[] | null = null;
    const subj = r.text('subjects', 500);
    if (subj) {
      const names = subj.split(/[,;/\n]+/).map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !subjects.match(n));
      if (unknown.length) r.report('subjects', `Không có môn: ${unknown.join(', ')}; hãy ghi đúng tên môn (ví dụ Toán, Ngữ văn, Tiếng Anh), cách nhau bởi dấu phẩy`);
      else subjectCodes = [...new Set(names.map((n) => subjects.match(n) as string))];
    }
    let phone: string | null = null;
    const ph = r.raw('phone');
    if (ph !== null && ph !== undefined) {
      const p = normalizePhone(ph, r.header('phone'));
      if (!p.ok) r.report('phone', p.reason);
      else phone = p.value;
    }
    const email = r.text('email', 200);
    if (email && !EMAIL_RE.test(email)) r.report('email', 'Email không hợp lệ (ví dụ ten@truong.edu.vn)');
    let citizenId: string | null = null;
    const cv = r.raw('citizenId');
    if (cv !== null && cv !== undefined && typeof cv !== 'boolean' && !(cv instanceof Date)) {
      const n = normalizeIdInput(cv, 'citizenId');
      if (!n.ok) r.report('citizenId', n.reason);
      else if (!isCitizenId(n.value)) r.report('citizenId', 'Số định danh cá nhân phải gồm 12 chữ số, 3 chữ số đầu là mã tỉnh');
      else citizenId = n.value;
    }
    const staffCodeText = r.text('staffCode', 40);
    if (issues.slice(start).some((i) => i.severity === 'error') || !parts || staffCodeText === undefined) continue;
    candidates.push({
      row: r.rowNumber,
      staffCode: staffCodeText,
      ...parts,
      fullName: [parts.familyName, parts.middleName, parts.givenName].filter(Boolean).join(' '),
      dateOfBirth: dob,
      sex,
      position,
      qualificationCode,
      contractTypeCode,
      subjectCodes,
      phone,
      email: email ?? null,
      citizenId,
      ethnicityCode,
    });
  }
  // Duplicates inside the file.
  const bad = new Set<number>();
  const dup = (key: (c: StaffCandidate) => string | null, column: string, what: string) => {
    const seen = new Map<string, number>();
    for (const c of candidates) {
      const k = key(c);
      if (!k) continue;
      const prev = seen.get(k);
      if (prev === undefined) seen.set(k, c.row);
      else {
        issues.push({ row: c.row, column, value: k.split('|')[0] ?? k, message: `Trùng ${what} với dòng ${prev}`, severity: 'error' });
        bad.add(c.row);
      }
    }
  };
  const header = (f: StaffField) => sheet.columns.get(f)?.header ?? f;
  dup((c) => c.staffCode, header('staffCode'), 'mã cán bộ');
  dup((c) => (c.staffCode ? null : `${searchFold(c.fullName)}|${c.dateOfBirth ?? ''}`), header('fullName'), 'họ tên và ngày sinh (không có mã cán bộ để phân biệt)');
  issues.sort((a, b) => a.row - b.row);
  return { candidates: candidates.filter((c) => !bad.has(c.row)), issues };
}

// ------------------------------------------------------------------ the import's spec

export const STAFF_IMPORT: ImportSpec<StaffField, StaffRefData, StaffCandidate, StaffContext, StaffPlan> = {
  sheet: STAFF_SHEET,
  nothingToWrite: 'Không có dòng hợp lệ nào để ghi.',
  loadReference: async (db) => ({
    ok: true,
    value: {
      today: isoToday(),
      qualifications: await loadCodeList(db, 'DM_TRINH_DO_CHUYEN_MON'),
      contracts: await loadCodeList(db, 'DM_HINH_THUC_HOP_DONG'),
      ethnicities: await loadCodeList(db, 'DM_DAN_TOC'),
      subjects: await loadSubjects(db),
    },
  }),
  validate: (sheet, ref) => {
    const { candidates, issues } = validateStaffRows(sheet, ref);
    return { rows: candidates, issues };
  },
  loadContext: async (db, { job, sheet }) => ({
    existing: await loadStaffOfSchool(db, job.schoolId),
    nameHeader: sheet.columns.get('fullName')?.header ?? 'Họ và tên',
  }),
  plan: planStaffImport,
  write: writeStaffPlan,
};
