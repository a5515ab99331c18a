/**
 * Student list import: column layout (our template AND the sector-database export) and per-row
 * validation (pure), and the import's spec for the pipeline (pipeline.ts). Matching against the
 * school's students is student-plan.ts (pure); student-import.repo.ts loads what both need and
 * writes the plan.
 */
import {
  ageByCalendarYear,
  checkDateOfBirth,
  isCitizenId,
  isLearnerId,
  isTemporaryLearnerCode,
  isoToday,
  nameSortKey,
  normalizeIdInput,
  normalizeNameText,
  personNameProblem,
  parseVnDate,
  schoolYearLabel,
  searchFold,
  splitFullName,
} from '../../../../domain/index.js';
import type { Sex } from '../../db/schema.js';
import { type Db, loadClasses, loadCodeList, loadSchool } from './imports.repo.js';
import type { ImportSpec, Verdict } from './pipeline.js';
import {
  type CodeItem,
  CodeMatcher,
  type FieldSpec,
  type ImportIssue,
  type ParseFailure,
  type ParsedSheet,
  type RowReader,
  type SheetSpec,
  classKey,
  normalizePhone,
  parseGrade,
  parseSheet,
  rowReaders,
} from './sheet-columns.js';
import { loadStudentSnapshot, writeStudentPlan } from './student-import.repo.js';
import { type StudentContext, type StudentPlan, planStudentImport } from './student-plan.js';

export type StudentField =
  | 'stt'
  | 'learnerId'
  | 'fullName'
  | 'familyName'
  | 'familyMiddle'
  | 'middleName'
  | 'givenName'
  | 'dob'
  | 'sex'
  | 'femaleFlag'
  | 'ethnicity'
  | 'status'
  | 'className'
  | 'grade'
  | 'citizenId'
  | 'registerNumber'
  | 'birthplace'
  | 'address'
  | 'fatherName'
  | 'fatherPhone'
  | 'motherName'
  | 'motherPhone'
  | 'guardianName'
  | 'guardianPhone';

/** Header texts are compared folded (see foldHeader): "Mã định danh Bộ GD&ĐT" → "ma dinh danh bo gd dt". */
export const STUDENT_FIELDS: FieldSpec<StudentField>[] = [
  { field: 'stt', label: 'STT', aliases: ['stt', 'tt', 'so tt', 'so thu tu'] },
  {
    field: 'learnerId',
    label: 'Mã định danh',
    identity: true,
    aliases: [
      'ma dinh danh', 'ma dinh danh bo gd dt', 'ma dinh danh bo gddt', 'ma dinh danh bo gd va dt', 'ma dinh danh bo giao duc va dao tao',
      'ma dinh danh hoc sinh', 'ma dinh danh hs', 'ma hoc sinh', 'ma hs', 'ma dinh danh bo',
    ],
  },
  { field: 'fullName', label: 'Họ và tên', identity: true, aliases: ['ho va ten', 'ho ten', 'ho va ten hoc sinh', 'ho ten hoc sinh', 'ho ten hs', 'ho va ten hs'] },
  { field: 'familyName', label: 'Họ', identity: true, aliases: ['ho'] },
  { field: 'familyMiddle', label: 'Họ và đệm', identity: true, aliases: ['ho va dem', 'ho dem', 'ho va ten dem', 'ho ten dem', 'ho va ten lot', 'ho lot'] },
  { field: 'middleName', label: 'Đệm', identity: true, aliases: ['dem', 'ten dem', 'ten lot', 'chu lot'] },
  { field: 'givenName', label: 'Tên', identity: true, aliases: ['ten'] },
  { field: 'dob', label: 'Ngày sinh', identity: true, date: true, aliases: ['ngay sinh', 'ngay thang nam sinh', 'sinh ngay', 'ngay sinh hoc sinh'] },
  { field: 'sex', label: 'Giới tính', aliases: ['gioi tinh', 'gt', 'phai', 'gioi'] },
  { field: 'femaleFlag', label: 'Nữ', aliases: ['nu'] },
  { field: 'ethnicity', label: 'Dân tộc', aliases: ['dan toc'] },
  { field: 'status', label: 'Trạng thái', aliases: ['trang thai', 'trang thai hoc sinh', 'tinh trang', 'tinh trang hoc tap'] },
  { field: 'className', label: 'Lớp', identity: true, aliases: ['lop', 'ten lop', 'lop hoc', 'lop hien tai', 'lop dau nam'] },
  { field: 'grade', label: 'Khối', aliases: ['khoi', 'khoi lop', 'khoi hoc'] },
  {
    field: 'citizenId',
    label: 'Số định danh cá nhân',
    identity: true,
    aliases: [
      'so dinh danh ca nhan', 'ma dinh danh ca nhan', 'ma so dinh danh ca nhan', 'dinh danh ca nhan', 'so cccd', 'cccd',
      'can cuoc cong dan', 'so can cuoc cong dan', 'so can cuoc', 'cmnd cccd', 'so cmnd cccd', 'ma cong dan', 'so cmnd', 'cmnd',
    ],
  },
  // Số đăng bộ: the Ministry's exchange list (LstHocSinh) has no such field, so this is the
  // template's own optional column; a sector export simply lacks it and the stored number stays.
  { field: 'registerNumber', label: 'Số đăng bộ', aliases: ['so dang bo', 'so so dang bo', 'so dang bo hoc sinh'] },
  { field: 'birthplace', label: 'Nơi sinh', aliases: ['noi sinh'] },
  {
    field: 'address',
    label: 'Địa chỉ thường trú',
    aliases: ['dia chi thuong tru', 'dia chi', 'noi thuong tru', 'ho khau thuong tru', 'cho o hien nay', 'noi o hien nay', 'dia chi hien nay', 'dia chi tam tru'],
  },
  { field: 'fatherName', label: 'Họ tên cha', aliases: ['ho ten cha', 'ho va ten cha', 'ten cha', 'cha', 'ho ten bo', 'ho va ten bo', 'bo'] },
  { field: 'fatherPhone', label: 'SĐT cha', aliases: ['sdt cha', 'so dien thoai cha', 'dien thoai cha', 'dt cha', 'so dt cha', 'sdt bo', 'so dien thoai bo', 'dien thoai bo'] },
  { field: 'motherName', label: 'Họ tên mẹ', aliases: ['ho ten me', 'ho va ten me', 'ten me', 'me'] },
  { field: 'motherPhone', label: 'SĐT mẹ', aliases: ['sdt me', 'so dien thoai me', 'dien thoai me', 'dt me', 'so dt me'] },
  // Người giám hộ (the Ministry's list has a guardian beside the parents). A "phụ huynh" column
  // names a parent without saying which: it is kept as the guardian contact rather than dropped.
  {
    field: 'guardianName',
    label: 'Họ tên người giám hộ',
    aliases: [
      'ho ten nguoi giam ho', 'ho va ten nguoi giam ho', 'ten nguoi giam ho', 'nguoi giam ho', 'ho ten cha me hoac nguoi giam ho',
      'ho ten cha me nguoi giam ho', 'cha me hoac nguoi giam ho', 'ho ten phu huynh', 'ho va ten phu huynh', 'ten phu huynh', 'phu huynh',
    ],
  },
  {
    field: 'guardianPhone',
    label: 'SĐT người giám hộ',
    aliases: [
      'sdt nguoi giam ho', 'so dien thoai nguoi giam ho', 'dien thoai nguoi giam ho', 'dt nguoi giam ho', 'so dt nguoi giam ho',
      'sdt phu huynh', 'so dien thoai phu huynh', 'dien thoai phu huynh', 'so dt phu huynh', 'sdt cha me', 'so dien thoai cha me',
      'so dien thoai lien he', 'sdt lien he', 'dien thoai lien he',
    ],
  },
];

/** A bare phone header beside a guardian's name is that guardian's phone (see CompanionColumn). */
const PHONE_BESIDE_NAME = ['so dien thoai', 'sdt', 'dien thoai', 'so dt', 'dt', 'dien thoai di dong', 'so di dong', 'di dong'];

const hasName = (p: ReadonlySet<StudentField>) =>
  p.has('fullName') || (p.has('givenName') && (p.has('familyName') || p.has('familyMiddle')));

export const STUDENT_SHEET: SheetSpec<StudentField> = {
  noun: 'học sinh',
  fields: STUDENT_FIELDS,
  required: [
    { label: 'Họ và tên (hoặc Họ + Tên)', satisfied: hasName },
    { label: 'Ngày sinh', satisfied: (p) => p.has('dob') },
    { label: 'Giới tính', satisfied: (p) => p.has('sex') || p.has('femaleFlag') },
    { label: 'Dân tộc', satisfied: (p) => p.has('ethnicity') },
    { label: 'Lớp', satisfied: (p) => p.has('className') },
  ],
  // "the first row containing Họ tên / Họ và tên / Tên and Ngày sinh"
  isHeader: (p) => (p.has('fullName') || p.has('givenName') || p.has('familyMiddle')) && p.has('dob'),
  keyFields: ['fullName', 'givenName', 'familyMiddle', 'dob', 'learnerId'],
  maxRows: 50_000,
  companions: [{ aliases: PHONE_BESIDE_NAME, after: { fatherName: 'fatherPhone', motherName: 'motherPhone', guardianName: 'guardianPhone' } }],
};

export type StudentSheet = ParsedSheet<StudentField>;

/** Reads the workbook and finds the student table (template or sector-export layout). */
export function parseStudentWorkbook(buffer: Buffer, onProgress?: (rowsRead: number) => void): Promise<StudentSheet | ParseFailure> {
  return parseSheet(buffer, STUDENT_SHEET, onProgress);
}

// ------------------------------------------------------------------ validation

export type ImportClass = { id: string; name: string; grade: number; year: number };

export type StudentRefData = {
  year: number;
  /** ISO date "today" (Vietnam time), for future-date checks. */
  today: string;
  classes: ImportClass[];
  ethnicities: CodeItem[];
  statuses: CodeItem[];
};

export type GuardianInput = { name: string; phone: string | null };

export type StudentCandidate = {
  row: number;
  learnerId: string | null;
  tempCode: string | null;
  citizenId: string | null;
  /** Số đăng bộ; null when the column is absent or the cell blank (an update keeps the stored one). */
  registerNumber: string | null;
  familyName: string;
  middleName: string;
  givenName: string;
  fullName: string;
  sortKey: string;
  searchText: string;
  /** searchFold(full name) + '|' + dob: the match key for students without ids. */
  nameDobKey: string;
  dateOfBirth: string;
  sex: Sex;
  /** null when the cell was blank (an update keeps the stored value). */
  ethnicityCode: string | null;
  statusCode: string | null;
  classId: string;
  className: string;
  birthplace: string | null;
  address: string | null;
  father: GuardianInput | null;
  mother: GuardianInput | null;
  /** Người giám hộ (relation 'guardian'). */
  guardian: GuardianInput | null;
};

export const ETHNICITY_ALIASES: Record<string, string> = {
  Mông: '08',
  "H'Mông": '08',
  Mèo: '08',
  Khmer: '05',
  'Khơ Me': '05',
  'Ê Đê': '12',
  'Gia Rai': '10',
  'Ba Na': '13',
  'Vân Kiều': '23',
  Bru: '23',
  'Người Việt': '01',
  Việt: '01',
};

export const SEX_ALIASES: Record<string, string> = { Nu: '02', Nữ: '02', Nam: '01', Trai: '01', Gái: '02', M: '01', F: '02', Male: '01', Female: '02' };

const DOB_MIDNIGHT_RE = /\s+(?:0?0:00(?::00)?(?:\s*(?:AM|SA))?|12:00:00\s*(?:AM|SA))$/i;

function readDate(r: RowReader<StudentField>, field: StudentField, date1904: boolean): string | null | undefined {
  const v = r.raw(field);
  if (v === null || v === undefined) return v;
  let input: string | number | Date;
  if (typeof v === 'number') input = date1904 ? v + 1462 : v;
  else if (typeof v === 'boolean') input = String(v);
  else if (typeof v === 'string') input = v.replace(DOB_MIDNIGHT_RE, '');
  else input = v;
  const res = parseVnDate(input);
  if (!res.ok) {
    r.report(field, res.reason);
    return undefined;
  }
  return res.value;
}

function readName(r: RowReader<StudentField>): { familyName: string; middleName: string; givenName: string; fullName: string } | undefined {
  let parts: { familyName: string; middleName: string; givenName: string };
  let field: StudentField = 'fullName';
  if (r.has('fullName')) {
    const t = r.text('fullName', 120);
    if (t === undefined) return undefined;
    if (t === null) {
      r.report('fullName', 'Chưa nhập họ và tên');
      return undefined;
    }
    parts = splitFullName(normalizeNameText(t));
  } else {
    field = 'givenName';
    const given = r.text('givenName', 40);
    const family = r.has('familyName') ? r.text('familyName', 40) : null;
    const middle = r.has('middleName') ? r.text('middleName', 60) : null;
    const familyMiddle = r.has('familyMiddle') ? r.text('familyMiddle', 100) : null;
    if (given === undefined || family === undefined || middle === undefined || familyMiddle === undefined) return undefined;
    if (!given) {
      r.report('givenName', 'Chưa nhập tên');
      return undefined;
    }
    if (familyMiddle) {
      const fm = splitFullName(normalizeNameText(`${familyMiddle} x`));
      parts = { familyName: fm.familyName, middleName: fm.middleName, givenName: normalizeNameText(given) };
    } else {
      parts = { familyName: normalizeNameText(family ?? ''), middleName: normalizeNameText(middle ?? ''), givenName: normalizeNameText(given) };
    }
  }
  const fullName = [parts.familyName, parts.middleName, parts.givenName].filter((p) => p !== '').join(' ');
  const problem = personNameProblem(fullName);
  if (problem) {
    r.report(field, problem);
    return undefined;
  }
  return { ...parts, fullName };
}

function readGuardian(r: RowReader<StudentField>, nameField: StudentField, phoneField: StudentField, who: string): GuardianInput | null | undefined {
  const name = r.has(nameField) ? r.text(nameField, 120) : null;
  const phoneRaw = r.has(phoneField) ? r.raw(phoneField) : null;
  if (name === undefined || phoneRaw === undefined) return undefined;
  let phone: string | null = null;
  if (phoneRaw !== null) {
    const p = normalizePhone(phoneRaw, r.header(phoneField));
    if (!p.ok) {
      r.report(phoneField, `${p.reason} (số điện thoại của ${who})`);
      return undefined;
    }
    phone = p.value;
  }
  if (!name) {
    if (phone) {
      r.report(nameField, `Có số điện thoại ${who} nhưng chưa có họ tên ${who}; hãy nhập họ tên hoặc xóa số điện thoại`, 'error', null);
      return undefined;
    }
    return null;
  }
  const problem = personNameProblem(normalizeNameText(name));
  if (problem) {
    r.report(nameField, problem.replace(/^Họ tên/, `Họ tên ${who}`));
    return undefined;
  }
  return { name: normalizeNameText(name), phone };
}

function readId(r: RowReader<StudentField>, field: 'learnerId' | 'citizenId'): { value: string | null; temp: boolean } | undefined {
  const v = r.raw(field);
  if (v === undefined) return undefined;
  if (v === null) return { value: null, temp: false };
  if (typeof v === 'boolean' || v instanceof Date) {
    r.report(field, 'Giá trị không phải mã số; hãy định dạng cột là Văn bản (Text) và nhập lại');
    return undefined;
  }
  const kind = field === 'learnerId' ? 'learnerId' : 'citizenId';
  const n = normalizeIdInput(v, kind);
  if (!n.ok) {
    r.report(field, n.reason);
    return undefined;
  }
  if (field === 'learnerId') {
    const upper = n.value.toUpperCase();
    if (isTemporaryLearnerCode(upper)) return { value: upper, temp: true };
    if (!isLearnerId(n.value)) {
      const digits = n.value.replace(/\D/g, '').length;
      r.report(field, /^\d+$/.test(n.value) ? `Mã định danh phải gồm đúng 10 chữ số (đang có ${digits})` : 'Mã định danh chỉ gồm 10 chữ số');
      return undefined;
    }
  } else if (!isCitizenId(n.value)) {
    r.report(field, /^\d+$/.test(n.value) && n.value.length !== 12
      ? `Số định danh cá nhân phải gồm đúng 12 chữ số (đang có ${n.value.length})`
      : 'Số định danh cá nhân không hợp lệ: cần 12 chữ số, 3 chữ số đầu là mã tỉnh 001–096');
    return undefined;
  }
  if (n.padded) {
    r.report(field, `Đã thêm số 0 ở đầu (Excel đã làm mất): ${n.value}. Nên định dạng cột là Văn bản (Text)`, 'warning');
  }
  return { value: n.value, temp: false };
}

/**
 * Checks every row against the format rules and the school's classes and code lists.
 * Returns the rows that passed (candidates) and all issues; rows with an error are not
 * candidates. In-file duplicates mark BOTH rows, since we cannot tell which one is right.
 */
export function validateStudentRows(sheet: StudentSheet, ref: StudentRefData): { candidates: StudentCandidate[]; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const ethnicity = new CodeMatcher(ref.ethnicities, ETHNICITY_ALIASES);
  const status = new CodeMatcher(ref.statuses, { 'Đang học': '01', 'Học': '01' });
  const sexes = new CodeMatcher([{ code: '01', name: 'Nam' }, { code: '02', name: 'Nữ' }], SEX_ALIASES);
  const classes = new Map(ref.classes.map((c) => [classKey(c.name), c]));
  const classMemo = new Map<string, ImportClass | undefined>();
  const findClass = (name: string) => {
    if (!classMemo.has(name)) classMemo.set(name, classes.get(classKey(name)));
    return classMemo.get(name);
  };
  const yearLabel = schoolYearLabel(ref.year);
  const candidates: StudentCandidate[] = [];

  for (const r of rowReaders(sheet, STUDENT_SHEET, issues)) {
    const start = issues.length;
    const name = readName(r);

    const dob = readDate(r, 'dob', sheet.date1904);
    // The date-of-birth rule (domain/students/date-of-birth.ts), as in the form and the API: the
    // future first, the age for the class's grade once the class is known (below).
    const dobVerdict = dob ? checkDateOfBirth(dob, { today: ref.today }) : null;
    if (dob === null) r.report('dob', 'Chưa nhập ngày sinh (dạng ngày/tháng/năm, ví dụ 05/09/2014)');
    else if (dob && dobVerdict && !dobVerdict.ok) r.report('dob', dobVerdict.message);

    let sex: Sex | undefined;
    if (r.has('sex')) {
      const v = r.raw('sex');
      if (v === null) r.report('sex', 'Chưa nhập giới tính (Nam hoặc Nữ)');
      else if (v !== undefined) {
        const code = sexes.match(v);
        if (code === null) r.report('sex', 'Giới tính phải là Nam hoặc Nữ (hoặc mã 01, 02)');
        else sex = code === '02' ? 'female' : 'male';
      }
    } else {
      const v = r.raw('femaleFlag');
      if (v !== undefined) {
        const female = v !== null && v !== false && v !== 0 && !['khong', '0'].includes(searchFold(String(v)));
        sex = female ? 'female' : 'male';
      }
    }

    let ethnicityCode: string | null = null;
    const eth = r.raw('ethnicity');
    if (eth === null) r.report('ethnicity', 'Chưa nhập dân tộc (ví dụ Kinh, Tày, Thái, Mường; xem trang Hướng dẫn)');
    else if (eth !== undefined) {
      ethnicityCode = ethnicity.match(eth);
      if (ethnicityCode === null) r.report('ethnicity', 'Không có dân tộc này trong danh mục; hãy ghi đúng tên (ví dụ Kinh, Tày, Mường, Hmông) hoặc mã 2 chữ số');
    }

    let statusCode: string | null = null;
    if (r.has('status')) {
      const v = r.raw('status');
      if (v !== null && v !== undefined) {
        statusCode = status.match(v);
        if (statusCode === null) r.report('status', 'Không có trạng thái này trong danh mục; ví dụ "Đang học" hoặc mã 01');
      }
    }

    let klass: ImportClass | undefined;
    const className = r.text('className', 30);
    if (className === null) r.report('className', 'Chưa nhập lớp');
    else if (className) {
      klass = findClass(className);
      if (!klass) r.report('className', `Lớp ${className} chưa có trong năm học ${yearLabel}; hãy tạo lớp trước hoặc nhập danh sách lớp`);
    }
    if (r.has('grade') && klass) {
      const g = r.raw('grade');
      if (g !== null && g !== undefined) {
        const grade = parseGrade(g);
        if (grade === null) r.report('grade', 'Khối phải là số từ 1 đến 12 (0 cho mầm non)');
        else if (grade !== klass.grade) r.report('grade', `Khối ${grade} không khớp với lớp ${klass.name} (khối ${klass.grade})`);
      }
    }
    if (dob && dobVerdict?.ok) {
      const verdict = klass ? checkDateOfBirth(dob, { today: ref.today, grade: klass.grade, schoolYear: klass.year }) : dobVerdict;
      if (!verdict.ok) r.report('dob', verdict.message);
      else if (verdict.unusual) r.report('dob', verdict.unusual, 'warning');
      // Preschool and rows without a known class: no grade to compare with, only a sanity bound.
      else if ((!klass || klass.grade < 1) && ageByCalendarYear(dob, ref.year) > 25) {
        r.report('dob', `Học sinh hơn 25 tuổi (sinh năm ${dob.slice(0, 4)}) — kiểm tra lại năm sinh.`);
      }
    }

    const learner = readId(r, 'learnerId');
    const citizen = r.has('citizenId') ? readId(r, 'citizenId') : { value: null, temp: false };
    const registerText = r.has('registerNumber') ? r.text('registerNumber', 30) : null;
    const registerNumber = registerText === undefined ? undefined : registerText?.trim() || null;
    const birthplace = r.has('birthplace') ? r.text('birthplace', 255) : null;
    const address = r.has('address') ? r.text('address', 500) : null;
    const father = readGuardian(r, 'fatherName', 'fatherPhone', 'cha');
    const mother = readGuardian(r, 'motherName', 'motherPhone', 'mẹ');
    const guardian = readGuardian(r, 'guardianName', 'guardianPhone', 'người giám hộ');

    let rowHasError = false;
    for (let i = start; i < issues.length; i++) if (issues[i].severity === 'error') rowHasError = true;
    if (rowHasError) continue;
    if (!name || !dob || !sex || !klass || !learner || !citizen || registerNumber === undefined || birthplace === undefined || address === undefined) continue;
    if (father === undefined || mother === undefined || guardian === undefined || ethnicityCode === null) continue;
    candidates.push({
      row: r.rowNumber,
      learnerId: learner.temp ? null : learner.value,
      tempCode: learner.temp ? learner.value : null,
      citizenId: citizen.value,
      registerNumber,
      ...name,
      sortKey: nameSortKey(name),
      searchText: searchFold(name.fullName),
      nameDobKey: `${searchFold(name.fullName)}|${dob}`,
      dateOfBirth: dob,
      sex,
      ethnicityCode,
      statusCode,
      classId: klass.id,
      className: klass.name,
      birthplace,
      address,
      father,
      mother,
      guardian,
    });
  }

  // Duplicates inside the file.
  const header = (f: StudentField) => sheet.columns.get(f)?.header ?? f;
  const bad = new Set<number>();
  const dupCheck = (key: (c: StudentCandidate) => string | null, field: StudentField, what: string) => {
    const first = new Map<string, StudentCandidate>();
    for (const c of candidates) {
      const k = key(c);
      if (!k) continue;
      const prev = first.get(k);
      if (!prev) {
        first.set(k, c);
        continue;
      }
      issues.push({ row: c.row, column: header(field), value: k.split('|')[0] ?? k, message: `Trùng ${what} với dòng ${prev.row}`, severity: 'error' });
      if (!bad.has(prev.row)) {
        issues.push({ row: prev.row, column: header(field), value: k.split('|')[0] ?? k, message: `Trùng ${what} với dòng ${c.row}`, severity: 'error' });
      }
      bad.add(c.row);
      bad.add(prev.row);
    }
  };
  dupCheck((c) => c.learnerId, 'learnerId', 'mã định danh');
  dupCheck((c) => c.tempCode, 'learnerId', 'mã tạm');
  dupCheck((c) => c.citizenId, 'citizenId', 'số định danh cá nhân');
  dupCheck((c) => c.registerNumber, 'registerNumber', 'số đăng bộ');
  dupCheck(
    (c) => (c.learnerId || c.tempCode ? null : `${c.fullName}|${c.dateOfBirth}`),
    sheet.columns.has('fullName') ? 'fullName' : 'givenName',
    'họ tên và ngày sinh (không có mã định danh để phân biệt)',
  );
  issues.sort((a, b) => a.row - b.row);
  return { candidates: candidates.filter((c) => !bad.has(c.row)), issues };
}

// ------------------------------------------------------------------ the import's spec

export type StudentReference = StudentRefData & {
  /** The date new enrolments and events start (see studentStartDate). */
  startDate: string;
};

/** Where new enrolments start: today inside the school year; before it, or back-filling a past year, its first day. */
export function studentStartDate(year: number, today: string, term1Start: string | null, term2End: string | null): string {
  const start = term1Start ?? `${year}-09-05`;
  const end = term2End ?? `${year + 1}-05-31`;
  return today >= start && today <= end ? today : start;
}

async function loadStudentReference(db: Db, job: { schoolId: string; year: number }): Promise<Verdict<StudentReference>> {
  const school = await loadSchool(db, job.schoolId, job.year);
  const today = isoToday();
  const startDate = studentStartDate(job.year, today, school?.term1Start ?? null, school?.term2End ?? null);
  const classes = (await loadClasses(db, job.schoolId)).filter((c) => c.year === job.year);
  if (classes.length === 0) {
    return {
      ok: false,
      message: `Trường chưa có lớp nào trong năm học ${schoolYearLabel(job.year)}. Hãy tạo lớp (hoặc nhập danh sách lớp) trước khi nhập học sinh.`,
    };
  }
  const ethnicities = await loadCodeList(db, 'DM_DAN_TOC');
  const statuses = await loadCodeList(db, 'DM_TRANG_THAI_HOC_SINH');
  return { ok: true, value: { year: job.year, today, startDate, classes, ethnicities, statuses } };
}

/** The file's own headers, for the planner's messages. */
function fileHeaders(sheet: StudentSheet): StudentContext['headers'] {
  const header = (f: StudentField, label: string) => sheet.columns.get(f)?.header ?? label;
  return {
    learnerId: header('learnerId', 'Mã định danh'),
    citizenId: header('citizenId', 'Số định danh cá nhân'),
    registerNumber: header('registerNumber', 'Số đăng bộ'),
    name: sheet.columns.has('fullName') ? header('fullName', 'Họ và tên') : header('givenName', 'Tên'),
    dob: header('dob', 'Ngày sinh'),
    sex: sheet.columns.has('sex') ? header('sex', 'Giới tính') : header('femaleFlag', 'Nữ'),
  };
}

export const STUDENT_IMPORT: ImportSpec<StudentField, StudentReference, StudentCandidate, StudentContext, StudentPlan> = {
  sheet: STUDENT_SHEET,
  skippedRowWarning: 'Dòng không có họ tên, ngày sinh hay mã định danh nên được bỏ qua',
  nothingToWrite: 'Không có dòng hợp lệ nào để ghi. Hãy tải bảng lỗi, sửa rồi tải lên lại.',
  loadReference: loadStudentReference,
  validate: (sheet, ref) => {
    const { candidates, issues } = validateStudentRows(sheet, ref);
    return { rows: candidates, issues };
  },
  loadContext: async (db, { job, sheet, ref, rows }) => ({
    snapshot: await loadStudentSnapshot(db, job.schoolId, rows),
    statusDate: ref.startDate,
    allowIdentityChanges: job.identityChanges,
    headers: fileHeaders(sheet),
  }),
  plan: planStudentImport,
  write: writeStudentPlan,
  summary: (plan, { errorRows }) => {
    const identityChanged = plan.updates.filter((u) => u.identityChanged.length > 0).length;
    return {
      audit: { identityChanged, errorRows },
      note: identityChanged ? `trong đó sửa họ tên / ngày sinh / giới tính của ${identityChanged.toLocaleString('vi-VN')} học sinh theo tệp` : null,
    };
  },
};
