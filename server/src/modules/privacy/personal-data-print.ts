import type { TConsentOverview } from '../../../../contracts/privacy.js';
import type { TStudentProfile } from '../../../../contracts/students.js';
import { formatVnDate, formatVnDateTime } from '../../../../domain/index.js';
import type { GuardianTable, StudentRow } from '../../db/schema.js';
import type { AccessAction } from '../../platform/access-log.js';
import type { auditRowsAbout } from './privacy.repo.js';
import { type AnyPdfSection, type PdfColumn, buildPdfSections, pdfSection } from '../../platform/pdf-table.js';

/** What the school keeps about one student, as gathered for an export (privacy.service.ts). */
export type PersonalData = {
  student: StudentRow;
  religionName: string | null;
  profile: TStudentProfile;
  guardians: GuardianTable[];
  consents: TConsentOverview;
  audit: Awaited<ReturnType<typeof auditRowsAbout>>;
  accessLog: { at: Date | string; username: string | null; display_name: string | null; action: AccessAction }[];
  accounts: { username: string; display_name: string; is_active: boolean; last_login_at: Date | string | null; created_at: Date | string }[];
  exportedAt: string;
  exportedBy: string;
};

// The words a parent reads. Codes never reach the page: an unknown one prints as a general word.
const SEX = { male: 'Nam', female: 'Nữ' } as const;
const RELATION: Record<string, string> = { father: 'Cha', mother: 'Mẹ', guardian: 'Người giám hộ' };
const EVENT: Record<string, string> = {
  admitted: 'Nhập học',
  class_transfer: 'Chuyển lớp',
  transfer_in: 'Chuyển đến',
  transfer_out: 'Chuyển đi',
  status_change: 'Đổi trạng thái',
  promoted: 'Lên lớp',
  imported: 'Nhập từ Excel',
};
const CONSENT_STATE: Record<string, string> = { given: 'Đã đồng ý', withdrawn: 'Đã rút lại', none: 'Chưa có' };
const CONSENT_REASON: Record<string, string> = {
  legal_obligation: 'Theo quy định pháp luật',
  ok: 'Được phép',
  guardian_missing: 'Chưa có đồng ý của cha mẹ',
  student_missing: 'Chưa có đồng ý của học sinh',
  withdrawn: 'Đã rút lại — dừng xử lý',
};
const CONSENT_ACTION: Record<string, string> = { give: 'Đồng ý', withdraw: 'Rút lại' };
const CONSENT_METHOD: Record<string, string> = { paper: 'Phiếu giấy', online: 'Trực tuyến' };
const ACCESS: Record<AccessAction, string> = { profile_view: 'Xem hồ sơ', personal_data_export: 'Xuất dữ liệu cá nhân', list_export: 'Xuất hoặc in danh sách' };
const AUDIT: Record<string, string> = {
  'student.create': 'Thêm học sinh',
  'student.update': 'Sửa thông tin học sinh',
  'student.transfer_class': 'Chuyển lớp',
  'student.transfer_in': 'Tiếp nhận học sinh chuyển đến',
  'student.transfer_out': 'Chuyển trường đi',
  'student.status_change': 'Đổi trạng thái học sinh',
  'student.import_create': 'Thêm học sinh (nhập Excel)',
  'student.import_update': 'Cập nhật học sinh (nhập Excel)',
  'student.import_identity_change': 'Sửa họ tên / ngày sinh / giới tính (nhập Excel)',
  'student.personal_data_export': 'Xuất dữ liệu cá nhân',
  'student.anonymise': 'Ẩn danh hồ sơ',
  'consent.give': 'Ghi nhận đồng ý xử lý dữ liệu',
  'consent.withdraw': 'Rút lại sự đồng ý',
};

type Pair = { label: string; value: string };
const pairs: PdfColumn<Pair>[] = [
  { header: 'Thông tin', width: 170, value: (p) => p.label },
  { header: 'Nội dung', width: 345, value: (p) => p.value },
];
const none = '—';
const date = (iso: string | null | undefined) => (iso ? formatVnDate(iso.slice(0, 10)) : none);
const dateTime = (at: Date | string | null | undefined) => (at ? formatVnDateTime(at) : none);

/** The printable form of a personal-data export: one section per kind of data, in Vietnamese. */
export function personalDataPdf(d: PersonalData): Promise<Buffer> {
  const p = d.profile;
  const record: Pair[] = [
    { label: 'Họ và tên', value: p.fullName },
    { label: 'Ngày sinh', value: date(p.dateOfBirth) },
    { label: 'Giới tính', value: SEX[p.sex] },
    { label: 'Dân tộc', value: p.ethnicityName ?? none },
    { label: 'Tôn giáo', value: d.religionName ?? (p.religionCode ? 'Có ghi (không rõ tên trong danh mục)' : 'Không ghi') },
    { label: 'Mã định danh (Bộ GD&ĐT)', value: p.learnerId ?? none },
    ...(p.tempCode ? [{ label: 'Mã tạm của trường', value: p.tempCode }] : []),
    { label: 'Số định danh cá nhân', value: p.citizenId ?? none },
    { label: 'Số đăng bộ', value: p.registerNumber ?? none },
    { label: 'Nơi sinh', value: p.birthplace ?? none },
    { label: 'Địa chỉ', value: p.address ?? none },
    { label: 'Trường', value: p.schoolName },
    { label: 'Lớp', value: p.className ?? none },
    { label: 'Trạng thái', value: `${p.statusName ?? 'Không rõ'} (từ ${date(p.statusDate)})` },
  ];
  const guardians: Pair[] = d.guardians.map((g) => ({
    label: RELATION[g.relation] ?? 'Người giám hộ',
    value: [g.full_name, g.birth_year ? `sinh năm ${g.birth_year}` : null, g.phone ? `điện thoại ${g.phone}` : null, g.email ? `email ${g.email}` : null, g.occupation ? `nghề nghiệp: ${g.occupation}` : null]
      .filter(Boolean)
      .join('; '),
  }));
  const purposeLabel = new Map(d.consents.items.map((i) => [i.purpose, i.label]));
  const sections: AnyPdfSection[] = [
    section('1. Hồ sơ học sinh', record, pairs),
    section('2. Cha mẹ, người giám hộ', guardians, pairs, 'Không có thông tin cha mẹ hoặc người giám hộ.'),
    section('3. Quá trình học', p.enrolments, [
      { header: 'Năm học', width: 70, nowrap: true, value: (e) => `${e.year}-${e.year + 1}` },
      { header: 'Trường', width: 200, value: (e) => e.schoolName },
      { header: 'Lớp', width: 50, nowrap: true, value: (e) => e.className },
      { header: 'Từ ngày', width: 70, nowrap: true, value: (e) => date(e.startDate) },
      { header: 'Đến ngày', width: 70, nowrap: true, value: (e) => (e.endDate ? date(e.endDate) : 'nay') },
    ], 'Chưa có.'),
    section('4. Các sự kiện trong hồ sơ', p.history, [
      { header: 'Ngày', width: 70, nowrap: true, value: (e) => date(e.eventDate) },
      { header: 'Sự kiện', width: 110, value: (e) => EVENT[e.kind] ?? 'Thay đổi hồ sơ' },
      {
        header: 'Chi tiết',
        width: 335,
        value: (e) =>
          [e.fromClassName && e.toClassName ? `từ lớp ${e.fromClassName} sang lớp ${e.toClassName}` : e.toClassName ? `vào lớp ${e.toClassName}` : null, e.otherSchoolName ? `trường: ${e.otherSchoolName}` : null, e.note]
            .filter(Boolean)
            .join('; '),
      },
    ], 'Chưa có.'),
    section('5. Đồng ý xử lý dữ liệu cá nhân', d.consents.items, [
      { header: 'Mục đích', width: 200, value: (i) => i.label },
      { header: 'Cha mẹ', width: 90, value: (i) => (i.needsGuardian ? (CONSENT_STATE[i.guardian] ?? none) : 'Không cần') },
      { header: 'Học sinh', width: 90, value: (i) => (i.needsStudent ? (CONSENT_STATE[i.student] ?? none) : 'Không cần') },
      { header: 'Kết quả', width: 135, value: (i) => CONSENT_REASON[i.reason] ?? none },
    ]),
    section('6. Lịch sử đồng ý / rút lại', d.consents.records, [
      { header: 'Ngày', width: 70, nowrap: true, value: (r) => date(r.effectiveDate) },
      { header: 'Mục đích', width: 170, value: (r) => purposeLabel.get(r.purpose) ?? 'Mục đích khác' },
      { header: 'Nội dung', width: 70, value: (r) => CONSENT_ACTION[r.action] ?? none },
      { header: 'Người ký', width: 130, value: (r) => (r.giver === 'student' ? `${r.giverName} (học sinh)` : r.giverName) },
      { header: 'Hình thức', width: 75, value: (r) => CONSENT_METHOD[r.method] ?? none },
    ], 'Chưa có lần ghi nhận nào.'),
    section('7. Tài khoản đăng nhập của học sinh', d.accounts, [
      { header: 'Tên đăng nhập', width: 150, value: (a) => a.username },
      { header: 'Tên hiển thị', width: 165, value: (a) => a.display_name },
      { header: 'Đang dùng', width: 60, value: (a) => (a.is_active ? 'Có' : 'Không') },
      { header: 'Đăng nhập gần nhất', width: 140, nowrap: true, value: (a) => dateTime(a.last_login_at) },
    ], 'Không có tài khoản.'),
    section('8. Những lần hồ sơ được thay đổi', d.audit, [
      { header: 'Thời gian', width: 100, nowrap: true, value: (a) => dateTime(a.at) },
      { header: 'Người thực hiện', width: 150, value: (a) => a.username ?? 'Hệ thống' },
      { header: 'Việc', width: 265, value: (a) => AUDIT[a.action] ?? 'Thay đổi hồ sơ' },
    ], 'Chưa có.'),
    section('9. Ai đã xem hồ sơ', d.accessLog, [
      { header: 'Thời gian', width: 100, nowrap: true, value: (a) => dateTime(a.at) },
      { header: 'Người xem', width: 250, value: (a) => a.display_name ?? a.username ?? 'Không rõ' },
      { header: 'Việc', width: 165, value: (a) => ACCESS[a.action] },
    ], 'Chưa có lượt xem nào được ghi lại.'),
  ];
  return buildPdfSections(
    [
      `DỮ LIỆU CÁ NHÂN CỦA HỌC SINH ${p.fullName.toLocaleUpperCase('vi')}`,
      `${p.schoolName} — xuất lúc ${formatVnDateTime(d.exportedAt)} theo yêu cầu của ${d.exportedBy}`,
      'Dữ liệu nhà trường lưu giữ về học sinh (Nghị định 13/2023/NĐ-CP, Luật Bảo vệ dữ liệu cá nhân 2025).',
    ],
    sections,
  );
}

function section<T>(heading: string, rows: readonly T[], columns: PdfColumn<T>[], emptyText?: string): AnyPdfSection {
  return pdfSection({ heading, rows, columns, emptyText });
}
