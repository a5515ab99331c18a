/**
 * The Vietnamese label of every field a request may carry (body or query string of any route),
 * the one home for them: the API error formatter names the field with it ("Ngày sinh: …"), the
 * web forms use it as their labels, and field-labels.test.ts fails when a contract gains a field
 * without one. Plain data, no zod: the browser bundle imports it.
 *
 * Keys are field names; a nested field may have its own entry under "parent.child" (array
 * indexes left out: guardians.0.phone → "guardians.phone"), which wins over the bare name.
 */
export const FIELD_LABELS = {
  // people
  fullName: 'Họ và tên',
  dateOfBirth: 'Ngày sinh',
  sex: 'Giới tính',
  ethnicityCode: 'Dân tộc',
  religionCode: 'Tôn giáo',
  learnerId: 'Mã định danh Bộ GD&ĐT',
  citizenId: 'Số định danh cá nhân',
  registerNumber: 'Số đăng bộ',
  birthplace: 'Nơi sinh',
  address: 'Địa chỉ',
  phone: 'Điện thoại',
  email: 'Email',
  admissionDate: 'Ngày nhập học',
  guardians: 'Cha mẹ / người giám hộ',
  'guardians.id': 'Người giám hộ',
  'guardians.relation': 'Quan hệ với học sinh',
  'guardians.fullName': 'Họ tên người giám hộ',
  'guardians.phone': 'Điện thoại người giám hộ',
  'guardians.email': 'Email người giám hộ',
  'guardians.occupation': 'Nghề nghiệp người giám hộ',
  'guardians.birthYear': 'Năm sinh người giám hộ',
  statusCode: 'Trạng thái',
  status: 'Trạng thái',
  studentId: 'Học sinh',
  studentIds: 'Học sinh',
  // staff
  staffId: 'Cán bộ',
  staffCode: 'Mã cán bộ',
  position: 'Chức vụ',
  qualificationCode: 'Trình độ đào tạo',
  contractTypeCode: 'Loại hợp đồng',
  subjectCodes: 'Môn dạy',
  schoolContact: 'Liên hệ trong trường',
  // school, classes, teaching
  year: 'Năm học',
  term: 'Học kì',
  term1Start: 'Ngày bắt đầu học kì I',
  term1End: 'Ngày kết thúc học kì I',
  term2Start: 'Ngày bắt đầu học kì II',
  term2End: 'Ngày kết thúc học kì II',
  name: 'Tên',
  grade: 'Khối',
  ageGroup: 'Nhóm tuổi',
  siteId: 'Điểm trường',
  homeroomTeacherId: 'Giáo viên chủ nhiệm',
  session: 'Buổi học',
  isMultiGrade: 'Lớp ghép',
  classId: 'Lớp',
  toClassId: 'Lớp chuyển đến',
  subjectCode: 'Môn học',
  periodsPerYear: 'Số tiết cả năm',
  assessmentKind: 'Hình thức đánh giá',
  isTaught: 'Có dạy',
  // gradebook
  cells: 'Các ô điểm',
  'cells.studentId': 'Học sinh',
  'cells.column': 'Cột điểm',
  'cells.value': 'Điểm / đánh giá',
  'cells.version': 'Phiên bản ô điểm',
  entries: 'Các buổi nghỉ',
  'entries.studentId': 'Học sinh',
  'entries.date': 'Ngày nghỉ',
  'entries.session': 'Buổi',
  'entries.status': 'Tình trạng',
  'entries.reason': 'Lý do nghỉ',
  date: 'Ngày',
  lesson: 'Tiết',
  absences: 'Học sinh vắng',
  'absences.studentId': 'Học sinh',
  'absences.excused': 'Có phép',
  'absences.reason': 'Lý do vắng',
  enabled: 'Điểm danh theo tiết',
  // `ratings`: training ratings (TT22) and, in primary, qualities and competencies (TT27).
  ratings: 'Các mức xếp loại, đánh giá',
  'ratings.studentId': 'Học sinh',
  'ratings.level': 'Mức rèn luyện',
  'ratings.quality': 'Phẩm chất, năng lực',
  'ratings.value': 'Mức đánh giá (Tốt / Đạt / Cần cố gắng)',
  'ratings.version': 'Phiên bản ô đánh giá',
  checkpoint: 'Lần đánh giá định kì',
  // The homeroom teacher's year comments (TT27 học bạ) and the awards of Điều 13.
  comments: 'Nhận xét của giáo viên chủ nhiệm',
  'comments.studentId': 'Học sinh',
  'comments.topic': 'Nội dung nhận xét',
  'comments.value': 'Nhận xét',
  'comments.version': 'Phiên bản nhận xét',
  achievement: 'Thành tích',
  level: 'Cấp học của học bạ',
  period: 'Kì xét',
  preview: 'Xem trước (chưa lưu)',
  scope: 'Miễn học trong',
  retests: 'Điểm kiểm tra lại',
  'retests.studentId': 'Học sinh',
  'retests.subjectCode': 'Môn kiểm tra lại',
  'retests.value': 'Điểm / mức đánh giá lại',
  columns: 'Các cột điểm',
  published: 'Công bố cho gia đình',
  // org tree
  kind: 'Loại',
  code: 'Mã đơn vị',
  parentId: 'Đơn vị quản lý',
  newParentId: 'Đơn vị quản lý mới',
  targetId: 'Đơn vị sáp nhập vào',
  schoolLevels: 'Cấp học',
  ownership: 'Loại hình',
  area: 'Khu vực',
  validFrom: 'Hiệu lực từ ngày',
  asOf: 'Xem theo ngày',
  effectiveDate: 'Ngày hiệu lực',
  reason: 'Lý do',
  note: 'Ghi chú',
  // transfers
  toSchoolId: 'Trường chuyển đến',
  direction: 'Chiều chuyển',
  // accounts
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  currentPassword: 'Mật khẩu hiện tại',
  newPassword: 'Mật khẩu mới',
  displayName: 'Tên hiển thị',
  role: 'Vai trò',
  orgUnitId: 'Đơn vị',
  unitId: 'Đơn vị',
  userId: 'Người dùng',
  entity: 'Loại dữ liệu',
  // privacy
  purpose: 'Mục đích xử lý dữ liệu',
  action: 'Thao tác',
  giver: 'Người đồng ý',
  guardianId: 'Người giám hộ',
  // imports
  mode: 'Cách nhập',
  allowIdentityChanges: 'Cho phép sửa họ tên / ngày sinh / giới tính theo tệp',
  overwrite: 'Ghi đè điểm đã được sửa sau khi tải tệp về',
  replace: 'Thay kết quả năm học đã nhập trước',
  // lists and filters
  q: 'Từ khóa tìm kiếm',
  page: 'Trang',
  pageSize: 'Số dòng mỗi trang',
  includeLeft: 'Gồm cả học sinh đã rời trường',
  from: 'Từ ngày',
  to: 'Đến ngày',
  // Preschool: the school's indicator set, the development evaluation, measurements (cân đo).
  basis: 'Văn bản căn cứ',
  version: 'Phiên bản',
  domains: 'Lĩnh vực',
  'domains.code': 'Mã lĩnh vực',
  'domains.name': 'Tên lĩnh vực',
  standards: 'Chuẩn',
  'standards.code': 'Mã chuẩn',
  'standards.name': 'Tên chuẩn',
  indicators: 'Chỉ số',
  'indicators.code': 'Mã chỉ số',
  'indicators.name': 'Tên chỉ số',
  evaluationPeriod: 'Đợt đánh giá',
  results: 'Kết quả đánh giá',
  'results.studentId': 'Trẻ',
  'results.indicator': 'Chỉ số',
  'results.value': 'Kết quả (Đạt / Chưa đạt)',
  'results.version': 'Phiên bản ô đánh giá',
  measurements: 'Số đo',
  'measurements.studentId': 'Trẻ',
  'measurements.measuredOn': 'Ngày cân đo',
  'measurements.height': 'Chiều cao (cm)',
  'measurements.weight': 'Cân nặng (kg)',
  'measurements.version': 'Phiên bản số đo',
  // notifications (contact book)
  ids: 'Thông báo',
  sourceId: 'Nguồn thông báo',
  all: 'Tất cả thông báo',
  before: 'Trang trước thời điểm',
  limit: 'Số thông báo mỗi trang',
  push: 'Thông báo đẩy',
  emailAddress: 'Địa chỉ e-mail nhận thông báo',
  emailDigest: 'E-mail tổng hợp mỗi ngày',
  webhook: 'Gửi qua cổng của Sở (Zalo, SMS)',
  endpoint: 'Địa chỉ nhận thông báo đẩy',
  keys: 'Khóa thiết bị',
  'keys.p256dh': 'Khóa thiết bị',
  'keys.auth': 'Khóa xác thực thiết bị',
  device: 'Tên thiết bị',
} as const satisfies Record<string, string>;

/** How the whole request is named when a problem is not about one field. */
export const WHOLE_REQUEST_LABEL = 'Dữ liệu gửi lên';

/**
 * The label of a field path as zod reports it (["guardians", 0, "phone"]): the most specific entry
 * (nested key without indexes, then the last name), with the item number for array entries
 * ("Điện thoại người giám hộ thứ 1"). Undefined when the map has no entry (the test prevents it).
 */
export function fieldLabel(path: readonly PropertyKey[]): string | undefined {
  const names = path.filter((p): p is string => typeof p === 'string');
  if (names.length === 0) return WHOLE_REQUEST_LABEL;
  const labels = FIELD_LABELS as Record<string, string>;
  let label: string | undefined;
  for (let i = 0; i < names.length && label === undefined; i++) label = labels[names.slice(i).join('.')];
  if (label === undefined) return undefined;
  const index = path.findLast((p) => typeof p === 'number');
  return typeof index === 'number' ? `${label} thứ ${index + 1}` : label;
}
