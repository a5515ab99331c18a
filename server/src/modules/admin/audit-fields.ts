import { CONSENT_PURPOSES } from '../../../../domain/index.js';
import type { AuditEntity } from '../../platform/audit-actions.js';
import { POSITION_LABEL } from '../school/school-staff.service.js';
import { ROLE_LABEL } from './admin.service.js';

/**
 * How each field an audit row may hold reads to a person: its Vietnamese label and how its value
 * is written ("date_of_birth" → "Ngày sinh", 2014-08-27 → "27/08/2014"; "ethnicity_code" →
 * "Dân tộc", "01" → "Kinh"). The one table the audit presenter uses; a new audited module (the
 * gradebook) adds its fields here, and audit-presenter.test.ts fails on a field that has none.
 *
 * Keys are the names the writers store (table columns in snake_case, event details in camelCase).
 * ENTITY_FIELDS overrides a key for one kind of record ("status" of a staff member is not the
 * status of a transfer).
 */

/** Things a value can point at, named by the presenter from the tables (never shown as an id). */
export type RefKind = 'unit' | 'class' | 'staff' | 'user' | 'student';

export type FieldFormat =
  | { kind: 'text' }
  | { kind: 'number' }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'bool' }
  | { kind: 'enum'; values: Record<string, string> }
  /** A Ministry code list (server/src/db/reference/code-lists.json). */
  | { kind: 'code'; list: string }
  | { kind: 'subject' }
  | { kind: 'subjects' }
  | { kind: 'year' }
  | { kind: 'term' }
  | { kind: 'grade' }
  | { kind: 'ref'; to: RefKind }
  | { kind: 'refs'; to: RefKind }
  | { kind: 'guardians' }
  | { kind: 'enrolment' }
  | { kind: 'levels' }
  | { kind: 'consentCounts' }
  /** A list of field names (which identity fields an import changed). */
  | { kind: 'fieldNames' }
  /** One of family_name / middle_name / given_name: shown together as "Họ và tên". */
  | { kind: 'namePart' }
  /** The marker anonymisation leaves in place of a snapshot. */
  | { kind: 'redacted' };

/** label null: an internal key nobody needs to read (ids, sort keys, timestamps of the row itself). */
export type FieldSpec = { label: string | null; format: FieldFormat };

const f = (label: string, format: FieldFormat = { kind: 'text' }): FieldSpec => ({ label, format });
const HIDDEN: FieldSpec = { label: null, format: { kind: 'text' } };

export const SEX_LABEL: Record<string, string> = { male: 'Nam', female: 'Nữ' };
export const RELATION_LABEL: Record<string, string> = { father: 'Cha', mother: 'Mẹ', guardian: 'Người giám hộ' };
const SESSION_LABEL = { morning: 'Sáng', afternoon: 'Chiều', full_day: 'Cả ngày' };
const LEVEL_LABEL: Record<string, string> = {
  preschool: 'Mầm non',
  primary: 'Tiểu học',
  lower_secondary: 'Trung học cơ sở',
  upper_secondary: 'Trung học phổ thông',
};
export { LEVEL_LABEL };
const PURPOSE_LABEL: Record<string, string> = Object.fromEntries(CONSENT_PURPOSES.map((p) => [p.code, p.label]));
export { PURPOSE_LABEL };

export const FULL_NAME_LABEL = 'Họ và tên';

export const AUDIT_FIELDS: Record<string, FieldSpec> = {
  // ids and bookkeeping of the row itself: the target and the unit already say what and where
  id: HIDDEN,
  school_id: HIDDEN,
  person_id: HIDDEN,
  student_id: HIDDEN,
  unit_id: HIDDEN,
  user_id: HIDDEN,
  name_sort_key: HIDDEN,
  search_text: HIDDEN,
  created_at: HIDDEN,
  updated_at: HIDDEN,
  importJobId: HIDDEN,
  consentId: HIDDEN,
  transferId: HIDDEN,
  fromStudentId: HIDDEN,
  toStudentId: HIDDEN,
  to_student_id: HIDDEN,
  userId: HIDDEN,
  // the province code of a unit version: always empty for units made in the app
  province_code: HIDDEN,
  anonymised: { label: 'Nội dung', format: { kind: 'redacted' } },

  // people
  family_name: { label: FULL_NAME_LABEL, format: { kind: 'namePart' } },
  middle_name: { label: FULL_NAME_LABEL, format: { kind: 'namePart' } },
  given_name: { label: FULL_NAME_LABEL, format: { kind: 'namePart' } },
  learner_id: f('Mã định danh Bộ GD&ĐT'),
  temp_code: f('Mã tạm'),
  citizen_id: f('Số định danh cá nhân'),
  date_of_birth: f('Ngày sinh', { kind: 'date' }),
  sex: f('Giới tính', { kind: 'enum', values: SEX_LABEL }),
  ethnicity_code: f('Dân tộc', { kind: 'code', list: 'DM_DAN_TOC' }),
  religion_code: f('Tôn giáo', { kind: 'code', list: 'DM_TON_GIAO' }),
  birthplace: f('Nơi sinh'),
  address: f('Địa chỉ'),
  phone: f('Điện thoại'),
  email: f('Email'),
  status_code: f('Trạng thái', { kind: 'code', list: 'DM_TRANG_THAI_HOC_SINH' }),
  status_date: f('Ngày của trạng thái', { kind: 'date' }),
  is_current: f('Đang học tại trường', { kind: 'bool' }),
  current_class_id: f('Lớp', { kind: 'ref', to: 'class' }),
  guardians: f('Cha mẹ / người giám hộ', { kind: 'guardians' }),
  enrolment: f('Xếp lớp', { kind: 'enrolment' }),
  identityFields: f('Thông tin định danh thay đổi', { kind: 'fieldNames' }),
  row: f('Dòng trong tệp', { kind: 'number' }),
  toSchoolId: f('Trường chuyển đến', { kind: 'ref', to: 'unit' }),
  fromSchoolId: f('Trường chuyển đi', { kind: 'ref', to: 'unit' }),
  parentGrants: f('Tài khoản cha mẹ được xem hồ sơ', { kind: 'refs', to: 'user' }),
  studentAccounts: f('Tài khoản học sinh chuyển theo', { kind: 'refs', to: 'user' }),

  // staff
  staff_code: f('Mã cán bộ'),
  position: f('Chức vụ', { kind: 'enum', values: POSITION_LABEL }),
  qualification_code: f('Trình độ chuyên môn', { kind: 'code', list: 'DM_TRINH_DO_CHUYEN_MON' }),
  contract_type_code: f('Hình thức hợp đồng', { kind: 'code', list: 'DM_HINH_THUC_HOP_DONG' }),
  subject_codes: f('Môn dạy', { kind: 'subjects' }),
  status: f('Trạng thái', { kind: 'enum', values: { active: 'Đang công tác', left: 'Đã nghỉ' } }),
  school_contact: f('Liên hệ trong trường'),

  // classes, years, subjects, teaching
  year: f('Năm học', { kind: 'year' }),
  name: f('Tên'),
  grade: f('Khối', { kind: 'grade' }),
  age_group: f('Nhóm tuổi', { kind: 'code', list: 'DM_NHOM_TUOI_MN' }),
  site_id: f('Điểm trường', { kind: 'ref', to: 'unit' }),
  homeroom_teacher_id: f('Giáo viên chủ nhiệm', { kind: 'ref', to: 'staff' }),
  session: f('Buổi học', { kind: 'enum', values: SESSION_LABEL }),
  is_multi_grade: f('Lớp ghép', { kind: 'bool' }),
  term: f('Học kì', { kind: 'term' }),
  class_id: f('Lớp', { kind: 'ref', to: 'class' }),
  subject_code: f('Môn học', { kind: 'subject' }),
  staff_id: f('Giáo viên', { kind: 'ref', to: 'staff' }),
  term1_start: f('Ngày bắt đầu học kì I', { kind: 'date' }),
  term1_end: f('Ngày kết thúc học kì I', { kind: 'date' }),
  term2_start: f('Ngày bắt đầu học kì II', { kind: 'date' }),
  term2_end: f('Ngày kết thúc học kì II', { kind: 'date' }),
  periods_per_year: f('Số tiết cả năm', { kind: 'number' }),
  assessment_kind: f('Hình thức đánh giá', { kind: 'enum', values: { score: 'Cho điểm', comment: 'Nhận xét', mixed: 'Cho điểm kết hợp nhận xét' } }),
  is_taught: f('Có dạy', { kind: 'bool' }),
  lesson_attendance: f('Điểm danh theo tiết', { kind: 'bool' }),

  // org tree
  valid_from: f('Hiệu lực từ ngày', { kind: 'date' }),
  valid_to: f('Hiệu lực đến ngày', { kind: 'date' }),
  parent_id: f('Đơn vị quản lý', { kind: 'ref', to: 'unit' }),
  school_levels: f('Cấp học', { kind: 'levels' }),
  ownership: f('Loại hình', { kind: 'enum', values: { public: 'Công lập', private: 'Tư thục', community: 'Dân lập' } }),
  area: f('Khu vực', { kind: 'enum', values: { urban: 'Thành thị', rural: 'Nông thôn', mountain: 'Miền núi', island: 'Hải đảo' } }),
  change_reason: f('Lý do thay đổi'),

  // accounts and sign-in
  username: f('Tên đăng nhập'),
  displayName: f('Tên hiển thị'),
  role: f('Vai trò', { kind: 'enum', values: ROLE_LABEL }),
  orgUnitId: f('Đơn vị', { kind: 'ref', to: 'unit' }),
  staffId: f('Cán bộ', { kind: 'ref', to: 'staff' }),
  studentId: f('Học sinh', { kind: 'ref', to: 'student' }),
  mustChangePassword: f('Phải đổi mật khẩu khi đăng nhập', { kind: 'bool' }),
  lockedUntil: f('Khóa đăng nhập đến', { kind: 'datetime' }),
  sessionsEnded: f('Đã đăng xuất mọi phiên', { kind: 'bool' }),
  client: f('Đăng nhập từ'),
  failedAttempts: f('Số lần nhập sai mật khẩu', { kind: 'number' }),
  windowMinutes: f('Trong khoảng (phút)', { kind: 'number' }),
  backoffLevel: f('Mức tạm dừng', { kind: 'number' }),

  // imports
  fileName: f('Tệp'),
  mode: f('Cách ghi', { kind: 'enum', values: { all_or_nothing: 'Ghi tất cả hoặc không ghi gì', valid_only: 'Chỉ ghi các dòng hợp lệ' } }),
  identityChanges: f('Cho phép sửa họ tên, ngày sinh, giới tính', { kind: 'bool' }),
  totalRows: f('Số dòng trong tệp', { kind: 'number' }),
  created: f('Số bản ghi thêm mới', { kind: 'number' }),
  updated: f('Số bản ghi khớp với bản ghi đã có', { kind: 'number' }),
  unchanged: f('Số bản ghi không thay đổi', { kind: 'number' }),
  identityChanged: f('Số học sinh sửa thông tin định danh', { kind: 'number' }),
  errorCount: f('Số lỗi', { kind: 'number' }),
  errorRows: f('Số dòng có lỗi', { kind: 'number' }),

  // personal data
  purpose: f('Mục đích', { kind: 'enum', values: PURPOSE_LABEL }),
  giver: f('Người thể hiện sự đồng ý', { kind: 'enum', values: { guardian: 'Cha mẹ / người giám hộ', student: 'Học sinh' } }),
  method: f('Cách ghi nhận', { kind: 'enum', values: { paper: 'Văn bản giấy', online: 'Trực tuyến' } }),
  effectiveDate: f('Ngày hiệu lực', { kind: 'date' }),
  format: f('Hình thức tệp', { kind: 'enum', values: { json: 'Tệp dữ liệu máy đọc được (JSON)' } }),
  retentionYears: f('Thời hạn lưu trữ (năm)', { kind: 'number' }),
  leftOn: f('Ngày rời trường', { kind: 'date' }),
  consentCounts: f('Các lần đồng ý / rút lại đã xoá', { kind: 'consentCounts' }),

  // school transfers
  learnerId: f('Mã định danh được tra cứu'),
  matched: f('Tìm thấy học sinh', { kind: 'bool' }),
  from_school_id: f('Trường chuyển đi', { kind: 'ref', to: 'unit' }),
  to_school_id: f('Trường chuyển đến', { kind: 'ref', to: 'unit' }),
  from_student_id: f('Học sinh', { kind: 'ref', to: 'student' }),
  to_class_id: f('Lớp chuyển đến', { kind: 'ref', to: 'class' }),
  toClassId: f('Lớp chuyển đến', { kind: 'ref', to: 'class' }),
  effective_date: f('Ngày chuyển', { kind: 'date' }),
  note: f('Ghi chú'),
  reason: f('Lý do'),
  created_by: f('Người tạo', { kind: 'ref', to: 'user' }),
  decided_by: f('Người quyết định', { kind: 'ref', to: 'user' }),
  decided_at: f('Thời điểm quyết định', { kind: 'datetime' }),
  decision_reason: f('Lý do'),
  // contact book: leave requests and messages
  from_day: f('Nghỉ từ ngày', { kind: 'date' }),
  to_day: f('Nghỉ đến ngày', { kind: 'date' }),
  part: f('Buổi xin nghỉ', { kind: 'enum', values: SESSION_LABEL }),
  decision_note: f('Ghi chú của giáo viên'),
  sessions: f('Số buổi', { kind: 'number' }),
  report_reason: f('Lý do báo cáo'),
  message_author: f('Người viết tin nhắn'),
  thread_teacher: f('Cuộc trò chuyện với'),
  subject_teacher_messages: f('Cho phép nhắn tin với giáo viên bộ môn', { kind: 'bool' }),
  // gradebook
  gradebook_state: f('Trạng thái sổ điểm', {
    kind: 'enum',
    values: { open: 'Đang nhập điểm', submitted: 'Đã nộp', reviewed: 'Đã duyệt', locked: 'Đã khóa' },
  }),
  mark_student: f('Học sinh', { kind: 'ref', to: 'student' }),
  mark_column: f('Cột điểm'),
  mark_value: f('Điểm / đánh giá'),
  published_columns: f('Cột điểm'),
  resultPeriod: f('Kì tổng hợp'),
  training_changes: f('Xếp loại rèn luyện thay đổi'),
  studentCount: f('Số học sinh', { kind: 'number' }),
  indicatorCount: f('Số chỉ số', { kind: 'number' }),
  measurementCount: f('Số lần cân đo được ghi', { kind: 'number' }),
  completeCount: f('Số học sinh đủ điều kiện xếp loại', { kind: 'number' }),
  changedCells: f('Số ô điểm được ghi', { kind: 'number' }),
  overwrittenCells: f('Số ô ghi đè điểm người khác vừa sửa', { kind: 'number' }),
  unchangedCells: f('Số ô không đổi', { kind: 'number' }),
  clearedCells: f('Số điểm đã xóa theo tệp', { kind: 'number' }),
  keptEmptyCells: f('Số ô để trống trong tệp (giữ điểm cũ)', { kind: 'number' }),
  exemption_scope: f('Miễn học trong', { kind: 'enum', values: { hk1: 'Học kì I', hk2: 'Học kì II', cn: 'Cả năm' } }),
  promotedCount: f('Số học sinh được lên lớp', { kind: 'number' }),
  retainedCount: f('Số học sinh ở lại lớp', { kind: 'number' }),
  studentYears: f('Số lượt học sinh × năm học được ghi', { kind: 'number' }),
  replacedYears: f('Số năm học thay kết quả đã nhập trước', { kind: 'number' }),
  schoolYears: f('Các năm học'),
  // linking families
  codeCount: f('Số mã kích hoạt đã in', { kind: 'number' }),
  expiresOn: f('Mã hết hạn ngày', { kind: 'date' }),
  wholeClass: f('In cho cả lớp', { kind: 'bool' }),
  activationKind: f('Tài khoản', { kind: 'enum', values: { guardian: 'Cha mẹ / người giám hộ', student: 'Học sinh' } }),
  activationMethod: f('Cách kích hoạt', { kind: 'enum', values: { printed: 'Mã in trên phiếu', contact: 'Mã gửi tới liên hệ trong hồ sơ' } }),
  newAccount: f('Tạo tài khoản mới', { kind: 'bool' }),
  // announcements
  audienceText: f('Người nhận'),
  sendAt: f('Hẹn gửi lúc', { kind: 'datetime' }),
  familyCount: f('Số học sinh có gia đình được gửi', { kind: 'number' }),
  staffCount: f('Số cán bộ, giáo viên được gửi', { kind: 'number' }),
  noticeCount: f('Số tin trong hộp thư', { kind: 'number' }),
  reminded: f('Số tài khoản được nhắc', { kind: 'number' }),
};

/** Keys that mean something else on one kind of record. */
export const ENTITY_FIELDS: Partial<Record<AuditEntity, Record<string, FieldSpec>>> = {
  class: { name: f('Tên lớp') },
  org_unit: { name: f('Tên đơn vị') },
  announcement: {
    status: f('Trạng thái', { kind: 'enum', values: { draft: 'Bản nháp', scheduled: 'Đã hẹn giờ gửi', sent: 'Đã gửi', cancelled: 'Đã huỷ' } }),
    title: f('Tiêu đề'),
    body: f('Nội dung'),
  },
  school_transfer: {
    kind: f('Hình thức', { kind: 'enum', values: { request: 'Trường nhận đề nghị tiếp nhận', issue: 'Trường đi giới thiệu chuyển' } }),
    status: f('Trạng thái', { kind: 'enum', values: { pending: 'Đang chờ', completed: 'Đã chuyển', declined: 'Bị từ chối', cancelled: 'Đã huỷ' } }),
  },
};

/** The spec of a key on a kind of record; undefined when the table has none (the test fails on it). */
export function fieldSpec(entity: string, key: string): FieldSpec | undefined {
  return ENTITY_FIELDS[entity as AuditEntity]?.[key] ?? AUDIT_FIELDS[key];
}

/** The label of a stored field name, for lists of field names ("identityFields"). */
export function fieldLabel(entity: string, key: string): string | null {
  return fieldSpec(entity, key)?.label ?? null;
}
