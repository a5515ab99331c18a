/**
 * Student list import: column layout (our template AND the sector-database export), per-row
 * validation, and matching against the school's existing students. Pure: no database, no
 * HTTP — the benchmark and the unit tests call these directly; student-import.repo.ts loads
 * the snapshot they need and writes the plan.
 */
import {
  ageByCalendarYear,
  checkDateOfBirth,
  formatVnDate,
  isCitizenId,
  isLearnerId,
  isTemporaryLearnerCode,
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
import {
  type CodeItem,
  CodeMatcher,
  type FieldSpec,
  type ImportIssue,
  type ParseFailure,
  type ParsedSheet,
  type RawValue,
  type RowReader,
  type SheetSpec,
  classKey,
  normalizePhone,
  parseGrade,
  parseSheet,
  rowReaders,
} from './sheet-columns.js';

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

const SCHOOL_YEAR_START = (year: number) => `${year}-09-05`;

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
    const birthplace = r.has('birthplace') ? r.text('birthplace', 255) : null;
    const address = r.has('address') ? r.text('address', 500) : null;
    const father = readGuardian(r, 'fatherName', 'fatherPhone', 'cha');
    const mother = readGuardian(r, 'motherName', 'motherPhone', 'mẹ');
    const guardian = readGuardian(r, 'guardianName', 'guardianPhone', 'người giám hộ');

    let rowHasError = false;
    for (let i = start; i < issues.length; i++) if (issues[i].severity === 'error') rowHasError = true;
    if (rowHasError) continue;
    if (!name || !dob || !sex || !klass || !learner || !citizen || birthplace === undefined || address === undefined) continue;
    if (father === undefined || mother === undefined || guardian === undefined || ethnicityCode === null) continue;
    candidates.push({
      row: r.rowNumber,
      learnerId: learner.temp ? null : learner.value,
      tempCode: learner.temp ? learner.value : null,
      citizenId: citizen.value,
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
  dupCheck(
    (c) => (c.learnerId || c.tempCode ? null : `${c.fullName}|${c.dateOfBirth}`),
    sheet.columns.has('fullName') ? 'fullName' : 'givenName',
    'họ tên và ngày sinh (không có mã định danh để phân biệt)',
  );
  issues.sort((a, b) => a.row - b.row);
  return { candidates: candidates.filter((c) => !bad.has(c.row)), issues };
}

// ------------------------------------------------------------------ matching with the database

export type ExistingStudent = {
  id: string;
  person_id: string;
  learner_id: string | null;
  temp_code: string | null;
  citizen_id: string | null;
  family_name: string;
  middle_name: string;
  given_name: string;
  date_of_birth: string;
  sex: Sex;
  ethnicity_code: string;
  status_code: string;
  status_date: string;
  birthplace: string | null;
  address: string | null;
  current_class_id: string | null;
  is_current: boolean;
};

export type ExistingGuardian = { id: string; student_id: string; relation: GuardianRelation; full_name: string; phone: string | null };
export type GuardianRelation = 'father' | 'mother' | 'guardian';

export type StudentSnapshot = {
  schoolId: string;
  /** Every student row of this school (current or not). */
  students: ExistingStudent[];
  guardians: ExistingGuardian[];
  /** Learner ids from the file that belong to a CURRENT student of another school. */
  learnerIdsElsewhere: Set<string>;
  /** Citizen ids from the file → the current student holding it (any school). */
  citizenOwners: Map<string, { schoolId: string; studentId: string }>;
  /**
   * Learner ids from the file seen on NON-current rows (a school the learner left): a new row
   * keeps the same person, provided it is the same person (see the identity rule).
   */
  formerRecords: Map<string, FormerRecord>;
  /** Year of every class of the school (to tell a class change from a promotion). */
  classYears: Map<string, number>;
};

/** The latest earlier record of a learner id, as far as the identity rule needs it. */
export type FormerRecord = {
  personId: string;
  schoolId: string;
  family_name: string;
  middle_name: string;
  given_name: string;
  date_of_birth: string;
  sex: Sex;
};

/**
 * Who a student is, for the import: full name, date of birth, sex. A file may fill in or change
 * everything else about a matched student, but never these on its own: a row whose key (learner
 * id, temporary code, or name + date of birth) finds a student whose identity differs is an
 * identity conflict — refused unless the upload explicitly allows identity changes.
 */
export type IdentityField = 'name' | 'date_of_birth' | 'sex';

type Identity = { family_name: string; middle_name: string; given_name: string; date_of_birth: string; sex: Sex };

const joinName = (p: { family_name: string; middle_name: string; given_name: string }) =>
  [p.family_name, p.middle_name, p.given_name].filter((x) => x !== '').join(' ');

/** Identity fields on which the row and the stored student differ (names compared as written, after normalisation). */
export function identityDiff(stored: Identity, c: StudentCandidate): IdentityField[] {
  const out: IdentityField[] = [];
  if (joinName(stored) !== c.fullName) out.push('name');
  if (stored.date_of_birth !== c.dateOfBirth) out.push('date_of_birth');
  if (stored.sex !== c.sex) out.push('sex');
  return out;
}

const SEX_LABEL: Record<Sex, string> = { male: 'Nam', female: 'Nữ' };

/** "Nguyễn Văn An (sinh ngày 02/03/2014, Nam)": the student as the school knows them. */
const describeStudent = (s: Identity) => `${joinName(s)} (sinh ngày ${formatVnDate(s.date_of_birth)}, ${SEX_LABEL[s.sex]})`;

/** "họ tên "Nguyễn Văn Anh" (trường đang ghi "Nguyễn Văn An"); ngày sinh …" */
function describeDiff(stored: Identity, c: StudentCandidate, diff: IdentityField[]): string {
  const parts = diff.map((f) =>
    f === 'name'
      ? `họ tên "${c.fullName}" (trường đang ghi "${joinName(stored)}")`
      : f === 'date_of_birth'
        ? `ngày sinh ${formatVnDate(c.dateOfBirth)} (trường đang ghi ${formatVnDate(stored.date_of_birth)})`
        : `giới tính ${SEX_LABEL[c.sex]} (trường đang ghi ${SEX_LABEL[stored.sex]})`,
  );
  return parts.join('; ');
}

export const IDENTITY_MODE_LABEL = 'Cho phép sửa họ tên / ngày sinh / giới tính theo tệp';

export type StudentRow = {
  learner_id: string | null;
  temp_code: string | null;
  citizen_id: string | null;
  family_name: string;
  middle_name: string;
  given_name: string;
  name_sort_key: string;
  search_text: string;
  date_of_birth: string;
  sex: Sex;
  ethnicity_code: string;
  status_code: string;
  status_date: string;
  birthplace: string | null;
  address: string | null;
  current_class_id: string | null;
};

export type GuardianWrite =
  | { op: 'insert'; relation: GuardianRelation; name: string; phone: string | null }
  | { op: 'update'; id: string; relation: GuardianRelation; name: string; phone: string | null; before: { name: string; phone: string | null } };

export type PlannedCreate = { candidate: StudentCandidate; personId: string | null; needsTempCode: boolean; row: StudentRow; guardians: GuardianWrite[] };

export type PlannedUpdate = {
  candidate: StudentCandidate;
  existing: ExistingStudent;
  /** The full row after the update (unchanged columns keep their stored value). */
  row: StudentRow;
  changed: (keyof StudentRow)[];
  /** Identity fields this update changes: only ever non-empty when the upload allowed it. */
  identityChanged: IdentityField[];
  classMove: { from: string | null; to: string; kind: 'class_transfer' | 'promoted' } | null;
  statusChanged: boolean;
  guardians: GuardianWrite[];
};

export type StudentPlan = { creates: PlannedCreate[]; updates: PlannedUpdate[]; issues: ImportIssue[] };

function guardianWrites(c: StudentCandidate, existing: ExistingGuardian[]): GuardianWrite[] {
  const out: GuardianWrite[] = [];
  for (const relation of ['father', 'mother', 'guardian'] as const) {
    const g = c[relation];
    if (!g) continue;
    const cur = existing.find((e) => e.relation === relation);
    if (!cur) out.push({ op: 'insert', relation, name: g.name, phone: g.phone });
    else if (cur.full_name !== g.name || (g.phone !== null && cur.phone !== g.phone)) {
      out.push({ op: 'update', id: cur.id, relation, name: g.name, phone: g.phone ?? cur.phone, before: { name: cur.full_name, phone: cur.phone } });
    }
  }
  return out;
}

export type PlanContext = {
  statusDate: string;
  /** The uploader asked for (and may use) "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp". */
  allowIdentityChanges?: boolean;
  /** The file's own headers, for messages. */
  headers: { learnerId: string; citizenId: string; name: string; dob?: string; sex?: string };
};

/**
 * Decides, for every valid row, whether it updates an existing student of the school or
 * creates one, and finds conflicts only the database can reveal.
 *
 * Match order: learner id → temporary code → (full name + date of birth). A row with a
 * learner id that is not yet stored may match a student who has no learner id yet by name
 * and date of birth (that is how Ministry ids get filled in); a row without any id matches a
 * current student by name and date of birth when exactly one has them.
 *
 * Whatever matched, the student's identity (full name, date of birth, sex) must agree with the
 * row unless ctx.allowIdentityChanges (see identityDiff); the same holds for a learner id that
 * continues an earlier school's record, and there it holds in every mode.
 */
export function planStudentImport(candidates: StudentCandidate[], snap: StudentSnapshot, ctx: PlanContext): StudentPlan {
  const issues: ImportIssue[] = [];
  const allowIdentity = ctx.allowIdentityChanges === true;
  const current = snap.students.filter((s) => s.is_current);
  const byLearner = new Map(current.filter((s) => s.learner_id).map((s) => [s.learner_id as string, s]));
  const byTemp = new Map(snap.students.filter((s) => s.temp_code).map((s) => [s.temp_code as string, s]));
  const byNameDob = new Map<string, ExistingStudent[]>();
  for (const s of current) {
    const k = `${searchFold([s.family_name, s.middle_name, s.given_name].filter(Boolean).join(' '))}|${s.date_of_birth}`;
    const list = byNameDob.get(k);
    if (list) list.push(s);
    else byNameDob.set(k, [s]);
  }
  const guardiansOf = new Map<string, ExistingGuardian[]>();
  for (const g of snap.guardians) {
    const list = guardiansOf.get(g.student_id);
    if (list) list.push(g);
    else guardiansOf.set(g.student_id, [g]);
  }
  const claimed = new Map<string, number>(); // existing student id → file row
  const creates: PlannedCreate[] = [];
  const updates: PlannedUpdate[] = [];

  const err = (c: StudentCandidate, column: string, value: string | null, message: string) =>
    issues.push({ row: c.row, column, value, message, severity: 'error' });
  // The conflict is reported on the first differing field, with the file's value there.
  const conflictAt = (c: StudentCandidate, diff: IdentityField[]): [string, string] => {
    const f = diff[0];
    if (f === 'date_of_birth') return [ctx.headers.dob ?? 'Ngày sinh', formatVnDate(c.dateOfBirth)];
    if (f === 'sex') return [ctx.headers.sex ?? 'Giới tính', SEX_LABEL[c.sex]];
    return [ctx.headers.name, c.fullName];
  };

  for (const c of candidates) {
    let match: ExistingStudent | undefined;
    let matchedBy: 'learnerId' | 'tempCode' | 'nameDob' = 'nameDob';
    let fail = false;
    if (c.learnerId) {
      match = byLearner.get(c.learnerId);
      if (match) matchedBy = 'learnerId';
      if (!match && snap.learnerIdsElsewhere.has(c.learnerId)) {
        err(c, ctx.headers.learnerId, c.learnerId, 'Mã định danh đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường');
        fail = true;
      }
      if (!match && !fail) {
        const same = (byNameDob.get(c.nameDobKey) ?? []).filter((s) => !s.learner_id);
        if (same.length === 1) match = same[0];
      }
    } else if (c.tempCode) {
      match = byTemp.get(c.tempCode);
      matchedBy = 'tempCode';
      if (match && !match.is_current) {
        err(c, ctx.headers.learnerId, c.tempCode, 'Mã tạm này thuộc học sinh đã rời trường; hãy xóa mã tạm nếu đây là học sinh mới');
        fail = true;
      }
    } else {
      const same = byNameDob.get(c.nameDobKey) ?? [];
      if (same.length > 1) {
        err(c, ctx.headers.name, c.fullName, `Có ${same.length} học sinh cùng họ tên và ngày sinh trong trường; hãy ghi mã định danh để phân biệt`);
        fail = true;
      } else match = same[0];
    }
    if (!fail && match) {
      const other = claimed.get(match.id);
      if (other !== undefined) {
        err(c, ctx.headers.name, c.fullName, `Dòng này và dòng ${other} cùng khớp với một học sinh đã có trong trường; hãy kiểm tra mã định danh`);
        fail = true;
      } else if (c.learnerId && match.learner_id && match.learner_id !== c.learnerId) {
        err(c, ctx.headers.learnerId, c.learnerId, `Học sinh này đã có mã định danh ${match.learner_id} khác với mã trong tệp`);
        fail = true;
      }
    }
    // Identity rule, for a student of this school the row would update.
    let identityChanged: IdentityField[] = [];
    if (!fail && match) {
      const diff = identityDiff(match, c);
      if (diff.length > 0 && !allowIdentity) {
        const key =
          matchedBy === 'learnerId'
            ? `mã định danh ${c.learnerId} trong tệp là của học sinh ${describeStudent(match)} của trường`
            : matchedBy === 'tempCode'
              ? `mã tạm ${c.tempCode} trong tệp là của học sinh ${describeStudent(match)} của trường`
              : `họ tên (không kể dấu, hoa thường) và ngày sinh trong tệp khớp với học sinh ${describeStudent(match)} của trường`;
        const [column, value] = conflictAt(c, diff);
        err(
          c,
          column,
          value,
          `Không khớp thông tin nhận dạng: ${key}, nhưng tệp ghi ${describeDiff(match, c, diff)}. Chưa ghi gì cho dòng này (không ghi đè). ` +
            `Nếu mã hoặc thông tin trong tệp bị nhầm, hãy sửa tệp; nếu tệp đúng (ví dụ đã sửa theo giấy khai sinh), hiệu trưởng tải tệp lên lại với tùy chọn "${IDENTITY_MODE_LABEL}".`,
        );
        fail = true;
      } else identityChanged = diff;
    }
    // A new row that continues the record of a learner who left a school must be that learner.
    const former = !fail && !match && c.learnerId ? snap.formerRecords.get(c.learnerId) : undefined;
    if (former) {
      const diff = identityDiff(former, c);
      if (diff.length > 0) {
        if (former.schoolId === snap.schoolId) {
          const [column, value] = conflictAt(c, diff);
          err(
            c,
            column,
            value,
            `Không khớp thông tin nhận dạng: mã định danh ${c.learnerId} là của học sinh ${describeStudent(former)} đã từng học ở trường, nhưng tệp ghi ${describeDiff(former, c, diff)}. Chưa ghi gì cho dòng này. ` +
              'Hãy kiểm tra lại mã định danh; nếu đúng là học sinh này trở lại trường, hãy ghi họ tên, ngày sinh, giới tính như hồ sơ cũ, nhập xong rồi sửa trên hồ sơ học sinh.',
          );
        } else {
          // Another school's record: say nothing that identifies it, not even which field differs.
          err(
            c,
            ctx.headers.learnerId,
            c.learnerId,
            'Mã định danh này đã có trong hệ thống cho một học sinh có họ tên, ngày sinh hoặc giới tính khác với tệp; chưa ghi gì cho dòng này. ' +
              'Hãy kiểm tra lại mã định danh; nếu mã đúng, hãy đối chiếu với trường cũ của học sinh hoặc phòng/sở giáo dục.',
          );
        }
        fail = true;
      }
    }
    if (!fail && c.citizenId) {
      const owner = snap.citizenOwners.get(c.citizenId);
      if (owner && owner.studentId !== match?.id) {
        err(
          c,
          ctx.headers.citizenId,
          c.citizenId,
          owner.schoolId === snap.schoolId
            ? 'Số định danh cá nhân đã thuộc một học sinh khác của trường; hãy kiểm tra lại'
            : 'Số định danh cá nhân đã thuộc một học sinh đang học ở trường khác; hãy làm thủ tục chuyển trường',
        );
        fail = true;
      }
    }
    if (fail) continue;

    if (!match) {
      creates.push({
        candidate: c,
        personId: former?.personId ?? null,
        // A learner with neither id gets a temporary code when the plan is written (modules/students/temp-codes.ts).
        needsTempCode: !c.learnerId && !c.tempCode,
        row: {
          learner_id: c.learnerId,
          temp_code: c.learnerId ? null : c.tempCode,
          citizen_id: c.citizenId,
          family_name: c.familyName,
          middle_name: c.middleName,
          given_name: c.givenName,
          name_sort_key: c.sortKey,
          search_text: c.searchText,
          date_of_birth: c.dateOfBirth,
          sex: c.sex,
          ethnicity_code: c.ethnicityCode ?? '01',
          status_code: c.statusCode ?? '01',
          status_date: ctx.statusDate,
          birthplace: c.birthplace,
          address: c.address,
          current_class_id: c.classId,
        },
        guardians: guardianWrites(c, []),
      });
      continue;
    }

    claimed.set(match.id, c.row);
    const m = match;
    // The same full name split differently ("Âu Dương | Bình" vs "Âu | Dương | Bình") is not a
    // change of name: the stored split stays.
    const keepName = !identityChanged.includes('name');
    const nameParts = keepName
      ? { familyName: m.family_name, middleName: m.middle_name, givenName: m.given_name }
      : { familyName: c.familyName, middleName: c.middleName, givenName: c.givenName };
    const row: StudentRow = {
      learner_id: c.learnerId ?? m.learner_id,
      temp_code: m.temp_code,
      citizen_id: c.citizenId ?? m.citizen_id,
      family_name: nameParts.familyName,
      middle_name: nameParts.middleName,
      given_name: nameParts.givenName,
      name_sort_key: keepName ? nameSortKey(nameParts) : c.sortKey,
      search_text: keepName ? searchFold(joinName(m)) : c.searchText,
      date_of_birth: c.dateOfBirth,
      sex: c.sex,
      ethnicity_code: c.ethnicityCode ?? m.ethnicity_code,
      status_code: c.statusCode ?? m.status_code,
      status_date: m.status_date,
      birthplace: c.birthplace ?? m.birthplace,
      address: c.address ?? m.address,
      current_class_id: c.classId,
    };
    const statusChanged = row.status_code !== m.status_code;
    if (statusChanged) row.status_date = ctx.statusDate;
    const compared: (keyof StudentRow)[] = [
      'learner_id', 'citizen_id', 'family_name', 'middle_name', 'given_name', 'date_of_birth', 'sex', 'ethnicity_code',
      'status_code', 'birthplace', 'address', 'current_class_id',
    ];
    const changed = compared.filter((k) => row[k] !== m[k as keyof ExistingStudent]);
    let classMove: PlannedUpdate['classMove'] = null;
    if (row.current_class_id !== m.current_class_id) {
      const fromYear = m.current_class_id ? snap.classYears.get(m.current_class_id) : undefined;
      const toYear = snap.classYears.get(c.classId);
      classMove = {
        from: m.current_class_id,
        to: c.classId,
        kind: fromYear !== undefined && toYear !== undefined && fromYear < toYear ? 'promoted' : 'class_transfer',
      };
    }
    updates.push({
      candidate: c,
      existing: m,
      row,
      changed,
      identityChanged,
      classMove,
      statusChanged,
      guardians: guardianWrites(c, guardiansOf.get(m.id) ?? []),
    });
  }
  issues.sort((a, b) => a.row - b.row);
  return { creates, updates, issues };
}

/** The student fields shown in audit rows and in the import summary. */
export function auditView(row: StudentRow, keys?: (keyof StudentRow)[]): Record<string, unknown> {
  const pick = keys ?? (Object.keys(row) as (keyof StudentRow)[]).filter((k) => k !== 'name_sort_key' && k !== 'search_text');
  return Object.fromEntries(pick.map((k) => [k, row[k]]));
}

export const studentYearStart = SCHOOL_YEAR_START;

/** For callers that only have the raw value (tests). */
export function isAcceptedSexValue(v: RawValue): boolean {
  return new CodeMatcher([{ code: '01', name: 'Nam' }, { code: '02', name: 'Nữ' }], SEX_ALIASES).match(v) !== null;
}
