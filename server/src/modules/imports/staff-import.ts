/**
 * Staff list import: columns, row validation, matching (staff code, else name + date of
 * birth) and the write. Staff lists are small (tens to a few hundred rows), so the write is
 * a multi-row insert plus one UPDATE per changed person.
 */
import {
  checkDateOfBirth,
  isCitizenId,
  nameSortKey,
  normalizeIdInput,
  normalizeNameText,
  parseVnDate,
  personNameProblem,
  searchFold,
  splitFullName,
} from '../../../../domain/index.js';
import { sql } from 'kysely';
import type { Sex, StaffPosition } from '../../db/schema.js';
import type { AuditAction } from '../../platform/audit-actions.js';
import { personLabel } from '../../platform/audit-target.js';
import { newId } from '../../platform/ids.js';
import { AUDIT_COLUMNS, type AuditInsert, type Db, bulkInsert } from './imports.repo.js';
import {
  type CodeItem,
  CodeMatcher,
  type FieldSpec,
  type ImportIssue,
  type ParseFailure,
  type ParsedSheet,
  type SheetSpec,
  foldKey,
  normalizePhone,
  parseSheet,
  rowReaders,
} from './sheet-columns.js';
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

export function parseStaffWorkbook(buffer: Buffer, onProgress?: (n: number) => void): Promise<ParsedSheet<StaffField> | ParseFailure> {
  return parseSheet(buffer, STAFF_SHEET, onProgress);
}

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

type ExistingStaff = {
  id: string;
  staff_code: string | null;
  family_name: string;
  middle_name: string;
  given_name: string;
  date_of_birth: string | null;
  sex: Sex | null;
  position: StaffPosition;
  qualification_code: string | null;
  contract_type_code: string | null;
  subject_codes: string[];
  phone: string | null;
  email: string | null;
  citizen_id: string | null;
  ethnicity_code: string | null;
};

export type StaffWriteResult = { created: number; updated: number; unchanged: number; issues: ImportIssue[] };

/**
 * Matches and writes inside the caller's transaction. In all-or-nothing mode the caller
 * checks `issues` from validation first; matching issues found here (ambiguous names) are
 * returned and the caller decides (valid_only skips those rows).
 */
export async function planAndWriteStaff(
  trx: Db,
  candidates: StaffCandidate[],
  ctx: { schoolId: string; actor: { userId: string; username: string } | null; ip: string | null; jobId: string; dryRun: boolean; nameHeader: string },
): Promise<StaffWriteResult> {
  const existing = (await trx
    .selectFrom('staff')
    .select(['id', 'staff_code', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'position', 'qualification_code', 'contract_type_code', 'subject_codes', 'phone', 'email', 'citizen_id', 'ethnicity_code'])
    .where('school_id', '=', ctx.schoolId)
    .execute()) as ExistingStaff[];
  const byCode = new Map(existing.filter((s) => s.staff_code).map((s) => [s.staff_code as string, s]));
  const byNameDob = new Map<string, ExistingStaff[]>();
  for (const s of existing) {
    const k = `${searchFold([s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '))}|${s.date_of_birth ?? ''}`;
    byNameDob.set(k, [...(byNameDob.get(k) ?? []), s]);
  }
  const issues: ImportIssue[] = [];
  const inserts: Record<string, unknown>[] = [];
  const audits: AuditInsert[] = [];
  const claimed = new Map<string, number>();
  let updated = 0;
  let unchanged = 0;
  const audit = (action: AuditAction, id: string, before: unknown, after: unknown, targetLabel: string | null) =>
    audits.push({
      id: newId(), user_id: ctx.actor?.userId ?? null, username: ctx.actor?.username ?? null, action, entity: 'staff', entity_id: id,
      org_unit_id: ctx.schoolId, before, after, ip: ctx.ip, target_label: targetLabel,
    });
  const updates: { id: string; set: Record<string, unknown> }[] = [];
  for (const c of candidates) {
    let match = c.staffCode ? byCode.get(c.staffCode) : undefined;
    if (!match) {
      let same = byNameDob.get(`${searchFold(c.fullName)}|${c.dateOfBirth ?? ''}`) ?? [];
      // A list without dates of birth still finds a person whose stored record has one.
      if (same.length === 0 && !c.dateOfBirth) same = existing.filter((s) => searchFold([s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' ')) === searchFold(c.fullName));
      const usable = c.staffCode ? same.filter((s) => !s.staff_code) : same;
      if (usable.length > 1) {
        issues.push({ row: c.row, column: ctx.nameHeader, value: c.fullName, message: `Có ${usable.length} cán bộ cùng họ tên và ngày sinh; hãy ghi Mã cán bộ để phân biệt`, severity: 'error' });
        continue;
      }
      match = usable[0];
    }
    if (match && claimed.has(match.id)) {
      issues.push({ row: c.row, column: ctx.nameHeader, value: c.fullName, message: `Dòng này và dòng ${claimed.get(match.id)} cùng khớp với một cán bộ đã có`, severity: 'error' });
      continue;
    }
    const row = {
      staff_code: c.staffCode ?? match?.staff_code ?? null,
      family_name: c.familyName,
      middle_name: c.middleName,
      given_name: c.givenName,
      name_sort_key: nameSortKey(c),
      search_text: searchFold(c.fullName),
      date_of_birth: c.dateOfBirth ?? match?.date_of_birth ?? null,
      sex: c.sex ?? match?.sex ?? null,
      position: c.position ?? match?.position ?? 'teacher',
      qualification_code: c.qualificationCode ?? match?.qualification_code ?? null,
      contract_type_code: c.contractTypeCode ?? match?.contract_type_code ?? null,
      subject_codes: c.subjectCodes ?? match?.subject_codes ?? [],
      phone: c.phone ?? match?.phone ?? null,
      email: c.email ?? match?.email ?? null,
      citizen_id: c.citizenId ?? match?.citizen_id ?? null,
      ethnicity_code: c.ethnicityCode ?? match?.ethnicity_code ?? null,
    };
    if (!match) {
      const id = newId();
      inserts.push({ school_id: ctx.schoolId, id, ...row });
      const { name_sort_key: _k, search_text: _s, ...view } = row;
      audit('staff.import_create', id, null, { ...view, importJobId: ctx.jobId, row: c.row }, personLabel(row));
      continue;
    }
    claimed.set(match.id, c.row);
    const m = match;
    const keys = Object.keys(row).filter((k) => k !== 'name_sort_key' && k !== 'search_text') as (keyof typeof row)[];
    const changed = keys.filter((k) => JSON.stringify(row[k]) !== JSON.stringify(m[k as keyof ExistingStaff]));
    updated += 1;
    if (changed.length === 0) {
      unchanged += 1;
      continue;
    }
    updates.push({ id: m.id, set: row });
    audit(
      'staff.import_update',
      m.id,
      Object.fromEntries(changed.map((k) => [k, m[k as keyof ExistingStaff]])),
      { ...Object.fromEntries(changed.map((k) => [k, row[k]])), importJobId: ctx.jobId, row: c.row },
      personLabel(row),
    );
  }
  if (!ctx.dryRun) {
    for (let i = 0; i < inserts.length; i += 1000) {
      await trx.insertInto('staff').values(inserts.slice(i, i + 1000) as never).execute();
    }
    for (const u of updates) {
      await trx.updateTable('staff').set({ ...u.set, updated_at: sql`now()` } as never).where('school_id', '=', ctx.schoolId).where('id', '=', u.id).execute();
    }
    await bulkInsert(trx, 'audit_log', AUDIT_COLUMNS, audits);
  }
  return { created: inserts.length, updated, unchanged, issues };
}
