import { SUBJECTS, formatVnDate, formatVnDateTime, schoolYearLabel } from '../../../../domain/index.js';
import { codeListName } from '../../db/reference-data.js';
import type { Role } from '../../db/schema.js';
import type { AuditAction, AuditEntity } from '../../platform/audit-actions.js';
import { ROLE_LABEL } from './admin.service.js';
import {
  FULL_NAME_LABEL,
  LEVEL_LABEL,
  PURPOSE_LABEL,
  RELATION_LABEL,
  type FieldFormat,
  type RefKind,
  fieldLabel,
  fieldSpec,
} from './audit-fields.js';

/**
 * Turns an audit row into what a principal reads: when (dd/mm/yyyy HH:mm, Vietnam time), who
 * (the account's name and role), the action in Vietnamese, the target by its name as it was, and
 * the changes as "Ngày sinh: 27/08/2014 → 28/08/2014". The one presenter of the audit log: the
 * viewer's API and the .xlsx export both use it. No id, column name, code or JSON comes out.
 *
 * Two steps, so a page of rows costs a few queries: auditRefs() says which records the rows point
 * at (classes, units, staff, accounts, students), the caller loads their names, then
 * presentAuditEntry() renders each row.
 */

/** How each action reads; a Record over AuditAction, so an action without one fails the type check. */
export const AUDIT_ACTION_LABEL: Record<AuditAction, string> = {
  'student.create': 'Thêm học sinh',
  'student.update': 'Sửa hồ sơ học sinh',
  'student.transfer_class': 'Chuyển lớp',
  'student.status_change': 'Đổi trạng thái học sinh',
  'student.transfer_out': 'Chuyển trường đi',
  'student.transfer_in': 'Tiếp nhận học sinh chuyển đến',
  'student.import_create': 'Thêm học sinh (nhập từ Excel)',
  'student.import_update': 'Cập nhật học sinh (nhập từ Excel)',
  'student.import_identity_change': 'Sửa họ tên / ngày sinh / giới tính học sinh (nhập từ Excel)',
  'student.personal_data_export': 'Xuất dữ liệu cá nhân của học sinh',
  'student.anonymise': 'Ẩn danh hồ sơ học sinh',
  'consent.give': 'Ghi nhận đồng ý xử lý dữ liệu',
  'consent.withdraw': 'Ghi nhận rút lại sự đồng ý',
  'staff.create': 'Thêm cán bộ',
  'staff.update': 'Sửa hồ sơ cán bộ',
  'staff.import_create': 'Thêm cán bộ (nhập từ Excel)',
  'staff.import_update': 'Cập nhật cán bộ (nhập từ Excel)',
  'class.create': 'Thêm lớp',
  'class.update': 'Sửa lớp',
  'class.import_create': 'Thêm lớp (nhập từ Excel)',
  'class.import_update': 'Cập nhật lớp (nhập từ Excel)',
  'assignment.create': 'Phân công giảng dạy',
  'assignment.delete': 'Xóa phân công giảng dạy',
  'school_year.create': 'Khai báo năm học',
  'school_year.update': 'Sửa năm học',
  'school_year.lesson_attendance': 'Bật / tắt điểm danh theo tiết',
  'school_subject.create': 'Khai báo môn học của trường',
  'school_subject.update': 'Sửa môn học của trường',
  'import.students': 'Nhập danh sách học sinh từ Excel',
  'import.staff': 'Nhập danh sách cán bộ từ Excel',
  'import.classes': 'Nhập danh sách lớp từ Excel',
  'org_unit.create': 'Thành lập đơn vị',
  'org_unit.move': 'Chuyển đơn vị quản lý',
  'org_unit.rename': 'Đổi tên đơn vị',
  'org_unit.close': 'Đóng đơn vị',
  'school_transfer.lookup': 'Tra cứu học sinh để đề nghị tiếp nhận',
  'school_transfer.request': 'Đề nghị tiếp nhận học sinh',
  'school_transfer.issue': 'Giới thiệu học sinh chuyển trường',
  'school_transfer.approve': 'Đồng ý cho học sinh chuyển đi',
  'school_transfer.accept': 'Tiếp nhận học sinh theo giấy giới thiệu',
  'school_transfer.decline': 'Từ chối chuyển trường',
  'school_transfer.cancel': 'Huỷ yêu cầu chuyển trường',
  'user.create': 'Tạo tài khoản',
  'role_grant.create': 'Cấp vai trò',
  'role_grant.delete': 'Thu hồi vai trò',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.unlock': 'Mở khóa đăng nhập',
  'user.locked': 'Tạm khóa đăng nhập (nhập sai mật khẩu nhiều lần từ một nơi)',
  'user.login_backoff': 'Tạm dừng đăng nhập từ thiết bị mới (bị thử mật khẩu từ nhiều nơi)',
  'user.change_password': 'Đổi mật khẩu',
  'user.change_password_locked': 'Tạm khóa đổi mật khẩu (nhập sai mật khẩu hiện tại nhiều lần)',
  'gradebook.submit': 'Nộp sổ điểm',
  'gradebook.reopen': 'Rút lại sổ điểm đã nộp',
  'gradebook.review': 'Duyệt sổ điểm',
  'gradebook.return': 'Trả lại sổ điểm để sửa',
  'gradebook.lock': 'Khóa sổ điểm',
  'gradebook.unlock': 'Mở khóa sổ điểm',
  'gradebook.correct': 'Sửa điểm sau khi mở khóa',
  'gradebook.import': 'Nhập sổ điểm từ tệp Excel',
  'gradebook.publish': 'Công bố điểm cho gia đình',
  'gradebook.unpublish': 'Thôi công bố điểm cho gia đình',
  'results.close': 'Tổng hợp kết quả học tập, rèn luyện',
  'results.publish': 'Công bố kết quả cho gia đình',
  'results.unpublish': 'Thôi công bố kết quả cho gia đình',
  'training.rate': 'Xếp loại rèn luyện',
  'exemption.set': 'Ghi miễn học một môn',
  'exemption.remove': 'Bỏ miễn học một môn',
  'summer.lock': 'Khóa kết quả kiểm tra lại, rèn luyện hè',
  'summer.unlock': 'Mở khóa kết quả kiểm tra lại, rèn luyện hè',
  'results.after_summer': 'Xét lại lên lớp sau kiểm tra lại, rèn luyện hè',
  'results.legacy_import': 'Nhập kết quả các năm học trước (Thông tư 58/2011) từ tệp Excel',
  'preschool.indicator_set': 'Sửa bộ chỉ số đánh giá sự phát triển của trẻ',
  'preschool.evaluate': 'Ghi đánh giá sự phát triển của trẻ',
  'preschool.measure': 'Ghi cân đo của trẻ',
  'activation.print': 'In phiếu mã kích hoạt sổ liên lạc',
  'activation.redeem': 'Kích hoạt sổ liên lạc điện tử',
  'announcement.send': 'Gửi thông báo',
  'announcement.schedule': 'Hẹn giờ gửi thông báo',
  'announcement.cancel': 'Huỷ thông báo chưa gửi',
  'announcement.edit': 'Sửa thông báo chưa gửi',
  'announcement.remind': 'Nhắc lại thông báo cho người chưa đọc',
  'leave_request.approve': 'Duyệt đơn xin nghỉ học',
  'leave_request.decline': 'Không duyệt đơn xin nghỉ học',
  'leave_request.withdraw': 'Rút đơn xin nghỉ học đã duyệt',
  'message.report': 'Báo cáo tin nhắn với hiệu trưởng',
  'message_thread.close': 'Đóng cuộc trò chuyện với gia đình',
  'message_thread.reopen': 'Mở lại cuộc trò chuyện với gia đình',
  'contact.settings': 'Sửa cài đặt sổ liên lạc điện tử của trường',
};

/** What the target is called before its name ("Học sinh Nguyễn Văn An"). */
export const AUDIT_ENTITY_LABEL: Record<AuditEntity, string> = {
  student: 'Học sinh',
  staff: 'Cán bộ',
  class: 'Lớp',
  teaching_assignment: 'Phân công',
  school_year: 'Năm học',
  school_subject: 'Môn học',
  import_job: 'Tệp',
  org_unit: 'Đơn vị',
  school_transfer: 'Chuyển trường của học sinh',
  app_user: 'Tài khoản',
  role_grant: 'Tài khoản',
  gradebook: 'Sổ điểm',
  announcement: 'Thông báo',
};

export const SYSTEM_ACTOR = 'Hệ thống';
export const UNKNOWN_NAME = 'không rõ tên';
export const EMPTY = '(trống)';

export type AuditRecord = {
  at: Date | string;
  action: string;
  entity: string;
  entityId: string | null;
  orgUnitName: string | null;
  username: string | null;
  /** The account's display name today (null: no account, or it is gone). */
  actorName: string | null;
  /** The account's roles, the first one shown. */
  actorRoles: Role[];
  targetLabel: string | null;
  before: unknown;
  after: unknown;
};

export type AuditChange = { label: string; before: string | null; after: string | null; text: string };
export type AuditView = { when: string; who: string; action: string; target: string; unit: string | null; changes: AuditChange[] };

export type AuditNames = Record<RefKind, Map<string, string>>;
export const emptyNames = (): AuditNames => ({ unit: new Map(), class: new Map(), staff: new Map(), user: new Map(), student: new Map() });

// ---------------------------------------------------------------- values


const SUBJECT_NAME = new Map(SUBJECTS.map((s) => [s.code, s.name]));
const TERM_NAME: Record<string, string> = { '1': 'Học kì I', '2': 'Học kì II' };
const NOT_IN_LIST = 'không có trong danh mục';
const UNKNOWN_REF = '(không còn trong hệ thống)';

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

const vnDate = (v: unknown): string => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? formatVnDate(s) : String(v);
};

const yearText = (v: unknown): string => {
  const y = Number(v);
  return Number.isInteger(y) && y >= 1900 && y <= 2099 ? schoolYearLabel(y) : String(v);
};

function guardianLine(g: unknown): string {
  if (!isObj(g)) return String(g);
  const name = (g.full_name ?? g.name) as string | undefined;
  const parts = [name, typeof g.birth_year === 'number' ? `sinh năm ${g.birth_year}` : null, g.phone, g.email, g.occupation].filter((p) => !isEmpty(p)) as string[];
  const line = `${RELATION_LABEL[String(g.relation)] ?? 'Người giám hộ'}: ${parts.join(', ') || EMPTY}`;
  if (isObj(g.before)) {
    const was = [g.before.name ?? g.before.full_name, g.before.phone].filter((p) => !isEmpty(p)).join(', ');
    return `${line} (trước: ${was || EMPTY})`;
  }
  return line;
}

function refName(names: AuditNames, to: RefKind, id: unknown): string {
  return typeof id === 'string' ? (names[to].get(id) ?? UNKNOWN_REF) : String(id);
}

/** One value as text; null when it is empty. */
function formatValue(entity: string, format: FieldFormat, v: unknown, names: AuditNames): string | null {
  if (isEmpty(v)) return null;
  switch (format.kind) {
    case 'text':
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : genericText(v);
    case 'number':
      return typeof v === 'number' ? v.toLocaleString('vi-VN') : String(v);
    case 'date':
      return vnDate(v);
    case 'datetime':
      return formatVnDateTime(v as string);
    case 'bool':
      return v ? 'Có' : 'Không';
    case 'enum':
      return format.values[String(v)] ?? NOT_IN_LIST;
    case 'code':
      return codeListName(format.list, String(v)) ?? NOT_IN_LIST;
    case 'subject':
      return SUBJECT_NAME.get(String(v)) ?? NOT_IN_LIST;
    case 'subjects':
      return (v as unknown[]).map((c) => SUBJECT_NAME.get(String(c)) ?? NOT_IN_LIST).join(', ');
    case 'year':
      return yearText(v);
    case 'term':
      return TERM_NAME[String(v)] ?? String(v);
    case 'grade':
      return Number(v) === 0 ? 'Mầm non' : `Khối ${String(v)}`;
    case 'ref':
      return refName(names, format.to, v);
    case 'refs':
      return Array.isArray(v) ? v.map((id) => refName(names, format.to, id)).join(', ') : refName(names, format.to, v);
    case 'guardians':
      return Array.isArray(v) ? v.map(guardianLine).join('; ') : guardianLine(v);
    case 'enrolment':
      return isObj(v) ? `${refName(names, 'class', v.class_id)} từ ${vnDate(v.start_date)}${v.end_date ? ` đến ${vnDate(v.end_date)}` : ''}` : null;
    case 'levels':
      return (v as unknown[]).map((l) => LEVEL_LABEL[String(l)] ?? NOT_IN_LIST).join(', ');
    case 'consentCounts': {
      if (!isObj(v)) return null;
      const parts = Object.entries(v).map(([purpose, c]) => {
        const counts = isObj(c) ? c : {};
        return `${PURPOSE_LABEL[purpose] ?? NOT_IN_LIST}: ${Number(counts.give ?? 0)} lần đồng ý, ${Number(counts.withdraw ?? 0)} lần rút lại`;
      });
      return parts.length ? parts.join('; ') : 'Không có';
    }
    case 'fieldNames':
      return (v as unknown[]).map((k) => fieldLabel(entity, String(k)) ?? NOT_IN_LIST).filter((l, i, all) => all.indexOf(l) === i).join(', ');
    case 'namePart':
      return String(v);
    case 'redacted':
      return 'Đã xoá khi ẩn danh hồ sơ';
  }
}

/** A value under a key the table does not know: its plain parts, never braces or quotes. */
function genericText(v: unknown): string {
  if (Array.isArray(v)) return v.map(genericText).join(', ');
  if (isObj(v)) return Object.values(v).map(genericText).filter(Boolean).join(', ');
  return String(v);
}

// ---------------------------------------------------------------- changes

const NAME_PARTS = ['family_name', 'middle_name', 'given_name'];
const fullName = (o: Record<string, unknown>) => NAME_PARTS.map((k) => o[k]).filter((p) => typeof p === 'string' && p !== '').join(' ') || null;
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
/** The label under which a key the table does not know is still shown (the presenter test fails on it). */
export const OTHER_FIELD_LABEL = 'Thông tin khác';

function change(label: string, before: string | null, after: string | null, diff: boolean): AuditChange {
  const text = diff ? `${label}: ${before ?? EMPTY} → ${after ?? EMPTY}` : `${label}: ${after ?? before ?? EMPTY}`;
  return { label, before, after, text };
}

/**
 * Both snapshots: the fields whose value changed (and details only the after side carries).
 * Only one: its non-empty fields (what was created, deleted or recorded).
 */
export function auditChanges(entity: string, before: unknown, after: unknown, names: AuditNames): AuditChange[] {
  const b = isObj(before) ? before : null;
  const a = isObj(after) ? after : null;
  if ((before != null && !b) || (after != null && !a)) {
    // A snapshot that is not a record (never written today): its plain text.
    return [change(OTHER_FIELD_LABEL, before == null ? null : genericText(before), after == null ? null : genericText(after), before != null && after != null)];
  }
  const diff = !!b && !!a;
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const out: AuditChange[] = [];
  let namesDone = false;
  for (const key of keys) {
    const spec = fieldSpec(entity, key);
    if (spec && spec.label === null) continue;
    if (diff && !(key in a)) continue; // what only the before side lists (a transfer's guardians) did not change here
    const bv = b?.[key];
    const av = a?.[key];
    if (diff && key in b && same(bv, av)) continue;
    if (spec?.format.kind === 'namePart') {
      if (namesDone) continue;
      namesDone = true;
      const bn = b ? fullName(b) : null;
      const an = a ? fullName(a) : null;
      if (diff && bn === an) continue;
      out.push(change(FULL_NAME_LABEL, diff ? bn : null, diff ? an : (an ?? bn), diff));
      continue;
    }
    const fmt = spec?.format ?? ({ kind: 'text' } as const);
    const label = spec?.label ?? OTHER_FIELD_LABEL;
    const bt = formatValue(entity, fmt, bv, names);
    const at = formatValue(entity, fmt, av, names);
    if (!diff && bt === null && at === null) continue;
    if (diff && !(key in b)) {
      // Only the after side has it: a detail of the action (the import row, the new class), not a before/after pair.
      if (at !== null) out.push(change(label, null, at, false));
      continue;
    }
    out.push(change(label, diff ? bt : b ? bt : null, diff ? at : a ? at : null, diff));
  }
  return out;
}

// ---------------------------------------------------------------- references

function walkRefs(entity: string, value: unknown, key: string, into: Record<RefKind, Set<string>>) {
  const spec = fieldSpec(entity, key);
  if (!spec) return;
  const fmt = spec.format;
  if (fmt.kind === 'ref' && typeof value === 'string') into[fmt.to].add(value);
  if (fmt.kind === 'refs' && Array.isArray(value)) for (const v of value) if (typeof v === 'string') into[fmt.to].add(v);
  if (fmt.kind === 'enrolment' && isObj(value) && typeof value.class_id === 'string') into.class.add(value.class_id);
}

/** The records a page of rows points at, by kind, for the caller to name. */
export function auditRefs(records: Pick<AuditRecord, 'entity' | 'before' | 'after'>[]): Record<RefKind, Set<string>> {
  const into: Record<RefKind, Set<string>> = { unit: new Set(), class: new Set(), staff: new Set(), user: new Set(), student: new Set() };
  for (const r of records) {
    for (const snap of [r.before, r.after]) {
      if (!isObj(snap)) continue;
      for (const [k, v] of Object.entries(snap)) walkRefs(r.entity, v, k, into);
    }
  }
  return into;
}

// ---------------------------------------------------------------- the row

function actionLabel(action: string): string {
  return (AUDIT_ACTION_LABEL as Record<string, string>)[action] ?? 'Thao tác khác';
}

function whoText(r: AuditRecord): string {
  if (!r.actorName && !r.username) return SYSTEM_ACTOR;
  const name = r.actorName ?? r.username ?? SYSTEM_ACTOR;
  const role = r.actorRoles[0];
  return role ? `${name} (${ROLE_LABEL[role]})` : name;
}

function targetText(r: AuditRecord): string {
  if (r.action === 'school_transfer.lookup') return 'Tra cứu theo mã định danh';
  const noun = (AUDIT_ENTITY_LABEL as Record<string, string>)[r.entity] ?? 'Đối tượng';
  // An org unit's name says what it is ("Trường THCS Lê Lợi"); so does a redacted label ("Học sinh đã ẩn danh").
  if (r.targetLabel && (r.entity === 'org_unit' || r.targetLabel.startsWith(noun))) return r.targetLabel;
  return r.targetLabel ? `${noun} ${r.targetLabel}` : `${noun} (${UNKNOWN_NAME})`;
}

export function presentAuditEntry(r: AuditRecord, names: AuditNames): AuditView {
  return {
    when: formatVnDateTime(r.at),
    who: whoText(r),
    action: actionLabel(r.action),
    target: targetText(r),
    unit: r.orgUnitName,
    changes: auditChanges(r.entity, r.before, r.after, names),
  };
}
