import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntity } from '../../platform/audit-actions.js';
import { type AuditNames, type AuditRecord, type AuditView, OTHER_FIELD_LABEL, auditRefs, emptyNames, presentAuditEntry } from './audit-presenter.js';

// Every audited action, rendered from a row shaped as its writer writes it (issue 8: "Học sinh
// #c26866", `given_name`, `male`, "2014-08-27", ethnicity "04" and guardians as JSON must never
// reach a reader). SAMPLES is a Record over AuditAction: an action added to AUDIT_ACTIONS without a
// sample here fails the type check, and one without a presentation fails it in the presenter.

const U = (n: number) => `0192f0a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
const ID = {
  school: U(1),
  school2: U(2),
  commune: U(3),
  student: U(10),
  student2: U(11),
  person: U(12),
  class6a1: U(20),
  class6a2: U(21),
  classB: U(22),
  staff: U(30),
  user: U(40),
  parentUser: U(41),
  grant: U(42),
  job: U(50),
  transfer: U(60),
  guardianMother: U(70),
  guardianFather: U(71),
  consent: U(80),
  enrolment: U(90),
  enrolment2: U(91),
  site: U(92),
};

const names: AuditNames = emptyNames();
names.unit.set(ID.school, 'Trường THCS Lê Lợi');
names.unit.set(ID.school2, 'Trường THCS Nguyễn Du');
names.unit.set(ID.commune, 'UBND xã Tân Phú');
names.unit.set(ID.site, 'Điểm trường Bản Mới');
names.class.set(ID.class6a1, '6A1');
names.class.set(ID.class6a2, '6A2');
names.class.set(ID.classB, '6B3');
names.staff.set(ID.staff, 'Hà Văn Sơn');
names.user.set(ID.user, 'Trần Thị Hương');
names.user.set(ID.parentUser, 'Nguyễn Thị Lan');
names.student.set(ID.student, 'Nguyễn Văn An');

const guardians = [
  { school_id: ID.school, id: ID.guardianMother, student_id: ID.student, relation: 'mother', full_name: 'Nguyễn Thị Lan', phone: '0912345678', email: null, occupation: 'Giáo viên', birth_year: 1985, user_id: ID.parentUser },
  { school_id: ID.school, id: ID.guardianFather, student_id: ID.student, relation: 'father', full_name: 'Nguyễn Văn Bình', phone: null, email: null, occupation: null, birth_year: null, user_id: null },
];
const studentRow = {
  school_id: ID.school,
  id: ID.student,
  person_id: ID.person,
  learner_id: '0123456789',
  temp_code: null,
  citizen_id: '001214012345',
  family_name: 'Nguyễn',
  middle_name: 'Văn',
  given_name: 'An',
  name_sort_key: 'an|van|nguyen',
  search_text: 'nguyen van an',
  date_of_birth: '2014-08-27',
  sex: 'male',
  ethnicity_code: '01',
  religion_code: null,
  birthplace: 'Hà Nội',
  address: 'Số 5, ngõ 12, phố Huế',
  status_code: '01',
  status_date: '2025-09-05',
  is_current: true,
  current_class_id: ID.class6a1,
  created_at: '2025-09-05T01:00:00.000Z',
  updated_at: '2025-09-05T01:00:00.000Z',
};
const studentSnap = { ...studentRow, guardians };
const enrolment = { school_id: ID.school, id: ID.enrolment, student_id: ID.student, class_id: ID.class6a1, year: 2025, start_date: '2025-09-05', end_date: null };
const staffRow = {
  school_id: ID.school,
  id: ID.staff,
  staff_code: 'GV001',
  family_name: 'Hà',
  middle_name: 'Văn',
  given_name: 'Sơn',
  date_of_birth: '1985-03-12',
  sex: 'male',
  ethnicity_code: '04',
  citizen_id: '001085012345',
  phone: '0987654321',
  email: 'son.hv@example.edu.vn',
  position: 'teacher',
  qualification_code: '13',
  contract_type_code: '07',
  subject_codes: ['toan', 'tin_hoc'],
  status: 'active',
  school_contact: 'Tổ Toán – Tin',
};
const classRow = {
  school_id: ID.school,
  id: ID.class6a1,
  year: 2025,
  name: '6A1',
  grade: 6,
  age_group: null,
  site_id: ID.site,
  homeroom_teacher_id: ID.staff,
  session: 'full_day',
  is_multi_grade: false,
};
const unitVersion = {
  unit_id: ID.school,
  valid_from: '2025-07-01',
  valid_to: null,
  parent_id: ID.commune,
  name: 'Trường THCS Lê Lợi',
  school_levels: ['lower_secondary'],
  ownership: 'public',
  area: 'rural',
  province_code: null,
  address: 'Xã Tân Phú',
  change_reason: 'Thành lập',
};
const transferRow = {
  id: ID.transfer,
  kind: 'request',
  from_school_id: ID.school2,
  to_school_id: ID.school,
  from_student_id: ID.student,
  person_id: ID.person,
  to_class_id: ID.class6a1,
  status: 'pending',
  effective_date: '2026-01-05',
  note: 'Gia đình chuyển nơi ở',
  created_by: ID.user,
};

type Sample = { entity: AuditEntity; targetLabel: string | null; before?: unknown; after?: unknown; expect: string[] };

const SAMPLES: Record<AuditAction, Sample> = {
  'student.create': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: studentSnap, expect: ['Ngày sinh: 27/08/2014', 'Giới tính: Nam', 'Dân tộc: Kinh', 'Họ và tên: Nguyễn Văn An', 'Cha mẹ / người giám hộ: Mẹ: Nguyễn Thị Lan, sinh năm 1985, 0912345678, Giáo viên; Cha: Nguyễn Văn Bình', 'Lớp: 6A1'] },
  'student.update': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn Ân',
    before: studentSnap,
    after: { ...studentSnap, given_name: 'Ân', date_of_birth: '2014-08-28', sex: 'female', ethnicity_code: '02', religion_code: '01', updated_at: '2025-10-01T02:00:00.000Z', guardians: [{ ...guardians[0], phone: '0912000111' }] },
    expect: ['Họ và tên: Nguyễn Văn An → Nguyễn Văn Ân', 'Ngày sinh: 27/08/2014 → 28/08/2014', 'Giới tính: Nam → Nữ', 'Dân tộc: Kinh → Tày', 'Tôn giáo: (trống) → Phật giáo'],
  },
  'student.transfer_class': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    before: { ...studentRow, enrolment },
    after: { ...studentRow, current_class_id: ID.class6a2, enrolment: { ...enrolment, id: ID.enrolment2, class_id: ID.class6a2, start_date: '2025-11-03' } },
    expect: ['Lớp: 6A1 → 6A2', 'Xếp lớp: 6A1 từ 05/09/2025 → 6A2 từ 03/11/2025'],
  },
  'student.status_change': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    before: studentRow,
    after: { ...studentRow, status_code: '05', status_date: '2025-12-01', is_current: false },
    expect: ['Trạng thái: Đang học → Thôi học kỳ 1', 'Ngày của trạng thái: 05/09/2025 → 01/12/2025', 'Đang học tại trường: Có → Không'],
  },
  'student.transfer_out': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    before: studentSnap,
    after: { ...studentRow, status_code: '04', is_current: false, status_date: '2026-01-05', toSchoolId: ID.school2, transferId: ID.transfer },
    expect: ['Trạng thái: Đang học → Chuyển đi kỳ 1', 'Trường chuyển đến: Trường THCS Nguyễn Du'],
  },
  'student.transfer_in': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { ...studentSnap, id: ID.student2, status_code: '02', fromSchoolId: ID.school2, fromStudentId: ID.student, transferId: ID.transfer, parentGrants: [ID.parentUser], studentAccounts: [] },
    expect: ['Trạng thái: Chuyển đến kỳ 1', 'Trường chuyển đi: Trường THCS Nguyễn Du', 'Tài khoản cha mẹ được xem hồ sơ: Nguyễn Thị Lan'],
  },
  'student.import_create': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: {
      ...studentRow,
      guardians: [{ relation: 'mother', name: 'Nguyễn Thị Lan', phone: '0912345678' }],
      importJobId: ID.job,
      row: 7,
    },
    expect: ['Cha mẹ / người giám hộ: Mẹ: Nguyễn Thị Lan, 0912345678', 'Dòng trong tệp: 7'],
  },
  'student.import_update': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    before: { address: 'Số 5, ngõ 12, phố Huế', ethnicity_code: '01' },
    after: { address: 'Số 7, ngõ 12, phố Huế', ethnicity_code: '04', guardians: [{ relation: 'father', name: 'Nguyễn Văn Bình', phone: '0903111222', before: { name: 'Nguyễn Văn Bình', phone: null } }], importJobId: ID.job, row: 12 },
    expect: ['Địa chỉ: Số 5, ngõ 12, phố Huế → Số 7, ngõ 12, phố Huế', 'Dân tộc: Kinh → Hoa', 'Cha mẹ / người giám hộ: Cha: Nguyễn Văn Bình, 0903111222 (trước: Nguyễn Văn Bình)', 'Dòng trong tệp: 12'],
  },
  'student.import_identity_change': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn Ân',
    before: { given_name: 'An', family_name: 'Nguyễn', middle_name: 'Văn', date_of_birth: '2014-08-27', sex: 'male' },
    after: { given_name: 'Ân', family_name: 'Nguyễn', middle_name: 'Văn', date_of_birth: '2014-08-28', sex: 'female', identityFields: ['given_name', 'date_of_birth', 'sex'], importJobId: ID.job, row: 3 },
    expect: ['Họ và tên: Nguyễn Văn An → Nguyễn Văn Ân', 'Ngày sinh: 27/08/2014 → 28/08/2014', 'Thông tin định danh thay đổi: Họ và tên, Ngày sinh, Giới tính'],
  },
  'student.personal_data_export': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { format: 'json' }, expect: ['Hình thức tệp: Tệp dữ liệu máy đọc được (JSON)'] },
  'student.anonymise': {
    entity: 'student',
    targetLabel: 'Học sinh đã ẩn danh',
    after: { retentionYears: 5, leftOn: '2020-06-01', consentCounts: { photo_publish: { give: 1, withdraw: 1 } } },
    expect: ['Thời hạn lưu trữ (năm): 5', 'Ngày rời trường: 01/06/2020', 'Các lần đồng ý / rút lại đã xoá: Đăng ảnh, video của học sinh lên website, trang mạng xã hội của trường: 1 lần đồng ý, 1 lần rút lại'],
  },
  'consent.give': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { consentId: ID.consent, purpose: 'contact_book', giver: 'guardian', method: 'paper', effectiveDate: '2025-09-10' },
    expect: ['Mục đích: Gửi tin nhắn sổ liên lạc điện tử', 'Người thể hiện sự đồng ý: Cha mẹ / người giám hộ', 'Cách ghi nhận: Văn bản giấy', 'Ngày hiệu lực: 10/09/2025'],
  },
  'consent.withdraw': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { consentId: ID.consent, purpose: 'photo_publish', giver: 'student', method: 'online', effectiveDate: '2025-10-10' },
    expect: ['Người thể hiện sự đồng ý: Học sinh', 'Cách ghi nhận: Trực tuyến'],
  },
  'staff.create': {
    entity: 'staff',
    targetLabel: 'Hà Văn Sơn',
    after: staffRow,
    expect: ['Họ và tên: Hà Văn Sơn', 'Ngày sinh: 12/03/1985', 'Dân tộc: Hoa', 'Chức vụ: Giáo viên', 'Môn dạy: Toán, Tin học', 'Trình độ chuyên môn: Đại học và có chứng chỉ BDNVSP', 'Hình thức hợp đồng: Viên chức/Công chức HĐLV không xác định thời hạn', 'Trạng thái: Đang công tác'],
  },
  'staff.update': {
    entity: 'staff',
    targetLabel: 'Hà Văn Sơn',
    before: { ...staffRow, created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-01T00:00:00Z' },
    after: { ...staffRow, status: 'left', subject_codes: ['toan'], created_at: '2025-01-01T00:00:00Z', updated_at: '2025-12-01T00:00:00Z' },
    expect: ['Trạng thái: Đang công tác → Đã nghỉ', 'Môn dạy: Toán, Tin học → Toán'],
  },
  'staff.import_create': {
    entity: 'staff',
    targetLabel: 'Hà Văn Sơn',
    after: { ...staffRow, school_id: undefined, id: undefined, status: undefined, school_contact: undefined, importJobId: ID.job, row: 4 },
    expect: ['Họ và tên: Hà Văn Sơn', 'Dòng trong tệp: 4'],
  },
  'staff.import_update': {
    entity: 'staff',
    targetLabel: 'Hà Văn Sơn',
    before: { phone: null, position: 'teacher' },
    after: { phone: '0987654321', position: 'vice_principal', importJobId: ID.job, row: 5 },
    expect: ['Điện thoại: (trống) → 0987654321', 'Chức vụ: Giáo viên → Phó hiệu trưởng'],
  },
  'class.create': { entity: 'class', targetLabel: '6A1 (2025-2026)', after: classRow, expect: ['Năm học: 2025-2026', 'Tên lớp: 6A1', 'Khối: Khối 6', 'Buổi học: Cả ngày', 'Giáo viên chủ nhiệm: Hà Văn Sơn', 'Điểm trường: Điểm trường Bản Mới', 'Lớp ghép: Không'] },
  'class.update': {
    entity: 'class',
    targetLabel: '6A2 (2025-2026)',
    before: classRow,
    after: { ...classRow, name: '6A2', session: 'morning', homeroom_teacher_id: null },
    expect: ['Tên lớp: 6A1 → 6A2', 'Buổi học: Cả ngày → Sáng', 'Giáo viên chủ nhiệm: Hà Văn Sơn → (trống)'],
  },
  'class.import_create': {
    entity: 'class',
    targetLabel: '6A1 (2025-2026)',
    after: { year: 2025, name: '6A1', grade: 6, session: 'full_day', is_multi_grade: false, homeroom_teacher_id: ID.staff, importJobId: ID.job, row: 2 },
    expect: ['Tên lớp: 6A1', 'Giáo viên chủ nhiệm: Hà Văn Sơn'],
  },
  'class.import_update': {
    entity: 'class',
    targetLabel: '6A1 (2025-2026)',
    before: { is_multi_grade: false },
    after: { is_multi_grade: true, importJobId: ID.job, row: 2 },
    expect: ['Lớp ghép: Không → Có'],
  },
  'assignment.create': {
    entity: 'teaching_assignment',
    targetLabel: 'Toán, lớp 6A1, học kì I 2025-2026',
    after: { school_id: ID.school, id: U(99), year: 2025, term: 1, class_id: ID.class6a1, subject_code: 'toan', staff_id: ID.staff },
    expect: ['Học kì: Học kì I', 'Lớp: 6A1', 'Môn học: Toán', 'Giáo viên: Hà Văn Sơn'],
  },
  'assignment.delete': {
    entity: 'teaching_assignment',
    targetLabel: 'Ngữ văn, lớp 6A1, học kì II 2025-2026',
    before: { school_id: ID.school, id: U(98), year: 2025, term: 2, class_id: ID.class6a1, subject_code: 'ngu_van', staff_id: ID.staff },
    expect: ['Môn học: Ngữ văn', 'Học kì: Học kì II'],
  },
  'school_year.create': {
    entity: 'school_year',
    targetLabel: '2025-2026',
    before: null,
    after: { school_id: ID.school, year: 2025, term1_start: '2025-09-05', term1_end: '2026-01-10', term2_start: '2026-01-12', term2_end: '2026-05-25' },
    expect: ['Ngày bắt đầu học kì I: 05/09/2025', 'Ngày kết thúc học kì II: 25/05/2026'],
  },
  'school_year.update': {
    entity: 'school_year',
    targetLabel: '2025-2026',
    before: { school_id: ID.school, year: 2025, term1_start: '2025-09-05', term1_end: '2026-01-10', term2_start: '2026-01-12', term2_end: '2026-05-25' },
    after: { school_id: ID.school, year: 2025, term1_start: '2025-09-05', term1_end: '2026-01-17', term2_start: '2026-01-19', term2_end: '2026-05-25' },
    expect: ['Ngày kết thúc học kì I: 10/01/2026 → 17/01/2026', 'Ngày bắt đầu học kì II: 12/01/2026 → 19/01/2026'],
  },
  'school_year.lesson_attendance': { entity: 'school_year', targetLabel: 'Năm học 2025-2026', before: { lesson_attendance: false }, after: { lesson_attendance: true }, expect: ['Điểm danh theo tiết: Không → Có'] },
  'school_subject.create': {
    entity: 'school_subject',
    targetLabel: 'Tin học khối 6 (2025-2026)',
    after: { school_id: ID.school, year: 2025, grade: 6, subject_code: 'tin_hoc', periods_per_year: 35, assessment_kind: 'mixed', is_taught: true },
    expect: ['Số tiết cả năm: 35', 'Hình thức đánh giá: Cho điểm kết hợp nhận xét', 'Có dạy: Có'],
  },
  'school_subject.update': {
    entity: 'school_subject',
    targetLabel: 'Tin học khối 6 (2025-2026)',
    before: { school_id: ID.school, year: 2025, grade: 6, subject_code: 'tin_hoc', periods_per_year: 35, assessment_kind: 'mixed', is_taught: true },
    after: { school_id: ID.school, year: 2025, grade: 6, subject_code: 'tin_hoc', periods_per_year: 70, assessment_kind: 'score', is_taught: false },
    expect: ['Số tiết cả năm: 35 → 70', 'Hình thức đánh giá: Cho điểm kết hợp nhận xét → Cho điểm', 'Có dạy: Có → Không'],
  },
  'import.students': {
    entity: 'import_job',
    targetLabel: 'hoc-sinh-6A1.xlsx',
    after: { fileName: 'hoc-sinh-6A1.xlsx', mode: 'all_or_nothing', identityChanges: false, year: 2025, totalRows: 40, created: 38, updated: 2, unchanged: 0, identityChanged: 0, errorCount: 0, errorRows: 0 },
    expect: ['Cách ghi: Ghi tất cả hoặc không ghi gì', 'Số dòng trong tệp: 40', 'Năm học: 2025-2026'],
  },
  'import.staff': {
    entity: 'import_job',
    targetLabel: 'can-bo.xlsx',
    after: { fileName: 'can-bo.xlsx', mode: 'valid_only', identityChanges: false, year: 2025, totalRows: 1200, created: 1180, updated: 0, unchanged: 0, errorCount: 20 },
    expect: ['Cách ghi: Chỉ ghi các dòng hợp lệ', 'Số dòng trong tệp: 1.200', 'Số lỗi: 20'],
  },
  'import.classes': {
    entity: 'import_job',
    targetLabel: 'lop.xlsx',
    after: { fileName: 'lop.xlsx', mode: 'all_or_nothing', identityChanges: false, year: 2025, totalRows: 12, created: 12, updated: 0, unchanged: 0, errorCount: 0 },
    expect: ['Số bản ghi thêm mới: 12'],
  },
  'org_unit.create': { entity: 'org_unit', targetLabel: 'Trường THCS Lê Lợi', after: unitVersion, expect: ['Tên đơn vị: Trường THCS Lê Lợi', 'Cấp học: Trung học cơ sở', 'Loại hình: Công lập', 'Khu vực: Nông thôn', 'Đơn vị quản lý: UBND xã Tân Phú', 'Hiệu lực từ ngày: 01/07/2025'] },
  'org_unit.move': {
    entity: 'org_unit',
    targetLabel: 'Trường THCS Lê Lợi',
    before: { ...unitVersion, parent_id: ID.school2, valid_from: '2020-01-01', change_reason: 'Thành lập' },
    after: { ...unitVersion, change_reason: 'Chuyển đơn vị quản lý' },
    expect: ['Đơn vị quản lý: Trường THCS Nguyễn Du → UBND xã Tân Phú', 'Hiệu lực từ ngày: 01/01/2020 → 01/07/2025'],
  },
  'org_unit.rename': {
    entity: 'org_unit',
    targetLabel: 'Trường THCS Lê Lợi mới',
    before: unitVersion,
    after: { ...unitVersion, name: 'Trường THCS Lê Lợi mới', valid_from: '2026-01-01', change_reason: 'Đổi tên' },
    expect: ['Tên đơn vị: Trường THCS Lê Lợi → Trường THCS Lê Lợi mới'],
  },
  'org_unit.close': {
    entity: 'org_unit',
    targetLabel: 'Trường THCS Lê Lợi',
    before: unitVersion,
    after: { ...unitVersion, valid_to: '2026-06-30' },
    expect: ['Hiệu lực đến ngày: (trống) → 30/06/2026'],
  },
  'school_transfer.lookup': { entity: 'school_transfer', targetLabel: null, after: { learnerId: '0123456789', matched: false }, expect: ['Mã định danh được tra cứu: 0123456789', 'Tìm thấy học sinh: Không'] },
  'school_transfer.request': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    after: transferRow,
    expect: ['Hình thức: Trường nhận đề nghị tiếp nhận', 'Trạng thái: Đang chờ', 'Trường chuyển đi: Trường THCS Nguyễn Du', 'Lớp chuyển đến: 6A1', 'Ngày chuyển: 05/01/2026', 'Học sinh: Nguyễn Văn An', 'Người tạo: Trần Thị Hương'],
  },
  'school_transfer.issue': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    after: { ...transferRow, kind: 'issue', from_school_id: ID.school, to_school_id: ID.school2, to_class_id: null },
    expect: ['Hình thức: Trường đi giới thiệu chuyển', 'Trường chuyển đến: Trường THCS Nguyễn Du'],
  },
  'school_transfer.approve': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    before: { status: 'pending' },
    after: { status: 'completed', toClassId: ID.class6a1, toStudentId: ID.student2 },
    expect: ['Trạng thái: Đang chờ → Đã chuyển', 'Lớp chuyển đến: 6A1'],
  },
  'school_transfer.accept': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    before: { status: 'pending' },
    after: { status: 'completed', toClassId: ID.classB, toStudentId: ID.student2 },
    expect: ['Trạng thái: Đang chờ → Đã chuyển', 'Lớp chuyển đến: 6B3'],
  },
  'school_transfer.decline': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    before: { status: 'pending' },
    after: { status: 'declined', reason: 'Lớp đã đủ sĩ số' },
    expect: ['Trạng thái: Đang chờ → Bị từ chối', 'Lý do: Lớp đã đủ sĩ số'],
  },
  'school_transfer.cancel': {
    entity: 'school_transfer',
    targetLabel: 'Nguyễn Văn An',
    before: { status: 'pending' },
    after: { status: 'cancelled', reason: null },
    expect: ['Trạng thái: Đang chờ → Đã huỷ'],
  },
  'user.create': {
    entity: 'app_user',
    targetLabel: 'Nguyễn Thị Lan (ph.lan)',
    after: { username: 'ph.lan', displayName: 'Nguyễn Thị Lan', role: 'parent', orgUnitId: ID.school, staffId: null, studentId: null, mustChangePassword: true },
    expect: ['Tên đăng nhập: ph.lan', 'Vai trò: Cha mẹ học sinh', 'Đơn vị: Trường THCS Lê Lợi', 'Phải đổi mật khẩu khi đăng nhập: Có'],
  },
  'role_grant.create': {
    entity: 'role_grant',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    after: { userId: ID.user, username: 'gv.son', role: 'homeroom_teacher', orgUnitId: ID.school },
    expect: ['Vai trò: Giáo viên chủ nhiệm', 'Đơn vị: Trường THCS Lê Lợi'],
  },
  'role_grant.delete': {
    entity: 'role_grant',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    before: { userId: ID.user, username: 'gv.son', role: 'subject_teacher', orgUnitId: ID.school },
    expect: ['Vai trò: Giáo viên bộ môn'],
  },
  'user.reset_password': {
    entity: 'app_user',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    before: { username: 'gv.son', mustChangePassword: false, lockedUntil: '2026-11-23T00:20:00.000Z' },
    after: { username: 'gv.son', mustChangePassword: true, lockedUntil: null, sessionsEnded: true },
    expect: ['Phải đổi mật khẩu khi đăng nhập: Không → Có', 'Khóa đăng nhập đến: 23/11/2026 07:20 → (trống)', 'Đã đăng xuất mọi phiên: Có'],
  },
  'user.unlock': {
    entity: 'app_user',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    before: { username: 'gv.son', lockedUntil: '2026-11-23T00:20:00.000Z' },
    after: { username: 'gv.son', lockedUntil: null },
    expect: ['Khóa đăng nhập đến: 23/11/2026 07:20 → (trống)'],
  },
  'user.locked': {
    entity: 'app_user',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    after: { username: 'gv.son', client: 'địa chỉ 203.0.113.5', failedAttempts: 5, lockedUntil: '2026-11-23T00:20:00.000Z' },
    expect: ['Đăng nhập từ: địa chỉ 203.0.113.5', 'Số lần nhập sai mật khẩu: 5', 'Khóa đăng nhập đến: 23/11/2026 07:20'],
  },
  'user.login_backoff': {
    entity: 'app_user',
    targetLabel: 'Hà Văn Sơn (gv.son)',
    after: { username: 'gv.son', failedAttempts: 20, windowMinutes: 60, backoffLevel: 1, lockedUntil: '2026-11-23T00:20:00.000Z' },
    expect: ['Trong khoảng (phút): 60', 'Mức tạm dừng: 1'],
  },
  'user.change_password': { entity: 'app_user', targetLabel: 'Nguyễn Thị Lan (ph.lan)', after: { username: 'ph.lan' }, expect: ['Tên đăng nhập: ph.lan'] },
  'user.change_password_locked': {
    entity: 'app_user',
    targetLabel: 'Nguyễn Thị Lan (ph.lan)',
    after: { username: 'ph.lan', client: 'trình duyệt đã biết', failedAttempts: 5, lockedUntil: '2026-11-23T00:20:00.000Z' },
    expect: ['Số lần nhập sai mật khẩu: 5'],
  },
  'gradebook.submit': { entity: 'gradebook', targetLabel: 'Toán — 6A1 (2025-2026), học kì I', before: { gradebook_state: 'open' }, after: { gradebook_state: 'submitted' }, expect: ['Trạng thái sổ điểm: Đang nhập điểm → Đã nộp'] },
  'gradebook.reopen': { entity: 'gradebook', targetLabel: 'Toán — 6A1 (2025-2026), học kì I', before: { gradebook_state: 'submitted' }, after: { gradebook_state: 'open' }, expect: ['Trạng thái sổ điểm: Đã nộp → Đang nhập điểm'] },
  'gradebook.review': { entity: 'gradebook', targetLabel: 'Toán — 6A1 (2025-2026), học kì I', before: { gradebook_state: 'submitted' }, after: { gradebook_state: 'reviewed' }, expect: ['Trạng thái sổ điểm: Đã nộp → Đã duyệt'] },
  'gradebook.return': { entity: 'gradebook', targetLabel: 'Toán — 6A1 (2025-2026), học kì I', before: { gradebook_state: 'reviewed' }, after: { gradebook_state: 'open' }, expect: ['Trạng thái sổ điểm: Đã duyệt → Đang nhập điểm'] },
  'gradebook.lock': { entity: 'gradebook', targetLabel: 'Toán — 6A1 (2025-2026), học kì I', before: { gradebook_state: 'reviewed' }, after: { gradebook_state: 'locked' }, expect: ['Trạng thái sổ điểm: Đã duyệt → Đã khóa'] },
  'gradebook.unlock': {
    entity: 'gradebook',
    targetLabel: 'Toán — 6A1 (2025-2026), học kì I',
    before: { gradebook_state: 'locked' },
    after: { gradebook_state: 'open', reason: 'Nhập nhầm điểm cuối kì của một học sinh' },
    expect: ['Trạng thái sổ điểm: Đã khóa → Đang nhập điểm', 'Lý do: Nhập nhầm điểm cuối kì của một học sinh'],
  },
  'gradebook.publish': { entity: 'gradebook', targetLabel: 'Toán — 6A1, học kì I', after: { published_columns: 'TX1, TX2, Giữa kì' }, expect: ['Cột điểm: TX1, TX2, Giữa kì'] },
  'gradebook.unpublish': { entity: 'gradebook', targetLabel: 'Toán — 6A1, học kì I', after: { published_columns: 'Cuối kì' }, expect: ['Cột điểm: Cuối kì'] },
  'results.close': {
    entity: 'org_unit',
    targetLabel: 'Trường THCS Lê Lợi',
    after: { resultPeriod: 'Cả năm', year: 2025, studentCount: 1480, completeCount: 1475 },
    expect: ['Kì tổng hợp: Cả năm', 'Năm học: 2025-2026', 'Số học sinh: 1.480', 'Số học sinh đủ điều kiện xếp loại: 1.475'],
  },
  'results.publish': { entity: 'class', targetLabel: 'Lớp 6A1 (2025-2026)', after: { resultPeriod: 'Học kì I' }, expect: ['Kì tổng hợp: Học kì I'] },
  'results.unpublish': { entity: 'class', targetLabel: 'Lớp 6A1 (2025-2026)', after: { resultPeriod: 'Cả năm' }, expect: ['Kì tổng hợp: Cả năm'] },
  'training.rate': {
    entity: 'class',
    targetLabel: 'Lớp 6A1 (2025-2026), học kì I',
    after: { training_changes: 'Nguyễn Văn An: Khá → Chưa đạt; Đặng Thị Bình: chưa xếp loại → Tốt' },
    expect: ['Xếp loại rèn luyện thay đổi: Nguyễn Văn An: Khá → Chưa đạt; Đặng Thị Bình: chưa xếp loại → Tốt'],
  },
  'exemption.set': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { subject_code: 'gdtc', exemption_scope: 'hk2', reason: 'Gãy tay, giấy của bệnh viện', year: 2025 },
    expect: ['Miễn học trong: Học kì II', 'Lý do: Gãy tay, giấy của bệnh viện'],
  },
  'exemption.remove': { entity: 'student', targetLabel: 'Nguyễn Văn An', before: { subject_code: 'gdtc', exemption_scope: 'cn', reason: 'Sức khỏe' }, expect: ['Miễn học trong: Cả năm'] },
  'summer.lock': { entity: 'org_unit', targetLabel: 'Trường THCS Lê Lợi', after: { year: 2025 }, expect: ['Năm học: 2025-2026'] },
  'summer.unlock': { entity: 'org_unit', targetLabel: 'Trường THCS Lê Lợi', after: { year: 2025, reason: 'Nhập nhầm điểm môn Toán' }, expect: ['Lý do: Nhập nhầm điểm môn Toán'] },
  'results.after_summer': {
    entity: 'org_unit',
    targetLabel: 'Trường THCS Lê Lợi',
    after: { year: 2025, studentCount: 12, promotedCount: 10, retainedCount: 2 },
    expect: ['Số học sinh được lên lớp: 10', 'Số học sinh ở lại lớp: 2'],
  },
  'results.legacy_import': {
    entity: 'gradebook',
    targetLabel: 'Kết quả các năm học trước (Thông tư 58/2011)',
    after: { fileName: 'ket-qua-cu.xlsx', studentYears: 40, replacedYears: 2, schoolYears: '2018-2019, 2019-2020' },
    expect: ['Tệp: ket-qua-cu.xlsx', 'Số lượt học sinh × năm học được ghi: 40', 'Số năm học thay kết quả đã nhập trước: 2', 'Các năm học: 2018-2019, 2019-2020'],
  },
  'preschool.indicator_set': { entity: 'gradebook', targetLabel: 'Bộ chuẩn phát triển trẻ em 5 tuổi', after: { indicatorCount: 12 }, expect: ['Số chỉ số: 12'] },
  'preschool.evaluate': {
    entity: 'gradebook',
    targetLabel: 'Đánh giá sự phát triển — Mẫu giáo 5 tuổi A (2025-2026), cuối học kì i',
    after: { studentCount: 3, changedCells: 9 },
    expect: ['Số học sinh: 3', 'Số ô điểm được ghi: 9'],
  },
  'activation.print': {
    entity: 'class',
    targetLabel: 'Lớp 6A1 (2025-2026)',
    after: { studentCount: 2, codeCount: 3, expiresOn: '2026-02-04', wholeClass: false },
    expect: ['Số học sinh: 2', 'Số mã kích hoạt đã in: 3', 'Mã hết hạn ngày: 04/02/2026', 'In cho cả lớp: Không'],
  },
  'activation.redeem': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { activationKind: 'guardian', activationMethod: 'printed', username: 'me.an', newAccount: true },
    expect: ['Tài khoản: Cha mẹ / người giám hộ', 'Cách kích hoạt: Mã in trên phiếu', 'Tên đăng nhập: me.an', 'Tạo tài khoản mới: Có'],
  },
  'leave_request.approve': {
    entity: 'student',
    targetLabel: 'Nguyễn Văn An',
    after: { from_day: '2026-03-09', to_day: '2026-03-10', part: 'full_day', sessions: 2 },
    expect: ['Nghỉ từ ngày: 09/03/2026', 'Nghỉ đến ngày: 10/03/2026', 'Buổi xin nghỉ: Cả ngày', 'Số buổi: 2'],
  },
  'leave_request.decline': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { from_day: '2026-03-09', to_day: '2026-03-09', part: 'morning', decision_note: 'Trùng ngày kiểm tra' }, expect: ['Buổi xin nghỉ: Sáng', 'Ghi chú của giáo viên: Trùng ngày kiểm tra'] },
  'leave_request.withdraw': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { from_day: '2026-03-09', to_day: '2026-03-09', part: 'morning', sessions: 1 }, expect: ['Nghỉ từ ngày: 09/03/2026', 'Số buổi: 1'] },
  'message.report': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { message_author: 'Phụ huynh em Nguyễn Văn An', report_reason: 'Lời lẽ xúc phạm' }, expect: ['Người viết tin nhắn: Phụ huynh em Nguyễn Văn An', 'Lý do báo cáo: Lời lẽ xúc phạm'] },
  'message_thread.close': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { thread_teacher: 'Cô Lê Thị Hoa — GVCN 6A1' }, expect: ['Cuộc trò chuyện với: Cô Lê Thị Hoa — GVCN 6A1'] },
  'message_thread.reopen': { entity: 'student', targetLabel: 'Nguyễn Văn An', after: { thread_teacher: 'Cô Lê Thị Hoa — GVCN 6A1' }, expect: ['Cuộc trò chuyện với: Cô Lê Thị Hoa — GVCN 6A1'] },
  'contact.settings': { entity: 'org_unit', targetLabel: 'Trường THCS A1', before: { subject_teacher_messages: false }, after: { subject_teacher_messages: true }, expect: ['Cho phép nhắn tin với giáo viên bộ môn: Không → Có'] },
  'preschool.measure': { entity: 'gradebook', targetLabel: 'Cân đo — Mẫu giáo 5 tuổi A (2025-2026)', after: { studentCount: 2, measurementCount: 2 }, expect: ['Số lần cân đo được ghi: 2'] },
  'announcement.send': {
    entity: 'announcement',
    targetLabel: 'Họp phụ huynh cuối học kì I',
    after: { audienceText: 'Cha mẹ học sinh lớp 6A1', familyCount: 40, staffCount: 0, noticeCount: 52 },
    expect: ['Người nhận: Cha mẹ học sinh lớp 6A1', 'Số học sinh có gia đình được gửi: 40', 'Số tin trong hộp thư: 52'],
  },
  'announcement.schedule': {
    entity: 'announcement',
    targetLabel: 'Lịch nghỉ Tết',
    after: { audienceText: 'Cha mẹ học sinh toàn trường', sendAt: '2026-12-08T00:00:00.000Z' },
    expect: ['Người nhận: Cha mẹ học sinh toàn trường', 'Hẹn gửi lúc: 08/12/2026 07:00'],
  },
  'announcement.cancel': { entity: 'announcement', targetLabel: 'Lịch nghỉ Tết', before: { status: 'scheduled', sendAt: '2026-12-08T00:00:00.000Z' }, expect: ['Trạng thái: Đã hẹn giờ gửi'] },
  'announcement.edit': {
    entity: 'announcement',
    targetLabel: 'Lịch nghỉ Tết',
    before: { status: 'scheduled', title: 'Lịch nghỉ Tết', audienceText: 'Cha mẹ học sinh lớp 6A1' },
    after: { title: 'Lịch nghỉ Tết Nguyên đán', audienceText: 'Cha mẹ học sinh toàn trường' },
    expect: ['Tiêu đề: Lịch nghỉ Tết → Lịch nghỉ Tết Nguyên đán', 'Người nhận: Cha mẹ học sinh lớp 6A1 → Cha mẹ học sinh toàn trường'],
  },
  'announcement.remind': { entity: 'announcement', targetLabel: 'Họp phụ huynh cuối học kì I', after: { reminded: 12 }, expect: ['Số tài khoản được nhắc: 12'] },
  'gradebook.import': {
    entity: 'gradebook',
    targetLabel: 'Toán — 6A1 (2025-2026), học kì I',
    after: { fileName: 'So diem Toan 6A1 HK1.xlsx', studentCount: 42, changedCells: 84, overwrittenCells: 0, unchangedCells: 120, keptEmptyCells: 3 },
    expect: ['Tệp: So diem Toan 6A1 HK1.xlsx', 'Số học sinh: 42', 'Số ô điểm được ghi: 84', 'Số ô không đổi: 120'],
  },
  'gradebook.correct': {
    entity: 'gradebook',
    targetLabel: 'Toán — 6A1 (2025-2026), học kì I',
    before: { mark_student: ID.student, mark_column: 'Đánh giá cuối kì', mark_value: '7' },
    after: { mark_student: ID.student, mark_column: 'Đánh giá cuối kì', mark_value: '8,5' },
    expect: ['Điểm / đánh giá: 7 → 8,5'],
  },
};

const record = (action: AuditAction, s: Sample): AuditRecord => ({
  at: '2026-11-23T00:05:09.000Z',
  action,
  entity: s.entity,
  entityId: s.entity === 'school_year' ? `${ID.school}:2025` : ID.student,
  orgUnitName: 'Trường THCS Lê Lợi',
  username: 'ht.a1',
  actorName: 'Trần Thị Hương',
  actorRoles: ['principal'],
  targetLabel: s.targetLabel,
  before: s.before ?? null,
  after: s.after ?? null,
});

/** The raw values the samples carry that must never be shown as they are. */
const RAW_CODES = [
  '01', '02', '04', '05', '07', '13', 'toan', 'tin_hoc', 'ngu_van', 'full_day', 'morning', 'pending', 'completed', 'declined', 'cancelled',
  'request', 'issue', 'active', 'left', 'teacher', 'vice_principal', 'mixed', 'score', 'public', 'rural', 'lower_secondary', 'all_or_nothing',
  'valid_only', 'mother', 'father', 'guardian', 'paper', 'online', 'json', 'contact_book', 'photo_publish', 'parent', 'homeroom_teacher',
  'subject_teacher', 'principal',
];
const CODE_WORD = new RegExp(`(^|[\\s;,(])(${RAW_CODES.join('|')})(?=$|[\\s;,)])`);

const strings = (v: AuditView): string[] => [v.when, v.who, v.action, v.target, v.unit ?? '', ...v.changes.flatMap((c) => [c.label, c.before ?? '', c.after ?? '', c.text])];

function problems(v: AuditView): string[] {
  const out: string[] = [];
  for (const s of strings(v)) {
    if (/\b[a-z]+_[a-z0-9_]+\b/.test(s)) out.push(`snake_case in "${s}"`);
    if (/\b[a-z]+[A-Z][A-Za-z]*\b/.test(s)) out.push(`camelCase in "${s}"`);
    if (/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.test(s)) out.push(`UUID in "${s}"`);
    if (/\d{4}-\d{2}-\d{2}/.test(s)) out.push(`ISO date in "${s}"`);
    if (/[{}[\]"]/.test(s)) out.push(`JSON in "${s}"`);
    if (/\b(male|female|true|false|null|undefined)\b/.test(s)) out.push(`raw value in "${s}"`);
    if (CODE_WORD.test(s)) out.push(`bare code in "${s}"`);
  }
  for (const c of v.changes) if (c.label === 'Thông tin khác' || c.label === OTHER_FIELD_LABEL) out.push(`field without a label: ${c.text}`);
  return out;
}

describe('audit presenter', () => {
  it('has a sample for every audited action (the list is the one AUDIT_ACTIONS)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it.each([...AUDIT_ACTIONS])('%s reads as Vietnamese: no field name, id, ISO date, JSON, male/female or code', (action) => {
    const sample = SAMPLES[action];
    const view = presentAuditEntry(record(action, sample), names);
    expect(problems(view)).toEqual([]);
    expect(view.when).toBe('23/11/2026 07:05');
    expect(view.who).toBe('Trần Thị Hương (Hiệu trưởng)');
    expect(view.action).not.toBe('Thao tác khác');
    expect(view.changes.length).toBeGreaterThan(0);
    const lines = view.changes.map((c) => c.text);
    for (const line of sample.expect) expect(lines).toContain(line);
  });

  it('names the target as it was written, and says so when the name is not known', () => {
    const r = record('student.update', SAMPLES['student.update']);
    expect(presentAuditEntry(r, names).target).toBe('Học sinh Nguyễn Văn Ân');
    expect(presentAuditEntry({ ...r, targetLabel: null }, names).target).toBe('Học sinh (không rõ tên)');
    expect(presentAuditEntry(record('class.update', SAMPLES['class.update']), names).target).toBe('Lớp 6A2 (2025-2026)');
    expect(presentAuditEntry(record('org_unit.rename', SAMPLES['org_unit.rename']), names).target).toBe('Trường THCS Lê Lợi mới');
    expect(presentAuditEntry(record('school_transfer.lookup', SAMPLES['school_transfer.lookup']), names).target).toBe('Tra cứu theo mã định danh');
  });

  it('a system event has no account: "Hệ thống"', () => {
    const view = presentAuditEntry({ ...record('user.locked', SAMPLES['user.locked']), username: null, actorName: null, actorRoles: [] }, names);
    expect(view.who).toBe('Hệ thống');
  });

  it('an update lists only what changed', () => {
    const view = presentAuditEntry(record('student.update', SAMPLES['student.update']), names);
    const labels = view.changes.map((c) => c.label);
    expect(labels).not.toContain('Nơi sinh');
    expect(labels).not.toContain('Lớp');
    expect(labels.filter((l) => l === 'Họ và tên')).toHaveLength(1);
    const g = view.changes.find((c) => c.label === 'Cha mẹ / người giám hộ')!;
    expect(g.before).toBe('Mẹ: Nguyễn Thị Lan, sinh năm 1985, 0912345678, Giáo viên; Cha: Nguyễn Văn Bình');
    expect(g.after).toBe('Mẹ: Nguyễn Thị Lan, sinh năm 1985, 0912000111, Giáo viên');
  });

  it('an anonymised row says its content was removed', () => {
    const view = presentAuditEntry({ ...record('student.create', SAMPLES['student.create']), after: { anonymised: true }, targetLabel: 'Học sinh đã ẩn danh' }, names);
    expect(view.changes.map((c) => c.text)).toEqual(['Nội dung: Đã xoá khi ẩn danh hồ sơ']);
    expect(view.target).toBe('Học sinh đã ẩn danh');
  });

  it('a record that is gone reads "(không còn trong hệ thống)", not its id', () => {
    const view = presentAuditEntry(record('assignment.create', SAMPLES['assignment.create']), emptyNames());
    expect(view.changes.map((c) => c.text)).toContain('Lớp: (không còn trong hệ thống)');
    expect(problems(view)).toEqual([]);
  });

  it('collects the records the rows point at, so one query per kind names them', () => {
    const refs = auditRefs(AUDIT_ACTIONS.map((a) => ({ entity: SAMPLES[a].entity, before: SAMPLES[a].before, after: SAMPLES[a].after })));
    expect([...refs.class].sort()).toEqual([ID.class6a1, ID.class6a2, ID.classB].sort());
    expect(refs.staff).toEqual(new Set([ID.staff]));
    expect(refs.unit).toEqual(new Set([ID.site, ID.school2, ID.school, ID.commune]));
    expect(refs.user).toEqual(new Set([ID.parentUser, ID.user]));
    expect(refs.student).toEqual(new Set([ID.student]));
  });
});
