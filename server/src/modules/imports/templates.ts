/**
 * Downloadable import templates: sheet "Danh sách" (headers + one example row, id/date/phone
 * columns stored as text so Excel keeps leading zeros and never re-reads dates as mm/dd) and
 * sheet "Hướng dẫn" (every column explained, plus the allowed values from the code lists).
 * The error sheet of a finished job is built here too.
 */
import ExcelJS from 'exceljs';
import { neutraliseCell } from '../../platform/xlsx-export.js';
import { labelledMessage } from '../../platform/errors.js';
import { SESSION_LABELS } from './class-import.js';
import { POSITION_LABELS } from './staff-import.js';
import type { CodeItem, ImportIssue } from './sheet-columns.js';

export type TemplateRefData = {
  ethnicities: CodeItem[];
  statuses: CodeItem[];
  qualifications: CodeItem[];
  contracts: CodeItem[];
  subjects: { code: string; name: string }[];
};

type TemplateColumn = {
  header: string;
  required: boolean;
  help: string;
  example: string | number | null;
  width?: number;
  text?: boolean;
  /** Allowed values offered as a drop-down: a list on the guide sheet. */
  list?: 'sex' | 'ethnicity' | 'position' | 'session' | 'yesno';
};

export type TemplateKind = 'students' | 'staff' | 'classes';

const GUIDE = 'Hướng dẫn';
const DATA = 'Danh sách';
const ROWS_WITH_VALIDATION = 2000;

function columnsFor(kind: TemplateKind): TemplateColumn[] {
  if (kind === 'students') {
    return [
      { header: 'STT', required: false, help: 'Số thứ tự; không bắt buộc, không dùng khi nhập.', example: 1, width: 6 },
      { header: 'Mã định danh', required: false, text: true, help: 'Mã định danh Bộ GD&ĐT, đúng 10 chữ số (giữ số 0 ở đầu). Để trống nếu học sinh chưa có mã: hệ thống cấp mã tạm dạng TMP-… Lần nhập sau, học sinh được nhận ra theo mã này (hoặc mã tạm, hoặc họ tên + ngày sinh) và được CẬP NHẬT, không tạo trùng. Họ tên, ngày sinh, giới tính của học sinh đã có không bị tệp ghi đè: dòng khác các thông tin này được báo lỗi (chỉ hiệu trưởng mới chọn được "Cho phép sửa họ tên / ngày sinh / giới tính theo tệp").', example: '0101234567', width: 14 },
      { header: 'Họ và tên', required: true, help: 'Họ, tên đệm và tên, cách nhau bởi dấu cách. Có thể thay bằng các cột riêng "Họ", "Đệm", "Tên".', example: 'Nguyễn Văn An', width: 24 },
      { header: 'Ngày sinh', required: true, text: true, help: 'Ngày/tháng/năm, ví dụ 05/09/2014 (ngày trước, tháng sau). Ô kiểu ngày của Excel cũng được.', example: '05/09/2014', width: 12 },
      { header: 'Giới tính', required: true, help: 'Nam hoặc Nữ (hoặc mã 01, 02).', example: 'Nam', width: 9, list: 'sex' },
      { header: 'Dân tộc', required: true, help: 'Tên dân tộc theo danh mục bên dưới (không phân biệt hoa thường, có dấu hay không), hoặc mã 2 chữ số.', example: 'Kinh', width: 10, list: 'ethnicity' },
      { header: 'Trạng thái', required: false, help: 'Trạng thái học sinh theo danh mục bên dưới; để trống = Đang học (học sinh mới) hoặc giữ nguyên (học sinh đã có).', example: 'Đang học', width: 12 },
      { header: 'Lớp', required: true, help: 'Tên lớp đã có trong năm học đang nhập, ví dụ 6A1. Hãy tạo lớp (hoặc nhập danh sách lớp) trước.', example: '6A1', width: 8 },
      { header: 'Khối', required: false, help: 'Không bắt buộc; nếu có, phải khớp với khối của lớp.', example: 6, width: 6 },
      { header: 'Số định danh cá nhân', required: false, text: true, help: 'Số định danh cá nhân (CCCD) 12 chữ số.', example: '001214012345', width: 16 },
      { header: 'Số đăng bộ', required: false, text: true, help: 'Số trong sổ đăng bộ của trường (in trên bìa học bạ), ví dụ 125/THCS; mỗi học sinh một số. Không bắt buộc; để trống thì giữ nguyên số đã có.', example: '125', width: 11 },
      { header: 'Nơi sinh', required: false, help: 'Không bắt buộc.', example: 'Hà Nội', width: 16 },
      { header: 'Địa chỉ thường trú', required: false, help: 'Không bắt buộc.', example: '12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh', width: 30 },
      { header: 'Họ tên cha', required: false, help: 'Không bắt buộc.', example: 'Nguyễn Văn Bình', width: 20 },
      { header: 'SĐT cha', required: false, text: true, help: 'Số điện thoại 10 chữ số, ví dụ 0912345678.', example: '0912345678', width: 12 },
      { header: 'Họ tên mẹ', required: false, help: 'Không bắt buộc.', example: 'Trần Thị Hoa', width: 20 },
      { header: 'SĐT mẹ', required: false, text: true, help: 'Số điện thoại 10 chữ số.', example: '0987654321', width: 12 },
      { header: 'Họ tên người giám hộ', required: false, help: 'Không bắt buộc; ghi khi học sinh sống với người giám hộ (ông bà, cô chú…).', example: null, width: 22 },
      { header: 'SĐT người giám hộ', required: false, text: true, help: 'Số điện thoại 10 chữ số; dùng để nhà trường liên lạc (sổ liên lạc).', example: null, width: 14 },
    ];
  }
  if (kind === 'staff') {
    return [
      { header: 'STT', required: false, help: 'Số thứ tự; không dùng khi nhập.', example: 1, width: 6 },
      { header: 'Mã cán bộ', required: false, text: true, help: 'Mã của trường hoặc của CSDL ngành. Lần nhập sau, cán bộ được nhận ra theo mã này (không có mã: theo họ tên + ngày sinh) và được cập nhật.', example: 'GV001', width: 12 },
      { header: 'Họ và tên', required: true, help: 'Họ, tên đệm và tên.', example: 'Lê Thị Hoa', width: 24 },
      { header: 'Ngày sinh', required: false, text: true, help: 'Ngày/tháng/năm, ví dụ 20/11/1985.', example: '20/11/1985', width: 12 },
      { header: 'Giới tính', required: false, help: 'Nam hoặc Nữ.', example: 'Nữ', width: 9, list: 'sex' },
      { header: 'Chức vụ', required: false, help: 'Hiệu trưởng, Phó hiệu trưởng, Giáo viên hoặc Nhân viên (để trống = Giáo viên).', example: 'Giáo viên', width: 16, list: 'position' },
      { header: 'Trình độ', required: false, help: 'Trình độ chuyên môn theo danh mục bên dưới (tên hoặc mã).', example: 'Đại học sư phạm', width: 18 },
      { header: 'Hình thức hợp đồng', required: false, help: 'Theo danh mục bên dưới (tên hoặc mã).', example: 'Viên chức/Công chức HĐLV không xác định thời hạn', width: 28 },
      { header: 'Môn dạy', required: false, help: 'Tên các môn, cách nhau bởi dấu phẩy, ví dụ "Toán, Tin học".', example: 'Ngữ văn', width: 20 },
      { header: 'Số điện thoại', required: false, text: true, help: 'Số điện thoại 10 chữ số.', example: '0912345678', width: 13 },
      { header: 'Email', required: false, help: 'Địa chỉ email.', example: 'hoa.lt@truong.edu.vn', width: 24 },
    ];
  }
  return [
    { header: 'STT', required: false, help: 'Số thứ tự; không dùng khi nhập.', example: 1, width: 6 },
    { header: 'Tên lớp', required: true, help: 'Ví dụ 6A1, 10A2, 12.6. Lớp cùng tên trong năm học được cập nhật, không tạo trùng.', example: '6A3', width: 10 },
    { header: 'Khối', required: true, help: 'Số từ 1 đến 12 (0 cho mầm non).', example: 6, width: 6 },
    { header: 'Buổi', required: false, help: 'Sáng, Chiều hoặc Cả ngày (để trống = Cả ngày).', example: 'Sáng', width: 10, list: 'session' },
    { header: 'Lớp ghép', required: false, help: 'Có hoặc Không (để trống = Không).', example: 'Không', width: 9, list: 'yesno' },
    { header: 'GVCN', required: false, help: 'Họ tên giáo viên chủ nhiệm, đúng như trong danh sách cán bộ của trường. Nếu có hai người trùng tên, ghi thêm mã cán bộ trong ngoặc: "Lê Thị Hoa (GV001)".', example: 'Lê Thị Hoa', width: 22 },
  ];
}

const colLetter = (n: number): string => {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

type Sheet = ExcelJS.Worksheet & { dataValidations?: { add: (range: string, v: ExcelJS.DataValidation) => void } };

/** The template workbook for one import kind. */
export async function buildTemplate(kind: TemplateKind, ref: TemplateRefData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trường Số';
  const data = wb.addWorksheet(DATA, { views: [{ state: 'frozen', ySplit: 1 }] }) as Sheet;
  const guide = wb.addWorksheet(GUIDE);
  const cols = columnsFor(kind);
  data.columns = cols.map((c) => ({ header: c.header, width: c.width ?? 14, style: c.text ? { numFmt: '@' } : {} }));
  const head = data.getRow(1);
  head.font = { bold: true };
  cols.forEach((c, i) => {
    if (c.required) head.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
  });
  data.addRow(cols.map((c) => (typeof c.example === 'string' ? neutraliseCell(c.example) : c.example)));

  // Guide sheet: one line per column, then the allowed values.
  guide.columns = [{ width: 24 }, { width: 12 }, { width: 100 }];
  guide.addRow([kind === 'students' ? 'NHẬP DANH SÁCH HỌC SINH' : kind === 'staff' ? 'NHẬP DANH SÁCH CÁN BỘ' : 'NHẬP DANH SÁCH LỚP']).font = { bold: true, size: 13 };
  guide.addRow([
    'Điền từ dòng 2 của trang "Danh sách", mỗi dòng một người (một lớp). Dòng tiêu đề có thể ở bất kỳ dòng nào trong 10 dòng đầu; dòng trống được bỏ qua. ' +
      'Hệ thống kiểm tra TẤT CẢ các dòng trước khi ghi: nếu có lỗi, mặc định không ghi gì và trả về bảng lỗi (dòng, cột, lý do). ' +
      'Không dùng công thức ở các cột mã, họ tên, ngày sinh, lớp — hãy dán giá trị (Paste Values).',
  ]);
  guide.getRow(2).alignment = { wrapText: true };
  guide.mergeCells('A2:C2');
  guide.getRow(2).height = 48;
  guide.addRow([]);
  guide.addRow(['Cột', 'Bắt buộc', 'Cách nhập']).font = { bold: true };
  for (const c of cols) {
    const r = guide.addRow([c.header, c.required ? 'Có' : 'Không', c.help]);
    r.alignment = { wrapText: true, vertical: 'top' };
  }

  const lists: Partial<Record<NonNullable<TemplateColumn['list']>, string>> = {};
  const addList = (title: string, items: { code?: string; name: string }[], key?: NonNullable<TemplateColumn['list']>) => {
    guide.addRow([]);
    guide.addRow([title]).font = { bold: true };
    guide.addRow(['Tên', 'Mã']).font = { italic: true };
    const first = guide.rowCount + 1;
    for (const i of items) guide.addRow([i.name, i.code ?? null]);
    if (key) lists[key] = `'${GUIDE}'!$A$${first}:$A$${guide.rowCount}`;
  };
  addList('Giới tính', [{ code: '01', name: 'Nam' }, { code: '02', name: 'Nữ' }], 'sex');
  if (kind === 'students') {
    addList('Danh mục dân tộc (DM_DAN_TOC)', ref.ethnicities, 'ethnicity');
    addList('Trạng thái học sinh (DM_TRANG_THAI_HOC_SINH)', ref.statuses);
  }
  if (kind === 'staff') {
    addList('Chức vụ', Object.values(POSITION_LABELS).map((name) => ({ name })), 'position');
    addList('Trình độ chuyên môn (DM_TRINH_DO_CHUYEN_MON)', ref.qualifications);
    addList('Hình thức hợp đồng (DM_HINH_THUC_HOP_DONG)', ref.contracts);
    addList('Môn học', ref.subjects.map((s) => ({ name: s.name })));
  }
  if (kind === 'classes') {
    addList('Buổi học', Object.values(SESSION_LABELS).map((name) => ({ name })), 'session');
    addList('Lớp ghép', [{ name: 'Có' }, { name: 'Không' }], 'yesno');
  }

  // Drop-downs on the data sheet; they only suggest (typing another accepted spelling still works).
  cols.forEach((c, i) => {
    const range = c.list ? lists[c.list] : undefined;
    if (!range || !data.dataValidations) return;
    const letter = colLetter(i + 1);
    data.dataValidations.add(`${letter}2:${letter}${ROWS_WITH_VALIDATION}`, {
      type: 'list',
      allowBlank: true,
      formulae: [range],
      showErrorMessage: false,
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export type StoredIssue = ImportIssue & { cells?: [string, string | null][] };

/**
 * The error sheet of a job: "Lỗi" (Dòng, Cột, Giá trị, Lỗi, Mức độ) and, when the job kept
 * them, "Dòng lỗi": the original cells of every row with an error plus a "Lỗi" column, so the
 * user can fix those rows and upload them again with "chỉ ghi dòng hợp lệ".
 */
export async function buildErrorWorkbook(issues: StoredIssue[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Trường Số';
  const sheet = wb.addWorksheet('Lỗi', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: 'Dòng', width: 8 },
    { header: 'Cột', width: 22 },
    { header: 'Giá trị', width: 26 },
    { header: 'Lỗi', width: 80 },
    { header: 'Mức độ', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  const text = (s: string | null) => (s === null ? null : neutraliseCell(s.normalize('NFC')));
  for (const i of issues) {
    sheet.addRow([i.row || null, text(i.column), text(i.value), text(i.message), i.severity === 'warning' ? 'Cảnh báo' : 'Lỗi']);
  }

  const withCells = issues.filter((i) => i.cells && i.severity === 'error');
  if (withCells.length > 0) {
    const headers: string[] = [];
    for (const i of withCells) for (const [h] of i.cells ?? []) if (!headers.includes(h)) headers.push(h);
    const rows = wb.addWorksheet('Dòng lỗi', { views: [{ state: 'frozen', ySplit: 1 }] });
    rows.columns = [{ header: 'Dòng gốc', width: 9 }, ...headers.map((h) => ({ header: h, width: Math.max(10, Math.min(30, h.length + 4)) })), { header: 'Lỗi', width: 80 }];
    rows.getRow(1).font = { bold: true };
    const messages = new Map<number, string[]>();
    for (const i of issues) if (i.severity === 'error') messages.set(i.row, [...(messages.get(i.row) ?? []), labelledMessage(i.column, i.message)]);
    for (const i of withCells) {
      const map = new Map(i.cells);
      rows.addRow([i.row, ...headers.map((h) => text(map.get(h) ?? null)), text((messages.get(i.row) ?? []).join('; '))]);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
